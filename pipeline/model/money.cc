#include "pipeline/model/money.h"

#include <cmath>
#include <cstdlib>

namespace billwise {

Money RoundDollarsToCents(double dollars) {
  if (std::isnan(dollars)) return Money{};
  // A tiny nudge absorbs binary noise such as 88.94999999 for an exact 88.95.
  double cents = dollars * 100.0;
  double rounded = cents >= 0 ? std::floor(cents + 0.5 + 1e-7) : -std::floor(-cents + 0.5 + 1e-7);
  // 2^63 is the first double beyond int64: converting it (or more) would be undefined.
  constexpr double kLimit = 9223372036854775808.0;
  if (rounded >= kLimit) return Money{Money::kMoneySaturation};
  if (rounded <= -kLimit) return Money{-Money::kMoneySaturation};
  return Money{static_cast<int64_t>(rounded)};
}

std::optional<Money> PlausibleDollars(double dollars) {
  if (!std::isfinite(dollars) || std::fabs(dollars) > kMaxAmount.Dollars() + 0.005) return std::nullopt;
  Money m = RoundDollarsToCents(dollars);
  if (!IsPlausibleAmount(m)) return std::nullopt;
  return m;
}

std::string ImplausibleAmountReason() {
  return "is not a plausible amount (the limit is " + kMaxAmount.Display() + ")";
}

Money Money::Scaled(double factor) const {
  return RoundDollarsToCents(static_cast<double>(cents) * factor / 100.0);
}

namespace {

// The magnitude as unsigned, exact for every int64 including the most negative.
uint64_t Magnitude(int64_t cents) {
  return cents < 0 ? ~static_cast<uint64_t>(cents) + 1 : static_cast<uint64_t>(cents);
}

}  // namespace

std::string Money::Plain() const {
  uint64_t a = Magnitude(cents);
  std::string s = std::to_string(a / 100) + "." + (a % 100 < 10 ? "0" : "") + std::to_string(a % 100);
  return cents < 0 ? "-" + s : s;
}

std::string Money::Display() const {
  uint64_t a = Magnitude(cents);
  std::string whole = std::to_string(a / 100);
  std::string grouped;
  int n = static_cast<int>(whole.size());
  for (int i = 0; i < n; ++i) {
    grouped += whole[i];
    int left = n - 1 - i;
    if (left > 0 && left % 3 == 0) grouped += ',';
  }
  std::string s = "$" + grouped + "." + (a % 100 < 10 ? "0" : "") + std::to_string(a % 100);
  return cents < 0 ? "-" + s : s;
}

}  // namespace billwise
