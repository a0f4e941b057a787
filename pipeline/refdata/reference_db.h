// ReferenceDb: the reference tables held in one SQLite file (built at build time by
// refdb_build from CMS's published files in data/cms; see reference_db_build.h), opened
// read-only, immutable and memory-mapped. Every row carries the release it came from, and a
// lookup by date of service uses the release in force on that date.
//
//   asp_limit  Medicare Part B drug payment limits (ASP), per HCPCS billing unit
//   asc_rate   ASC Addenda AA and BB: payment indicator, weight and national rate
//   hospital   CMS Hospital General Information: type and ownership by CCN
//   clfs_rate  Clinical Laboratory Fee Schedule: national limitation amount by code and modifier
//   dmepos_fee DMEPOS and PEN fee schedules: non-rural and rural amount by code, modifiers, state
//   anesthesia_base  anesthesia base units by code
//   pfs_rvu    PFS relative value units by code and modifier
//   opps_rate  OPPS Addendum B: status indicator, APC, weight, national rate and copayment
//   opps_cap   OPPS caps on PFS technical amounts, by code, modifier and locality
//   hcpcs_code HCPCS Level II descriptors (public domain; no CPT text is held)
//   zip_locality  ZIP5 -> Medicare carrier and locality
//   mue        NCCI medically unlikely edits by code and setting
//   ptp        NCCI procedure-to-procedure edits (active pairs), both modifier indicators
//
// Lookups may come from any thread: they are serialised on one connection, and each kind of
// query is prepared once and kept. Failures are Errors naming the database file.
#ifndef BILLWISE_PIPELINE_REFDATA_REFERENCE_DB_H_
#define BILLWISE_PIPELINE_REFDATA_REFERENCE_DB_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/cases/sqlite_db.h"
#include "pipeline/model/error.h"
#include "pipeline/model/money.h"

namespace billwise {

// The reference database a program in data_dir (the folder holding data/, or data/ itself)
// opens: $BILLWISE_REFERENCE_DB, else <data_dir>/data/reference.sqlite (an installed tree),
// else the build tree's copy; "" when none exists.
std::string FindReferenceDbPath(const std::string& data_dir);

// The user's own releases: $XDG_DATA_HOME/billwise/reference-releases.sqlite, else
// $HOME/.local/share/billwise/reference-releases.sqlite; "" when neither variable is set.
std::string UserReleasesPath();

// One release of one table, as recorded when it was loaded.
struct TableRelease {
  std::string table;           // "asp_limit"
  std::string release;         // "CMS ASP 2025 Q4 (Oct 2025)"
  std::string effective_from;  // yyyy-mm-dd
  std::string effective_to;    // yyyy-mm-dd, or "" (in force until replaced)
  std::string source_file;
  int64_t rows = 0;
};

// One row of the PFS relative value file (a code, or a code with modifier 26, TC or 53).
struct PfsRvu {
  std::string code;
  std::string modifier;  // "", "26", "TC", "53"
  char status = ' ';     // CMS status code; A, R and T are paid from RVUs
  double work = 0;
  double pe_nonfacility = 0;
  double pe_facility = 0;
  double malpractice = 0;
  bool nonfacility_na = false;  // "NA": not normally done in an office; CMS pays no non-facility PE
  bool facility_na = false;
  int pctc = 9;                 // PC/TC indicator (1 = has -26/-TC split)
  std::string global_days;      // "000", "010", "090", "XXX", ...
  int multiple_procedure = 9;
  int bilateral = 9;            // 0 none, 1 150% with -50, 2 already bilateral, 3 100% each side, 9 n/a

  bool Payable() const { return status == 'A' || status == 'R' || status == 'T'; }
};

struct ZipLocality {
  std::string zip;
  std::string state;
  std::string mac;
  std::string locality;
  bool spans_localities = false;  // CMS plus4 flag: the ZIP+4 decides; this row is the ZIP default
};

struct OppsRate {
  std::string code;
  std::string status;                 // OPPS status indicator: J1, J2, S, T, V, Q1-Q4, N, K, G, A, B, E1...
  std::string apc;
  std::optional<double> weight;
  std::optional<double> payment_rate;  // national unadjusted, dollars (drugs: per HCPCS unit, 3 decimals)
  std::optional<Money> copay;          // national unadjusted or minimum copayment
};

struct HcpcsDescriptor {
  std::string code;
  std::string short_desc;
  std::string long_desc;
  std::string term_date;  // yyyymmdd when discontinued, else ""
};

struct OppsCap {
  Money facility;
  Money nonfacility;
};

// One MUE of a code in one setting, from one release.
struct MueRow {
  std::string release;
  std::string effective_from;
  int value = 0;
  int mai = 0;
  std::string rationale;  // "" when the release gives none
};

// One active PTP pair. A modifier indicator is none when that table has no active edit.
struct PtpRow {
  std::string release;
  std::optional<int> prac_mod, oph_mod;
  int rationale = 0;                  // code of ptp_rationale_codes.csv
  std::optional<int> oph_rationale;   // the hospital rationale where it differs
};

struct AspLimit {
  std::string code;
  std::string release;
  std::string release_effective_from;  // yyyy-mm-dd
  std::string release_effective_to;    // yyyy-mm-dd, or "" (in force until replaced)
  std::string dosage;            // the billing unit: "15 MG", "1 ML"
  // Payment limit per billing unit in thousandths of a dollar; none when CMS lists "N/A".
  std::optional<int64_t> limit_mills;
  std::optional<double> coinsurance_pct;
  std::string notes;             // e.g. "Inflation-adjusted coinsurance"

  // The limit for `units` billing units, rounded once to the cent (half up); none without a limit.
  std::optional<Money> For(int64_t units) const {
    if (!limit_mills) return std::nullopt;
    return Money::FromCents((*limit_mills * units + 5) / 10);
  }
};

struct AscRate {
  std::string code;
  std::string release;
  std::string release_effective_from;
  std::string release_effective_to;
  std::string payment_indicator;  // A2, G2, P3, N1 (packaged), ...
  bool multiple_procedure_discount = false;
  std::optional<double> weight;
  std::optional<Money> national_rate;  // unadjusted; none for packaged (N1) codes
};

struct ClfsFee {
  std::string code;
  std::string modifier;  // "" for the code's own row, "QW", "TC", ...
  std::string release;
  std::string release_effective_from;
  std::string release_effective_to;
  std::string indicator;
  Money rate;  // national limitation amount
};

// One DMEPOS or PEN fee schedule row in one state.
struct DmeposFee {
  std::string code;
  std::string modifier;   // "NU" new purchase, "RR" rental, "UE" used, "" ...
  std::string modifier2;
  std::string state;
  std::string release;
  std::string release_effective_from;
  std::string release_effective_to;
  std::string category;   // CMS payment category: CR capped rental, IN inexpensive, OS supplies, ...
  std::optional<Money> nonrural;  // none when CMS lists no amount
  std::optional<Money> rural;
};

struct AnesthesiaBase {
  std::string code;
  std::string release;
  std::string release_effective_from;
  std::string release_effective_to;
  int base_units = 0;
};

struct HospitalGeneral {
  std::string ccn;
  std::string release;
  std::string name;
  std::string address;
  std::string city;
  std::string state;
  std::string zip;
  std::string county;
  std::string type;       // "Acute Care Hospitals", "Critical Access Hospitals", ...
  std::string ownership;  // "Voluntary non-profit - Private", "Proprietary", ...
  bool emergency_services = false;

  // Voluntary non-profit (private, church or other): the hospitals section 501(r) governs.
  bool NonProfit() const { return ownership.starts_with("Voluntary non-profit"); }
};

class ReferenceDb {
 public:
  // Opens the database file read-only. kNotFound when it is missing, kBadData (naming the
  // file) when it is not a reference database. When `user_path` names an existing file (the
  // releases the user imported: `billwise data import`), it is attached read-only and every
  // table reads as the shipped rows plus the user's.
  static Expected<ReferenceDb> Open(const std::string& path, const std::string& user_path = "");

  // Every release of every table, oldest first within a table.
  Expected<std::vector<TableRelease>> Releases() const;

  // The limit of `code` from the release in force on `date_of_service` (yyyy-mm-dd): the
  // newest release effective on or before that date, else the oldest release. "" = newest.
  Expected<std::optional<AspLimit>> FindAspLimit(std::string_view code, std::string_view date_of_service = "") const;
  // The ASC rate of a code from the newest release holding it that is in force on the date
  // (else the oldest such release): Addenda AA and BB are separate releases of one table.
  Expected<std::optional<AscRate>> FindAscRate(std::string_view code, std::string_view date_of_service = "") const;
  // The CLFS row of code and modifier (falling back to the code's unmodified row) from the
  // release in force on the date (as FindAspLimit).
  Expected<std::optional<ClfsFee>> FindClfs(std::string_view code, std::string_view modifier,
                                            std::string_view date_of_service = "") const;
  // Every DMEPOS/PEN row of a code in one state (two letters), from the newest release holding
  // the code that is in force on the date (else the oldest such release).
  Expected<std::vector<DmeposFee>> FindDmepos(std::string_view code, std::string_view state,
                                              std::string_view date_of_service = "") const;
  Expected<std::optional<AnesthesiaBase>> FindAnesthesiaBase(std::string_view code,
                                                            std::string_view date_of_service = "") const;
  // Every PFS RVU row of a code (all modifiers), from the release in force on the date.
  Expected<std::vector<PfsRvu>> FindRvus(std::string_view code, std::string_view date_of_service = "") const;
  Expected<std::optional<OppsRate>> FindOpps(std::string_view code, std::string_view date_of_service = "") const;
  Expected<std::optional<OppsCap>> FindOppsCap(std::string_view code, std::string_view modifier,
                                               std::string_view carrier, std::string_view locality,
                                               std::string_view date_of_service = "") const;
  // Newest release's descriptor of a HCPCS Level II code; every code of that release.
  Expected<std::optional<HcpcsDescriptor>> FindHcpcs(std::string_view code) const;
  Expected<std::vector<HcpcsDescriptor>> AllHcpcs() const;
  // Newest release's row of a ZIP5; the number of ZIPs of a state in each "carrier/locality".
  Expected<std::optional<ZipLocality>> FindZip(std::string_view zip5) const;
  Expected<std::vector<std::pair<std::string, int64_t>>> ZipCountsByLocality(std::string_view state) const;
  // The MUE rows of a code in a setting ("practitioner", "outpatient_hospital",
  // "dme_supplier") from every release in force on the date (started on or before it; all
  // releases when the date is ""), newest first; when none started by then, the oldest.
  Expected<std::vector<MueRow>> FindMues(std::string_view code, std::string_view setting,
                                         std::string_view date_of_service = "") const;
  // The active PTP pair (column 1, column 2) from the release in force on the date.
  Expected<std::optional<PtpRow>> FindPtp(std::string_view column1, std::string_view column2,
                                          std::string_view date_of_service = "") const;
  // A table's release in force on the date (see FindAspLimit); an empty one when it has none.
  Expected<TableRelease> ReleaseOf(std::string_view table, std::string_view date_of_service = "") const;

  // Newest release's row of a CCN.
  Expected<std::optional<HospitalGeneral>> FindHospital(std::string_view ccn) const;
  // Hospitals whose name contains every word of `name` (case-insensitive), optionally in
  // one state and city; newest release only, at most `limit`.
  Expected<std::vector<HospitalGeneral>> FindHospitalsByName(std::string_view name, std::string_view state = "",
                                                             std::string_view city = "", int limit = 20) const;

 private:
  // The prepared statements, and the lock a lookup holds while it uses them.
  struct Cache {
    std::mutex mu;
    std::unordered_map<std::string, sqlite::Statement> statements;
    std::vector<sqlite::Statement*> used;  // reset when the lookup's lock is released
    // ReleaseFor's answers by table and date: the database never changes while open, and
    // a bill's bundling check asks once per pair of lines.
    std::unordered_map<std::string, TableRelease> releases;
  };
  // Held by every public lookup: serialises it and resets the statements it used on exit.
  class Lock {
   public:
    explicit Lock(const ReferenceDb* db) : cache_(db->cache_.get()), lock_(cache_->mu) {}
    ~Lock() {
      for (sqlite::Statement* s : cache_->used) s->Reset();
      cache_->used.clear();
    }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    Cache* cache_;
    std::lock_guard<std::mutex> lock_;
  };

  ReferenceDb(sqlite::Database db, std::string path)
      : db_(std::move(db)), path_(std::move(path)), cache_(std::make_unique<Cache>()) {}
  Error Named(const Error& e) const;
  // The statement for `sql`, prepared on first use. REQUIRES: a Lock is held.
  Expected<sqlite::Statement*> Prepared(const std::string& sql) const;
  // The release in force on a date (see FindAspLimit), or an empty release when the table has none.
  // REQUIRES: a Lock is held.
  Expected<TableRelease> ReleaseFor(std::string_view table, std::string_view date_of_service) const;

  mutable sqlite::Database db_;
  std::string path_;
  std::unique_ptr<Cache> cache_;  // after db_: its statements are finalised first
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_REFERENCE_DB_H_
