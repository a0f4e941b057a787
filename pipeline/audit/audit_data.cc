#include "pipeline/audit/audit_data.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <set>

#include "pipeline/audit/ptp_pack.h"
#include "pipeline/model/strings.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/blocked_table.h"
#include "pipeline/tables/gzip.h"
#include "pipeline/tables/lazy_blocks.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPtpFile = "ncci/ptp_2024q3.bin";
constexpr const char* kPtpRationaleFile = "ncci/ptp_rationale_codes.csv";
constexpr const char* kMue2024File = "ncci/mue_2024q3.bwt";
constexpr const char* kMue2026Q2File = "ncci/mue_practitioner_mai3_2026q2.bwt";
constexpr const char* kMue2026Q3File = "ncci/mue_practitioner_excerpt_2026q3.bwt";
// The MUE editions, oldest first: for the practitioner setting the newest that lists a
// code wins (see README.md for why).
constexpr const char* kMueEditions[] = {"NCCI MUE 2024Q3", "NCCI MUE 2026Q2 (practitioner, MAI 3 subset)",
                                        "NCCI MUE 2026Q3 (practitioner, excerpt)"};
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

struct AuditData::MueTables {
  // Index = edition (kMueEditions order).
  std::unique_ptr<LazyBlocks<std::vector<MueRow>>> editions[3];
};

AuditData::AuditData() = default;
AuditData::~AuditData() = default;

const std::string& AuditData::ptp_edition() const {
  EnsurePtp();
  return ptp_->edition();
}

Expected<void> AuditData::LoadPtp() {
  const std::string& dir = dir_;
  auto rationale = LoadCsv(dir, kPtpRationaleFile, {"rationale", "text"});
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
  auto ptp = audit_internal::PtpTable::Read(dir + "/" + kPtpFile);
  if (!ptp && ptp.error().code == ErrorCode::kNotFound) return std::unexpected(ptp.error());
  if (!ptp) return Fail(ErrorCode::kBadData, std::string(kPtpFile) + ": " + ptp.error().message);
  ptp_ = std::make_unique<audit_internal::PtpTable>(std::move(*ptp));
  ptp_tables_ = {TableInfo{kPtpFile, ptp_->edition(), ptp_->pair_count()},
                 TableInfo{kPtpRationaleFile, ptp_->edition(), rationale->row_count()}};
  return {};
}

Expected<void> AuditData::LoadMue() {
  auto mue = std::make_unique<MueTables>();
  const char* files[] = {kMue2024File, kMue2026Q2File, kMue2026Q3File};
  for (int e = 0; e < 3; ++e) {
    auto table = BlockedTable::Read(dir_ + "/" + files[e], files[e]);
    if (!table) return std::unexpected(table.error());
    mue_tables_.push_back({files[e], kMueEditions[e], table->row_count()});
    mue->editions[e] = std::make_unique<LazyBlocks<std::vector<MueRow>>>(
        std::move(*table), [](CsvTable& t, std::vector<MueRow>* out) -> Expected<void> {
          if (auto ok = t.Open({"hcpcs", "mue_value", "mai"}); !ok) return ok;
          int hc = t.Column("hcpcs"), st = t.Column("setting"), va = t.Column("mue_value"), ma = t.Column("mai"),
              ra = t.Column("rationale");
          while (t.Next()) {
            MueRow row;
            auto code = audit_internal::EncodeCode(t.Field(hc));
            if (!code) return std::unexpected(t.BadRow("code must be five characters"));
            row.code = *code;
            std::string_view setting = st >= 0 ? t.Field(st) : "practitioner";
            row.setting = setting == "practitioner" ? 0 : setting == "outpatient_hospital" ? 1
                        : setting == "dme_supplier" ? 2 : -1;
            if (row.setting < 0) return std::unexpected(t.BadRow("unknown setting '" + std::string(setting) + "'"));
            long value = 0, mai = 0;
            if (!ParseInt(t.Field(va), &value) || value < 0 || value > 1000000 || !ParseInt(t.Field(ma), &mai) ||
                mai < 1 || mai > 3) {
              return std::unexpected(t.BadRow("bad mue_value or mai"));
            }
            row.value = static_cast<int>(value);
            row.mai = static_cast<int>(mai);
            row.rationale = std::string(t.Field(ra));
            out->push_back(std::move(row));
          }
          return {};
        });
  }
  mue_ = std::move(mue);
  return {};
}

Expected<void> AuditData::LoadPanels() {
  auto panels = LoadCsv(dir_, kPanelFile, {"panel_code", "component_code", "requirement", "analyte"});
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
    panels_.emplace(Upper(r[pc]), PanelComponent{Upper(r[pc]), Upper(r[cc]), std::string(r[rq]),
                                                 std::string(r[an])});
  }
  panel_edition_ = "CPT lab panel definitions (data/labs/lab_panel_components.csv)";
  other_tables_.push_back({kPanelFile, panel_edition_, panels->row_count()});
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
  other_tables_.push_back({kPovertyFile, "HHS poverty guidelines 2025, 2026", hhs->row_count()});
  return {};
}

void AuditData::KeepError(const Error& error) const {
  std::lock_guard lock(error_mutex_);
  if (!error_) error_ = error;
}

// The object was created non-const by Load; each table is filled exactly once, before any
// reader can see it (call_once synchronises).
void AuditData::EnsurePtp() const {
  std::call_once(ptp_once_, [this] {
    auto* self = const_cast<AuditData*>(this);
    if (auto ok = self->LoadPtp(); !ok) {
      self->ptp_ = std::make_unique<audit_internal::PtpTable>();
      self->ptp_tables_.clear();
      KeepError(ok.error());
    }
  });
}

Expected<void> AuditData::Status() const {
  for (const auto& edition : mue_->editions) {
    if (auto ok = edition->Status(); !ok) return ok;
  }
  std::lock_guard lock(error_mutex_);
  if (error_) return std::unexpected(*error_);
  return {};
}

const std::vector<TableInfo>& AuditData::tables() const {
  EnsurePtp();
  std::call_once(tables_once_, [this] {
    tables_ = ptp_tables_;
    tables_.insert(tables_.end(), mue_tables_.begin(), mue_tables_.end());
    tables_.insert(tables_.end(), other_tables_.begin(), other_tables_.end());
  });
  return tables_;
}

Expected<std::shared_ptr<const AuditData>> AuditData::Load(const std::string& data_dir, TableLoading loading) {
  std::string dir = data_dir;
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir) / "ncci", ec) && fs::is_directory(fs::path(dir) / "data" / "ncci", ec)) {
    dir = (fs::path(dir) / "data").string();
  }
  std::shared_ptr<AuditData> data(new AuditData());
  data->dir_ = dir;
  // The MUE tables are opened here and parsed block by block on lookup (all at once when
  // eager); the PTP table is opened on its first lookup (its blocks decode lazily anyway).
  if (auto ok = data->LoadMue(); !ok) return std::unexpected(ok.error());
  if (loading == TableLoading::kOnFirstUse) {
    for (const char* file : {kPtpFile, kPtpRationaleFile}) {
      if (std::string path = dir + "/" + file; access(path.c_str(), R_OK) != 0) {
        return Fail(ErrorCode::kNotFound, path + ": cannot open the file");
      }
    }
  } else {
    data->EnsurePtp();
    for (const auto& edition : data->mue_->editions) {
      if (auto ok = edition->ParseAll(); !ok) return std::unexpected(ok.error());
    }
    if (auto ok = data->Status(); !ok) return std::unexpected(ok.error());
  }
  if (auto ok = data->LoadPanels(); !ok) return std::unexpected(ok.error());
  if (auto ok = data->LoadPoverty(); !ok) return std::unexpected(ok.error());
  return std::shared_ptr<const AuditData>(std::move(data));
}

std::optional<PtpEdit> AuditData::FindPtp(std::string_view column1, std::string_view column2,
                                          NcciSetting setting) const {
  EnsurePtp();
  auto hit = ptp_->Find(column1, column2);
  if (!hit) {
    if (auto ok = ptp_->Status(); !ok) KeepError(ok.error());
    return std::nullopt;
  }
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
  std::string key = Upper(code);
  const int wanted = SettingIndex(setting);
  // The row of each edition that lists the code in this setting, newest edition first.
  std::optional<MueLimit> found;
  for (int e = 2; e >= 0; --e) {
    const std::vector<MueRow>* rows = mue_->editions[e]->ForKey(key);
    if (rows == nullptr) continue;
    for (const MueRow& row : *rows) {
      if (row.code != *number || row.setting != wanted) continue;
      if (!found) {
        found = MueLimit{key, row.value, row.mai, row.rationale, kMueEditions[e]};
      } else if (found->rationale.empty()) {
        found->rationale = row.rationale;  // an older edition's rationale when the newer gives none
      }
      break;
    }
    if (found && !found->rationale.empty()) break;
  }
  return found;
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
