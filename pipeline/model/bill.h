// Bill: the one value that flows through billwise from stage to stage.
//
//   file -> Source -> Pages -> Lines -> Bill -> Audit -> Plan -> Letters / Report
//
// Plain data with no third-party types. Each stage fills its own part (extraction
// fills the header, items and pages; the audit fills pricing and findings; the planner
// fills plan) and never rewrites what an earlier stage filled. Unknown values are
// std::nullopt, never "" or 0, so the JSON contract (bill-json.md) can say null.
#ifndef BILLWISE_PIPELINE_MODEL_BILL_H_
#define BILLWISE_PIPELINE_MODEL_BILL_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/date.h"
#include "pipeline/model/money.h"
#include "pipeline/model/page.h"

namespace billwise {

enum class DocumentType { kUnknown, kItemizedStatement, kSummaryStatement, kEob, kCollectionNotice };
enum class CodeType { kNone, kCpt, kHcpcs, kRevenue, kNdc, kInternal };
enum class Severity { kInfo, kWarning, kError };
// What a finding asks of the patient's letters (set where the finding is made):
//   kBillingError      the bill is wrong (duplicate, bundling, units, math, not rendered,
//                      balance billing, GFE exceeded...): the dispute letter asks to correct it;
//   kPriceObservation  the charge is high against a reference (Medicare, the hospital's own
//                      cash or negotiated price): argued in the lump-sum or fair-price request,
//                      never called an error;
//   kInformation       a question or a note (summary bill, a visit that may carry modifier 25).
enum class FindingClass { kInformation, kPriceObservation, kBillingError };
// What a finding is about. The bill's own checks (pipeline/audit, pipeline/refdata):
//   kDuplicate, kBundling (NCCI), kUnits (MUE), kMath, kSummaryBill, kNotRendered,
//   kBalanceBilling, kEmSameDayProcedure, kGfe, kPrice;
// the case file's cross-document checks (pipeline/cases/case_checks.h):
//   kCollectionAmountMismatch, kPaymentNotCredited, kBalanceGrew, kExceedsEob, kGfeExceeded.
// FindingKindName gives each its JSON name ("summary_bill").
enum class FindingKind {
  kDuplicate,
  kBundling,
  kUnits,
  kMath,
  kPrice,
  kSummaryBill,
  kNotRendered,
  kBalanceBilling,
  kEmSameDayProcedure,
  kGfe,
  kCollectionAmountMismatch,
  kPaymentNotCredited,
  kBalanceGrew,
  kExceedsEob,
  kGfeExceeded,
};

// Where a value was read: 1-based page, 0-based line on that page, and how sure we are.
struct SourceRef {
  int page = 0;
  int line = 0;
  double confidence = 1.0;  // 0..1 (OCR word confidence / 100; 1.0 for the text layer)
};

struct LineItem {
  std::optional<Date> date_of_service;
  std::optional<std::string> code;  // CPT/HCPCS as printed, without modifiers
  CodeType code_type = CodeType::kNone;
  std::vector<std::string> modifiers;        // "25", "59", "LT"...
  std::optional<std::string> revenue_code;   // 4 digits, leading zero kept
  std::string description;
  double quantity = 1;
  std::optional<Money> unit_price;
  std::optional<Money> charge;  // the line total as printed; credits are negative
  // EOB and detailed-statement columns, when printed.
  std::optional<Money> allowed;
  std::optional<Money> insurance_paid;
  std::optional<Money> adjustment;
  std::optional<Money> patient_responsibility;
  std::optional<std::string> eob_note;  // "Denied - duplicate", remark codes
  SourceRef source;
};

struct Party {
  std::optional<std::string> name;
  std::vector<std::string> address;  // envelope lines
  std::optional<std::string> phone;
  // Pieces parsed from the address, when found.
  std::optional<std::string> state;  // two letters
  std::optional<std::string> zip;    // five digits
};

struct Totals {
  std::optional<Money> charges;
  std::optional<Money> insurance_paid;
  std::optional<Money> adjustments;
  std::optional<Money> patient_paid;
  std::optional<Money> patient_responsibility;  // EOBs
};

// A collection notice's parties (bill-json.md, "What the header fields mean").
struct Collector {
  std::optional<std::string> name;
  std::optional<std::string> creditor;           // the current creditor, whole across line breaks
  std::optional<std::string> original_creditor;  // the provider the debt began with, when printed
  std::optional<std::string> reference;          // the collector's own file or reference number
  std::optional<std::string> phone;
  std::optional<Date> itemization_date;
  std::optional<Date> validation_end_date;
  std::optional<Date> notice_date;
  std::vector<std::string> address;
};

// Reference price of one line item.
struct Pricing {
  size_t line = 0;                  // index into Bill::line_items
  std::string basis;                // "Medicare PFS 2025, locality 0111205, non-facility"
  std::string schedule;             // "pfs" | "opps" | "clfs" | "anesthesia" | "none"
  std::optional<Money> reference;   // quantity applied
  std::optional<double> ratio;      // charge / reference
  std::optional<std::string> descriptor;  // HCPCS Level II public descriptor; never AMA CPT text
};

struct Finding {
  FindingKind kind = FindingKind::kDuplicate;
  Severity severity = Severity::kWarning;
  FindingClass finding_class = FindingClass::kInformation;
  std::vector<size_t> lines;  // indexes into Bill::line_items
  Money amount_at_stake;
  std::string rule;           // rule and data version it rests on
  std::string explanation;    // plain English a patient could paste into a letter
  // Rests on a partial reading (ReadQuality): a note to check by hand, never asserted in
  // a letter. Set by HoldFindingsOfPartialReading (pipeline/audit/reading_gate.h).
  bool check_by_hand = false;
};

struct Deadline {
  std::string what;
  Date date;
};

// One step of the plan, in the order the patient should take them (the top of every report).
struct NextStep {
  int step = 0;                        // 1, 2, 3 ...
  std::string what;                    // "Ask the collector to validate the debt"
  std::optional<std::string> letter;   // the letter kind to use (`billwise letters --kind`), if any
  std::optional<Date> by;              // the date to act by, when one applies
  std::optional<int> days_left;        // days from the plan's `today` to `by` (negative: passed)
  std::string how;                     // "certified mail, return receipt requested" | "mail" | "phone" | ...
  std::string why;                     // plain words, no jargon left unexplained
  std::vector<std::string> hold_back;  // what not to do yet, and why
};

struct Plan {
  Money reference_total;
  // The offer and the numbers its basis rests on, so each letter states the basis in its
  // own language: `priced_charges` of `charges` have a Medicare reference (`reference`); the
  // offer is the balance times `multiple` x reference / priced_charges (the charges without a
  // reference assumed reduced in the same proportion), never above the balance or the
  // patient's cash.
  struct LumpSum {
    Money amount;
    std::string basis;  // for the patient's report, plain English
    Money charges;         // the charges the offer speaks for
    Money priced_charges;  // the part of them with a reference price
    Money reference;       // Medicare's reference for the priced part
    double multiple = 0;   // the multiple of the reference offered for the priced part
  };
  std::optional<LumpSum> lump_sum_offer;
  // `months` payments: months - 1 of `monthly`, then `last` (<= monthly), summing exactly
  // to the balance at 0 % interest.
  struct PaymentPlan { Money monthly; int months = 0; double interest = 0; Money last; };
  std::optional<PaymentPlan> payment_plan;
  struct Assistance {
    int poverty_percent = 0;
    int guideline_year = 0;
    std::string typical_band;  // "free care" | "discounted care" | "above typical bands"
  };
  std::optional<Assistance> assistance;
  std::vector<Deadline> deadlines;
  std::vector<NextStep> next_steps;  // pipeline/audit/next_steps.h
  std::string language = "en";       // en | es: the language next_steps are written in (the profile's)
  // The provider (or a collection notice's creditor) is matched to a hospital in CMS Hospital
  // General Information whose ownership is voluntary non-profit (MatchBillHospital): the
  // 501(r) window and 501(r) wording apply. False for for-profit and government hospitals and
  // for providers not matched to a listed hospital.
  bool nonprofit_hospital = false;
};

struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string stage;    // "source" | "ocr" | "layout" | "parse" | "audit" | ...
  std::string message;  // no patient data
  std::optional<int> page;
};

// How much of the document the reading accounts for (bill-json.md, read_quality).
// kComplete: the items account for the printed total of charges, or no total is printed
// and no charge-like row was left unread. kPartial: anything less; the findings that need
// every line (math, summary_bill, duplicates of undated lines) are then only notes.
// kUnreadable: nothing bill-like could be read (notes say why).
enum class ReadStatus { kComplete, kPartial, kUnreadable };

struct ReadQuality {
  ReadStatus status = ReadStatus::kComplete;
  Money items_total;                     // sum of the charges read
  std::optional<Money> printed_total;    // the document's own total of charges
  int unread_rows = 0;                   // rows that look like charges but are not items
  std::optional<double> ocr_confidence;  // mean word confidence of OCR'd pages
  std::vector<std::string> notes;        // plain English, no patient data
};

struct SourceInfo {
  std::string path;
  std::string sha256;
  int pages = 0;
  TextOrigin text_origin = TextOrigin::kTextLayer;
  std::optional<double> ocr_confidence;    // mean word confidence of OCR'd pages
  std::string layout;                      // id of the layout template that parsed it
  // A file may hold several documents (four invoices; an itemization and the insurer's
  // remittance page): this Bill is document `document_index` (1-based) of `document_count`,
  // printed on pages first_page..last_page of the file.
  int document_index = 1;
  int document_count = 1;
  int first_page = 1;
  int last_page = 1;
};

struct Bill {
  SourceInfo source;
  DocumentType document_type = DocumentType::kUnknown;
  Party provider;
  Party patient;
  std::optional<std::string> account_number;  // the provider's patient account number
  std::optional<std::string> claim_number;    // EOBs: the payer's claim number
  std::optional<std::string> member_id;       // EOBs: the plan member's ID
  // EOBs: where the health plan takes appeals, as printed (envelope lines); empty when the
  // EOB prints none. Read by the audit stage (pipeline/audit/appeals_address.h).
  std::vector<std::string> appeals_address;
  std::optional<Date> statement_date;
  std::optional<Date> due_date;
  std::optional<Date> first_billing_date;  // first post-discharge statement, when printed
  std::optional<Money> amount_due;
  Totals totals;
  std::vector<LineItem> line_items;
  std::optional<Collector> collector;
  // Confidence (0..1) of each header field read by OCR, keyed by JSON field name.
  std::map<std::string, double> field_confidence;

  std::optional<ReadQuality> read_quality;  // set after parsing (pipeline/audit/read_quality.h)

  std::vector<Pricing> pricing;
  std::vector<Finding> findings;
  std::optional<Plan> plan;
  std::vector<Diagnostic> diagnostics;

  std::vector<Page> pages;  // the positioned text; not part of the JSON contract
};

// Stable lower-case names used in JSON ("itemized_statement", "cpt", "warning"...).
const char* DocumentTypeName(DocumentType t);
const char* CodeTypeName(CodeType t);  // nullptr for kNone
const char* SeverityName(Severity s);
const char* ReadStatusName(ReadStatus s);  // "complete" | "partial" | "unreadable"
const char* FindingClassName(FindingClass c);  // "error" | "price" | "info"
std::optional<FindingClass> ParseFindingClass(std::string_view name);
const char* FindingKindName(FindingKind k);  // "duplicate" | "summary_bill" | "gfe_exceeded" ...
std::optional<FindingKind> ParseFindingKind(std::string_view name);
const char* TextOriginName(TextOrigin o);  // "text_layer" | "ocr" | "mixed" | "plain_text"
std::optional<TextOrigin> ParseTextOrigin(std::string_view name);
const char* OcrModeName(OcrMode m);  // "auto" | "always" | "never"
std::optional<OcrMode> ParseOcrMode(std::string_view name);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_BILL_H_
