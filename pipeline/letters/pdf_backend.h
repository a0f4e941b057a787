// PdfBackend: what the PDF writer (pipeline/letters/pdf_writer.h) needs from PoDoFo, behind
// one interface, so that the code linking PoDoFo (and libidn and libunistring, which it
// brings in) can live in a module that is loaded only when a letter or form is written or a
// form is read. Analyzing a bill never loads it.
//
// Two implementations of GetPdfBackend() are chosen at link time:
//  - billwise_letters_pdf_static (pdf_backend_static.cc): the in-process PoDoFo backend of
//    pdf_writer_podofo.cc; the program links PoDoFo itself (tests, tools, fuzz targets);
//  - billwise_letters_pdf_dlopen (pdf_backend_dlopen.cc): loads the module billwise-pdf.so
//    with dlopen on the first call, from the executable's folder or, when installed, from
//    the module folder (pipeline/modules/module_loader.h); the billwise executable.
// A target linking billwise_letters gets the static variant unless it sets the target
// property BILLWISE_PDF_MODULE to ON (pipeline/letters/CMakeLists.txt).
//
// Each method has the contract of the pdf_writer.h function of the same name (WriteLetter
// is WriteLetterPdf, and so on): no exception leaves it, PoDoFo's errors come back as Error.
//
// Thread-safety: GetPdfBackend() may be called from any thread; it loads at most once per
// process and returns the same answer afterwards. The backend is immutable, never destroyed,
// and its methods are thread-compatible (each call owns its document).
// Failure: a module that is missing, cannot be loaded (a library it needs is not installed)
// or was built for another version gives kMissingDependency naming the module's path.
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

// The process's backend (see above for which one).
Expected<const PdfBackend*> GetPdfBackend();

// The PoDoFo backend itself (pdf_writer_podofo.cc): defined only where PoDoFo is linked,
// that is in billwise_letters_pdf_engine (the static variant and the module).
const PdfBackend& PodofoPdfBackend();

// The module's one exported function: `const PdfBackend* billwise_pdf_backend(int abi)`,
// returning null when `abi` is not the module's kPdfBackendAbi (a module left over from
// another build). Raise kPdfBackendAbi whenever PdfBackend or a type it passes
// (LetterDocument, PdfLetterStyle, FormFieldInfo, FormFillOptions, FormSpec, Error) changes.
inline constexpr char kPdfModuleFile[] = "billwise-pdf.so";
inline constexpr char kPdfModuleSymbol[] = "billwise_pdf_backend";
inline constexpr int kPdfBackendAbi = 2;
using PdfModuleEntry = const PdfBackend* (*)(int abi);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_PDF_BACKEND_H_
