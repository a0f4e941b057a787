// make_assistance_form OUT.pdf: writes the generic financial-assistance application
// (templates/forms/financial_assistance_application.pdf) from FinancialAssistanceApplicationSpec.
#include <cstdio>
#include <fstream>
#include <string>

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
  // Written beside, then renamed: a reader never sees half a form.
  const std::string tmp = std::string(argv[1]) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
    if (!out.flush()) {
      std::fprintf(stderr, "make_assistance_form: %s: cannot be written\n", tmp.c_str());
      return 2;
    }
  }
  if (std::rename(tmp.c_str(), argv[1]) != 0) {
    std::fprintf(stderr, "make_assistance_form: %s: cannot be written\n", argv[1]);
    return 2;
  }
  return 0;
}
