// GetPdfBackend for the billwise executable (library billwise_letters_pdf_dlopen): loads the
// module billwise-pdf.so on first use (pipeline/modules/module_loader.h says where it looks).
#include "pipeline/letters/pdf_backend.h"
#include "pipeline/modules/module_loader.h"

namespace billwise {
namespace {

Expected<const PdfBackend*> Load() {
  auto entry = LoadModuleEntry(ModuleSpec{.file = kPdfModuleFile,
                                          .symbol = kPdfModuleSymbol,
                                          .what = "PDF module",
                                          .needed_for = "to write letters and forms and to read forms"});
  if (!entry) return std::unexpected(entry.error());
  const PdfBackend* backend = reinterpret_cast<PdfModuleEntry>(*entry)(kPdfBackendAbi);
  if (backend == nullptr) {
    return Fail(ErrorCode::kMissingDependency,
                "the PDF module billwise-pdf.so belongs to another version of billwise; reinstall billwise");
  }
  return backend;
}

}  // namespace

Expected<const PdfBackend*> GetPdfBackend() {
  static const Expected<const PdfBackend*> backend = Load();
  return backend;
}

}  // namespace billwise
