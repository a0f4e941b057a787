// Findings from a hospital's published negotiated rates (PriceIndex::Lookup) for one bill line:
// the patient's own plan's rate against the line's EOB allowed amount and its charge, or,
// without a plan, the charge against the band of all negotiated rates.
#ifndef BILLWISE_PIPELINE_REFDATA_NEGOTIATED_RATES_H_
#define BILLWISE_PIPELINE_REFDATA_NEGOTIATED_RATES_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/refdata/price_index.h"

namespace billwise {

struct PatientPlan {
  std::optional<std::string> payer;  // matched by containment, case-insensitive
  std::optional<std::string> plan;
  bool known() const { return payer.has_value() || plan.has_value(); }
};

// The base-code rates of `prices` that belong to `plan` (all rates when the plan is unknown).
std::vector<PayerPlanRate> RatesForPlan(const PublishedPrices& prices, const PatientPlan& plan);

// Appends to *findings what line `index` (labelled `label`, `quantity` units) shows against
// the file's published rates. Findings cite the file and its last_updated_on.
void CheckNegotiatedRates(const PublishedPrices& prices, const PriceFileInfo& file, const PatientPlan& plan,
                          const LineItem& line, size_t index, const std::string& label, double quantity,
                          std::vector<Finding>* findings);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_NEGOTIATED_RATES_H_
