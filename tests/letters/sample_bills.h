// Hand-built bills and profiles for the letters tests (synthetic; no real patient data).
#ifndef BILLWISE_TESTS_LETTERS_SAMPLE_BILLS_H_
#define BILLWISE_TESTS_LETTERS_SAMPLE_BILLS_H_

#include "pipeline/model/bill.h"
#include "pipeline/model/profile.h"

namespace billwise::testing {

inline Profile SampleProfile() {
  Profile p;
  p.name = "Jordan A. Rivera";
  p.address = {"1200 Oak Street Apt 4", "Springfield, IL 62704"};
  p.phone = "217-555-0142";
  p.email = "jordan.rivera@example.com";
  p.date_of_birth = Date{1984, 3, 9};
  p.household_size = 3;
  p.annual_income = Money::FromDollars(41000);
  p.state = "IL";
  p.insured = false;
  p.monthly_budget = Money::FromDollars(150);
  p.lump_sum_available = Money::FromDollars(900);
  return p;
}

inline LineItem Item(Date d, const char* code, const char* desc, int64_t cents, double qty = 1) {
  LineItem li;
  li.date_of_service = d;
  li.code = code;
  li.code_type = CodeType::kCpt;
  li.description = desc;
  li.quantity = qty;
  li.charge = Money::FromCents(cents);
  return li;
}

// An itemized ER statement with a duplicate and a bundling finding and a plan.
inline Bill ItemizedBill() {
  Bill b;
  b.document_type = DocumentType::kItemizedStatement;
  b.provider.name = "Saint Mercy Hospital";
  b.provider.address = {"Patient Financial Services", "PO Box 4410", "Springfield, IL 62791-4410"};
  b.patient.name = "Jordan A. Rivera";
  b.account_number = "SMH-20931-7";
  b.statement_date = Date{2026, 1, 12};
  Date d{2025, 12, 30};
  b.line_items = {Item(d, "99284", "ER visit level 4", 245000), Item(d, "80053", "Comprehensive metabolic panel", 31200),
                  Item(d, "80048", "Basic metabolic panel", 25000), Item(Date{2025, 12, 31}, "85025", "CBC w/ diff", 9800),
                  Item(Date{2025, 12, 31}, "85025", "CBC w/ diff", 9800)};
  b.totals.charges = Money::FromCents(321600);
  b.totals.insurance_paid = Money::FromCents(0);
  b.amount_due = Money::FromCents(321600);
  Finding dup;
  dup.kind = FindingKind::kDuplicate;
  dup.severity = Severity::kError;
  dup.finding_class = FindingClass::kBillingError;
  dup.lines = {3, 4};
  dup.amount_at_stake = Money::FromCents(9800);
  dup.rule = "Same code, date and units billed twice";
  dup.explanation = "The complete blood count (85025) was billed twice on December 31, 2025.";
  Finding bundle;
  bundle.kind = FindingKind::kBundling;
  bundle.severity = Severity::kError;
  bundle.finding_class = FindingClass::kBillingError;
  bundle.lines = {1, 2};
  bundle.amount_at_stake = Money::FromCents(25000);
  bundle.rule = "NCCI PTP 2026Q1 column 1 80053 / column 2 80048";
  bundle.explanation = "The basic metabolic panel is part of the comprehensive panel billed the same day.";
  b.findings = {dup, bundle};
  Plan plan;
  plan.reference_total = Money::FromCents(48022);
  Plan::LumpSum offer;
  offer.amount = Money::FromCents(72033);
  offer.basis = "1.5 times the Medicare reference share";
  offer.charges = Money::FromCents(321600);
  offer.priced_charges = Money::FromCents(321600);
  offer.reference = Money::FromCents(48022);
  offer.multiple = 1.5;
  plan.lump_sum_offer = offer;
  plan.payment_plan = Plan::PaymentPlan{Money::FromCents(15000), 22, 0, Money::FromCents(6600)};  // 21 x 150 + 66
  plan.assistance = Plan::Assistance{154, 2026, "discounted care"};
  plan.deadlines = {Deadline{"financial assistance application (501(r))", Date{2026, 9, 9}}};
  b.plan = plan;
  return b;
}

// A summary statement: totals only, no line items, no plan.
inline Bill SummaryBill() {
  Bill b;
  b.document_type = DocumentType::kSummaryStatement;
  b.provider.name = "Lakeside Imaging Center";
  b.provider.address = {"1 Lakeside Plaza", "Chicago, IL 60601"};
  b.account_number = "LIC-448812";
  b.statement_date = Date{2026, 2, 2};
  b.totals.charges = Money::FromCents(184500);
  b.amount_due = Money::FromCents(184500);
  return b;
}

// A collection notice from a third-party collector.
inline Bill CollectionNotice() {
  Bill b;
  b.document_type = DocumentType::kCollectionNotice;
  b.account_number = "CA-77120034";
  b.statement_date = Date{2026, 3, 2};
  b.amount_due = Money::FromCents(61275);
  Collector c;
  c.name = "Midstate Recovery Services, LLC";
  c.creditor = "Saint Mercy Hospital";
  c.address = {"PO Box 9090", "Peoria, IL 61612"};
  c.notice_date = Date{2026, 3, 2};
  c.validation_end_date = Date{2026, 4, 8};
  c.reference = "MRS-55012-QX";
  b.collector = c;
  return b;
}

// An EOB on which the plan denied one line.
inline Bill EobWithDenial() {
  Bill b;
  b.document_type = DocumentType::kEob;
  b.provider.name = "Hartwell Internal Medicine Associates";
  b.account_number = "HIMA-77120";
  b.claim_number = "PMH-26-0917-448213";
  b.member_id = "XPM448213907";
  b.statement_date = Date{2026, 9, 29};
  b.amount_due = Money::FromCents(7823);
  b.totals.patient_responsibility = Money::FromCents(7823);
  LineItem visit = Item(Date{2026, 9, 17}, "99213", "Office visit", 17500);
  LineItem test = Item(Date{2026, 9, 17}, "87880", "Strep test", 4200);
  test.allowed = Money::FromCents(0);
  test.eob_note = "CO-50 Denied - not medically necessary";
  b.line_items = {visit, test};
  return b;
}

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_LETTERS_SAMPLE_BILLS_H_
