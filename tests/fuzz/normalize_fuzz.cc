// Fuzz target: the value normalisers of extract/grammar/normalize.h on arbitrary text.
// Besides "no crash, no UB", it checks the documented contracts that can be checked
// without an oracle: found spans lie inside the text, parsed codes have a type, modifiers
// are two characters, and a parsed date is a real date whose ISO form reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "extract/grammar/normalize.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// A parsed date must be a real calendar date whose ISO form reads back the same, and the
// deadline arithmetic the plan does on it must hold.
void CheckDate(const billwise::Date& d) {
  Check(billwise::Date::Make(d.year, d.month, d.day).has_value());
  Check(billwise::Date::FromIso(d.Iso()) == d);
  Check(d.AddDays(30).DaysUntil(d) == -30);
  Check(d.AddBusinessDays(10) > d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  (void)ParseMoney(text);
  (void)LooksLikeMoney(text);
  for (DateOrder order : {DateOrder::kMonthFirst, DateOrder::kDayFirst}) {
    if (auto date = ParseDate(text, order)) CheckDate(*date);
    size_t begin = 0, end = 0;
    if (auto date = FindDate(text, order, &begin, &end)) {
      Check(begin <= end && end <= text.size());
      CheckDate(*date);
    }
  }
  (void)ParseQuantity(text);
  CodeType type = ClassifyCode(text);
  if (auto rev = NormalizeRevenueCode(text)) Check(!rev->empty());
  if (auto code = ParseCodeCell(text)) {
    Check(code->type != CodeType::kNone);
    for (const auto& m : code->modifiers) Check(m.size() == 2);
  }
  size_t begin = 0, end = 0;
  if (auto code = FindCodeInText(text, &begin, &end)) {
    Check(begin <= end && end <= text.size());
    Check(code->type != CodeType::kNone);
  }
  if (auto digits = RepairDigits(text)) Check(digits->size() <= text.size());
  std::string label = NormalizeLabel(text);
  Check(label.size() <= text.size());
  std::string_view trimmed = Trim(text);
  Check(trimmed.size() <= text.size());
  (void)type;
  (void)Lower(text);
  return 0;
}
