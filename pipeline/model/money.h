// Money: a US-dollar amount held as integer cents. Never a double.
//
// Parsing of printed amounts ("$1,234.56", "(45.00)", "45.00 CR") lives in
// extract/normalize.h; this header only holds the value type and exact arithmetic.
#ifndef BILLWISE_PIPELINE_MODEL_MONEY_H_
#define BILLWISE_PIPELINE_MODEL_MONEY_H_

#include <compare>
#include <cstdint>
#include <string>

namespace billwise {

struct Money {
  int64_t cents = 0;

  static constexpr Money FromCents(int64_t c) { return Money{c}; }
  static constexpr Money FromDollars(int64_t d) { return Money{d * 100}; }

  constexpr Money operator+(Money o) const { return Money{cents + o.cents}; }
  constexpr Money operator-(Money o) const { return Money{cents - o.cents}; }
  constexpr Money operator-() const { return Money{-cents}; }
  Money& operator+=(Money o) { cents += o.cents; return *this; }
  Money& operator-=(Money o) { cents -= o.cents; return *this; }
  constexpr auto operator<=>(const Money&) const = default;

  // Multiplies by a real factor (a quantity, a GPCI, a ratio) and rounds half away
  // from zero to the cent, as CMS rounds fee-schedule amounts.
  Money Scaled(double factor) const;

  // Dollars as a double, only for JSON output and ratios: never compute money with it.
  double Dollars() const { return static_cast<double>(cents) / 100.0; }

  // "1234.56" (no separators, '-' for negatives): the JSON/CSV form.
  std::string Plain() const;
  // "$1,234.56" or "-$45.00": the form people read in reports and letters.
  std::string Display() const;
};

// Rounds a dollar figure computed in double (e.g. RVU x GPCI x CF) to cents, half away from zero.
Money RoundDollarsToCents(double dollars);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_MONEY_H_
