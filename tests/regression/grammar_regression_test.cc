// Regressions in extract/grammar found by tests/fuzz: each test is the smallest input that
// crashed (under ASan/UBSan) before the fix, and checks the documented answer.
#include <gtest/gtest.h>

#include "extract/grammar/normalize.h"
#include "tests/regression/exact_bytes.h"

namespace billwise {
namespace {

// "1-" at the end of a text: DateAt read the character after the separator without
// checking that there was one (heap-buffer-overflow in FindDate, normalize_fuzz).
TEST(GrammarRegression, FindDateWithSeparatorAtEndOfText) {
  EXPECT_FALSE(FindDate(ExactBytes(")1-")).has_value());
  EXPECT_FALSE(FindDate(ExactBytes("1-")).has_value());
  EXPECT_FALSE(FindDate(ExactBytes("12/")).has_value());
  EXPECT_FALSE(ParseDate(ExactBytes("1.")).has_value());
  EXPECT_FALSE(ParseDate(ExactBytes("05-"), DateOrder::kDayFirst).has_value());
  // The same forms with a month name after the separator still read.
  auto date = FindDate(ExactBytes("seen 05-Jan-2026"));
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(date->Iso(), "2026-01-05");
}

// "4020": four digits that are not a revenue code. NormalizeRevenueCode "repaired" it to
// itself and called itself again, forever (stack overflow, normalize_fuzz).
TEST(GrammarRegression, NormalizeRevenueCodeOfFourDigitsOutsideTheRevenueRange) {
  EXPECT_FALSE(NormalizeRevenueCode(ExactBytes("4020")).has_value());
  EXPECT_FALSE(NormalizeRevenueCode(ExactBytes("9999")).has_value());
  // Codes that need a repair still come back repaired, once.
  EXPECT_EQ(NormalizeRevenueCode(ExactBytes("O45O")).value_or(""), "0450");
  EXPECT_EQ(NormalizeRevenueCode(ExactBytes("450")).value_or(""), "0450");
}

}  // namespace
}  // namespace billwise
