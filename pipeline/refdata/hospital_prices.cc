#include "pipeline/refdata/hospital_prices.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "pipeline/model/strings.h"
#include "pipeline/refdata/price_file_reader.h"

namespace billwise {
namespace {

bool IsCodeTypeWanted(std::string_view type) {
  std::string t = UpperNoSpace(type);
  return t.empty() || t == "CPT" || t == "HCPCS" || t == "CPT/HCPCS" || t == "CPT4" || t == "HCPCS/CPT";
}

void Merge(std::optional<Money>* min, std::optional<Money>* max, std::optional<Money> v) {
  if (!v || v->cents <= 0) return;
  if (!*min || *v < **min) *min = v;
  if (!*max || *v > **max) *max = v;
}

// Keeps the gross and cash prices of a base CPT/HCPCS code's row.
void Add(HospitalPriceList* list, const PriceRecord& r) {
  if (!r.modifiers.empty() || !IsCodeTypeWanted(r.code_type) || !LooksLikeCptOrHcpcs(r.code)) return;
  if ((!r.gross || r.gross->cents <= 0) && (!r.cash || r.cash->cents <= 0)) return;
  StandardCharge& c = list->by_code[r.code];
  Merge(&c.gross_min, &c.gross_max, r.gross);
  Merge(&c.cash_min, &c.cash_max, r.cash);
}

Expected<HospitalPriceList> Collect(PriceFileSource& source, const std::string& name) {
  HospitalPriceList list;
  list.source = name;
  auto info = ReadPriceSource(source, [&](const PriceRecord& r) { Add(&list, r); });
  if (!info) return std::unexpected(info.error());
  list.hospital_name = info->hospital_name;
  list.last_updated = info->last_updated_on;
  list.partial = info->partial;
  list.problem = info->problem;
  if (list.by_code.empty()) {
    return Fail(ErrorCode::kInvalidInput, source.name() + ": no CPT/HCPCS code with a gross or discounted-cash price was found");
  }
  return list;
}

}  // namespace

Expected<HospitalPriceList> ParseHospitalPrices(std::string_view bytes, const std::string& name) {
  PriceFileSource source = PriceFileSource::FromBytes(bytes, name);
  return Collect(source, name);
}

Expected<HospitalPriceList> LoadHospitalPrices(const std::string& path) {
  auto source = PriceFileSource::Open(path);
  if (!source) return std::unexpected(source.error());
  return Collect(*source, std::filesystem::path(path).filename().string());
}

}  // namespace billwise
