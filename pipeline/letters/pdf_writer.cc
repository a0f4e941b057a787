// The PDF writer's public functions (pdf_writer.h): each calls the process's PdfBackend
// (pdf_backend.h), PoDoFo in process or the module billwise-pdf.so, and returns its error
// when the module cannot be loaded. No PoDoFo here.
#include "pipeline/letters/pdf_writer.h"

#include "pipeline/letters/pdf_backend.h"

namespace billwise {

Expected<std::string> WriteLetterPdf(const LetterDocument& letter, const PdfLetterStyle& style) {
  auto backend = GetPdfBackend();
  if (!backend) return std::unexpected(backend.error());
  return (*backend)->WriteLetter(letter, style);
}

Expected<std::vector<FormFieldInfo>> ListFormFields(std::string_view pdf_bytes) {
  auto backend = GetPdfBackend();
  if (!backend) return std::unexpected(backend.error());
  return (*backend)->ListFormFields(pdf_bytes);
}

Expected<std::string> FillFormPdf(std::string_view pdf_bytes, const std::map<std::string, std::string>& values,
                                  const FormFillOptions& options) {
  auto backend = GetPdfBackend();
  if (!backend) return std::unexpected(backend.error());
  return (*backend)->FillForm(pdf_bytes, values, options);
}

Expected<std::string> WriteFormPdf(const FormSpec& spec, const PdfLetterStyle& style) {
  auto backend = GetPdfBackend();
  if (!backend) return std::unexpected(backend.error());
  return (*backend)->WriteForm(spec, style);
}

}  // namespace billwise
