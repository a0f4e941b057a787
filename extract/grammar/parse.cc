#include "extract/grammar/parse.h"

#include <re2/re2.h>

#include <cstdlib>
#include <map>
#include <string>

#include "extract/grammar/header_fields.h"
#include "extract/grammar/items.h"
#include "extract/grammar/normalize.h"
#include "extract/grammar/provider_block.h"
#include "extract/grammar/rows.h"

namespace billwise {
namespace {

using namespace grammar_internal;  // NOLINT: the parser's own parts

void AddDiagnostic(Bill* bill, Severity s, std::string message) {
  Diagnostic d;
  d.severity = s;
  d.stage = "parse";
  d.message = std::move(message);
  bill->diagnostics.push_back(std::move(d));
}

}  // namespace

void ParseBill(const LayoutSet& layouts, std::vector<Page> pages, Bill* bill, std::optional<DocumentType> decided) {
  std::vector<Row> rows = BuildRows(pages);
  bill->source.pages = static_cast<int>(pages.size());
  std::string lower;
  for (const auto& r : rows) {
    lower += Lower(r.text);
    lower += '\n';
  }
  const Layout* layout = decided ? layouts.Select(lower, *decided) : layouts.Select(lower);
  if (!layout) {
    AddDiagnostic(bill, Severity::kError, "no layout template available");
    bill->pages = std::move(pages);
    return;
  }
  bill->source.layout = layout->id;
  if (rows.empty()) {
    AddDiagnostic(bill, Severity::kWarning, "no text found");
    bill->pages = std::move(pages);
    return;
  }

  FieldFinder finder(*layout, rows);
  std::map<Field, FieldValue> f;
  finder.Run(&f);
  auto text = [&](Field k) -> std::optional<std::string> {
    auto it = f.find(k);
    if (it == f.end()) return std::nullopt;
    return it->second.text;
  };
  auto date = [&](Field k) -> std::optional<Date> {
    auto it = f.find(k);
    return it == f.end() ? std::nullopt : it->second.date;
  };
  auto money = [&](Field k) -> std::optional<Money> {
    auto it = f.find(k);
    return it == f.end() ? std::nullopt : it->second.money;
  };
  auto positive = [](std::optional<Money> m) -> std::optional<Money> {
    if (m) m->cents = std::llabs(m->cents);
    return m;
  };

  // Provider: a template pattern, then the letterhead (the top block of page 1), then a
  // label ("Remit To:", "Provider:"). On an EOB the letterhead is the payer's, so there
  // the label comes before the letterhead.
  auto name_it = f.find(Field::kProviderName);
  bool eob = layout->document_type == DocumentType::kEob;
  bool name_first = name_it != f.end() && (name_it->second.score < 0 || eob);
  if (name_first) bill->provider.name = CleanName(name_it->second.text);
  if (auto v = text(Field::kProviderAddress)) bill->provider.address.push_back(*v);
  if (auto v = text(Field::kProviderPhone)) bill->provider.phone = *v;
  ReadProviderBlock(*layout, rows, finder, &bill->provider);
  if (!bill->provider.name && name_it != f.end()) bill->provider.name = CleanName(name_it->second.text);
  if (!bill->provider.phone && !eob) {
    // A phone printed next to "billing", "questions" or "call" anywhere (on an EOB, the
    // plan's).
    static const re2::RE2 near(R"((?i)(billing|question|call|contact|customer service|phone))");
    for (const auto& r : rows) {
      std::string phone;
      if (re2::RE2::PartialMatch(r.text, near) && re2::RE2::PartialMatch(r.text, PhoneRe(), &phone)) {
        bill->provider.phone = phone;
        break;
      }
    }
  }
  FillStateZip(&bill->provider);

  if (auto v = text(Field::kPatientName)) bill->patient.name = *v;
  if (auto v = text(Field::kPatientAddress)) bill->patient.address.push_back(*v);
  FillStateZip(&bill->patient);
  bill->account_number = text(Field::kAccountNumber);
  bill->claim_number = text(Field::kClaimNumber);
  bill->member_id = text(Field::kMemberId);
  bill->statement_date = date(Field::kStatementDate);
  bill->due_date = date(Field::kDueDate);
  bill->amount_due = money(Field::kAmountDue);
  bill->totals.charges = money(Field::kTotalCharges);
  bill->totals.insurance_paid = positive(money(Field::kInsurancePaid));
  bill->totals.adjustments = positive(money(Field::kAdjustments));
  bill->totals.patient_paid = positive(money(Field::kPatientPaid));
  bill->totals.patient_responsibility = money(Field::kPatientResponsibility);
  for (const auto& [field, v] : f) {
    if (v.confidence < 100.f) bill->field_confidence[FieldName(field)] = v.confidence / 100.0;
  }

  ItemReading reader = ReadItems(*layout, finder, rows, date(Field::kDateOfService));
  bill->line_items = std::move(reader.items);
  if (bill->line_items.empty() && layout->document_type == DocumentType::kEob)
    bill->line_items = ReadLabelListItems(*layout, rows);
  // A value read beside a label on a payment row of the item table ("Insurance payment -
  // Aetna   146.30 CR") is one of several such rows: the table's sum replaces it.
  auto from_table = [&](Field k) {
    auto it = f.find(k);
    return it != f.end() && it->second.row >= 0 && reader.consumed.count(it->second.row) > 0;
  };
  if (!bill->totals.insurance_paid || from_table(Field::kInsurancePaid))
    bill->totals.insurance_paid = reader.sums.insurance_paid;
  if (!bill->totals.patient_paid || from_table(Field::kPatientPaid))
    bill->totals.patient_paid = reader.sums.patient_paid;
  if (!bill->totals.adjustments || from_table(Field::kAdjustments))
    bill->totals.adjustments = reader.sums.adjustments;
  // A total row of the table gives the totals the document prints nowhere else.
  if (reader.table_totals) {
    const LineItem& t = *reader.table_totals;
    if (!bill->totals.charges) bill->totals.charges = t.charge;
    if (!bill->totals.insurance_paid) bill->totals.insurance_paid = positive(t.insurance_paid);
    if (!bill->totals.adjustments) bill->totals.adjustments = positive(t.adjustment);
    if (!bill->totals.patient_responsibility)
      bill->totals.patient_responsibility = t.patient_responsibility;
  }

  // Document type: the weighed evidence for an EOB or a notice, the layout's hint, else
  // what was found.
  if (decided == DocumentType::kEob || decided == DocumentType::kCollectionNotice) {
    bill->document_type = *decided;
  } else if (layout->document_type) {
    bill->document_type = *layout->document_type;
  } else if (!bill->line_items.empty()) {
    bill->document_type = DocumentType::kItemizedStatement;
  } else if (bill->amount_due || bill->totals.charges) {
    bill->document_type = DocumentType::kSummaryStatement;
  } else {
    bill->document_type = DocumentType::kUnknown;
  }
  // A bill that prints its total and nothing taken off it (no payment, adjustment or
  // patient share) asks for that total.
  const bool bill_like = bill->document_type == DocumentType::kItemizedStatement ||
                         bill->document_type == DocumentType::kSummaryStatement;
  if (bill_like && !bill->amount_due && bill->totals.charges && !bill->totals.insurance_paid &&
      !bill->totals.adjustments && !bill->totals.patient_paid && !bill->totals.patient_responsibility &&
      bill->totals.charges->cents > 0) {
    bill->amount_due = bill->totals.charges;
    AddDiagnostic(bill, Severity::kInfo, "no amount due printed; the total charges are taken as the amount due");
  }
  if (bill->document_type == DocumentType::kEob && !bill->totals.patient_responsibility) {
    std::optional<Money> sum;
    for (const auto& it : bill->line_items) {
      if (it.patient_responsibility) sum = sum ? *sum + *it.patient_responsibility : *it.patient_responsibility;
    }
    bill->totals.patient_responsibility = sum;
  }
  // What the patient is asked for: on an EOB, what it says the patient may owe
  // (bill-json.md, "What the header fields mean").
  if (!bill->amount_due && bill->totals.patient_responsibility)
    bill->amount_due = bill->totals.patient_responsibility;
  if (bill->document_type == DocumentType::kCollectionNotice) {
    Collector c;
    c.name = text(Field::kCollectorName);
    if (!c.name) c.name = bill->provider.name;
    c.original_creditor = text(Field::kOriginalCreditor);
    c.creditor = text(Field::kCreditor);
    if (!c.creditor) c.creditor = c.original_creditor;  // one creditor printed: the debt was not sold
    c.reference = text(Field::kCollectorReference);
    // A plain "Account Number" read as both: the collector's own number, unless the notice
    // prints that under a label of its own.
    if (bill->account_number && c.reference && *bill->account_number == *c.reference)
      bill->account_number.reset();
    c.phone = text(Field::kCollectorPhone);
    if (!c.phone) c.phone = bill->provider.phone;
    c.itemization_date = date(Field::kItemizationDate);
    c.validation_end_date = date(Field::kValidationEndDate);
    c.notice_date = date(Field::kNoticeDate);
    if (!c.notice_date) c.notice_date = bill->statement_date;
    if (!bill->statement_date) bill->statement_date = c.notice_date;
    c.address = bill->provider.address;
    // The letterhead of a collection notice is the collector's, not a provider's: the
    // provider is the original creditor, when the notice names one.
    bill->provider = Party{};
    bill->provider.name = c.original_creditor ? c.original_creditor : c.creditor;
    bill->collector = c;
  }

  if (bill->line_items.empty() && bill->document_type != DocumentType::kCollectionNotice) {
    AddDiagnostic(bill, Severity::kInfo, "no line items found");
  } else if (reader.used_rows) {
    AddDiagnostic(bill, Severity::kInfo, "no item table header found; items read line by line");
  }
  if (!bill->amount_due && bill->document_type != DocumentType::kEob)
    AddDiagnostic(bill, Severity::kInfo, "no amount due found");
  bill->pages = std::move(pages);
}

}  // namespace billwise
