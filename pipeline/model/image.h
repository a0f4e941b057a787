// GrayImage: an 8-bit grayscale raster, the hand-off between the poppler renderer and
// the Leptonica/Tesseract OCR adapters (no temporary files in between).
#ifndef BILLWISE_PIPELINE_MODEL_IMAGE_H_
#define BILLWISE_PIPELINE_MODEL_IMAGE_H_

#include <cstdint>
#include <vector>

namespace billwise {

struct GrayImage {
  int width = 0;
  int height = 0;
  int dpi = 300;                // resolution the pixels were made at
  std::vector<uint8_t> pixels;  // row-major, width bytes per row, no padding; 0 = black
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_IMAGE_H_
