// GetPdfBackend for the billwise executable (library billwise_letters_pdf_dlopen): loads the
// module billwise-pdf.so on first use (pipeline/modules/module_loader.h says where it looks).
#include "pipeline/letters/pdf_backend.h"
#include "pipeline/modules/module_loader.h"

namespace billwise {

Expected<const PdfBackend*> GetPdfBackend() {
  static const Expected<const PdfBackend*> backend = LoadModule<PdfBackend>(
      ModuleSpec{.file = kPdfModuleFile,
                 .symbol = kPdfModuleSymbol,
                 .what = "PDF module",
                 .needed_for = "to write letters and forms and to read forms"},
      kPdfBackendAbi);
  return backend;
}

}  // namespace billwise
