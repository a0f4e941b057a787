// Regressions in extract/source found by the document fuzz target and the hostile set.
//
// These inputs do not crash; they take time that grows with the square of the input, so a
// few megabytes of text (well under the 200 MB input limit) keep `billwise analyze` busy for
// hours. The bound below is two orders of magnitude above what a linear pass takes on these
// sizes (a few milliseconds to a few tens of milliseconds, even under ASan), so only the
// quadratic behaviour fails it.
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

// One text line of 12000 words where the same words repeat (a statement exported without
// line breaks): UsableWords (layout.cc) compares every copy of a word with every later copy
// on the same line, looking for duplicated glyphs: 40 s for 16000 words under ASan.
TEST(SourceRegression, OneLongLineOfRepeatedWordsIsReadInLinearTime) {
  size_t words = 0;
  double seconds = SecondsToRead(Repeat("99213 Office visit $125.00 ", 3000), &words);
  EXPECT_EQ(words, 12000u);
  EXPECT_LT(seconds, kBoundSeconds);
}

// 20000 item lines on one page (a text file without form feeds): GroupWords (layout.cc)
// tries every open line for every word, 20000 x 120000 comparisons.
TEST(SourceRegression, TwentyThousandLinesOnOnePageAreReadInLinearTime) {
  size_t words = 0;
  double seconds = SecondsToRead(Repeat("01/02/2026  99213  OFFICE VISIT  1  $125.00\n", 20000), &words);
  EXPECT_EQ(words, 120000u);
  EXPECT_LT(seconds, kBoundSeconds);
}

}  // namespace
}  // namespace billwise
