#include "extract/source/plain_text.h"

#include <gtest/gtest.h>

#include <string>

namespace billwise {
namespace {

TEST(PlainTextTest, KeepsColumnsAndSplitsPages) {
  const std::string text =
      "ACME HOSPITAL\n"
      "Date        Code   Description              Amount\n"
      "01/05/2026  80053  Comprehensive metabolic     245.00\n"
      "\f"
      "Page two\tafter tab\n";
  const auto pages = PagesFromPlainText(text);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].origin, TextOrigin::kPlainText);
  EXPECT_EQ(pages[1].number, 2);
  ASSERT_EQ(pages[0].lines.size(), 3u);
  EXPECT_EQ(pages[0].lines[0].text, "ACME HOSPITAL");
  EXPECT_EQ(pages[0].lines[1].text, "Date        Code   Description              Amount");
  EXPECT_EQ(pages[0].lines[2].text, "01/05/2026  80053  Comprehensive metabolic     245.00");
  ASSERT_EQ(pages[0].lines[2].cells.size(), 4u);
  EXPECT_EQ(pages[0].lines[2].cells[2].text, "Comprehensive metabolic");
  ASSERT_EQ(pages[1].lines.size(), 1u);
  // "Page two" is 8 columns; the tab moves to column 16 (a column gap).
  EXPECT_EQ(pages[1].lines[0].text, "Page two        after tab");
  EXPECT_EQ(pages[1].lines[0].cells.size(), 2u);
}

TEST(PlainTextTest, Utf8CountsCodePointsAndCrlfIsDropped) {
  const auto pages = PagesFromPlainText("Caf\xC3\xA9  12.00\r\nNi\xC3\xB1o   3.00\r\n");
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].lines.size(), 2u);
  EXPECT_EQ(pages[0].lines[0].text, "Caf\xC3\xA9  12.00");
  EXPECT_EQ(pages[0].lines[1].text, "Ni\xC3\xB1o   3.00");
}

TEST(PlainTextTest, EmptyTextGivesOneEmptyPageAndTrailingFormFeedNoExtraPage) {
  EXPECT_EQ(PagesFromPlainText("").size(), 1u);
  EXPECT_TRUE(PagesFromPlainText("").front().lines.empty());
  EXPECT_EQ(PagesFromPlainText("a\n\fb\n\f").size(), 2u);
}

TEST(PlainTextTest, BlankLinesAreNotLines) {
  const auto pages = PagesFromPlainText("one\n\n\ntwo\n");
  ASSERT_EQ(pages[0].lines.size(), 2u);
  EXPECT_LT(pages[0].lines[0].box.y1, pages[0].lines[1].box.y0 - 20);
}

}  // namespace
}  // namespace billwise
