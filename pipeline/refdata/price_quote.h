// PriceCode: every Medicare reference amount of one code at one locality (what
// `billwise price CODE` prints): PFS non-facility and facility, OPPS, CLFS, with the
// reasons for the schedules that do not pay it. Pure and thread-safe.
#ifndef BILLWISE_PIPELINE_REFDATA_PRICE_QUOTE_H_
#define BILLWISE_PIPELINE_REFDATA_PRICE_QUOTE_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/refdata/pricing.h"
#include "pipeline/refdata/reference_data.h"

namespace billwise {

struct CodePrices {
  Service service;
  int year = 2025;
  PriceLocation location;
  std::optional<std::string> descriptor;  // HCPCS Level II only
  std::vector<Quote> quotes;
  std::vector<std::string> notes;         // schedules that do not pay the code, and why
  // With a state of several localities and no ZIP: the PFS amounts in each of them.
  struct LocalityPrices {
    const Locality* locality = nullptr;
    std::optional<Money> nonfacility;
    std::optional<Money> facility;
  };
  std::vector<LocalityPrices> state_localities;
};

// Fails with kUsage for a year without data, kNotFound when no table knows the code.
Expected<CodePrices> PriceCode(const ReferenceData& data, const Service& service, const std::optional<std::string>& zip,
                               const std::optional<std::string>& state, int year);

std::string CodePricesToJson(const CodePrices& prices);
std::string CodePricesToText(const CodePrices& prices);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_PRICE_QUOTE_H_
