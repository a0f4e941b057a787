#include "pipeline/audit/audit_data.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <set>

#include "pipeline/model/strings.h"
#include "pipeline/refdata/reference_db.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPtpRationaleFile = "ncci/ptp_rationale_codes.csv";
constexpr const char* kPanelFile = "labs/lab_panel_components.csv";
constexpr const char* kPovertyFile = "hhs/poverty_guidelines_2025_2026.csv";

bool ParseInt(std::string_view s, long* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
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

// A five-character HCPCS/CPT code (letters in either case).
bool IsCode(std::string_view code) {
  return code.size() == 5 && std::all_of(code.begin(), code.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0;
         });
}

// The setting's name in the reference database's mue table.
const char* MueSetting(NcciSetting s) {
  switch (s) {
    case NcciSetting::kPractitioner: return "practitioner";
    case NcciSetting::kOutpatientHospital: return "outpatient_hospital";
    case NcciSetting::kDmeSupplier: return "dme_supplier";
  }
  return "practitioner";
}

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

const std::string& AuditData::ptp_edition() const { return ptp_edition_; }

Expected<void> AuditData::LoadNcci() {
  auto rationale = LoadCsv(dir_, kPtpRationaleFile, {"rationale", "text"});
  if (!rationale) return std::unexpected(rationale.error());
  rationale_text_.assign(16, "");
  for (size_t i = 0; i < rationale->row_count(); ++i) {
    auto r = rationale->Row(i);
    long code = 0;
    if (!ParseInt(r[rationale->Column("rationale")], &code) || code < 1 || code > 15) {
      return BadRow(kPtpRationaleFile, i, "rationale code must be 1..15");
    }
    rationale_text_[static_cast<size_t>(code)] = std::string(r[rationale->Column("text")]);
  }
  std::string root = fs::path(dir_).parent_path().string();
  std::string path = FindReferenceDbPath(root);
  if (path.empty()) {
    return Fail(ErrorCode::kNotFound, "no reference database: build it (target reference_db) or set BILLWISE_REFERENCE_DB");
  }
  auto db = ReferenceDb::Open(path, UserReleasesPath());
  if (!db) return std::unexpected(db.error());
  db_ = std::make_unique<ReferenceDb>(std::move(*db));
  auto releases = db_->Releases();
  if (!releases) return std::unexpected(releases.error());
  std::vector<TableInfo> mue;
  for (const TableRelease& r : *releases) {
    std::string where = "reference database: " + r.source_file;
    if (r.table == "ptp") {
      ptp_edition_ = r.release;  // releases come oldest first: the newest is kept
      tables_.insert(tables_.begin(), TableInfo{where, r.release, static_cast<size_t>(r.rows)});
    } else if (r.table == "mue") {
      mue.push_back({where, r.release, static_cast<size_t>(r.rows)});
    }
  }
  if (ptp_edition_.empty()) return Fail(ErrorCode::kBadData, path + ": no NCCI PTP release");
  if (mue.empty()) return Fail(ErrorCode::kBadData, path + ": no NCCI MUE release");
  tables_.push_back({kPtpRationaleFile, ptp_edition_, rationale->row_count()});
  tables_.insert(tables_.end(), mue.begin(), mue.end());
  return {};
}

Expected<void> AuditData::LoadPanels() {
  auto panels = LoadCsv(dir_, kPanelFile, {"panel_code", "component_code", "requirement", "analyte"});
  if (!panels) return std::unexpected(panels.error());
  int pc = panels->Column("panel_code"), cc = panels->Column("component_code"),
      rq = panels->Column("requirement"), an = panels->Column("analyte");
  for (size_t i = 0; i < panels->row_count(); ++i) {
    auto r = panels->Row(i);
    if (!IsCode(r[pc]) || !IsCode(r[cc])) {
      return BadRow(kPanelFile, i, "codes must be five characters");
    }
    if (r[rq] != "required" && r[rq] != "alternative" && r[rq] != "ncci_bundled_only") {
      return BadRow(kPanelFile, i, "unknown requirement '" + std::string(r[rq]) + "'");
    }
    panels_.emplace(Upper(r[pc]), PanelComponent{Upper(r[pc]), Upper(r[cc]), std::string(r[rq]),
                                                 std::string(r[an])});
  }
  panel_edition_ = "CPT lab panel definitions (data/labs/lab_panel_components.csv)";
  tables_.push_back({kPanelFile, panel_edition_, panels->row_count()});
  return {};
}

Expected<void> AuditData::LoadPoverty() {
  auto hhs = LoadCsv(dir_, kPovertyFile, {"year", "region", "household_size", "poverty_guideline_usd",
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
    Guideline& g = guidelines_[{static_cast<int>(year), std::string(r[rc])}];
    g.by_size[static_cast<int>(size)] = amount;
    g.increment_dollars = add;
    if (size == 1) g.base_dollars = amount;
    g.federal_register = std::string(r[fc]);
  }
  for (const auto& [key, g] : guidelines_) {
    if (g.base_dollars <= 0) {
      return Fail(ErrorCode::kBadData, std::string(kPovertyFile) + ": " + std::to_string(key.first) + " " +
                  key.second + " has no household-size-1 row");
    }
  }
  tables_.push_back({kPovertyFile, "HHS poverty guidelines 2025, 2026", hhs->row_count()});
  return {};
}

void AuditData::KeepError(const Error& error) const {
  std::lock_guard lock(error_mutex_);
  if (!error_) error_ = error;
}

Expected<void> AuditData::Status() const {
  std::lock_guard lock(error_mutex_);
  if (error_) return std::unexpected(*error_);
  return {};
}

const std::vector<TableInfo>& AuditData::tables() const { return tables_; }

Expected<std::shared_ptr<const AuditData>> AuditData::Load(const std::string& data_dir, TableLoading loading) {
  (void)loading;  // the NCCI tables are read by lookup in both modes; the rest is small
  std::string dir = data_dir;
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir) / "ncci", ec) && fs::is_directory(fs::path(dir) / "data" / "ncci", ec)) {
    dir = (fs::path(dir) / "data").string();
  }
  std::shared_ptr<AuditData> data(new AuditData());
  data->dir_ = dir;
  if (auto ok = data->LoadNcci(); !ok) return std::unexpected(ok.error());
  if (auto ok = data->LoadPanels(); !ok) return std::unexpected(ok.error());
  if (auto ok = data->LoadPoverty(); !ok) return std::unexpected(ok.error());
  return std::shared_ptr<const AuditData>(std::move(data));
}

std::optional<PtpEdit> AuditData::FindPtp(std::string_view column1, std::string_view column2,
                                          NcciSetting setting, std::string_view date_of_service) const {
  if (setting == NcciSetting::kDmeSupplier || !IsCode(column1) || !IsCode(column2)) return std::nullopt;
  std::string c1 = Upper(column1), c2 = Upper(column2);
  auto hit = db_->FindPtp(c1, c2, date_of_service);
  if (!hit) {
    KeepError(hit.error());
    return std::nullopt;
  }
  if (!*hit) return std::nullopt;
  bool hospital = setting == NcciSetting::kOutpatientHospital;
  std::optional<int> mod = hospital ? (*hit)->oph_mod : (*hit)->prac_mod;
  if (!mod) return std::nullopt;  // no active edit in this setting's table
  int why = hospital ? (*hit)->oph_rationale.value_or((*hit)->rationale) : (*hit)->rationale;
  PtpEdit edit;
  edit.column1 = c1;
  edit.column2 = c2;
  edit.modifier_indicator = *mod;
  edit.rationale = why >= 0 && static_cast<size_t>(why) < rationale_text_.size() ? rationale_text_[static_cast<size_t>(why)] : "";
  edit.edition = (*hit)->release;
  return edit;
}

std::optional<MueLimit> AuditData::FindMue(std::string_view code, NcciSetting setting,
                                           std::string_view date_of_service) const {
  if (!IsCode(code)) return std::nullopt;
  std::string key = Upper(code);
  auto rows = db_->FindMues(key, MueSetting(setting), date_of_service);
  if (!rows) {
    KeepError(rows.error());
    return std::nullopt;
  }
  if (rows->empty()) return std::nullopt;
  // The newest release listing the code; an older release's rationale when it gives none.
  const MueRow& newest = rows->front();
  MueLimit limit{key, newest.value, newest.mai, newest.rationale, newest.release};
  for (const MueRow& r : *rows) {
    if (limit.rationale.empty()) limit.rationale = r.rationale;
  }
  // A newer release in force on the date that does not list the code holds only part of
  // CMS's table (see data/SOURCES.md): the edition says so.
  if (auto in_force = db_->ReleaseOf("mue", date_of_service);
      setting == NcciSetting::kPractitioner && in_force && !in_force->release.empty() &&
                                                               in_force->release != newest.release &&
                                                               in_force->effective_from > newest.effective_from) {
    limit.edition += "; the newer " + in_force->release + " does not list the code";
  }
  return limit;
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
