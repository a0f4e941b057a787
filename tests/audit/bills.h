// Helpers that build small Bills by hand for the audit tests.
#ifndef BILLWISE_TESTS_AUDIT_BILLS_H_
#define BILLWISE_TESTS_AUDIT_BILLS_H_

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/audit/audit.h"
#include "pipeline/model/bill.h"

namespace billwise::testing {

inline Money Usd(double dollars) { return RoundDollarsToCents(dollars); }

inline Date D(const char* iso) {
  auto d = Date::FromIso(iso);
  if (!d) std::abort();
  return *d;
}

// A coded line: date, code, quantity, line total in dollars, modifiers.
inline LineItem Line(const char* date, const char* code, double qty, double total,
                     std::vector<std::string> modifiers = {}, const char* description = "") {
  LineItem it;
  if (date && *date) it.date_of_service = D(date);
  if (code && *code) {
    it.code = code;
    it.code_type = (code[0] >= '0' && code[0] <= '9') ? CodeType::kCpt : CodeType::kHcpcs;
  }
  it.quantity = qty;
  it.charge = Usd(total);
  it.modifiers = std::move(modifiers);
  it.description = description;
  return it;
}

// A facility line with a UB-04 revenue code (and optionally a HCPCS code).
inline LineItem RevLine(const char* date, const char* revenue, const char* code, double qty, double total,
                        const char* description = "") {
  LineItem it = Line(date, code, qty, total, {}, description);
  it.revenue_code = revenue;
  return it;
}

inline Bill Itemized(std::vector<LineItem> items) {
  Bill b;
  b.document_type = DocumentType::kItemizedStatement;
  b.line_items = std::move(items);
  return b;
}

// Sums the positive charges into totals.charges and amount_due, as a consistent bill prints them.
inline void SetConsistentTotals(Bill* b) {
  Money sum;
  for (const auto& it : b->line_items) {
    if (it.charge && it.charge->cents > 0) sum += *it.charge;
  }
  b->totals.charges = sum;
  b->amount_due = sum;
}

inline std::vector<const Finding*> FindingsOf(const Bill& b, const std::string& kind) {
  std::vector<const Finding*> out;
  for (const auto& f : b.findings) {
    if (FindingKindName(f.kind) == kind) out.push_back(&f);
  }
  return out;
}

// The shared tables, loaded once from the source tree's data/.
inline const AuditData& Data() {
  static std::shared_ptr<const AuditData> data = [] {
    auto loaded = AuditData::Load(BILLWISE_SOURCE_DIR);
    if (!loaded) {
      ADD_FAILURE() << "AuditData::Load: " << loaded.error().message;
      std::abort();
    }
    return *loaded;
  }();
  return *data;
}

inline Bill Audited(Bill b, const Bill* eob = nullptr) {
  AuditOptions options;
  options.eob = eob;
  AuditBill(Data(), options, &b);
  return b;
}

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_AUDIT_BILLS_H_
