// HoldFindingsOfPartialReading: findings that are only true of a complete reading are
// not raised as errors when the reading is partial or unreadable (bill-json.md).
//
// Those findings are `math` (the items against the printed totals and the balance),
// `summary_bill` (no items, or items without codes) and `duplicate` findings that rest on
// a line without a date of service. On a bill whose read_quality is not complete they are
// kept, as severity info with check_by_hand set and an explanation that starts by saying
// what to check by hand; letters leave them out. A bill without read_quality (built by
// hand, or read before the reading was assessed) is left as it is.
#ifndef BILLWISE_PIPELINE_AUDIT_READING_GATE_H_
#define BILLWISE_PIPELINE_AUDIT_READING_GATE_H_

#include "pipeline/model/bill.h"

namespace billwise {

// True when `finding` needs a complete reading of `bill` to be asserted.
bool NeedsCompleteReading(const Bill& bill, const Finding& finding);

void HoldFindingsOfPartialReading(Bill* bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_READING_GATE_H_
