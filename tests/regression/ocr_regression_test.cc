// Regressions in extract/ocr found by the hostile-file set.
#include <string>

#include <gtest/gtest.h>

#include "extract/ocr/leptonica_image.h"
#include "tests/regression/exact_bytes.h"

namespace billwise {
namespace {

// A PNG cut inside its image data, and a JPEG cut after its quantisation-table marker:
// Leptonica hands them to libpng and libjpeg, whose default handlers print "libpng error:
// read error in memio_png_read_data", "Premature end of JPEG file" and "Bogus DQT index 15"
// on stderr, so `billwise analyze` writes three lines instead of its one error line.
TEST(OcrRegression, DecodingCorruptImagesWritesNothingToStderr) {
  for (const char* name : {"truncated_64x64.png", "truncated_header.jpg"}) {
    const std::string bytes = ReadInput(name);
    ASSERT_FALSE(bytes.empty()) << name;
    testing::internal::CaptureStderr();
    auto pages = DecodeImages(bytes, 120'000'000, 200);
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_FALSE(pages.has_value()) << name;
    EXPECT_EQ(printed, "") << name;
  }
}

}  // namespace
}  // namespace billwise
