// Findings by class, and the dollars a dispute can honestly claim.
//
// Every Finding carries its FindingClass (set where it is made): billing errors go in the
// dispute letter, price observations argue the lump-sum or fair-price request, information
// is for the report. Amounts at stake of different findings can rest on the same dollars
// (a duplicate line the EOB also denied); DisputedAmount counts each dollar once.
// Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_AUDIT_FINDINGS_H_
#define BILLWISE_PIPELINE_AUDIT_FINDINGS_H_

#include <optional>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/money.h"

namespace billwise {

// The bill's findings of one class, in the bill's order.
std::vector<const Finding*> FindingsOfClass(const Bill& bill, FindingClass finding_class);

// The dollars the billing errors put at stake, each counted once, never above `cap`
// (the balance, when known). A finding's amount is laid on its lines from the last one back
// (the extra copy of a duplicate, the column-2 code of a bundling pair, the later units), each
// line taking at most what is left of its own charge; the part of an amount a finding cannot
// lay on a line (a total that does not add up, a balance above the EOB) is added as it is.
Money DisputedAmount(const Bill& bill, std::optional<Money> cap);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_FINDINGS_H_
