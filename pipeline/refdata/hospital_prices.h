// HospitalPriceList: a hospital's own published prices per billing code, read from its
// price-transparency ("standard charges") file under 45 CFR 180.50.
//
// Built on the streaming reader (price_file_reader.h), so every shape it reads is accepted
// (CMS JSON v2/v1.1, tall/wide/plain CSV; plain, gzip or zip) in bounded memory. Only
// CPT/HCPCS codes are kept (CDM, MS-DRG, RC, NDC ... are skipped) and rows with modifiers are
// left out; where a code has several rows (settings, packages), the minimum and maximum of
// each price are kept. Descriptions are not kept (they can hold AMA CPT text). For the
// negotiated rates of every payer and plan use PriceIndex (price_index.h).
//
// Pure functions, thread-safe. Fail with kInvalidInput (naming the file and the byte offset
// or line) when nothing priced is found, kNotFound/kIo when the file cannot be read. A file
// that breaks after some rows gives what was read, with `partial` set.
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
  bool partial = false;       // the file broke off: only the rows before `problem` are here
  std::string problem;
  std::map<std::string, StandardCharge> by_code;  // CPT/HCPCS code -> prices

  const StandardCharge* Find(std::string_view code) const {
    auto it = by_code.find(std::string(code));
    return it == by_code.end() ? nullptr : &it->second;
  }
};

// Parses a standard-charges file already in memory; `name` is recorded as `source` (the
// fuzzing entry point).
Expected<HospitalPriceList> ParseHospitalPrices(std::string_view bytes, const std::string& name);
// Streams a file (plain, gzip or zip).
Expected<HospitalPriceList> LoadHospitalPrices(const std::string& path);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_HOSPITAL_PRICES_H_
