#include "pipeline/audit/audit_data.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <future>
#include <system_error>
#include <set>

#include "pipeline/audit/ptp_pack.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

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

Expected<CsvRows> LoadCsv(const std::string& dir, const char* file,
                           const std::vector<std::string>& columns) {
  auto text = ReadFileInflating(dir + "/" + file);
  if (!text) return std::unexpected(text.error());
  return ParseCsvRows(std::move(*text), file, columns);
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

uint8_t AuditData::InternMueRationale(std::string_view text) {
  for (size_t i = 0; i < mue_rationales_.size(); ++i) {
    if (mue_rationales_[i] == text) return static_cast<uint8_t>(i);
  }
  if (mue_rationales_.size() >= 255) return 0;
  mue_rationales_.emplace_back(text);
  return static_cast<uint8_t>(mue_rationales_.size() - 1);
}

Expected<std::shared_ptr<const AuditData>> AuditData::Load(const std::string& data_dir) {
  std::string dir = data_dir;
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir) / "ncci", ec) && fs::is_directory(fs::path(dir) / "data" / "ncci", ec)) {
    dir = (fs::path(dir) / "data").string();
  }
  std::shared_ptr<AuditData> data(new AuditData());

  // NCCI PTP edits: the largest table, inflated and decoded on a second thread while this one
  // reads the others (inline when no thread can be started).
  auto load_ptp = [path = dir + "/" + kPtpFile]() -> Expected<audit_internal::PtpTable> {
    auto packed = ReadFileInflating(path);
    if (!packed) return std::unexpected(packed.error());
    auto ptp = audit_internal::PtpTable::Unpack(*packed);
    if (!ptp) return Fail(ErrorCode::kBadData, std::string(kPtpFile) + ": " + ptp.error().message);
    return ptp;
  };
  std::future<Expected<audit_internal::PtpTable>> ptp_future;
  try {
    ptp_future = std::async(std::launch::async, load_ptp);
  } catch (const std::system_error&) {
    std::promise<Expected<audit_internal::PtpTable>> inline_result;
    inline_result.set_value(load_ptp());
    ptp_future = inline_result.get_future();
  }
  // Every return below waits for the PTP thread first (the future's destructor joins it).

  auto rationale = LoadCsv(dir, kPtpRationaleFile, {"rationale", "text"});
  if (!rationale) return std::unexpected(rationale.error());
  data->rationale_text_.assign(16, "");
  for (size_t i = 0; i < rationale->row_count(); ++i) {
    auto r = rationale->Row(i);
    long code = 0;
    if (!ParseInt(r[rationale->Column("rationale")], &code) || code < 1 || code > 15) {
      return BadRow(kPtpRationaleFile, i, "rationale code must be 1..15");
    }
    data->rationale_text_[static_cast<size_t>(code)] = std::string(r[rationale->Column("text")]);
  }
  data->tables_.push_back({kPtpRationaleFile, "NCCI PTP 2024Q3 (v30.2)", rationale->row_count()});

  // MUEs: 2024 Q3 for all settings, then newer practitioner editions on top.
  data->mue_editions_ = {"NCCI MUE 2024Q3", "NCCI MUE 2026Q2 (practitioner, MAI 3 subset)",
                         "NCCI MUE 2026Q3 (practitioner, excerpt)"};
  data->mue_rationales_ = {""};
  data->mue_.reserve(16384);
  {
    auto mue = LoadCsv(dir, kMue2024File, {"hcpcs", "setting", "mue_value", "mai", "rationale"});
    if (!mue) return std::unexpected(mue.error());
    int hc = mue->Column("hcpcs"), st = mue->Column("setting"), va = mue->Column("mue_value"),
        ma = mue->Column("mai"), ra = mue->Column("rationale");
    for (size_t i = 0; i < mue->row_count(); ++i) {
      auto r = mue->Row(i);
      int setting = r[st] == "practitioner" ? 0 : r[st] == "outpatient_hospital" ? 1 : r[st] == "dme_supplier" ? 2 : -1;
      long value = 0, mai = 0;
      auto code = audit_internal::EncodeCode(r[hc]);
      if (!code) return BadRow(kMue2024File, i, "code must be five characters");
      if (setting < 0) return BadRow(kMue2024File, i, "unknown setting '" + std::string(r[st]) + "'");
      if (!ParseInt(r[va], &value) || value < 0 || value > 1000000 || !ParseInt(r[ma], &mai) || mai < 1 || mai > 3) {
        return BadRow(kMue2024File, i, "bad mue_value or mai");
      }
      data->mue_[*code].by_setting[setting] =
          MueEntry{static_cast<int32_t>(value), static_cast<uint8_t>(mai), data->InternMueRationale(r[ra]), 0};
    }
    data->tables_.push_back({kMue2024File, data->mue_editions_[0], mue->row_count()});
  }
  uint8_t edition = 1;
  for (const char* file : {kMue2026Q2File, kMue2026Q3File}) {
    auto mue = LoadCsv(dir, file, {"hcpcs", "mue_value", "mai"});
    if (!mue) return std::unexpected(mue.error());
    int hc = mue->Column("hcpcs"), va = mue->Column("mue_value"), ma = mue->Column("mai"),
        ra = mue->Column("rationale");
    for (size_t i = 0; i < mue->row_count(); ++i) {
      auto r = mue->Row(i);
      long value = 0, mai = 0;
      auto code = audit_internal::EncodeCode(r[hc]);
      if (!code) return BadRow(file, i, "code must be five characters");
      if (!ParseInt(r[va], &value) || value < 0 || value > 1000000 || !ParseInt(r[ma], &mai) || mai < 1 || mai > 3) {
        return BadRow(file, i, "bad mue_value or mai");
      }
      MueEntry& e = data->mue_[*code].by_setting[0];
      // Keep the older rationale text when the newer edition does not give one.
      uint8_t why = ra >= 0 && !r[ra].empty() ? data->InternMueRationale(r[ra]) : e.rationale;
      e = MueEntry{static_cast<int32_t>(value), static_cast<uint8_t>(mai), why, edition};
    }
    data->tables_.push_back({file, data->mue_editions_[edition], mue->row_count()});
    ++edition;
  }

  // Lab panels.
  {
    auto panels = LoadCsv(dir, kPanelFile, {"panel_code", "component_code", "requirement", "analyte"});
    if (!panels) return std::unexpected(panels.error());
    int pc = panels->Column("panel_code"), cc = panels->Column("component_code"),
        rq = panels->Column("requirement"), an = panels->Column("analyte");
    for (size_t i = 0; i < panels->row_count(); ++i) {
      auto r = panels->Row(i);
      if (!audit_internal::EncodeCode(r[pc]) || !audit_internal::EncodeCode(r[cc])) {
        return BadRow(kPanelFile, i, "codes must be five characters");
      }
      if (r[rq] != "required" && r[rq] != "alternative" && r[rq] != "ncci_bundled_only") {
        return BadRow(kPanelFile, i, "unknown requirement '" + std::string(r[rq]) + "'");
      }
      data->panels_.emplace(Upper(r[pc]), PanelComponent{Upper(r[pc]), Upper(r[cc]), std::string(r[rq]),
                                                         std::string(r[an])});
    }
    data->panel_edition_ = "CPT lab panel definitions (data/labs/lab_panel_components.csv)";
    data->tables_.push_back({kPanelFile, data->panel_edition_, panels->row_count()});
  }

  // Poverty guidelines.
  {
    auto hhs = LoadCsv(dir, kPovertyFile, {"year", "region", "household_size", "poverty_guideline_usd",
                                           "add_per_additional_person_usd", "federal_register"});
    if (!hhs) return std::unexpected(hhs.error());
    int yc = hhs->Column("year"), rc = hhs->Column("region"), hc = hhs->Column("household_size"),
        pc = hhs->Column("poverty_guideline_usd"), ac = hhs->Column("add_per_additional_person_usd"),
        fc = hhs->Column("federal_register");
    for (size_t i = 0; i < hhs->row_count(); ++i) {
      auto r = hhs->Row(i);
      long year = 0, size = 0, amount = 0, add = 0;
      if (!ParseInt(r[yc], &year) || !ParseInt(r[hc], &size) || size < 1 || !ParseInt(r[pc], &amount) ||
          !ParseInt(r[ac], &add)) {
        return BadRow(kPovertyFile, i, "bad number");
      }
      if (r[rc] != "48_contiguous_dc" && r[rc] != "alaska" && r[rc] != "hawaii") {
        return BadRow(kPovertyFile, i, "unknown region '" + std::string(r[rc]) + "'");
      }
      Guideline& g = data->guidelines_[{static_cast<int>(year), std::string(r[rc])}];
      g.by_size[static_cast<int>(size)] = amount;
      g.increment_dollars = add;
      if (size == 1) g.base_dollars = amount;
      g.federal_register = std::string(r[fc]);
    }
    for (const auto& [key, g] : data->guidelines_) {
      if (g.base_dollars <= 0) {
        return Fail(ErrorCode::kBadData, std::string(kPovertyFile) + ": " + std::to_string(key.first) + " " +
                    key.second + " has no household-size-1 row");
      }
    }
    data->tables_.push_back({kPovertyFile, "HHS poverty guidelines 2025, 2026", hhs->row_count()});
  }
  auto ptp = ptp_future.get();
  if (!ptp) return std::unexpected(ptp.error());
  data->ptp_ = std::make_unique<audit_internal::PtpTable>(std::move(*ptp));
  data->tables_.insert(data->tables_.begin(), TableInfo{kPtpFile, data->ptp_->edition(), data->ptp_->pair_count()});
  data->tables_[1].edition = data->ptp_->edition();
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
  auto number = audit_internal::EncodeCode(code);
  if (!number) return std::nullopt;
  auto it = mue_.find(*number);
  if (it == mue_.end()) return std::nullopt;
  const MueEntry& e = it->second.by_setting[SettingIndex(setting)];
  if (e.value < 0) return std::nullopt;
  return MueLimit{Upper(code), e.value, e.mai, mue_rationales_[e.rationale], mue_editions_[e.edition]};
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

std::vector<PanelComponent> AuditData::DirectPanelComponents(std::string_view panel) const {
  std::vector<PanelComponent> out;
  auto [first, last] = panels_.equal_range(Upper(panel));
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::vector<std::string> AuditData::PanelCodes() const {
  std::vector<std::string> codes;
  for (const auto& [panel, component] : panels_) {
    if (codes.empty() || codes.back() != panel) codes.push_back(panel);
  }
  return codes;
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
