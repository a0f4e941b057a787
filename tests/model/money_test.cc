#include "pipeline/model/money.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

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

// Arithmetic saturates instead of wrapping (signed overflow is undefined behaviour, and a
// wrapped sum of huge amounts used to turn into INT64_MIN and crash the case listing).
TEST(MoneyTest, ArithmeticSaturatesInsteadOfOverflowing) {
  const Money max{Money::kMoneySaturation};
  EXPECT_EQ((max + Money{1}).cents, Money::kMoneySaturation);
  EXPECT_EQ((-max - Money{5}).cents, -Money::kMoneySaturation);
  EXPECT_EQ((Money{INT64_MIN}).Plain().front(), '-');
  EXPECT_EQ((-Money{INT64_MIN}).cents, Money::kMoneySaturation);
  EXPECT_EQ((Money{0} - Money{INT64_MIN}).cents, Money::kMoneySaturation);
  Money sum;
  for (int i = 0; i < 4; ++i) sum += Money{INT64_MAX / 2};
  EXPECT_EQ(sum.cents, Money::kMoneySaturation);
  EXPECT_EQ(Money::FromDollars(INT64_MAX / 10).cents, Money::kMoneySaturation);
  EXPECT_EQ(Money{100}.Scaled(1e300).cents, Money::kMoneySaturation);
  EXPECT_EQ(Money{100}.Scaled(-1e300).cents, -Money::kMoneySaturation);
  EXPECT_EQ(Money{100}.Scaled(std::nan("")).cents, 0);
  EXPECT_EQ(RoundDollarsToCents(1e308).cents, Money::kMoneySaturation);
  EXPECT_EQ(RoundDollarsToCents(-INFINITY).cents, -Money::kMoneySaturation);
}

TEST(MoneyTest, PrintsEveryValueIncludingTheExtremes) {
  EXPECT_EQ(Money{INT64_MIN}.Plain(), "-92233720368547758.08");
  EXPECT_EQ(Money{INT64_MAX}.Plain(), "92233720368547758.07");
  EXPECT_EQ(Money{INT64_MIN}.Display(), "-$92,233,720,368,547,758.08");
}

TEST(MoneyTest, PlausibleAmountsStopAtOneHundredMillionDollars) {
  EXPECT_EQ(kMaxAmount.Display(), "$100,000,000.00");
  EXPECT_TRUE(IsPlausibleAmount(kMaxAmount));
  EXPECT_TRUE(IsPlausibleAmount(-kMaxAmount));
  EXPECT_FALSE(IsPlausibleAmount(kMaxAmount + Money{1}));
  EXPECT_EQ(PlausibleDollars(1234.56)->cents, 123456);
  EXPECT_EQ(PlausibleDollars(-45.0)->cents, -4500);
  EXPECT_FALSE(PlausibleDollars(1e308).has_value());
  EXPECT_FALSE(PlausibleDollars(100000000.01).has_value());
  EXPECT_FALSE(PlausibleDollars(std::nan("")).has_value());
  EXPECT_FALSE(PlausibleDollars(INFINITY).has_value());
  EXPECT_EQ(ImplausibleAmountReason(), "is not a plausible amount (the limit is $100,000,000.00)");
}

}  // namespace
}  // namespace billwise
