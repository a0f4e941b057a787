#include "extract/source/text_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace billwise {
namespace {

// Adds a word at x with a width of 5 pt per character, 10 pt tall with its top at y.
void Add(Page* p, const std::string& text, double x, double y, double h = 10, float conf = 100) {
  p->words.push_back(Word{text, Box{x, y, x + 5.0 * static_cast<double>(text.size()), y + h}, conf});
}

// Adds words of a phrase separated by normal spaces (one 2.5 pt space each).
double AddPhrase(Page* p, const std::string& phrase, double x, double y, double h = 10) {
  size_t start = 0;
  while (start < phrase.size()) {
    size_t end = phrase.find(' ', start);
    if (end == std::string::npos) end = phrase.size();
    const std::string w = phrase.substr(start, end - start);
    Add(p, w, x, y, h);
    x += 5.0 * static_cast<double>(w.size()) + 2.5;
    start = end + 1;
  }
  return x;
}

std::vector<std::string> CellTexts(const Line& l) {
  std::vector<std::string> out;
  for (const Cell& c : l.cells) out.push_back(c.text);
  return out;
}

TEST(TextLinesTest, EmptyPageHasNoLines) {
  Page p;
  BuildLines(&p);
  EXPECT_TRUE(p.lines.empty());
}

TEST(TextLinesTest, FarApartColumnsFormOneLineWithCells) {
  Page p;
  p.number = 3;
  Add(&p, "01/05/2026", 40, 100);
  Add(&p, "0300", 110, 100);
  Add(&p, "80053", 150, 100);
  AddPhrase(&p, "Comprehensive metabolic panel", 200, 100);
  Add(&p, "1", 420, 100);
  Add(&p, "245.00", 520, 100);
  // A second row below.
  Add(&p, "01/05/2026", 40, 114);
  Add(&p, "36415", 150, 114);
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 2u);
  const Line& l = p.lines[0];
  EXPECT_EQ(l.page, 3);
  EXPECT_EQ(l.index, 0);
  EXPECT_EQ(p.lines[1].index, 1);
  EXPECT_EQ(CellTexts(l), (std::vector<std::string>{"01/05/2026", "0300", "80053",
                                                     "Comprehensive metabolic panel", "1",
                                                     "245.00"}));
  EXPECT_DOUBLE_EQ(l.box.x0, 40);
  EXPECT_DOUBLE_EQ(l.box.x1, 550);
  EXPECT_NE(l.text.find("Comprehensive metabolic panel"), std::string::npos);
  // Cells are separated by at least two spaces; words inside a cell by one.
  EXPECT_NE(l.text.find("0300  "), std::string::npos);
  EXPECT_EQ(l.text.find("Comprehensive  metabolic"), std::string::npos);
  EXPECT_EQ(l.text.rfind("245.00"), l.text.size() - 6);
}

TEST(TextLinesTest, RightAlignedAmountsStayInTheirColumn) {
  Page p;
  const char* amounts[] = {"5.00", "1,234.56", "45.00", "12,000.00"};
  for (int i = 0; i < 4; ++i) {
    const double y = 100 + 14 * i;
    AddPhrase(&p, "Item description", 40, y);
    const std::string a = amounts[i];
    Add(&p, a, 500 - 5.0 * static_cast<double>(a.size()), y);  // right edge at x = 500
  }
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 4u);
  // Every amount ends at the same character column (within one column).
  size_t end0 = p.lines[0].text.size();
  for (const Line& l : p.lines) {
    ASSERT_EQ(l.cells.size(), 2u) << l.text;
    EXPECT_LE(std::max(l.text.size(), end0) - std::min(l.text.size(), end0), 1u) << l.text;
  }
}

TEST(TextLinesTest, OcrJitterAndHeightNoiseKeepOneRow) {
  Page p;
  // Slight skew (1 degree over 500 pt = 8.7 pt drift), noisy heights, and descenders.
  const char* words[] = {"12/01/25", "99213", "Office", "visit", "est", "pt", "1", "$150.00"};
  const double xs[] = {40, 110, 160, 195, 225, 245, 420, 500};
  for (int row = 0; row < 3; ++row) {
    for (int i = 0; i < 8; ++i) {
      const double y = 100 + 16 * row + xs[i] * 0.0175 + ((i % 3) - 1) * 0.8;
      const double h = 9 + (i % 2) * 2.5;
      Add(&p, words[i], xs[i], y, h, 80.f + i);
    }
  }
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 3u);
  for (const Line& l : p.lines) {
    EXPECT_EQ(l.words.size(), 8u) << l.text;
    EXPECT_FLOAT_EQ(l.confidence, 80.f);
    EXPECT_EQ(l.words.front().text, "12/01/25");
    EXPECT_EQ(l.words.back().text, "$150.00");
  }
}

TEST(TextLinesTest, SuperscriptDoesNotMakeABogusLine) {
  Page p;
  AddPhrase(&p, "Total charges", 40, 200);
  Add(&p, "1", 112, 196, 6);  // footnote mark raised above the cap height
  Add(&p, "$980.00", 400, 200);
  AddPhrase(&p, "Next line", 40, 214);
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_EQ(p.lines[0].words.size(), 4u);
}

TEST(TextLinesTest, ATallLogoBlockDoesNotGatherTheRowsBesideIt) {
  // An OCR'd letterhead: a logo block as tall as the title and the address line under it.
  Page p;
  p.words.push_back(Word{"BM", Box{40, 34, 86, 67}, 96});
  AddPhrase(&p, "BROOKSTONE MEMORIAL HOSPITAL", 190, 42, 10);
  AddPhrase(&p, "6882 Tamarind Row", 254, 61, 6);
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_NE(p.lines[0].text.find("BROOKSTONE MEMORIAL HOSPITAL"), std::string::npos);
  EXPECT_EQ(p.lines[0].text.find("6882"), std::string::npos);
  EXPECT_NE(p.lines[1].text.find("6882 Tamarind Row"), std::string::npos);
}

TEST(TextLinesTest, FakeBoldDuplicatesAreDropped) {
  Page p;
  Add(&p, "STATEMENT", 40, 50);
  Add(&p, "STATEMENT", 40.4, 50.2);
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 1u);
  EXPECT_EQ(p.lines[0].words.size(), 1u);
  EXPECT_EQ(p.lines[0].text, "STATEMENT");
}

TEST(TextLinesTest, CloseRowsStaySeparate) {
  Page p;
  // Leading of 11 pt with 10 pt boxes: one point of air between rows.
  for (int i = 0; i < 5; ++i) {
    Add(&p, "row" + std::to_string(i), 40, 100 + 11 * i);
    Add(&p, std::to_string(i) + ".00", 300, 100 + 11 * i);
  }
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p.lines[i].words[0].text, "row" + std::to_string(i));
}

TEST(TextLinesTest, TextStartsAtColumnOfX) {
  Page p;
  Add(&p, "left", 100, 100);     // leftmost word: column 0
  Add(&p, "indented", 150, 114);  // 50 pt right at 5 pt per char: column 10
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_EQ(p.lines[0].text, "left");
  EXPECT_EQ(p.lines[1].text, std::string(10, ' ') + "indented");
}

TEST(TextLinesTest, WordsTouchingAreJoinedWithoutSpace) {
  Page p;
  Add(&p, "99213", 100, 100);
  Add(&p, "-25", 125, 100);
  BuildLines(&p);
  ASSERT_EQ(p.lines.size(), 1u);
  EXPECT_EQ(p.lines[0].text, "99213-25");
}

}  // namespace
}  // namespace billwise
