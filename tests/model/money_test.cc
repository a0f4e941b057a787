#include "pipeline/model/money.h"

#include <gtest/gtest.h>

namespace billwise {
namespace {

TEST(MoneyTest, PlainAndDisplayForms) {
  EXPECT_EQ(Money{123456}.Plain(), "1234.56");
  EXPECT_EQ(Money{5}.Plain(), "0.05");
  EXPECT_EQ(Money{-4500}.Plain(), "-45.00");
  EXPECT_EQ(Money{123456789}.Display(), "$1,234,567.89");
  EXPECT_EQ(Money{-4500}.Display(), "-$45.00");
  EXPECT_EQ(Money{99}.Display(), "$0.99");
}

TEST(MoneyTest, RoundsHalfAwayFromZeroDespiteBinaryNoise) {
  // 2.75 RVU x 32.3465 = 88.952875 -> 88.95
  EXPECT_EQ(RoundDollarsToCents(2.75 * 32.3465).cents, 8895);
  EXPECT_EQ(RoundDollarsToCents(0.125).cents, 13);
  EXPECT_EQ(RoundDollarsToCents(-0.125).cents, -13);
  EXPECT_EQ(Money{1000}.Scaled(1.5).cents, 1500);
}

}  // namespace
}  // namespace billwise
