// ReferenceDb: the reference tables held in one SQLite file (built at build time by
// refdb_build from CMS's published files in data/cms; see reference_db_build.h), opened
// read-only, immutable and memory-mapped. Every row carries the release it came from, and a
// lookup by date of service uses the release in force on that date.
//
//   asp_limit  Medicare Part B drug payment limits (ASP), per HCPCS billing unit
//   asc_rate   ASC Addendum AA: surgical procedure payment indicator, weight and national rate
//   hospital   CMS Hospital General Information: type and ownership by CCN
//   clfs_rate  Clinical Laboratory Fee Schedule: national limitation amount by code and modifier
//   dmepos_fee DMEPOS and PEN fee schedules: non-rural and rural amount by code, modifiers, state
//   anesthesia_base  anesthesia base units by code
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
#include <vector>

#include "pipeline/cases/sqlite_db.h"
#include "pipeline/model/error.h"
#include "pipeline/model/money.h"

namespace billwise {

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
