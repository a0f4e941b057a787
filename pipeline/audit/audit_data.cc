#include "pipeline/audit/audit_data.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <set>

#include "pipeline/audit/csv.h"
#include "pipeline/audit/gzip_io.h"
#include "pipeline/audit/ptp_pack.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;
using audit_internal::CsvTable;

constexpr const char* kPtpFile = "ncci/ptp_2024q3.bin.gz";
constexpr const char* kPtpRationaleFile = "ncci/ptp_rationale_codes.csv";
constexpr const char* kMue2024File = "ncci/mue_2024q3.csv.gz";
constexpr const char* kMue2026Q2File = "ncci/mue_practitioner_mai3_2026q2.csv";
constexpr const char* kMue2026Q3File = "ncci/mue_practitioner_excerpt_2026q3.csv";
constexpr const char* kPanelFile = "labs/lab_panel_components.csv";
constexpr const char* kPovertyFile = "hhs/poverty_guidelines_2025_2026.csv";

bool ParseInt(std::string_view s, long* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

Expected<CsvTable> LoadCsv(const std::string& dir, const char* file,
                           const std::vector<std::string>& columns) {
  auto text = audit_internal::ReadTableFile(dir + "/" + file);
  if (!text) return std::unexpected(text.error());
  return audit_internal::ParseCsv(*text, file, columns);
}

std::unexpected<Error> BadRow(const char* file, size_t row, const std::string& why) {
  return Fail(ErrorCode::kBadData, std::string(file) + ": line " + std::to_string(row + 2) + ": " + why);
}

int SettingIndex(NcciSetting s) { return static_cast<int>(s); }

}  // namespace

const char* NcciSettingName(NcciSetting setting) {
  switch (setting) {
    case NcciSetting::kPractitioner: return "practitioner";
    case NcciSetting::kOutpatientHospital: return "outpatient hospital";
    case NcciSetting::kDmeSupplier: return "DME supplier";
  }
  return "practitioner";
}

AuditData::AuditData() = default;
AuditData::~AuditData() = default;

const std::string& AuditData::ptp_edition() const { return ptp_->edition(); }

Expected<std::shared_ptr<const AuditData>> AuditData::Load(const std::string& data_dir) {
  std::string dir = data_dir;
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir) / "ncci", ec) && fs::is_directory(fs::path(dir) / "data" / "ncci", ec)) {
    dir = (fs::path(dir) / "data").string();
  }
  std::shared_ptr<AuditData> data(new AuditData());

  // NCCI PTP edits.
  auto packed = audit_internal::ReadTableFile(dir + "/" + kPtpFile);
  if (!packed) return std::unexpected(packed.error());
  auto ptp = audit_internal::PtpTable::Unpack(*packed);
  if (!ptp) return Fail(ErrorCode::kBadData, std::string(kPtpFile) + ": " + ptp.error().message);
  data->ptp_ = std::make_unique<audit_internal::PtpTable>(std::move(*ptp));
  data->tables_.push_back({kPtpFile, data->ptp_->edition(), data->ptp_->pair_count()});

  auto rationale = LoadCsv(dir, kPtpRationaleFile, {"rationale", "text"});
  if (!rationale) return std::unexpected(rationale.error());
  data->rationale_text_.assign(16, "");
  for (size_t i = 0; i < rationale->rows.size(); ++i) {
    long code = 0;
    if (!ParseInt(rationale->rows[i][0], &code) || code < 1 || code > 15) {
      return BadRow(kPtpRationaleFile, i, "rationale code must be 1..15");
    }
    data->rationale_text_[static_cast<size_t>(code)] = rationale->rows[i][1];
  }
  data->tables_.push_back({kPtpRationaleFile, data->ptp_->edition(), rationale->rows.size()});

  // MUEs: 2024 Q3 for all settings, then newer practitioner editions on top.
  auto edition = [&](const char* name) {
    data->mue_editions_.push_back(std::make_unique<std::string>(name));
    return data->mue_editions_.back().get();
  };
  const std::string* e2024 = edition("NCCI MUE 2024Q3");
  const std::string* e2026q2 = edition("NCCI MUE 2026Q2 (practitioner, MAI 3 subset)");
  const std::string* e2026q3 = edition("NCCI MUE 2026Q3 (practitioner, excerpt)");
  {
    auto mue = LoadCsv(dir, kMue2024File, {"hcpcs", "setting", "mue_value", "mai", "rationale"});
    if (!mue) return std::unexpected(mue.error());
    int hc = mue->Column("hcpcs"), st = mue->Column("setting"), va = mue->Column("mue_value"),
        ma = mue->Column("mai"), ra = mue->Column("rationale");
    for (size_t i = 0; i < mue->rows.size(); ++i) {
      auto& r = mue->rows[i];
      int setting = r[st] == "practitioner" ? 0 : r[st] == "outpatient_hospital" ? 1 : r[st] == "dme_supplier" ? 2 : -1;
      long value = 0, mai = 0;
      if (setting < 0) return BadRow(kMue2024File, i, "unknown setting '" + r[st] + "'");
      if (!ParseInt(r[va], &value) || value < 0 || !ParseInt(r[ma], &mai) || mai < 1 || mai > 3) {
        return BadRow(kMue2024File, i, "bad mue_value or mai");
      }
      MueEntry& e = data->mue_[Upper(r[hc])].by_setting[setting];
      e = MueEntry{static_cast<int>(value), static_cast<int>(mai), std::move(r[ra]), e2024};
    }
    data->tables_.push_back({kMue2024File, *e2024, mue->rows.size()});
  }
  for (auto [file, ed] : {std::pair{kMue2026Q2File, e2026q2}, std::pair{kMue2026Q3File, e2026q3}}) {
    auto mue = LoadCsv(dir, file, {"hcpcs", "mue_value", "mai"});
    if (!mue) return std::unexpected(mue.error());
    int hc = mue->Column("hcpcs"), va = mue->Column("mue_value"), ma = mue->Column("mai"),
        ra = mue->Column("rationale");
    for (size_t i = 0; i < mue->rows.size(); ++i) {
      auto& r = mue->rows[i];
      long value = 0, mai = 0;
      if (!ParseInt(r[va], &value) || value < 0 || !ParseInt(r[ma], &mai) || mai < 1 || mai > 3) {
        return BadRow(file, i, "bad mue_value or mai");
      }
      MueEntry& e = data->mue_[Upper(r[hc])].by_setting[0];
      std::string why = ra >= 0 && !r[ra].empty() ? r[ra] : e.rationale;  // keep the older rationale text
      e = MueEntry{static_cast<int>(value), static_cast<int>(mai), std::move(why), ed};
    }
    data->tables_.push_back({file, *ed, mue->rows.size()});
  }

  // Lab panels.
  {
    auto panels = LoadCsv(dir, kPanelFile, {"panel_code", "component_code", "requirement", "analyte"});
    if (!panels) return std::unexpected(panels.error());
    int pc = panels->Column("panel_code"), cc = panels->Column("component_code"),
        rq = panels->Column("requirement"), an = panels->Column("analyte");
    for (size_t i = 0; i < panels->rows.size(); ++i) {
      auto& r = panels->rows[i];
      if (!audit_internal::EncodeCode(r[pc]) || !audit_internal::EncodeCode(r[cc])) {
        return BadRow(kPanelFile, i, "codes must be five characters");
      }
      if (r[rq] != "required" && r[rq] != "alternative" && r[rq] != "ncci_bundled_only") {
        return BadRow(kPanelFile, i, "unknown requirement '" + r[rq] + "'");
      }
      data->panels_.emplace(Upper(r[pc]), PanelComponent{Upper(r[pc]), Upper(r[cc]), r[rq], r[an]});
    }
    data->panel_edition_ = "CPT lab panel definitions (data/labs/lab_panel_components.csv)";
    data->tables_.push_back({kPanelFile, data->panel_edition_, panels->rows.size()});
  }

  // Poverty guidelines.
  {
    auto hhs = LoadCsv(dir, kPovertyFile, {"year", "region", "household_size", "poverty_guideline_usd",
                                           "add_per_additional_person_usd", "federal_register"});
    if (!hhs) return std::unexpected(hhs.error());
    int yc = hhs->Column("year"), rc = hhs->Column("region"), hc = hhs->Column("household_size"),
        pc = hhs->Column("poverty_guideline_usd"), ac = hhs->Column("add_per_additional_person_usd"),
        fc = hhs->Column("federal_register");
    for (size_t i = 0; i < hhs->rows.size(); ++i) {
      auto& r = hhs->rows[i];
      long year = 0, size = 0, amount = 0, add = 0;
      if (!ParseInt(r[yc], &year) || !ParseInt(r[hc], &size) || size < 1 || !ParseInt(r[pc], &amount) ||
          !ParseInt(r[ac], &add)) {
        return BadRow(kPovertyFile, i, "bad number");
      }
      if (r[rc] != "48_contiguous_dc" && r[rc] != "alaska" && r[rc] != "hawaii") {
        return BadRow(kPovertyFile, i, "unknown region '" + r[rc] + "'");
      }
      Guideline& g = data->guidelines_[{static_cast<int>(year), r[rc]}];
      g.by_size[static_cast<int>(size)] = amount;
      g.increment_dollars = add;
      if (size == 1) g.base_dollars = amount;
      g.federal_register = r[fc];
    }
    for (const auto& [key, g] : data->guidelines_) {
      if (g.base_dollars <= 0) {
        return Fail(ErrorCode::kBadData, std::string(kPovertyFile) + ": " + std::to_string(key.first) + " " +
                    key.second + " has no household-size-1 row");
      }
    }
    data->tables_.push_back({kPovertyFile, "HHS poverty guidelines 2025, 2026", hhs->rows.size()});
  }
  return std::shared_ptr<const AuditData>(std::move(data));
}

std::optional<PtpEdit> AuditData::FindPtp(std::string_view column1, std::string_view column2,
                                          NcciSetting setting) const {
  auto hit = ptp_->Find(column1, column2);
  if (!hit) return std::nullopt;
  bool hospital = setting == NcciSetting::kOutpatientHospital;
  uint8_t mod = hospital ? hit->oph_mod : hit->prac_mod;
  if (mod == audit_internal::kModNoEdit || setting == NcciSetting::kDmeSupplier) return std::nullopt;
  uint8_t why = hospital ? hit->oph_rationale : hit->rationale;
  PtpEdit edit;
  edit.column1 = Upper(column1);
  edit.column2 = Upper(column2);
  edit.modifier_indicator = mod == audit_internal::kModNotApplicable ? 9 : mod;
  edit.rationale = why < rationale_text_.size() ? rationale_text_[why] : "";
  edit.edition = ptp_->edition();
  return edit;
}

std::optional<MueLimit> AuditData::FindMue(std::string_view code, NcciSetting setting) const {
  auto it = mue_.find(Upper(code));
  if (it == mue_.end()) return std::nullopt;
  const MueEntry& e = it->second.by_setting[SettingIndex(setting)];
  if (e.value < 0) return std::nullopt;
  return MueLimit{it->first, e.value, e.mai, e.rationale, *e.edition};
}

std::vector<PanelComponent> AuditData::PanelComponents(std::string_view panel) const {
  std::vector<PanelComponent> out;
  std::set<std::string> seen{Upper(panel)};
  std::vector<std::string> queue{Upper(panel)};
  while (!queue.empty()) {
    std::string p = std::move(queue.back());
    queue.pop_back();
    auto [first, last] = panels_.equal_range(p);
    for (auto it = first; it != last; ++it) {
      if (!seen.insert(it->second.component).second) continue;
      out.push_back(it->second);
      queue.push_back(it->second.component);
    }
  }
  return out;
}

std::optional<PovertyGuideline> AuditData::FindPovertyGuideline(int year, std::string_view state,
                                                                int household_size) const {
  if (household_size < 1) return std::nullopt;
  std::string st = Upper(state);
  std::string region = st == "AK" ? "alaska" : st == "HI" ? "hawaii" : "48_contiguous_dc";
  auto it = guidelines_.find({year, region});
  if (it == guidelines_.end()) return std::nullopt;
  const Guideline& g = it->second;
  long dollars = 0;
  if (auto s = g.by_size.find(household_size); s != g.by_size.end()) {
    dollars = s->second;
  } else {
    dollars = g.base_dollars + g.increment_dollars * (household_size - 1);
  }
  return PovertyGuideline{year, region, household_size, Money::FromDollars(dollars), g.federal_register};
}

std::vector<int> AuditData::poverty_years() const {
  std::vector<int> years;
  for (const auto& [key, g] : guidelines_) {
    if (years.empty() || years.back() != key.first) years.push_back(key.first);
  }
  return years;
}

}  // namespace billwise
