// A compact JSON view of what the grammar extracted, for template cases and corpus tests.
// Money as dollars (two decimals), dates as ISO strings, unknown values as null.
#ifndef BILLWISE_TESTS_GRAMMAR_BILL_VIEW_H_
#define BILLWISE_TESTS_GRAMMAR_BILL_VIEW_H_

#include <nlohmann/json.hpp>

#include "pipeline/model/bill.h"

namespace billwise {

inline nlohmann::json MoneyJson(const std::optional<Money>& m) {
  if (!m) return nullptr;
  return static_cast<double>(m->cents) / 100.0;
}
inline nlohmann::json DateJson(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return d->Iso();
}
inline nlohmann::json StrJson(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return *s;
}

inline nlohmann::json BillView(const Bill& b) {
  nlohmann::json j;
  j["document_type"] = DocumentTypeName(b.document_type);
  j["layout"] = b.source.layout;
  j["provider"] = {{"name", StrJson(b.provider.name)},
                   {"address", b.provider.address},
                   {"phone", StrJson(b.provider.phone)},
                   {"state", StrJson(b.provider.state)},
                   {"zip", StrJson(b.provider.zip)}};
  j["patient_name"] = StrJson(b.patient.name);
  j["account_number"] = StrJson(b.account_number);
  j["claim_number"] = StrJson(b.claim_number);
  j["member_id"] = StrJson(b.member_id);
  j["statement_date"] = DateJson(b.statement_date);
  j["due_date"] = DateJson(b.due_date);
  j["amount_due"] = MoneyJson(b.amount_due);
  j["totals"] = {{"charges", MoneyJson(b.totals.charges)},
                 {"insurance_paid", MoneyJson(b.totals.insurance_paid)},
                 {"adjustments", MoneyJson(b.totals.adjustments)},
                 {"patient_paid", MoneyJson(b.totals.patient_paid)},
                 {"patient_responsibility", MoneyJson(b.totals.patient_responsibility)}};
  if (b.collector) {
    j["collector"] = {{"name", StrJson(b.collector->name)},
                      {"creditor", StrJson(b.collector->creditor)},
                      {"original_creditor", StrJson(b.collector->original_creditor)},
                      {"reference", StrJson(b.collector->reference)},
                      {"itemization_date", DateJson(b.collector->itemization_date)},
                      {"validation_end_date", DateJson(b.collector->validation_end_date)}};
  } else {
    j["collector"] = nullptr;
  }
  j["line_items"] = nlohmann::json::array();
  for (const auto& it : b.line_items) {
    const char* ct = CodeTypeName(it.code_type);
    j["line_items"].push_back({{"date", DateJson(it.date_of_service)},
                               {"code", StrJson(it.code)},
                               {"code_type", ct ? nlohmann::json(ct) : nlohmann::json(nullptr)},
                               {"modifiers", it.modifiers},
                               {"revenue_code", StrJson(it.revenue_code)},
                               {"description", it.description},
                               {"quantity", it.quantity},
                               {"unit_price", MoneyJson(it.unit_price)},
                               {"charge", MoneyJson(it.charge)},
                               {"allowed", MoneyJson(it.allowed)},
                               {"plan_paid", MoneyJson(it.insurance_paid)},
                               {"adjustment", MoneyJson(it.adjustment)},
                               {"patient_resp", MoneyJson(it.patient_responsibility)},
                               {"note", StrJson(it.eob_note)}});
  }
  return j;
}

// Every key of `expected` must be in `actual` with an equal value (numbers to the cent,
// arrays element by element and of the same length). Appends differences to `diffs`.
inline void CompareJson(const nlohmann::json& expected, const nlohmann::json& actual,
                        const std::string& path, std::vector<std::string>* diffs) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      diffs->push_back(path + ": expected an object, got " + actual.dump());
      return;
    }
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) {
        diffs->push_back(path + "." + k + ": missing");
        continue;
      }
      CompareJson(v, actual[k], path + "." + k, diffs);
    }
    return;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      diffs->push_back(path + ": expected " + std::to_string(expected.size()) + " elements, got " +
                       (actual.is_array() ? std::to_string(actual.size()) : actual.dump()));
      if (!actual.is_array()) return;
    }
    for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i)
      CompareJson(expected[i], actual[i], path + "[" + std::to_string(i) + "]", diffs);
    return;
  }
  if (expected.is_number() && actual.is_number()) {
    if (std::llround(expected.get<double>() * 100) != std::llround(actual.get<double>() * 100))
      diffs->push_back(path + ": expected " + expected.dump() + ", got " + actual.dump());
    return;
  }
  if (expected != actual) diffs->push_back(path + ": expected " + expected.dump() + ", got " + actual.dump());
}

}  // namespace billwise

#endif  // BILLWISE_TESTS_GRAMMAR_BILL_VIEW_H_
