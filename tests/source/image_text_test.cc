#include "extract/source/image_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace billwise {
namespace {

Word W(const std::string& text, double x0, double y0, double x1, double y1, float confidence = 100.f) {
  Word w;
  w.text = text;
  w.box = Box{x0, y0, x1, y1};
  w.confidence = confidence;
  return w;
}

// A letter page with prose lines 12 points apart from `top` to `bottom`, across `x0`..`x1`.
Page Prose(double x0, double x1, double top, double bottom) {
  Page page;
  for (double y = top; y + 10 <= bottom; y += 12) {
    for (double x = x0; x + 40 <= x1; x += 50) page.words.push_back(W("words", x, y, x + 40, y + 10));
  }
  return page;
}

TEST(UntextedRegion, AFullPageOfTextHasNone) {
  EXPECT_FALSE(UntextedRegion(Prose(36, 576, 36, 756)).has_value());
}

TEST(UntextedRegion, AnEmptyPartIsFoundWhereItIs) {
  // Text in a left column and along the top; the rest of the page is empty.
  Page page = Prose(36, 200, 36, 756);
  for (const Word& w : Prose(200, 576, 36, 100).words) page.words.push_back(w);
  auto region = UntextedRegion(page);
  ASSERT_TRUE(region.has_value());
  EXPECT_GE(region->x0, 176);  // right of the column's last word (x 136..176)
  EXPECT_LE(region->x0, 200);
  EXPECT_GE(region->y0, 94);   // below the top text's last line (y 84..94)
  EXPECT_LE(region->y0, 110);
  EXPECT_GT(region->Width() * region->Height(), 0.4 * 612 * 792);
}

TEST(UntextedRegion, ShortCalloutsDoNotCount) {
  Page page = Prose(36, 576, 36, 300);
  page.words.push_back(W("1", 300, 500, 306, 510));
  page.words.push_back(W("A", 200, 600, 206, 610));
  auto region = UntextedRegion(page);
  ASSERT_TRUE(region.has_value());
  EXPECT_LE(region->y0, 320);
  EXPECT_GE(region->y1, 780);
}

GrayImage Blank(int w, int h, int dpi) {
  GrayImage image;
  image.width = w;
  image.height = h;
  image.dpi = dpi;
  image.pixels.assign(static_cast<size_t>(w) * h, 255);
  return image;
}

TEST(LooksPrinted, RowsOfPrintDoAndRulesDoNot) {
  GrayImage empty = Blank(200, 200, 36);
  EXPECT_FALSE(LooksPrinted(empty));
  GrayImage framed = empty;  // a frame and one rule
  for (int x = 0; x < 200; ++x) {
    framed.pixels[x] = framed.pixels[199 * 200 + x] = framed.pixels[100 * 200 + x] = 0;
  }
  for (int y = 0; y < 200; ++y) framed.pixels[y * 200] = framed.pixels[y * 200 + 199] = 0;
  EXPECT_FALSE(LooksPrinted(framed));
  GrayImage printed = empty;  // a row of dashes every 6 pixels (12 points at 36 dpi)
  for (int y = 2; y < 200; y += 6) {
    for (int x = 0; x < 180; x += 3) printed.pixels[y * 200 + x] = 40;
  }
  EXPECT_TRUE(LooksPrinted(printed));
  EXPECT_FALSE(LooksPrinted(GrayImage{}));
}

TEST(MergeImageWords, AddsOnlyConfidentWordsWhereTheTextLayerHasNone) {
  Page page = Prose(36, 200, 36, 756);
  const size_t layer_words = page.words.size();
  Page ocr;
  ocr.words.push_back(W("words", 36, 36, 76, 46, 90.f));         // the prose, read again
  ocr.words.push_back(W("Total", 300, 400, 330, 410, 92.f));     // in the picture
  ocr.words.push_back(W("$66.00", 500, 400, 540, 410, 88.f));
  ocr.words.push_back(W("~~", 300, 420, 310, 430, 90.f));        // no letter or digit
  ocr.words.push_back(W("noise", 300, 440, 330, 450, 20.f));     // too unsure
  EXPECT_EQ(MergeImageWords(&page, ocr), 2);
  EXPECT_EQ(page.words.size(), layer_words + 2);
  EXPECT_NEAR(page.ocr_confidence, 90.f, 0.01);
  EXPECT_EQ(page.origin, TextOrigin::kTextLayer);
  ASSERT_FALSE(page.lines.empty());
  // The picture's line comes after the prose lines, not interleaved with the one beside it.
  const Line& last = page.lines.back();
  EXPECT_NE(last.text.find("Total"), std::string::npos);
  EXPECT_NE(last.text.find("$66.00"), std::string::npos);
  EXPECT_EQ(last.text.find("words"), std::string::npos);
  EXPECT_EQ(last.index, static_cast<int>(page.lines.size()) - 1);
  Page nothing;
  EXPECT_EQ(MergeImageWords(&page, nothing), 0);
}

}  // namespace
}  // namespace billwise
