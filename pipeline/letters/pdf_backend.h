// PdfBackend: what the PDF writer (pipeline/letters/pdf_writer.h) needs from PoDoFo, behind
// one interface, so that PoDoFo is included by one adapter file (pdf_writer_podofo.cc).
//
// Each method has the contract of the pdf_writer.h function of the same name (WriteLetter
// is WriteLetterPdf, and so on): no exception leaves it, PoDoFo's errors come back as Error.
//
// Thread-safety: the backend is immutable and its methods are thread-compatible (each call
// owns its document).
#ifndef BILLWISE_PIPELINE_LETTERS_PDF_BACKEND_H_
#define BILLWISE_PIPELINE_LETTERS_PDF_BACKEND_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/letters/markup.h"
#include "pipeline/letters/pdf_writer.h"
#include "pipeline/model/error.h"

namespace billwise {

class PdfBackend {
 public:
  virtual ~PdfBackend() = default;
  virtual Expected<std::string> WriteLetter(const LetterDocument& letter, const PdfLetterStyle& style) const = 0;
  virtual Expected<std::vector<FormFieldInfo>> ListFormFields(std::string_view pdf_bytes) const = 0;
  virtual Expected<std::string> FillForm(std::string_view pdf_bytes, const std::map<std::string, std::string>& values,
                                         const FormFillOptions& options) const = 0;
  virtual Expected<std::string> WriteForm(const FormSpec& spec, const PdfLetterStyle& style) const = 0;
};

// The PoDoFo backend (pdf_writer_podofo.cc).
const PdfBackend& PodofoPdfBackend();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_PDF_BACKEND_H_
