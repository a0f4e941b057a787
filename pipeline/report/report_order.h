// What every report shows the same way: the order of findings (billing errors before
// price notes before information), line numbers counted from 1 (the JSON keeps 0-based
// indexes, bill-json.md), and the days left to a step's date. Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_REPORT_REPORT_ORDER_H_
#define BILLWISE_PIPELINE_REPORT_REPORT_ORDER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"

namespace billwise {

// Errors, then other warnings, then price observations, then information; the audit's
// order within each group.
std::vector<const Finding*> FindingsInReportOrder(const Bill& bill);
// True for a price observation (a charge against a reference or the hospital's own price).
bool IsPriceNote(const Finding& finding);

// 0-based indexes as a person counts lines: {19, 20} -> "20, 21"; "" when empty.
std::string LineNumbers(const std::vector<size_t>& lines);

// "12 days left", "1 day left", "today", "passed 3 days ago"; in Spanish ("es") "quedan 12
// días", "hoy", "venció hace 3 días".
std::string DaysLeftText(int days, std::string_view language = "en");

// A step's date in words: "January 5, 2026" or, in Spanish, "5 de enero de 2026".
std::string StepDateText(const Date& date, std::string_view language);

// The words around the plan's next steps, in the plan's language (Plan::language: en | es).
struct StepLabels {
  const char* heading;    // "What to do next"
  const char* no_plan;    // what shows when there is no plan
  const char* by;         // "By"
  const char* letter;     // "Letter"
  const char* how;        // "How"
  const char* why;        // "Why"
  const char* hold_back;  // "Hold back"
};
const StepLabels& StepLabelsFor(std::string_view language);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_REPORT_ORDER_H_
