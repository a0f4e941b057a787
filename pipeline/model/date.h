// Date: a calendar date (proleptic Gregorian), with the day arithmetic deadlines need.
//
// Parsing of printed dates ("01/05/2026", "Jan 5, 2026", "2026-01-05") lives in
// extract/normalize.h; this header holds the value type, ISO form and arithmetic.
#ifndef BILLWISE_PIPELINE_MODEL_DATE_H_
#define BILLWISE_PIPELINE_MODEL_DATE_H_

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace billwise {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  // A valid date, or nullopt (month 13, Feb 30, year outside 1900..2199).
  static std::optional<Date> Make(int year, int month, int day);
  // Parses exactly "YYYY-MM-DD"; nullopt otherwise.
  static std::optional<Date> FromIso(std::string_view iso);
  // Days since 1970-01-01 and back.
  static Date FromDayNumber(long days);
  long DayNumber() const;

  Date AddDays(long n) const { return FromDayNumber(DayNumber() + n); }
  long DaysUntil(const Date& later) const { return later.DayNumber() - DayNumber(); }
  // 0 = Monday .. 6 = Sunday.
  int Weekday() const;
  bool IsWeekend() const { return Weekday() >= 5; }
  // Adds n business days (skips Saturdays, Sundays and US federal holidays).
  Date AddBusinessDays(int n) const;
  bool IsFederalHoliday() const;

  std::string Iso() const;      // "2026-01-05"
  std::string Display() const;  // "January 5, 2026"

  constexpr auto operator<=>(const Date&) const = default;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_DATE_H_
