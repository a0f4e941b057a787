#include "pipeline/model/date.h"

#include <gtest/gtest.h>

namespace billwise {
namespace {

Date D(int y, int m, int d) { return Date{y, m, d}; }

TEST(DateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(Date::Make(2025, 2, 29).has_value());
  EXPECT_TRUE(Date::Make(2024, 2, 29).has_value());
  EXPECT_FALSE(Date::Make(2025, 13, 1).has_value());
  EXPECT_FALSE(Date::FromIso("2025-1-01").has_value());
}

TEST(DateTest, DayArithmeticRoundTrips) {
  Date d = *Date::FromIso("2026-01-12");
  EXPECT_EQ(d.AddDays(240).Iso(), "2026-09-09");
  EXPECT_EQ(d.AddDays(-12).Iso(), "2025-12-31");
  EXPECT_TRUE(Date::FromDayNumber(d.DayNumber()) == d);
  EXPECT_EQ(D(1970, 1, 1).DayNumber(), 0);
}

TEST(DateTest, WeekdaysAndFederalHolidays) {
  EXPECT_EQ(D(2026, 11, 27).Weekday(), 4);  // a Friday
  EXPECT_TRUE(D(2026, 11, 26).IsFederalHoliday());  // Thanksgiving 2026
  EXPECT_TRUE(D(2026, 7, 3).IsFederalHoliday());    // July 4 2026 is a Saturday
  EXPECT_FALSE(D(2026, 7, 6).IsFederalHoliday());
  // Wednesday Nov 25 2026 + 1 business day skips Thanksgiving -> Friday 27.
  EXPECT_EQ(D(2026, 11, 25).AddBusinessDays(1).Iso(), "2026-11-27");
  EXPECT_EQ(D(2026, 11, 27).AddBusinessDays(1).Iso(), "2026-11-30");
}

TEST(DateTest, DisplayForm) { EXPECT_EQ(D(2026, 1, 5).Display(), "January 5, 2026"); }

}  // namespace
}  // namespace billwise
