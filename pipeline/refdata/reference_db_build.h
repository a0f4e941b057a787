// Building the reference database: CMS's published files (as kept in data/cms, gzip or plain)
// loaded into SQLite tables, every row tagged with its release.
//
// A file is recognised by its header row (found after CMS's preamble lines; a header written
// over several rows is read as the rows joined column by column), not by its name:
//   ASP payment limits   "HCPCS Code, HCPCS Code Dosage, Payment Limit, Co-insurance Percentage"
//   ASC Addendum AA / BB "HCPCS Code, ... Payment Indicator, ... Payment Weight, ... Payment Rate"
//                        (AA also "Subject to Multiple Procedure Discounting")
//   Hospital General Information  "Facility ID, Facility Name, ... Hospital Type, Hospital Ownership"
//   CLFS                 "HCPCS, MOD, EFF_DATE, INDICATOR, RATE" (or CMS's CSV extract names)
//   DMEPOS / PEN         "HCPCS, Mod, Mod2, [JURIS, CATG,] AL (NR), AL (R), ..." by state
//   anesthesia base units  "CODE, <year>" (CMS's tab-separated text file)
//   PFS relative values  PPRRVU: "HCPCS, MOD, STATUS CODE, WORK RVU, NON-FAC PE RVU, ..."
//   OPPS Addendum B      "HCPCS Code, SI, APC, Relative Weight, Payment Rate, ... Copayment"
//   NCCI MUE             "HCPCS/CPT Code, <Practitioner|Outpatient Hospital|DME Supplier>
//                        Services MUE Values, MUE Adjudication Indicator, MUE Rationale"
//   and the project's CSV forms of the PFS, OPPS, OPPS cap, HCPCS, ZIP locality and NCCI tables.
// The table is one list of layouts (reference_db_build.cc), not code per file.
// A file matching none is kUnsupported naming the file and the layouts expected. Rows are checked
// (numbers parse, codes are five characters, CCNs six) and a bad row is kBadData naming file
// and line. Each load adds one row to `releases` (table, release, effective dates, source file).
#ifndef BILLWISE_PIPELINE_REFDATA_REFERENCE_DB_BUILD_H_
#define BILLWISE_PIPELINE_REFDATA_REFERENCE_DB_BUILD_H_

#include <string>

#include "pipeline/cases/sqlite_db.h"
#include "pipeline/model/error.h"

namespace billwise {

// What one CMS release file is and when it applies. Dates are yyyy-mm-dd; effective_to is
// "" for a release in force until a newer one replaces it.
struct ReleaseInfo {
  std::string release;         // "ASP 2025 Q4 (Oct 2025)"
  std::string effective_from;  // "2025-10-01"
  std::string effective_to;    // "2025-12-31" or ""
};

// Creates the reference tables in `db` when missing (idempotent).
Expected<void> CreateReferenceSchema(sqlite::Database& db);

// Recognises the file at `path` by its columns and loads it as `release` in one transaction.
// Returns the name of the table it loaded ("asp_limit", "clfs_rate", ...). An empty release
// name is the file's name; an empty effective_from is the date the file states (CLFS EFF_DATE,
// ASP "Effective <date> through <date>", "<Month> <year>" in a title or header, the PFS
// "<year> ... <Month> Release", OPPS "CY <year>", an MUE file name's "Eff_mm-dd-yyyy"), else kUsage.
// `used`, when given, receives the release as loaded. An Excel workbook or zip is kBadData
// saying to save it as CSV (a zip's entries are imported one by one: ImportReleaseBytes).
Expected<std::string> ImportReleaseFile(sqlite::Database& db, const std::string& path,
                                        const ReleaseInfo& release, ReleaseInfo* used = nullptr);
// The same for a file's bytes already read (a zip entry); `path` names it in messages and
// gives the release its default name.
Expected<std::string> ImportReleaseBytes(sqlite::Database& db, std::string bytes, const std::string& path,
                                         const ReleaseInfo& release, ReleaseInfo* used = nullptr);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_REFERENCE_DB_BUILD_H_
