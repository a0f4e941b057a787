// Estimate: the Medicare reference price of planned services in every setting where
// Medicare pays them, the hospital's own prices when known, a fair-price range, the
// cheapest setting and questions to ask the clinician (billwise estimate, issue 9).
//
// Settings: "office" (PFS non-facility), "hospital_outpatient" (OPPS facility payment plus
// the PFS facility professional amount, -26 for tests with a PC/TC split), "lab" (CLFS),
// "asc" is never priced: the ASC rate tables are not in the shipped data and each service
// that could be done in an ASC says so in its notes.
// Fair range: low = the Medicare amount in the cheapest setting; high = twice the Medicare
// amount in the most expensive setting (the audit flags charges from 3x Medicare).
// Pure and thread-safe.
#ifndef BILLWISE_PIPELINE_REFDATA_ESTIMATE_H_
#define BILLWISE_PIPELINE_REFDATA_ESTIMATE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"
#include "pipeline/refdata/hospital_prices.h"
#include "pipeline/refdata/pricing.h"
#include "pipeline/refdata/reference_data.h"

namespace billwise {

struct EstimateService {
  std::string code;                    // CPT/HCPCS
  std::vector<std::string> modifiers;  // optional ("26", "TC", "50")
  double quantity = 1;
};

// "99213", "99213x2", "J1885x4", "71046-26" -> service. kUsage on anything else.
Expected<EstimateService> ParseServiceArgument(const std::string& arg);

struct EstimateRequest {
  std::vector<EstimateService> services;
  std::optional<std::string> zip;
  std::optional<std::string> state;
  int year = 2025;
  // The hospital's own price file (--price-file), already parsed.
  std::shared_ptr<const HospitalPriceList> hospital_prices;
  // A hospital of the bundled cash-price slice: its CCN or words of its name (--hospital).
  std::optional<std::string> hospital;
};

struct SettingPrice {
  std::string setting;  // "office" | "hospital_outpatient" | "lab"
  Money amount;         // quantity applied
  std::string basis;
};

struct FairRange {
  Money low;
  Money high;
  std::string basis;
};

struct HospitalQuote {
  std::string hospital;  // name, when known
  std::string source;    // file name or bundled slice with the hospital's MRF URL
  std::optional<Money> gross_min, gross_max, cash_min, cash_max;  // quantity applied
};

struct ServiceEstimate {
  std::string code;
  std::vector<std::string> modifiers;
  double quantity = 1;
  std::optional<std::string> descriptor;  // HCPCS Level II only; never AMA CPT text
  std::vector<SettingPrice> settings;
  std::optional<std::string> cheapest_setting;
  std::optional<Money> saving;            // most expensive setting minus the cheapest
  std::optional<std::string> saving_versus;  // the most expensive setting
  std::optional<FairRange> fair_range;
  std::optional<HospitalQuote> hospital;
  std::vector<std::string> notes;         // settings not priced and why
};

// A question to ask the clinician, with where its numbers come from.
struct Alternative {
  std::string code;
  std::string question;
  std::string source;
  std::optional<Money> saving;
};

struct Estimate {
  int year = 2025;
  PriceLocation location;
  std::string zip;    // as given
  std::string state;  // as given or from the ZIP
  std::vector<ServiceEstimate> services;
  std::optional<FairRange> total_fair_range;
  std::vector<Alternative> alternatives;
  std::vector<std::string> data_versions;
};

// Prices every service. Fails with kUsage for an empty request, an unsupported year or a
// --hospital that matches no (or several) hospitals of the slice; a code no table knows is
// kept with a note, not an error.
Expected<Estimate> EstimateServices(const ReferenceData& data, const EstimateRequest& request);

// JSON (keys documented in pipeline/refdata/README.md) and a plain-text report.
std::string EstimateToJson(const Estimate& estimate);
std::string EstimateToText(const Estimate& estimate);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_ESTIMATE_H_
