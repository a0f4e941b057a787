// GetOcrBackend for the billwise executable (library billwise_ocr_dlopen): loads the module
// billwise-ocr.so on first use (pipeline/modules/module_loader.h says where it looks).
#include "extract/ocr/ocr_backend.h"
#include "pipeline/modules/module_loader.h"

namespace billwise {

Expected<const OcrBackend*> GetOcrBackend() {
  static const Expected<const OcrBackend*> backend = LoadModule<OcrBackend>(
      ModuleSpec{.file = kOcrModuleFile,
                 .symbol = kOcrModuleSymbol,
                 .what = "OCR module",
                 .needed_for = "to read scanned pages and images"},
      kOcrBackendAbi);
  return backend;
}

}  // namespace billwise
