#include "pipeline/model/money.h"

#include <cmath>
#include <cstdlib>

namespace billwise {

Money RoundDollarsToCents(double dollars) {
  // A tiny nudge absorbs binary noise such as 88.94999999 for an exact 88.95.
  double cents = dollars * 100.0;
  double rounded = cents >= 0 ? std::floor(cents + 0.5 + 1e-7) : -std::floor(-cents + 0.5 + 1e-7);
  return Money{static_cast<int64_t>(rounded)};
}

Money Money::Scaled(double factor) const {
  return RoundDollarsToCents(static_cast<double>(cents) * factor / 100.0);
}

std::string Money::Plain() const {
  int64_t a = cents < 0 ? -cents : cents;
  std::string s = std::to_string(a / 100) + "." + (a % 100 < 10 ? "0" : "") + std::to_string(a % 100);
  return cents < 0 ? "-" + s : s;
}

std::string Money::Display() const {
  int64_t a = cents < 0 ? -cents : cents;
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
