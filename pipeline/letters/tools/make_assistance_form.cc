// make_assistance_form OUT.pdf: writes the generic financial-assistance application
// (templates/forms/financial_assistance_application.pdf) from FinancialAssistanceApplicationSpec.
#include <cstdio>
#include <fstream>

#include "pipeline/letters/form_fill.h"
#include "pipeline/letters/pdf_writer.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_assistance_form OUT.pdf\n");
    return 2;
  }
  auto pdf = billwise::WriteFormPdf(billwise::FinancialAssistanceApplicationSpec(), billwise::PdfLetterStyle{});
  if (!pdf) {
    std::fprintf(stderr, "make_assistance_form: %s\n", pdf.error().message.c_str());
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
  return out ? 0 : 2;
}
