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

// A text without form feeds used to become one page of every line (40 MB of text took
// 3.3 GB); pages now end every kPlainTextLinesPerPage lines and lines wrap past
// kPlainTextMaxColumns, and CountPlainTextPages agrees with the pages built.
TEST(PlainTextTest, LongTextIsCutIntoBoundedPages) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "01/05/2026  80053  Line " + std::to_string(i) + "     245.00\n";
  const auto pages = PagesFromPlainText(text);
  ASSERT_EQ(pages.size(), 5u);  // 1000 lines, and the empty row after the last newline opens no page
  EXPECT_EQ(CountPlainTextPages(text), 5);
  EXPECT_EQ(pages[0].lines.size(), static_cast<size_t>(kPlainTextLinesPerPage));
  EXPECT_EQ(pages[1].lines.front().text, "01/05/2026  80053  Line 200     245.00");
  EXPECT_EQ(pages[4].number, 5);
}

TEST(PlainTextTest, VeryLongLinesWrapWithoutSplittingCharacters) {
  std::string line;
  for (int i = 0; i < 1000; ++i) line += "\xC3\xA9";  // 1000 columns of e-acute, 2 bytes each
  const auto pages = PagesFromPlainText(line);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].lines.size(), 3u);  // 400 + 400 + 200 columns
  for (const auto& l : pages[0].lines) {
    EXPECT_LE(l.box.x1, kPlainTextMaxColumns * kPlainTextCharWidth + 0.01);
    EXPECT_EQ(l.text.size() % 2, 0u);  // whole two-byte characters only
  }
  EXPECT_EQ(CountPlainTextPages(line), 1);
  EXPECT_EQ(CountPlainTextPages(""), 1);
  EXPECT_EQ(CountPlainTextPages("a\n\fb\n\f"), 2);
}

}  // namespace
}  // namespace billwise
