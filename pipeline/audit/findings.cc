#include "pipeline/audit/findings.h"

#include <algorithm>

namespace billwise {

std::vector<const Finding*> FindingsOfClass(const Bill& bill, FindingClass finding_class) {
  std::vector<const Finding*> out;
  for (const Finding& f : bill.findings) {
    // A finding that rests on a partial reading is only something to check by hand.
    if (f.finding_class == finding_class && !(f.check_by_hand && finding_class == FindingClass::kBillingError))
      out.push_back(&f);
  }
  return out;
}

Money DisputedAmount(const Bill& bill, std::optional<Money> cap) {
  // What is left of each line's charge to be claimed.
  std::vector<int64_t> left(bill.line_items.size(), 0);
  for (size_t i = 0; i < bill.line_items.size(); ++i) {
    const auto& charge = bill.line_items[i].charge;
    left[i] = charge && charge->cents > 0 ? charge->cents : 0;
  }
  int64_t total = 0;
  for (const Finding* f : FindingsOfClass(bill, FindingClass::kBillingError)) {
    int64_t amount = std::max<int64_t>(f->amount_at_stake.cents, 0);
    bool on_lines = false;
    for (auto it = f->lines.rbegin(); it != f->lines.rend() && amount > 0; ++it) {
      if (*it >= left.size()) continue;
      on_lines = true;
      int64_t take = std::min(amount, left[*it]);
      left[*it] -= take;
      amount -= take;
      total += take;
    }
    // An amount on lines that are already claimed in full is the same dollars again.
    if (!on_lines) total += amount;
  }
  if (cap) total = std::min(total, std::max<int64_t>(cap->cents, 0));
  return Money{total};
}

}  // namespace billwise
