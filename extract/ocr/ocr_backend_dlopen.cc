// GetOcrBackend for the billwise executable (library billwise_ocr_dlopen): loads the module
// billwise-ocr.so on first use (pipeline/modules/module_loader.h says where it looks).
#include "extract/ocr/ocr_backend.h"
#include "pipeline/modules/module_loader.h"

namespace billwise {
namespace {

Expected<const OcrBackend*> Load() {
  auto entry = LoadModuleEntry(ModuleSpec{.file = kOcrModuleFile,
                                          .symbol = kOcrModuleSymbol,
                                          .what = "OCR module",
                                          .needed_for = "to read scanned pages and images"});
  if (!entry) return std::unexpected(entry.error());
  const OcrBackend* backend = reinterpret_cast<OcrModuleEntry>(*entry)(kOcrBackendAbi);
  if (backend == nullptr) {
    return Fail(ErrorCode::kMissingDependency,
                "the OCR module billwise-ocr.so belongs to another version of billwise; reinstall billwise");
  }
  return backend;
}

}  // namespace

Expected<const OcrBackend*> GetOcrBackend() {
  static const Expected<const OcrBackend*> backend = Load();
  return backend;
}

}  // namespace billwise
