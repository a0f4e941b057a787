// AuditData: the coding-edit and poverty-guideline tables the audit and the plan rest on.
//
// Loaded once and immutable afterwards: share one instance between threads freely. Every
// lookup returns the edition of the table it used, so each finding can name its data
// version. The NCCI tables are read from the reference database (pipeline/refdata/
// reference_db.h, built from data/ncci at build time) by each lookup; a database error met
// by a lookup finds nothing and is reported by Status(). The rest is read from data/labs,
// data/hhs and data/ncci/ptp_rationale_codes.csv at Load (see data/SOURCES.md).
//
// Tables:
//   * NCCI PTP edits, all active pairs of 2024 Q3 (v30.2), with the practitioner and the
//     outpatient-hospital modifier indicators.
//   * NCCI MUEs 2024 Q3 (practitioner, outpatient hospital, DME supplier) and the newer
//     partial practitioner releases (2026 Q2 MAI-3 codes, a 2026 Q3 excerpt). A lookup by
//     date of service takes the newest release in force on that date that lists the code
//     (see README.md for why), and its edition says when a newer release in force did not.
//   * Lab panel components (CPT panel definitions, restated as code numbers).
//   * HHS poverty guidelines 2025 and 2026 (48 states + DC, Alaska, Hawaii).
#ifndef BILLWISE_PIPELINE_AUDIT_AUDIT_DATA_H_
#define BILLWISE_PIPELINE_AUDIT_AUDIT_DATA_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"
#include "pipeline/tables/table_loading.h"

namespace billwise {

class ReferenceDb;

// Which CMS table applies: professional claims use the practitioner tables, facility
// (UB-04) claims the outpatient-hospital ones, DME supplier claims the DME MUEs.
enum class NcciSetting { kPractitioner, kOutpatientHospital, kDmeSupplier };
const char* NcciSettingName(NcciSetting setting);  // "practitioner" | "outpatient hospital" | "DME supplier"

struct PtpEdit {
  std::string column1;
  std::string column2;
  int modifier_indicator = 0;  // 0 = no modifier allowed, 1 = NCCI modifier may bypass, 9 = n/a
  std::string rationale;       // CMS "PTP Edit Rationale" text
  std::string edition;         // "NCCI PTP 2024Q3 (v30.2)"
};

struct MueLimit {
  std::string code;
  int value = 0;      // maximum units per line (MAI 1) or per date of service (MAI 2, 3)
  int mai = 0;        // MUE adjudication indicator 1, 2 or 3
  std::string rationale;  // CMS MUE rationale, when the edition gives it
  std::string edition;    // the release: "NCCI MUE 2024Q3", "NCCI MUE 2026Q2 (practitioner; MAI 3 codes only)", ...
};

struct PanelComponent {
  std::string panel;
  std::string component;
  std::string requirement;  // required | alternative | ncci_bundled_only
  std::string analyte;      // short generic name
};

struct PovertyGuideline {
  int year = 0;
  std::string region;         // 48_contiguous_dc | alaska | hawaii
  int household_size = 0;
  Money amount;               // 100% of the guideline for that household
  std::string federal_register;
};

// One loaded table, for reports and benchmarks.
struct TableInfo {
  std::string file;     // path relative to the data folder
  std::string edition;
  size_t rows = 0;
};

class AuditData {
 public:
  // Loads every table from `data_dir`, which is either the project's data root (the
  // folder holding data/) or the data/ folder itself, and opens the reference database
  // (FindReferenceDbPath). Fails with kNotFound naming the missing file, or kBadData naming
  // the file and the problem. Both loading modes read the NCCI tables by lookup.
  static Expected<std::shared_ptr<const AuditData>> Load(const std::string& data_dir,
                                                         TableLoading loading = TableLoading::kEager);
  // Success, or the first error a lookup met reading the reference database.
  Expected<void> Status() const;
  ~AuditData();
  AuditData(const AuditData&) = delete;
  AuditData& operator=(const AuditData&) = delete;

  // The PTP edit with `column1` as column 1 and `column2` as column 2 that is active in
  // the table of `setting` (practitioner or outpatient hospital) of the release in force on
  // `date_of_service` (yyyy-mm-dd; "" = newest), or nullopt.
  std::optional<PtpEdit> FindPtp(std::string_view column1, std::string_view column2,
                                 NcciSetting setting, std::string_view date_of_service = "") const;

  // The MUE of `code` in `setting` on `date_of_service` ("" = newest), or nullopt when no
  // edition lists it (CMS keeps some MUEs confidential: no entry does not mean no limit).
  std::optional<MueLimit> FindMue(std::string_view code, NcciSetting setting,
                                  std::string_view date_of_service = "") const;

  // All components of a lab panel, nested panels expanded (80050 -> 80053 -> 82947),
  // each once; empty when `panel` is not a panel in the table.
  std::vector<PanelComponent> PanelComponents(std::string_view panel) const;
  // The panel's own rows only (no nesting), and the panel codes the table defines.
  std::vector<PanelComponent> DirectPanelComponents(std::string_view panel) const;
  std::vector<std::string> PanelCodes() const;
  const std::string& panel_edition() const { return panel_edition_; }

  // The guideline for `year`, a two-letter `state` (AK and HI have their own; anything
  // else uses the 48 states + DC table) and household size >= 1 (sizes above the table
  // add the per-person increment). nullopt when the year is not loaded.
  std::optional<PovertyGuideline> FindPovertyGuideline(int year, std::string_view state,
                                                       int household_size) const;
  std::vector<int> poverty_years() const;

  // Every table (PTP and its rationale codes first).
  const std::vector<TableInfo>& tables() const;
  const std::string& ptp_edition() const;

 private:
  AuditData();
  struct Guideline {
    long base_dollars = 0;
    long increment_dollars = 0;
    std::map<int, long> by_size;
    std::string federal_register;
  };
  Expected<void> LoadNcci();
  Expected<void> LoadPanels();
  Expected<void> LoadPoverty();
  void KeepError(const Error& error) const;

  std::string dir_;  // the data/ folder
  mutable std::mutex error_mutex_;
  mutable std::optional<Error> error_;  // guarded by error_mutex_

  std::unique_ptr<ReferenceDb> db_;
  std::string ptp_edition_;  // the newest PTP release
  std::vector<std::string> rationale_text_;  // index = rationale code
  std::multimap<std::string, PanelComponent, std::less<>> panels_;
  std::string panel_edition_;
  std::map<std::pair<int, std::string>, Guideline> guidelines_;  // (year, region)
  std::vector<TableInfo> tables_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_AUDIT_DATA_H_
