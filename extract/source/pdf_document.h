// PdfDocument: a PDF opened with poppler, read page by page as a text layer or as pixels.
//
// This is the only file in billwise that talks to poppler. It turns poppler's null pointers and
// empty results into Errors, never throws, and keeps poppler's stderr chatter quiet.
//  - Open copies the bytes it needs, so the caller's buffer may go away afterwards.
//  - TextLayer gives the page's words (PDF points, top-left origin, already turned by the
//    page's /Rotate so they are in reading orientation) with lines built by BuildLines.
//  - Render gives 8-bit gray pixels for OCR, refusing pages that would exceed a pixel budget
//    before any pixel is made.
// Hostile input (truncated, garbage, self-referencing objects) gives an Error, not a crash.
// Parse untrusted uploads in a time-limited worker: poppler's own time on a pathological file
// is not bounded here.
//
// Thread-safety: one PdfDocument must not be used from two threads at once; distinct
// documents may be used on distinct threads. Movable, not copyable.
#ifndef BILLWISE_EXTRACT_SOURCE_PDF_DOCUMENT_H_
#define BILLWISE_EXTRACT_SOURCE_PDF_DOCUMENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "pipeline/model/error.h"
#include "pipeline/model/image.h"
#include "pipeline/model/page.h"

namespace billwise {

class PdfDocument {
 public:
  // Errors: kEncrypted "PDF is encrypted (needs a password)"; kInvalidInput "not a readable
  // PDF (damaged or truncated)" for bytes poppler cannot open, and for a PDF with no pages;
  // kLimitExceeded for input over 2 GiB.
  static Expected<PdfDocument> Open(std::string_view bytes);

  PdfDocument(PdfDocument&&) noexcept;
  PdfDocument& operator=(PdfDocument&&) noexcept;
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;
  ~PdfDocument();

  int PageCount() const;

  // False when the file holds no image XObject (no `/Image` name anywhere in its bytes): then
  // no page can show a picture of a bill, and a caller may skip looking for one. An image's
  // dictionary is never inside a compressed object stream (it is a stream itself) and is not
  // encrypted, so this holds for every PDF except one that spells the name with `#` escapes;
  // small inline images (inside content streams) are not seen. Decided once, at Open.
  bool MayHoldImages() const;

  // The text layer of page `index` (0-based): words from poppler's word list in points,
  // page size in points after /Rotate, origin kTextLayer, number index+1, rotation the
  // page's /Rotate in degrees, lines built. A scanned page gives a Page with no words (see
  // HasUsableText). Errors: kUsage for an index out of range, kInvalidInput when poppler
  // cannot build the page.
  Expected<Page> TextLayer(int index) const;

  // False when the page has no words or only a stray character or two (fewer than 12 letters
  // and digits in all): such a page is a scan and needs OCR.
  static bool HasUsableText(const Page& page);

  // Renders page `index` at `dpi` as 8-bit gray (0 = black), rows without padding, turned by
  // the page's /Rotate. Errors: kUsage for a bad index or a dpi outside 18..1200;
  // kLimitExceeded when width*height at that dpi would exceed `max_pixels` (checked from the
  // page size before rendering); kInvalidInput when poppler renders nothing.
  Expected<GrayImage> Render(int index, int dpi, int64_t max_pixels) const;

  // The part `region` (points, page coordinates after /Rotate, clipped to the page) of page
  // `index` rendered as Render does; the image's pixel (0, 0) is the region's top-left
  // corner. Errors as Render, plus kUsage for a region with nothing on the page.
  Expected<GrayImage> RenderRegion(int index, const Box& region, int dpi,
                                   int64_t max_pixels) const;

 private:
  Expected<GrayImage> RenderPart(int index, std::optional<Box> region, int dpi,
                                 int64_t max_pixels) const;
  struct Impl;
  explicit PdfDocument(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_PDF_DOCUMENT_H_
