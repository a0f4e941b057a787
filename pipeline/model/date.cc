#include "pipeline/model/date.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace billwise {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// The n-th (1-based) weekday w (0=Mon) of a month, or the last one when n == -1.
Date NthWeekday(int year, int month, int w, int n) {
  if (n > 0) {
    Date first{year, month, 1};
    int offset = (w - first.Weekday() + 7) % 7;
    return first.AddDays(offset + 7L * (n - 1));
  }
  Date last{year, month, DaysInMonth(year, month)};
  return last.AddDays(-((last.Weekday() - w + 7) % 7));
}

// Observed date of a fixed-date holiday (Saturday -> Friday, Sunday -> Monday).
Date Observed(Date d) {
  if (d.Weekday() == 5) return d.AddDays(-1);
  if (d.Weekday() == 6) return d.AddDays(1);
  return d;
}

}  // namespace

std::optional<Date> Date::Make(int year, int month, int day) {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > DaysInMonth(year, month)) return std::nullopt;
  return Date{year, month, day};
}

std::optional<Date> Date::FromIso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto parse = [](std::string_view part, int* out) {
    auto r = std::from_chars(part.data(), part.data() + part.size(), *out);
    return r.ec == std::errc() && r.ptr == part.data() + part.size();
  };
  if (!parse(s.substr(0, 4), &y) || !parse(s.substr(5, 2), &m) || !parse(s.substr(8, 2), &d)) {
    return std::nullopt;
  }
  return Make(y, m, d);
}

// Howard Hinnant's days_from_civil / civil_from_days.
long Date::DayNumber() const {
  int y = year - (month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

Date Date::FromDayNumber(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = static_cast<long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

int Date::Weekday() const {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  long n = DayNumber();
  return static_cast<int>(((n % 7) + 7 + 3) % 7);
}

bool Date::IsFederalHoliday() const {
  const Date fixed[] = {{year, 1, 1}, {year, 6, 19}, {year, 7, 4}, {year, 11, 11}, {year, 12, 25}};
  for (const Date& f : fixed) {
    if (Observed(f) == *this) return true;
  }
  if (month == 12 && day == 31 && Observed(Date{year + 1, 1, 1}) == *this) return true;
  const Date floating[] = {
      NthWeekday(year, 1, 0, 3),   // Martin Luther King Jr. Day
      NthWeekday(year, 2, 0, 3),   // Washington's Birthday
      NthWeekday(year, 5, 0, -1),  // Memorial Day
      NthWeekday(year, 9, 0, 1),   // Labor Day
      NthWeekday(year, 10, 0, 2),  // Columbus Day
      NthWeekday(year, 11, 3, 4),  // Thanksgiving
  };
  for (const Date& f : floating) {
    if (f == *this) return true;
  }
  return false;
}

Date Date::AddBusinessDays(int n) const {
  Date d = *this;
  int step = n >= 0 ? 1 : -1;
  for (int left = n >= 0 ? n : -n; left > 0;) {
    d = d.AddDays(step);
    if (!d.IsWeekend() && !d.IsFederalHoliday()) --left;
  }
  return d;
}

std::string Date::Iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::Display() const {
  static constexpr std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return std::string(kMonths[month - 1]) + " " + std::to_string(day) + ", " + std::to_string(year);
}

}  // namespace billwise
