// Fuzz target: the raster decoder of extract/ocr/leptonica_image.h (PNG, JPEG, TIFF through
// Leptonica) on arbitrary bytes, with the limits checked: no page over the pixel limit and
// no more pages than asked for. Small decoded pages also go through the cheap image steps
// the OCR path runs before Tesseract.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "extract/ocr/leptonica_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  constexpr int64_t kMaxPixels = 4'000'000;
  constexpr int kMaxPages = 4;
  auto pages = DecodeImages(bytes, kMaxPixels, kMaxPages);
  if (!pages) return 0;
  if (static_cast<int>(pages->size()) > kMaxPages) std::abort();
  for (const GrayImage& page : *pages) {
    if (static_cast<int64_t>(page.width) * page.height > kMaxPixels) std::abort();
    if (static_cast<int64_t>(page.width) * page.height > 250'000) continue;
    (void)EstimateNoise(page);
    (void)RotateQuarterTurns(page, 1);
    PixPtr pix = PixFromGray(page);
    if (pix) (void)GrayFromPix(pix.get(), 300);
  }
  return 0;
}
