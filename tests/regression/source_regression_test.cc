// Regressions in extract/source found by the document fuzz target and the hostile set.
//
// These inputs do not crash; they take time that grows with the square of the input, so a
// few megabytes of text (well under the 200 MB input limit) keep `billwise analyze` busy for
// hours. The 5 s bound is generous for reading a few hundred kilobytes of text once; the
// quadratic code needs three to four times that with -O2 (figures below), more under ASan.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "extract/source/plain_text.h"

namespace billwise {
namespace {

constexpr double kBoundSeconds = 5.0;

double SecondsToRead(const std::string& text, size_t* words) {
  auto start = std::chrono::steady_clock::now();
  auto pages = PagesFromPlainText(text);
  *words = 0;
  for (const Page& p : pages) *words += p.words.size();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string Repeat(const std::string& unit, int n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

// One text line of 40000 words where the same words repeat (a statement exported without
// line breaks, 270 KB): UsableWords (text_lines.cc) compares every copy of a word with every
// later copy on the same line, looking for duplicated glyphs. Measured with -O2: 3.6 s for
// 20000 words, 14.8 s for 40000.
TEST(SourceRegression, OneLongLineOfRepeatedWordsIsReadInLinearTime) {
  size_t words = 0;
  double seconds = SecondsToRead(Repeat("99213 Office visit $125.00 ", 10000), &words);
  EXPECT_EQ(words, 40000u);
  EXPECT_LT(seconds, kBoundSeconds);
}

// 10000 item lines on one page (a text file without form feeds, 440 KB): GroupWords
// (text_lines.cc) tries every open line for every word. Measured with -O2: 18.8 s for 10000
// lines, 59.9 s for 20000.
TEST(SourceRegression, TenThousandLinesOnOnePageAreReadInLinearTime) {
  size_t words = 0;
  double seconds = SecondsToRead(Repeat("01/02/2026  99213  OFFICE VISIT  1  $125.00\n", 10000), &words);
  EXPECT_EQ(words, 60000u);
  EXPECT_LT(seconds, kBoundSeconds);
}

}  // namespace
}  // namespace billwise
