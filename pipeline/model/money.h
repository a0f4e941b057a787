// Money: a US-dollar amount held as integer cents. Never a double.
//
// Parsing of printed amounts ("$1,234.56", "(45.00)", "45.00 CR") lives in
// extract/normalize.h; this header only holds the value type and exact arithmetic.
#ifndef BILLWISE_PIPELINE_MODEL_MONEY_H_
#define BILLWISE_PIPELINE_MODEL_MONEY_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace billwise {

// Arithmetic never overflows: a sum, difference, negation or scaling whose exact result
// lies outside +-kMoneySaturation cents gives +-kMoneySaturation instead (the symmetric
// range, so negating any value is exact). Values that enter billwise from outside (a parsed
// bill, a backup, bill JSON, the command line) are range-checked against kMaxAmount first,
// so saturation only ever stops arithmetic on already-huge sums from wrapping.
struct Money {
  int64_t cents = 0;

  static constexpr int64_t kMoneySaturation = std::numeric_limits<int64_t>::max();

  static constexpr Money FromCents(int64_t c) { return Money{c}; }
  static constexpr Money FromDollars(int64_t d) { return Money{Saturate(d, 100)}; }

  constexpr Money operator+(Money o) const { return Money{Add(cents, o.cents)}; }
  constexpr Money operator-(Money o) const { return Money{Add(cents, -Clamp(o.cents))}; }
  constexpr Money operator-() const { return Money{-Clamp(cents)}; }
  Money& operator+=(Money o) { return *this = *this + o; }
  Money& operator-=(Money o) { return *this = *this - o; }
  constexpr auto operator<=>(const Money&) const = default;

  // Multiplies by a real factor (a quantity, a GPCI, a ratio) and rounds half away
  // from zero to the cent, as CMS rounds fee-schedule amounts. Saturates like the
  // operators; a NaN factor gives zero.
  Money Scaled(double factor) const;

  // Dollars as a double, only for JSON output and ratios: never compute money with it.
  double Dollars() const { return static_cast<double>(cents) / 100.0; }

  // "1234.56" (no separators, '-' for negatives): the JSON/CSV form.
  std::string Plain() const;
  // "$1,234.56" or "-$45.00": the form people read in reports and letters.
  std::string Display() const;

 private:
  static constexpr int64_t Clamp(int64_t c) { return c < -kMoneySaturation ? -kMoneySaturation : c; }
  static constexpr int64_t Add(int64_t a, int64_t b) {
    int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kMoneySaturation : -kMoneySaturation;
    return Clamp(sum);
  }
  static constexpr int64_t Saturate(int64_t a, int64_t b) {
    int64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) return (a < 0) != (b < 0) ? -kMoneySaturation : kMoneySaturation;
    return Clamp(product);
  }
};

// The largest amount, either sign, that billwise accepts where an amount enters: $100
// million. A value beyond it (1e308 in a backup, 20 digits on a page) is not a medical
// bill's; it is refused with a clear error rather than carried into sums.
inline constexpr Money kMaxAmount = Money::FromCents(100'000'000'00);

constexpr bool IsPlausibleAmount(Money m) { return m.cents >= -kMaxAmount.cents && m.cents <= kMaxAmount.cents; }

// An amount given in dollars as a double (JSON numbers): the cents, rounded half away
// from zero, when the value is finite and within kMaxAmount; nullopt otherwise.
std::optional<Money> PlausibleDollars(double dollars);

// "is not a plausible amount (the limit is $100,000,000.00)": the reason to print when an
// entering value fails IsPlausibleAmount or PlausibleDollars.
std::string ImplausibleAmountReason();

// Rounds a dollar figure computed in double (e.g. RVU x GPCI x CF) to cents, half away from zero.
Money RoundDollarsToCents(double dollars);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_MONEY_H_
