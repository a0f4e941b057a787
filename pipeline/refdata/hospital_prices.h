// HospitalPriceList: a hospital's own published prices per billing code, read from its
// price-transparency ("standard charges") file under 45 CFR 180.50.
//
// ParseHospitalPrices accepts the CMS template formats and common variants:
//   * CSV "tall" (v2/v3 template: two metadata rows, then a header with description,
//     code|1, code|1|type, ..., standard_charge|gross, standard_charge|discounted_cash, one
//     row per payer/plan);
//   * CSV "wide" (same gross and discounted_cash columns, payer columns to the right);
//   * plain CSVs with headers such as "CPT/HCPCS", "Gross Charge", "Cash Price",
//     "Self Pay", "Discounted Cash Price";
//   * JSON (template v2: standard_charge_information[].code_information[] and
//     standard_charges[].gross_charge / discounted_cash; v1-style flat arrays too).
// Only CPT/HCPCS codes are kept (other code types such as CDM, MS-DRG, RC, NDC are skipped);
// where a code has several rows (settings, modifiers, packages), the minimum and maximum
// of each price are kept. Descriptions are not kept (they can hold AMA CPT text).
//
// Pure functions, thread-safe. Fails with kInvalidInput when no code and price columns are
// found, kNotFound/kIo when the file cannot be read.
#ifndef BILLWISE_PIPELINE_REFDATA_HOSPITAL_PRICES_H_
#define BILLWISE_PIPELINE_REFDATA_HOSPITAL_PRICES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"

namespace billwise {

// A hospital's published gross (chargemaster) and discounted cash prices for one code.
// Each is a [min, max] pair because a code often appears on several rows.
struct StandardCharge {
  std::optional<Money> gross_min;
  std::optional<Money> gross_max;
  std::optional<Money> cash_min;
  std::optional<Money> cash_max;
};

struct HospitalPriceList {
  std::string hospital_name;  // from the file's metadata; "" when absent
  std::string source;         // what the prices came from: the file name, or the bundled slice
  std::string last_updated;   // metadata "last_updated_on", when present
  std::map<std::string, StandardCharge> by_code;  // CPT/HCPCS code -> prices

  const StandardCharge* Find(std::string_view code) const {
    auto it = by_code.find(std::string(code));
    return it == by_code.end() ? nullptr : &it->second;
  }
};

// Parses a standard-charges file already in memory; `name` is recorded as `source`.
Expected<HospitalPriceList> ParseHospitalPrices(std::string_view bytes, const std::string& name);
// Reads (gzip allowed) and parses a file.
Expected<HospitalPriceList> LoadHospitalPrices(const std::string& path);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_HOSPITAL_PRICES_H_
