// Fuzz target: the form-map parser (ParseFormMap in pipeline/letters/form_fill.h) on
// arbitrary YAML text. A map that parses is resolved as `billwise fill-form` does: its
// Mustache expressions are rendered over FormData for a complete profile and bill (every
// key present) and for no profile at all (every profile key missing), with and without
// allow_blanks. Contracts checked: every value resolved belongs to a field of the map, a
// field with on_when resolves to "off" or its on-state, and with allow_blanks a map whose
// expressions render never fails for missing keys.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/letters/form_fill.h"
#include "pipeline/model/error.h"

namespace {

using billwise::Bill;
using billwise::Date;
using billwise::ErrorCode;
using billwise::FormMapEntry;
using billwise::Money;
using billwise::Profile;
using billwise::TemplateNode;

const TemplateNode& FullData() {
  static const TemplateNode* data = [] {
    Profile p;
    p.name = "Ana Maria Lopez";
    p.address = {"12 Elm St", "Apt 4", "Springfield, IL 62704"};
    p.phone = "(217) 555-0100";
    p.email = "ana@example.org";
    p.date_of_birth = Date{1980, 7, 4};
    p.household_size = 3;
    p.annual_income = Money::FromCents(3'200'000);
    p.state = "IL";
    p.insured = false;
    Bill b;
    b.provider.name = "Memorial Hospital";
    b.account_number = "A-1001";
    b.amount_due = Money::FromCents(123'456);
    b.totals.charges = Money::FromCents(200'000);
    b.statement_date = Date{2026, 1, 12};
    billwise::LineItem li;
    li.date_of_service = Date{2026, 1, 2};
    b.line_items.push_back(li);
    li.date_of_service = Date{2026, 1, 5};
    b.line_items.push_back(li);
    return new TemplateNode(billwise::FormData(&p, &b, Date{2026, 2, 20}));
  }();
  return *data;
}

const TemplateNode& EmptyData() {
  static const TemplateNode* data = new TemplateNode(billwise::FormData(nullptr, nullptr, Date{2026, 2, 20}));
  return *data;
}

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "formmap contract broken: %s\n", what);
  std::abort();
}

void Resolve(const std::vector<FormMapEntry>& map, const TemplateNode& data, bool allow_blanks) {
  auto values = billwise::ResolveFormValues(map, data, allow_blanks);
  if (!values) {
    // Missing keys are reported only when blanks are not allowed.
    Check(!allow_blanks || values.error().code != ErrorCode::kUsage, "allow_blanks failed for missing keys");
    return;
  }
  // The last entry for a field decides its value (a YAML mapping may repeat a key).
  std::map<std::string, const FormMapEntry*> last;
  for (const auto& e : map) last[e.field] = &e;
  Check(values->size() == last.size(), "resolved fields differ from the map's fields");
  for (const auto& [field, value] : *values) {
    auto it = last.find(field);
    Check(it != last.end(), "a resolved field is not in the map");
    const FormMapEntry& e = *it->second;
    if (!e.on_when.empty()) Check(value == "off" || value == e.state.value_or("on"), "on_when value not off/on-state");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)FullData();
  (void)EmptyData();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto map = billwise::ParseFormMap(yaml, "fuzz.map.yaml");
  if (!map) {
    Check(map.error().code == ErrorCode::kBadTemplate, "a parse failure is not kBadTemplate");
    return 0;
  }
  Resolve(*map, FullData(), false);
  Resolve(*map, FullData(), true);
  Resolve(*map, EmptyData(), false);
  Resolve(*map, EmptyData(), true);
  return 0;
}
