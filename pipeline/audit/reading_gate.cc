#include "pipeline/audit/reading_gate.h"

#include <string>

namespace billwise {

bool NeedsCompleteReading(const Bill& bill, const Finding& finding) {
  if (finding.kind == FindingKind::kMath || finding.kind == FindingKind::kSummaryBill) return true;
  if (finding.kind != FindingKind::kDuplicate) return false;
  for (size_t line : finding.lines) {
    if (line < bill.line_items.size() && !bill.line_items[line].date_of_service) return true;
  }
  return false;
}

void HoldFindingsOfPartialReading(Bill* bill) {
  if (bill == nullptr || !bill->read_quality || bill->read_quality->status == ReadStatus::kComplete) return;
  const std::string why = bill->read_quality->status == ReadStatus::kUnreadable
                              ? "the document could not be read"
                              : "not every line of this document was read";
  for (Finding& f : bill->findings) {
    if (f.check_by_hand || !NeedsCompleteReading(*bill, f)) continue;
    f.check_by_hand = true;
    f.severity = Severity::kInfo;
    f.finding_class = FindingClass::kInformation;  // not an error until checked by hand
    f.explanation = "Check by hand (" + why + ", so this may come from the reading, not the bill): " + f.explanation;
  }
}

}  // namespace billwise
