// The case file's plain records and the rules that work on a whole case: how documents
// are grouped (normalized provider and account), the cross-document checks, the
// deadlines, the status and the balance. Everything here is a pure function of its
// arguments (no database, no clock: `today` is passed in), so it is tested directly and
// CaseStore only loads records and calls it. Thread-safe (no shared state).
#ifndef BILLWISE_PIPELINE_CASES_CASE_CHECKS_H_
#define BILLWISE_PIPELINE_CASES_CASE_CHECKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/money.h"

namespace billwise {

// ---------------------------------------------------------------- records

struct StoredDocument {
  int64_t id = 0;
  std::string sha256;
  std::string path;
  std::string recorded;  // UTC timestamp the row was written
  Bill bill;             // parsed from the stored JSON
};

struct LetterRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string kind;  // "dispute", "debt_validation", "financial_assistance", ...
  Date written;
  std::string recipient;
  std::optional<Date> sent;
  std::optional<std::string> method;  // mail | certified | fax | portal
  std::optional<std::string> tracking;
};

struct ReplyRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  Date date;
  std::string note;
  std::optional<std::string> file;
};

struct PlanRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  Money monthly;
  Date start;
  std::optional<int> months;  // agreed number of payments, when known
};

struct PaymentRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  Money amount;
  Date date;
};

// A phone call about the case (`billwise call`): who, the reference number given, what was
// said or promised, and when to check back.
struct CallRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  Date date;
  std::string with;                      // the person or department spoken to
  std::optional<std::string> reference;  // the call's reference or ticket number
  std::string note;
  std::optional<Date> follow_up;         // when to check back (default: 14 days after the call)
};

// A good-faith estimate (No Surprises Act) the patient received before the service.
struct EstimateRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  Money amount;
  Date date;
};

// Everything the store holds about one case.
struct CaseFacts {
  int64_t id = 0;
  std::string provider;
  std::optional<std::string> account_number;
  std::string created;
  std::vector<StoredDocument> documents;  // in recorded order
  std::vector<LetterRecord> letters;
  std::vector<ReplyRecord> replies;
  std::vector<PlanRecord> plans;
  std::vector<PaymentRecord> payments;
  std::vector<EstimateRecord> estimates;
  std::vector<CallRecord> calls;  // in date order
};

// A finding that compares documents of one case; `documents` are the ids it rests on.
struct CrossFinding {
  Finding finding;
  std::vector<int64_t> documents;
};

struct CaseDeadline {
  int64_t case_id = 0;
  std::string kind;  // validation | appeal | assistance_501r | nsa_dispute | follow_up | call_follow_up | plan_payment
  std::string what;  // plain English
  Date date;
  std::string uid;   // stable per deadline (case, kind, the record it comes from)
};

struct NextPayment {
  Date date;
  Money amount;
};

// ---------------------------------------------------------------- grouping

// "St. Mary's Hospital, Inc." -> "st marys hospital": lower case, punctuation dropped,
// corporate suffixes (inc, llc, corp, co, ltd, pc, pllc, pa, lp, llp) and "the" removed.
std::string NormalizeProviderName(std::string_view name);
// "00-1234 5678" -> "12345678": letters and digits only, upper case, leading zeros dropped.
std::string NormalizeAccountNumber(std::string_view account);
// Equal keys, or every word of the shorter key appears in the longer one
// ("springfield memorial" ~ "springfield memorial hospital"). Empty keys never match.
bool ProviderKeysMatch(std::string_view a, std::string_view b);
// The name a document is grouped under: a collection notice's creditor (the original
// provider), else the provider's name, else the collector's name; "" when none.
std::string CaseProviderName(const Bill& bill);
// The date a document speaks for: statement date, else a collection notice's date.
std::optional<Date> DocumentDate(const Bill& bill);

// ---------------------------------------------------------------- checks

// Cross-document checks within one case (kinds):
//   collection_amount_mismatch  a collection notice's amount differs from the last
//                               statement's balance (less payments recorded in between)
//   payment_not_credited        an EOB's insurance payment, a receipt or a recorded payment
//                               does not show on the next statement
//   balance_grew                a later statement's balance grew without new charges
//   exceeds_eob                 the latest bill asks more than the EOBs' patient responsibility
//   gfe_exceeded                charges at least $400 above a recorded good-faith estimate
std::vector<CrossFinding> CrossDocumentChecks(const CaseFacts& facts);

// ---------------------------------------------------------------- derived state

// Latest statement or collection notice's amount due, less payments (recorded or on a
// receipt) dated after it. nullopt when no document states an amount due.
std::optional<Money> CaseBalance(const CaseFacts& facts);
// "paid" | "in plan" | "disputed" | "in collections" | "open" (first that applies).
std::string CaseStatus(const CaseFacts& facts);
// The next instalment of the latest plan, when a plan is recorded and not yet paid off.
std::optional<NextPayment> NextPlanPayment(const CaseFacts& facts);
// Open deadlines (date >= today, not already met by a letter sent), soonest first:
//   validation       the collector's validation_end_date, else notice date + 5 business
//                    days (assumed receipt, 12 CFR 1006.34(b)(5)) + 30 days; closed once a
//                    dispute or validation letter is sent
//   appeal           180 days after an EOB's date (internal appeal to the health plan);
//                    closed once an appeal letter is sent
//   assistance_501r  only when a document's plan found the provider a nonprofit hospital
//                    (Plan::nonprofit_hospital, as the letters): 240 days after the
//                    first statement (the earliest first_billing_date or provider statement),
//                    else a collection notice's itemization date, never a notice's own date;
//                    closed once an assistance application letter is sent
//   nsa_dispute      120 days after the first bill, when a good-faith estimate is recorded
//   follow_up        30 days after a letter was sent, while no reply is dated on or after it
//   call_follow_up   a call's follow-up date, while no reply or later call is dated after the call
//   plan_payment     the next instalment of a payment plan
std::vector<CaseDeadline> CaseDeadlines(const CaseFacts& facts, const Date& today);

// Days after a call when its follow-up falls unless the caller gives a date.
inline constexpr int kCallFollowUpDays = 14;

// Same calendar day `months` months later, clamped to the month's last day.
Date AddMonths(const Date& date, int months);
// "85", "85.5", "$1,234.56" -> cents; nullopt for anything else (negative included, and
// anything over kMaxAmount, $100 million).
std::optional<Money> ParseMoneyArgument(std::string_view text);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_CASES_CASE_CHECKS_H_
