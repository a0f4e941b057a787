// Output forms of the case file: the JSON other programs read (`billwise cases --format
// json`, `billwise due --format json`), an iCalendar file a phone can import (`due
// --format ics`) and the plain-text listings. Pure functions, deterministic for the same
// input (the ICS DTSTAMP is an argument). Thread-safe.
//
// JSON shapes (stable; keys may be added, none renamed):
//   {"cases": [{"id", "provider", "account_number", "status", "balance",
//               "documents": [{"path", "sha256", "document_type", "statement_date"}],
//               "letters": [{"id", "kind", "written", "recipient", "sent", "method", "tracking"}],
//               "calls": [{"id", "date", "with", "reference", "note", "follow_up"}],
//               "next_deadline": {"what", "date"} | null,
//               "next_payment": {"date", "amount"} | null}]}
//   {"deadlines": [{"case", "what", "date", "kind"}]}
#ifndef BILLWISE_PIPELINE_CASES_CASE_FORMAT_H_
#define BILLWISE_PIPELINE_CASES_CASE_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/cases/case_store.h"

namespace billwise {

std::string CasesToJson(const std::vector<CaseSummary>& cases);
std::string DeadlinesToJson(const std::vector<CaseDeadline>& deadlines);

// RFC 5545 VCALENDAR with one all-day VEVENT per deadline (DTSTART;VALUE=DATE, DTEND the
// next day, UID stable per deadline, a reminder 3 days before), CRLF line endings and
// lines folded at 75 octets. `stamp_epoch` (seconds since 1970, UTC) becomes every DTSTAMP.
std::string DeadlinesToIcs(const std::vector<CaseDeadline>& deadlines, int64_t stamp_epoch);

// The DTSTAMP for calendar files: SOURCE_DATE_EPOCH when set, else midnight UTC of today
// (stable within a day, so the same deadlines give the same file).
int64_t CalendarStamp();

std::string CasesText(const std::vector<CaseSummary>& cases);
std::string CaseText(const CaseDetail& detail);
std::string DeadlinesText(const std::vector<CaseDeadline>& deadlines, const Date& today);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_CASES_CASE_FORMAT_H_
