// OCR of one page image in this process: the code that calls Leptonica (extract/ocr/
// leptonica_image.h) and Tesseract (extract/ocr/tesseract_engine.h) on behalf of the document
// reader, and the OcrBackend (extract/ocr/ocr_backend.h) built on it.
//
// Everything declared here links libtesseract and Leptonica. The billwise executable never
// links it directly: it is the content of the module billwise-ocr.so, loaded with dlopen on
// the first document that needs OCR or image decoding (extract/ocr/ocr_backend_dlopen.cc).
// Tests, probes and fuzz targets link it in-process through billwise_ocr_static.
//
// Thread-safety: OcrImage is not thread-safe for one engine; distinct engines may run
// concurrently. InProcessOcrBackend() is a process-wide immutable object, safe from any thread.
// Failure: returned as Error (kMissingDependency when tessdata is missing, kInternal when
// Tesseract fails on a page); nothing is thrown.
#ifndef BILLWISE_EXTRACT_OCR_OCR_PAGE_H_
#define BILLWISE_EXTRACT_OCR_OCR_PAGE_H_

#include "extract/ocr/leptonica_image.h"
#include "extract/ocr/ocr_backend.h"
#include "extract/ocr/tesseract_engine.h"
#include "pipeline/model/error.h"
#include "pipeline/model/image.h"
#include "pipeline/model/page.h"

namespace billwise {

// What OcrImage did to one page (for diagnostics, tests and benchmarks).
struct OcrPageReport {
  int quarter_turns = 0;  // clockwise turns applied before reading
  float first_pass_confidence = 0;  // mean word confidence of the page read as it came
  CleanupReport cleanup;
  int dpi = 0;            // resolution the page was read at
  // CPU time of the calling thread per stage, in seconds (benchmarks and tuning).
  double cpu_resolution = 0, cpu_orientation = 0, cpu_cleanup = 0, cpu_recognition = 0,
         cpu_lines = 0;
};

// The OCR path for one page image: resolution normalised, cleaned up, recognised; when that
// reading is poor, orientation checked and a turned page read again upright; lines built.
// `number` becomes Page::number. Not thread-safe for one engine.
Expected<Page> OcrImage(TesseractEngine& engine, const GrayImage& image, int number,
                        const CleanupOptions& cleanup = {}, OcrPageReport* report = nullptr);

// OcrImage reads a page as it comes and runs the orientation check (Tesseract OSD) only
// when that first reading has fewer words or a lower mean confidence than these.
inline constexpr float kUprightConfidence = 75.0f;
inline constexpr int kUprightMinWords = 20;

// The backend of this process: DecodeImages from leptonica_image.h, engines wrapping a
// TesseractEngine read pages with OcrImage and the default cleanup. Never destroyed.
const OcrBackend& InProcessOcrBackend();

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_OCR_OCR_PAGE_H_
