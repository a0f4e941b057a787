// What every report shows the same way: the order of findings (billing errors before
// price notes before information), line numbers counted from 1 (the JSON keeps 0-based
// indexes, bill-json.md), and the days left to a step's date. Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_REPORT_REPORT_ORDER_H_
#define BILLWISE_PIPELINE_REPORT_REPORT_ORDER_H_

#include <cstddef>
#include <string>
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

// "12 days left", "1 day left", "today", "passed 3 days ago".
std::string DaysLeftText(int days);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_REPORT_ORDER_H_
