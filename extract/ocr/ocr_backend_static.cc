// GetOcrBackend for programs that link Tesseract and Leptonica themselves (library
// billwise_ocr_static): the in-process backend, always available.
#include "extract/ocr/ocr_backend.h"
#include "extract/ocr/ocr_page.h"

namespace billwise {

Expected<const OcrBackend*> GetOcrBackend() { return &InProcessOcrBackend(); }

}  // namespace billwise
