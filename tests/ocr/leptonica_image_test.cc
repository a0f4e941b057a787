// Leptonica adapter: pixel round trips, decoding limits, resolution and cleanup decisions.
#include "extract/ocr/leptonica_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace billwise {
namespace {

GrayImage Blank(int w, int h, uint8_t value, int dpi = 300) {
  GrayImage im;
  im.width = w;
  im.height = h;
  im.dpi = dpi;
  im.pixels.assign(static_cast<size_t>(w) * h, value);
  return im;
}

void Fill(GrayImage* im, int x0, int y0, int x1, int y1, uint8_t v) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) im->pixels[static_cast<size_t>(y) * im->width + x] = v;
}

std::string TempDir() {
  char tmpl[] = "/tmp/billwise_lept_XXXXXX";
  const char* dir = mkdtemp(tmpl);
  return dir ? dir : "/tmp";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(LeptonicaImage, GrayPixRoundTripKeepsEveryPixelWithOddWidths) {
  std::mt19937 rng(7);
  for (int width : {1, 3, 5, 17, 1001}) {
    GrayImage im = Blank(width, 13, 0, 200);
    for (auto& p : im.pixels) p = static_cast<uint8_t>(rng());
    PixPtr pix = PixFromGray(im);
    ASSERT_NE(pix, nullptr);
    auto back = GrayFromPix(pix.get());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->width, width);
    EXPECT_EQ(back->height, 13);
    EXPECT_EQ(back->dpi, 200);
    EXPECT_EQ(back->pixels, im.pixels);
  }
}

TEST(LeptonicaImage, DecodesPngJpegAndEveryTiffPage) {
  if (std::system("command -v convert >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ImageMagick";
  const std::string dir = TempDir();
  const std::string cmd = "cd " + dir +
                          " && convert -size 300x200 xc:white -fill black -draw 'rectangle 10,10 "
                          "60,40' -density 300 -units PixelsPerInch a.png && convert a.png -quality 80 a.jpg"
                          " && convert a.png a.png a.png -compress lzw multi.tif";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  for (const char* name : {"a.png", "a.jpg"}) {
    auto pages = DecodeImages(ReadAll(dir + "/" + name), 1'000'000, 10);
    ASSERT_TRUE(pages.has_value()) << name << ": " << pages.error().message;
    ASSERT_EQ(pages->size(), 1u);
    EXPECT_EQ((*pages)[0].width, 300);
    EXPECT_EQ((*pages)[0].height, 200);
    EXPECT_LT((*pages)[0].pixels[20 * 300 + 20], 60);   // inside the black box
    EXPECT_GT((*pages)[0].pixels[150 * 300 + 250], 200);  // paper
  }
  auto tiff = DecodeImages(ReadAll(dir + "/multi.tif"), 1'000'000, 10);
  ASSERT_TRUE(tiff.has_value()) << tiff.error().message;
  EXPECT_EQ(tiff->size(), 3u);
  auto too_many = DecodeImages(ReadAll(dir + "/multi.tif"), 1'000'000, 2);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(too_many.error().code, ErrorCode::kLimitExceeded);
  // The pixel limit is checked from the header, before decoding.
  auto big = DecodeImages(ReadAll(dir + "/a.png"), 300 * 200 - 1, 10);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::kLimitExceeded);
  std::system(("rm -rf " + dir).c_str());
}

TEST(LeptonicaImage, SmoothsFaxPagesToSquare300DpiGrey) {
  if (std::system("command -v convert >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ImageMagick";
  const std::string dir = TempDir();
  // A fax in standard mode: 204 x 98 dpi, 1 bit, Group 4; a box 40 px wide and 20 px tall
  // there is square on paper. A lone dark pixel at (300, 150) is a speck. The grey copies
  // are 204 x 98 dpi grey (blurred: no longer bilevel) and 300 dpi 1 bit.
  const std::string cmd = "cd " + dir +
                          " && convert -size 400x200 xc:white -fill black -draw 'rectangle 100,50 "
                          "139,69' -draw 'point 300,150' -monochrome -compress Group4 -density "
                          "204x98 -units PixelsPerInch fax.tif && convert fax.tif -blur 0x0.7 -depth 8 -type "
                          "Grayscale -compress LZW -density 204x98 gray.tif && convert fax.tif -density 300x300 "
                          "fine.tif";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto fax = DecodeImages(ReadAll(dir + "/fax.tif"), 1'000'000, 10);
  ASSERT_TRUE(fax.has_value()) << fax.error().message;
  ASSERT_EQ(fax->size(), 1u);
  const GrayImage& page = (*fax)[0];
  EXPECT_EQ(page.dpi, 300);
  EXPECT_NEAR(page.width, 400 * 300 / 204, 2);
  EXPECT_NEAR(page.height, 200 * 300 / 98, 2);
  const auto at = [&](int x, int y) { return page.pixels[static_cast<size_t>(y) * page.width + x]; };
  const double fx = 300.0 / 204, fy = 300.0 / 98;
  // The box's middle is black, its edge smoothed to grey, the paper white, the speck gone.
  EXPECT_LT(at(static_cast<int>(120 * fx), static_cast<int>(60 * fy)), 30);
  const int edge = at(static_cast<int>(100 * fx), static_cast<int>(60 * fy));
  EXPECT_GT(edge, 30);
  EXPECT_LT(edge, 225);
  EXPECT_GT(at(static_cast<int>(300 * fx), static_cast<int>(120 * fy)), 225);
  EXPECT_GT(at(static_cast<int>(300 * fx), static_cast<int>(150 * fy)), 225);
  // A grey page with oblong pixels is stretched to square pixels at its finer resolution.
  auto gray = DecodeImages(ReadAll(dir + "/gray.tif"), 1'000'000, 10);
  ASSERT_TRUE(gray.has_value()) << gray.error().message;
  EXPECT_EQ((*gray)[0].dpi, 204);
  EXPECT_EQ((*gray)[0].width, 400);
  EXPECT_NEAR((*gray)[0].height, 200 * 204 / 98, 2);
  // A bilevel page at 300 dpi is left as it is.
  auto fine = DecodeImages(ReadAll(dir + "/fine.tif"), 1'000'000, 10);
  ASSERT_TRUE(fine.has_value()) << fine.error().message;
  EXPECT_EQ((*fine)[0].height, 200);
  EXPECT_EQ((*fine)[0].width, 400);
  std::system(("rm -rf " + dir).c_str());
}

TEST(LeptonicaImage, RejectsGarbageAndTruncatedData) {
  auto garbage = DecodeImages("this is not an image at all", 1'000'000, 10);
  ASSERT_FALSE(garbage.has_value());
  auto empty = DecodeImages("", 1'000'000, 10);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidInput);
  // A PNG signature followed by nothing useful.
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  auto truncated = DecodeImages(png, 1'000'000, 10);
  EXPECT_FALSE(truncated.has_value());
}

TEST(LeptonicaImage, UpscalesLowResolutionPagesOnly) {
  GrayImage fax = NormalizeResolution(Blank(850, 1100, 255, 100));
  EXPECT_EQ(fax.dpi, 300);
  EXPECT_EQ(fax.width, 2550);
  GrayImage fine = NormalizeResolution(Blank(2550, 3300, 255, 300));
  EXPECT_EQ(fine.width, 2550);
  EXPECT_EQ(fine.dpi, 300);
  // No resolution stated and a small page: upscaled by what its size implies.
  GrayImage unknown = NormalizeResolution(Blank(1000, 1294, 255, 0));
  EXPECT_GT(unknown.width, 2400);
  EXPECT_GE(unknown.dpi, 290);
  // A "72 dpi" tag on a big image is a default, not a fact: left alone.
  GrayImage tagged = NormalizeResolution(Blank(2550, 3300, 255, 72));
  EXPECT_EQ(tagged.width, 2550);
  EXPECT_GE(tagged.dpi, 250);
}

TEST(LeptonicaImage, NoiseEstimateSeparatesCleanFromNoisyPages) {
  GrayImage clean = Blank(800, 600, 250);
  for (int y = 50; y < 550; y += 30) Fill(&clean, 50, y, 700, y + 12, 20);  // "text lines"
  EXPECT_LT(EstimateNoise(clean), 1.0);
  GrayImage noisy = clean;
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 18);
  for (auto& p : noisy.pixels) p = static_cast<uint8_t>(std::clamp(p + noise(rng), 0.0, 255.0));
  EXPECT_GT(EstimateNoise(noisy), CleanupOptions{}.noise_threshold);
  CleanupReport report;
  CleanupForOcr(clean, CleanupOptions{}, &report);
  EXPECT_FALSE(report.median);
  CleanupForOcr(noisy, CleanupOptions{}, &report);
  EXPECT_TRUE(report.median);
}

TEST(LeptonicaImage, InvertsWhiteOnDarkTextBandsButNotSolidBoxes) {
  GrayImage page = Blank(2400, 1200, 245);
  // A dark header band with white "letters".
  Fill(&page, 100, 200, 2300, 280, 40);
  for (int x = 150; x < 2200; x += 60) Fill(&page, x, 215, x + 25, 265, 240);
  // A solid black redaction box of similar shape.
  Fill(&page, 100, 600, 1000, 680, 10);
  CleanupOptions options;
  options.deskew = Step::kOff;
  options.invert_bands = Step::kOn;
  CleanupReport report;
  GrayImage out = CleanupForOcr(page, options, &report);
  EXPECT_EQ(report.bands_inverted, 1);
  EXPECT_GT(out.pixels[static_cast<size_t>(205) * 2400 + 120], 180);  // band now light
  EXPECT_LT(out.pixels[static_cast<size_t>(240) * 2400 + 160], 60);   // letters now dark
  EXPECT_LT(out.pixels[static_cast<size_t>(640) * 2400 + 500], 60);   // redaction untouched
}

TEST(LeptonicaImage, FindsAPhotographedPageAndFlattensIt) {
  // A bright page, tilted into a quadrilateral, on a dark table.
  GrayImage photo = Blank(1200, 1600, 40, 0);
  for (int y = 150; y < 1450; ++y) {
    const double t = (y - 150) / 1300.0;
    const int x0 = static_cast<int>(200 - 80 * t), x1 = static_cast<int>(1000 + 60 * t);
    Fill(&photo, x0, y, x1, y + 1, 230);
  }
  CleanupReport report;
  CleanupOptions options;
  options.deskew = Step::kOff;
  GrayImage flat = CleanupForOcr(photo, options, &report);
  EXPECT_TRUE(report.photo_corrected);
  EXPECT_TRUE(report.background);
  // The table is gone: the corners of the result are paper.
  EXPECT_GT(flat.pixels[5 * flat.width + 5], 150);
  EXPECT_GT(flat.pixels[(flat.height - 5) * static_cast<size_t>(flat.width) + flat.width - 5], 150);
  // An ordinary scan is not mistaken for a photo.
  GrayImage scan = Blank(1200, 1600, 240, 300);
  CleanupForOcr(scan, options, &report);
  EXPECT_FALSE(report.photo_corrected);
}

TEST(LeptonicaImage, QuarterTurnsAndDownscale) {
  GrayImage im = Blank(40, 20, 255, 300);
  Fill(&im, 0, 0, 5, 5, 0);  // top-left mark
  GrayImage turned = RotateQuarterTurns(im, 1);
  EXPECT_EQ(turned.width, 20);
  EXPECT_EQ(turned.height, 40);
  EXPECT_EQ(turned.pixels[0 * 20 + 19], 0);  // clockwise: top-left goes to top-right
  EXPECT_EQ(RotateQuarterTurns(im, 4).pixels, im.pixels);
  GrayImage small = Downscale(Blank(400, 200, 255, 300), 0.5);
  EXPECT_EQ(small.width, 200);
  EXPECT_EQ(small.dpi, 150);
}

// The fast median must match Leptonica's pixMedianFilter(3, 3) pixel for pixel, borders
// and corners included, on every size down to a single pixel (one-pixel-wide images repeat
// the same pixel on both sides).
TEST(LeptonicaImage, Median3x3MatchesLeptonicaOnRandomImages) {
  std::mt19937 rng(11);
  const std::pair<int, int> sizes[] = {{1, 1},  {1, 7},   {7, 1},   {2, 2},    {3, 3},
                                       {4, 5},  {17, 13}, {31, 2},  {2, 31},   {64, 64},
                                       {101, 3}, {257, 9}, {1001, 37}, {33, 250}};
  for (const auto& [w, h] : sizes) {
    for (int levels : {256, 3}) {  // full range, then few values (many ties)
      GrayImage im = Blank(w, h, 0, 300);
      for (auto& p : im.pixels) {
        const unsigned v = rng() % static_cast<unsigned>(levels);
        p = static_cast<uint8_t>(levels == 256 ? v : v * 127);
      }
      const GrayImage reference = LeptonicaMedian(im, 3, 3);
      const GrayImage fast = Median3x3(im);
      ASSERT_EQ(fast.width, w);
      ASSERT_EQ(fast.height, h);
      EXPECT_EQ(fast.dpi, 300);
      EXPECT_EQ(fast.pixels, reference.pixels) << w << "x" << h << ", " << levels << " levels";
      if (w >= 3 && h >= 3) {
        // The reference really filtered (so the comparison can fail).
        EXPECT_NE(reference.pixels, im.pixels) << w << "x" << h;
      }
    }
  }
}

TEST(LeptonicaImage, Median3x3RemovesSpecksAndKeepsStrokesAndCorners) {
  GrayImage im = Blank(40, 30, 250);
  im.pixels[5 * 40 + 5] = 0;           // isolated speck: removed
  Fill(&im, 10, 10, 30, 13, 20);       // three-pixel-high stroke: kept
  Fill(&im, 0, 0, 2, 2, 0);            // 2x2 dark corner block: the mirrored border keeps it
  const GrayImage out = Median3x3(im);
  EXPECT_EQ(out.pixels[5 * 40 + 5], 250);
  EXPECT_EQ(out.pixels[11 * 40 + 20], 20);
  EXPECT_EQ(out.pixels[0], 0);
  EXPECT_EQ(out.pixels, LeptonicaMedian(im, 3, 3).pixels);
}

TEST(LeptonicaImage, CleanupMedianStepIsLeptonicasMedian) {
  std::mt19937 rng(5);
  GrayImage im = Blank(300, 200, 235);
  for (auto& p : im.pixels) p = static_cast<uint8_t>(std::clamp<int>(p + rng() % 61 - 30, 0, 255));
  Fill(&im, 40, 50, 260, 56, 30);
  CleanupOptions options;
  options.median = Step::kOn;
  options.background = Step::kOff;
  options.deskew = Step::kOff;
  options.photo = Step::kOff;
  CleanupReport report;
  const GrayImage out = CleanupForOcr(im, options, &report);
  EXPECT_TRUE(report.median);
  EXPECT_EQ(out.pixels, LeptonicaMedian(im, 3, 3).pixels);
  EXPECT_EQ(out.dpi, 300);
}

TEST(LeptonicaImage, RemovesIsolatedDotsOnBilevelPagesOnly) {
  GrayImage fax = Blank(60, 40, 255);
  fax.pixels[5 * 60 + 5] = 0;                    // speck: removed
  fax.pixels[0] = 0;                             // speck in the corner: removed
  Fill(&fax, 20, 10, 22, 12, 0);                 // 2x2 decimal point: kept
  Fill(&fax, 30, 10, 32, 11, 0);                 // two-pixel dash: kept
  fax.pixels[20 * 60 + 40] = 0;                  // diagonal pair: kept
  fax.pixels[21 * 60 + 41] = 0;
  Fill(&fax, 5, 30, 55, 33, 0);                  // stroke: kept
  ASSERT_TRUE(IsBilevel(fax));
  GrayImage cleaned = fax;
  EXPECT_EQ(RemoveIsolatedDots(&cleaned), 2);
  EXPECT_EQ(cleaned.pixels[5 * 60 + 5], 255);
  EXPECT_EQ(cleaned.pixels[0], 255);
  fax.pixels[5 * 60 + 5] = 255;
  fax.pixels[0] = 255;
  EXPECT_EQ(cleaned.pixels, fax.pixels);         // nothing else touched

  // Through the cleanup: on by default for a bilevel page, not for a gray one.
  CleanupOptions options;
  options.deskew = Step::kOff;
  options.photo = Step::kOff;
  options.median = Step::kOff;
  options.background = Step::kOff;
  GrayImage speckled = fax;
  speckled.pixels[7 * 60 + 50] = 0;
  CleanupReport report;
  EXPECT_EQ(CleanupForOcr(speckled, options, &report).pixels, fax.pixels);
  EXPECT_EQ(report.specks_removed, 1);
  GrayImage gray = speckled;
  gray.pixels[39 * 60 + 59] = 200;  // one grey pixel: not bilevel
  EXPECT_FALSE(IsBilevel(gray));
  const GrayImage kept = CleanupForOcr(gray, options, &report);
  EXPECT_EQ(report.specks_removed, 0);
  EXPECT_EQ(kept.pixels[7 * 60 + 50], 0);
}

// The deskew rotation must match Leptonica's area-map pixRotate pixel for pixel: random
// images (odd and even sizes) and a page-sized one, turns from below Leptonica's smallest
// (returned as is) to several degrees both ways.
TEST(LeptonicaImage, RotateAreaMapMatchesLeptonica) {
  std::mt19937 rng(3);
  const std::pair<int, int> sizes[] = {{2, 2}, {3, 5}, {17, 13}, {64, 64}, {101, 37}, {250, 333}};
  const float turns[] = {0.0005f, -0.0015f, 0.0087f, -0.0262f, 0.05f, -0.1f, 0.7f};
  for (const auto& [w, h] : sizes) {
    GrayImage im = Blank(w, h, 0, 200);
    for (auto& p : im.pixels) p = static_cast<uint8_t>(rng());
    for (float radians : turns) {
      const GrayImage reference = LeptonicaRotateAreaMap(im, radians);
      const GrayImage ours = RotateAreaMap(im, radians);
      ASSERT_EQ(ours.width, w);
      ASSERT_EQ(ours.height, h);
      EXPECT_EQ(ours.dpi, 200);
      EXPECT_EQ(ours.pixels, reference.pixels) << w << "x" << h << " by " << radians;
      if (w >= 17 && std::fabs(radians) >= 0.001f) {
        EXPECT_NE(reference.pixels, im.pixels);  // it really turned
      }
    }
  }
  GrayImage page = Blank(2550, 3300, 240, 300);  // a Letter page at 300 dpi with text-like bars
  for (int y = 100; y < 3200; y += 40) Fill(&page, 150 + (y % 7) * 10, y, 2300, y + 12, 20);
  for (float radians : {0.0262f, -0.0087f}) {
    EXPECT_EQ(RotateAreaMap(page, radians).pixels, LeptonicaRotateAreaMap(page, radians).pixels)
        << radians;
  }
}

}  // namespace
}  // namespace billwise
