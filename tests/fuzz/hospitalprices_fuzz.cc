// Fuzz target: hospital price-transparency files (ParseHospitalPrices, pipeline/refdata/
// hospital_prices.h): CSV tall and wide, plain CSV, JSON. Contracts: every kept code is
// non-empty, and each kept price range has min <= max and no negative price.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/refdata/hospital_prices.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto list = ParseHospitalPrices(bytes, "fuzz.csv");
  if (!list) return 0;
  auto ordered = [](const std::optional<Money>& lo, const std::optional<Money>& hi) {
    if (lo.has_value() != hi.has_value()) return false;
    return !lo || (lo->cents >= 0 && *lo <= *hi);
  };
  for (const auto& [code, charge] : list->by_code) {
    if (code.empty()) std::abort();
    if (!ordered(charge.gross_min, charge.gross_max) || !ordered(charge.cash_min, charge.cash_max)) std::abort();
    if (list->Find(code) != &charge) std::abort();
  }
  return 0;
}
