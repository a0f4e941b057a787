// ReadDocument: bytes of one bill in, positioned Pages (with lines) out, whichever way each
// page had to be read.
//
// The kind is sniffed from the bytes (extract/source/sniff.h), never the name:
//  - PDF: per page, the text layer when it carries the page's text (PdfDocument::
//    HasUsableText); otherwise the page is rendered at `dpi` straight into memory and OCR'd.
//    Mixed PDFs are handled page by page. OcrMode::kAlways OCRs every page, kNever none.
//    In kAuto a text page that shows a picture of print where its text layer has no words
//    (extract/source/image_text.h) is OCR'd too, and the words found there are added to the
//    text layer (MergeImageWords); it stays a text-layer page.
//  - PNG, JPEG, TIFF (every page of a multi-page TIFF): decoded, brought to ~300 dpi,
//    cleaned up (extract/ocr/leptonica_image.h) and OCR'd.
//  - UTF-8 text: PagesFromPlainText.
// Decoding and OCR go through the OcrBackend (extract/ocr/ocr_backend.h): ReadOptions::ocr,
// or by default the process's, fetched only when a document has a page to OCR or is an image: reading a PDF's text layer or a text file never
// touches Leptonica or Tesseract (in the billwise executable, never loads billwise-ocr.so).
// OCR pages are spread over a pool of worker threads (std::thread), each with its own
// OcrEngine; engines of the process's backend are created lazily and kept in a process-wide
// pool for reuse, since initialising one costs about 0.2 s. Results come back in page order, with lines
// built by BuildLines. Diagnostics (stage "ocr") name the OCR'd pages and low confidence.
//
// Thread-safety: ReadDocument may be called from several threads at once (each call uses
// its own workers; engines are never shared between threads at the same time).
// Failure: kUnsupported for an unknown kind, kLimitExceeded for too many pages or a page
// over the pixel limit, kMissingDependency when OCR is needed and tessdata is missing,
// kEncrypted / kInvalidInput from the PDF and image decoders. A single page that Tesseract
// cannot read becomes an empty page plus an error diagnostic, not a failure.
#ifndef BILLWISE_EXTRACT_OCR_DOCUMENT_READER_H_
#define BILLWISE_EXTRACT_OCR_DOCUMENT_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/ocr/ocr_backend.h"
#include "extract/ocr/ocr_page.h"  // OcrImage, OcrPageReport (declared there since the split)
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/image.h"
#include "pipeline/model/page.h"

namespace billwise {

struct ReadOptions {
  OcrMode ocr_mode = OcrMode::kAuto;
  int workers = 0;                // OCR threads; 0 = the number of cores
  int max_pages = 200;
  int64_t max_pixels_per_page = 120'000'000;
  int dpi = 300;                  // PDF render resolution for OCR
  // Decoding and OCR: null = the process's backend (GetOcrBackend(), fetched only when a
  // page needs it); otherwise this one (not owned), e.g. a fake in tests. Engines of the
  // process's backend are pooled across calls; those of a given backend live for one call.
  const OcrBackend* ocr = nullptr;
};

struct ReadResult {
  std::vector<Page> pages;
  std::vector<Diagnostic> diagnostics;
  TextOrigin text_origin = TextOrigin::kTextLayer;
  std::optional<double> ocr_confidence;  // mean over OCR'd pages
};

Expected<ReadResult> ReadDocument(std::string_view bytes, const ReadOptions& options);

// Low-confidence threshold used for diagnostics (mean word confidence of a page).
inline constexpr float kLowOcrConfidence = 70.0f;

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_OCR_DOCUMENT_READER_H_
