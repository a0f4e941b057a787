// The entry point of the module billwise-ocr.so (extract/ocr/ocr_backend.h): the only symbol
// the module exports (ocr_plugin.map hides the rest, Tesseract and Leptonica included).
#include "extract/ocr/ocr_backend.h"
#include "extract/ocr/ocr_page.h"

extern "C" __attribute__((visibility("default"))) const billwise::OcrBackend* billwise_ocr_backend(
    int abi) {
  if (abi != billwise::kOcrBackendAbi) return nullptr;
  return &billwise::InProcessOcrBackend();
}

