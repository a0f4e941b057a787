// The PDF writer's public functions (pdf_writer.h): each calls the PoDoFo adapter
// (pdf_backend.h, pdf_writer_podofo.cc). No PoDoFo here.
#include "pipeline/letters/pdf_writer.h"

#include "pipeline/letters/pdf_backend.h"

namespace billwise {

Expected<std::string> WriteLetterPdf(const LetterDocument& letter, const PdfLetterStyle& style) {
  return PodofoPdfBackend().WriteLetter(letter, style);
}

Expected<std::vector<FormFieldInfo>> ListFormFields(std::string_view pdf_bytes) {
  return PodofoPdfBackend().ListFormFields(pdf_bytes);
}

Expected<std::string> FillFormPdf(std::string_view pdf_bytes, const std::map<std::string, std::string>& values,
                                  const FormFillOptions& options) {
  return PodofoPdfBackend().FillForm(pdf_bytes, values, options);
}

Expected<std::string> WriteFormPdf(const FormSpec& spec, const PdfLetterStyle& style) {
  return PodofoPdfBackend().WriteForm(spec, style);
}

}  // namespace billwise
