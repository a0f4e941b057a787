// Fuzz target: the document source on arbitrary bytes. ReadDocument sniffs the bytes and
// reads a PDF's text layer through poppler, decodes PNG/JPEG/TIFF through Leptonica, or
// splits text into pages (OCR off, for speed). A PDF that opens also has its first page
// rendered at the lowest resolution, the path scanned pages take before OCR.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "extract/ocr/document_reader.h"
#include "extract/source/pdf_document.h"
#include "extract/source/sniff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ReadOptions options;
  options.ocr_mode = OcrMode::kNever;
  options.workers = 1;
  options.max_pages = 20;
  options.max_pixels_per_page = 4'000'000;
  auto read = ReadDocument(bytes, options);
  if (read && static_cast<int>(read->pages.size()) > options.max_pages) std::abort();

  if (SniffKind(bytes) == FileKind::kPdf) {
    if (auto doc = PdfDocument::Open(bytes); doc && doc->PageCount() > 0) {
      auto image = doc->Render(0, 18, options.max_pixels_per_page);
      if (image && static_cast<int64_t>(image->width) * image->height > options.max_pixels_per_page) {
        std::abort();
      }
    }
  }
  return 0;
}
