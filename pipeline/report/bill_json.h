// The bill JSON contract (schema billwise.bill/1, see README "JSON contract"): Bill to
// JSON text and back. This is the only place that knows the key names.
#ifndef BILLWISE_PIPELINE_REPORT_BILL_JSON_H_
#define BILLWISE_PIPELINE_REPORT_BILL_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

namespace billwise {

inline constexpr const char* kBillSchema = "billwise.bill/1";

// Deterministic JSON for one bill: keys in contract order, money with two decimals,
// unknown values null, arrays always present. indent < 0 gives one line.
std::string BillToJson(const Bill& bill, int indent = 2);

// The documents of one file as a JSON array of BillToJson objects.
std::string BillsToJsonArray(const std::vector<Bill>& bills, int indent = 2);

// Parses JSON written by BillToJson (for the case file, merges and imports). Keys it does
// not know are ignored; a wrong schema, malformed JSON or a finding kind that is not a
// FindingKind's name is kInvalidInput.
Expected<Bill> BillFromJson(std::string_view json);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_BILL_JSON_H_
