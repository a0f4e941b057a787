// ReferenceData: the public CMS payment tables (and the bundled hospital cash-price
// slice) that billwise prices bills and planned services against, loaded from data/.
//
//   data/cms/pfs_rvu_2025.bwt           PFS national RVUs, CY2025 (RVU25D, October release)
//   data/cms/pfs_gpci_2025.csv, _2026   GPCIs by Medicare locality (Addendum E)
//   data/cms/pfs_localities_2025.csv    counties of each locality
//   data/cms/pfs_anesthesia_cf_2025.csv locality anesthesia conversion factors
//   data/cms/pfs_conversion_factors.csv PFS and anesthesia conversion factors by year
//   data/cms/pfs_opps_cap_2025.bwt      OPPS caps on PFS imaging amounts by locality
//   data/cms/opps_addendum_b_2025.bwt   OPPS payment by HCPCS, CY2025
//   data/cms/hcpcs_level2_2025.bwt      HCPCS Level II descriptors (public domain)
//   data/cms/zip5_locality_2026q1.bwt   ZIP5 -> carrier and locality
// The .bwt tables are sorted CSV packed in blocks (pipeline/tables/blocked_table.h): a
// lookup parses only the block that can hold its code.
//   data/hpt/hpt_hospitals.csv.gz, hpt_cash_slice.csv.gz  hospital gross/cash prices
// and the reference database (reference_db.h) built from data/cms at build time: ASP drug
// payment limits, ASC Addendum AA rates, CMS Hospital General Information, the CLFS, the
// DMEPOS and PEN fee schedules and anesthesia base units. It is found at
// $BILLWISE_REFERENCE_DB, else <data_dir>/data/reference.sqlite (an installed tree), else
// the build tree's copy; Load fails with kNotFound when none exists.
// See data/SOURCES.md for each table's source, version and licence.
//
// Load once, then share: a ReferenceData is immutable after Load and every lookup is a
// const method safe to call from any number of threads. Pointers returned by lookups
// stay valid as long as the ReferenceData lives. No AMA CPT descriptor text is held.
//
// Tables are parsed either all at Load (TableLoading::kEager: a long-lived process, and the
// way to validate every table) or block by block on first lookup (kOnFirstUse: a one-shot
// command parses only the blocks its document's codes fall in). In both modes Load fails
// for a missing or corrupt file; with kOnFirstUse a malformed row is found on first use,
// its block then finds nothing and Status() names the file and line.
#ifndef BILLWISE_PIPELINE_REFDATA_REFERENCE_DATA_H_
#define BILLWISE_PIPELINE_REFDATA_REFERENCE_DATA_H_

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
#include "pipeline/refdata/hospital_prices.h"
#include "pipeline/refdata/reference_db.h"
#include "pipeline/tables/table_loading.h"

namespace billwise {

// Versions of the shipped tables, named in every basis and finding that rests on them.
inline constexpr char kPfsVersion[] = "CMS PFS RVU25D (Oct 2025)";
inline constexpr char kOppsVersion[] = "CMS OPPS CY2025 final rule Addendum B";
inline constexpr char kHcpcsVersion[] = "CMS HCPCS Level II Oct 2025";
inline constexpr char kZipVersion[] = "CMS ZIP5 carrier-locality file 2026 Q1";
inline constexpr char kCashSliceVersion[] =
    "hospital price-transparency files as collected by nathansutton/hospital-price-transparency (Jan 2026)";

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

// A Medicare payment locality (109 of them), e.g. 13202/01 Manhattan, NY.
struct Locality {
  std::string mac;        // "13202"
  std::string locality;   // "01"
  std::string state;      // "NY"
  std::string name;       // display form: "Manhattan"
  std::string counties;   // as CMS lists them, when known
  std::optional<double> anesthesia_cf;  // 2025 locality anesthesia conversion factor

  std::string Id() const { return mac + "/" + locality; }          // "13202/01"
  std::string Label() const { return Id() + " (" + name + ", " + state + ")"; }
};

struct Gpci {
  double work = 1;
  double pe = 1;
  double mp = 1;
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

struct HospitalInfo {
  std::string ccn;  // CMS certification number
  std::string state;
  std::string name;
  std::string mrf_url;  // the hospital's own machine-readable file (attribution)
};

class ReferenceData {
 public:
  // Loads the pricing tables under data_dir/data (the hospital slice is always read on first
  // use). Fails with kNotFound naming the first missing file, or (kEager) kBadData naming the
  // file and line of a malformed row.
  static Expected<std::shared_ptr<const ReferenceData>> Load(const std::string& data_dir,
                                                             TableLoading loading = TableLoading::kEager);

  // Success, or the first error met reading a table on first use (kOnFirstUse only).
  Expected<void> Status() const;

  // PFS RVU row for code and modifier ("" for the global row), or nullptr.
  const PfsRvu* FindRvu(std::string_view code, std::string_view modifier = "") const;
  // PFS conversion factor for a year (2025: 32.3465; 2026: 33.4009 non-QP), or nullopt.
  std::optional<double> PfsConversionFactor(int year) const;
  // National anesthesia conversion factor for a year (2025: 20.3178), or nullopt.
  std::optional<double> AnesthesiaConversionFactor(int year) const;
  // GPCIs of a locality for a year (2025 or 2026), or nullptr.
  const Gpci* FindGpci(int year, const Locality& locality) const;
  // Years with a GPCI table.
  std::vector<int> GpciYears() const;

  const std::vector<Locality>& localities() const { return localities_; }
  const Locality* FindLocality(std::string_view mac, std::string_view locality) const;
  // ZIP5 row, or nullptr for a ZIP the CMS file does not list.
  const ZipLocality* FindZip(std::string_view zip5) const;
  // Localities of a state (two-letter code), in CMS order.
  std::vector<const Locality*> LocalitiesInState(std::string_view state) const;
  // The locality billwise uses when only the state is known: the state's only locality, or
  // its "rest of state" locality, else the one holding the most ZIP codes. nullptr if none.
  const Locality* StateDefaultLocality(std::string_view state) const;

  const OppsRate* FindOpps(std::string_view code) const;
  const HcpcsDescriptor* FindHcpcs(std::string_view code) const;
  const std::vector<HcpcsDescriptor>& hcpcs() const;
  // OPPS cap on a PFS amount at a locality (imaging and some other technical services).
  std::optional<OppsCap> FindOppsCap(std::string_view code, std::string_view modifier,
                                     const Locality& locality) const;

  // Bundled hospital cash-price slice. It is not needed to price a bill, so it is read on
  // first use (thread-safe, once); HospitalSliceStatus() reports a failure to read it (kNotFound
  // or kBadData naming the file and line), after which the lookups below find nothing.
  Expected<void> HospitalSliceStatus() const;
  const HospitalInfo* FindHospital(std::string_view ccn) const;
  // Hospitals whose name matches (case-insensitive; all words of `name` present), optionally in one state.
  std::vector<const HospitalInfo*> FindHospitalsByName(std::string_view name, std::string_view state = "") const;
  // The slice's prices of one hospital as a price list (empty by_code when it has none).
  HospitalPriceList CashSlice(const HospitalInfo& hospital) const;

  // Lookups in the reference database, each from the release in force on `date_of_service`
  // (yyyy-mm-dd; "" = newest release). nullopt when the code or hospital is not listed.
  std::optional<AspLimit> FindAspLimit(std::string_view code, std::string_view date_of_service = "") const;
  std::optional<AscRate> FindAscRate(std::string_view code, std::string_view date_of_service = "") const;
  std::optional<ClfsFee> FindClfsFee(std::string_view code, std::string_view modifier,
                                     std::string_view date_of_service = "") const;
  std::vector<DmeposFee> FindDmepos(std::string_view code, std::string_view state,
                                    std::string_view date_of_service = "") const;
  std::optional<AnesthesiaBase> FindAnesthesiaBase(std::string_view code, std::string_view date_of_service = "") const;
  std::optional<HospitalGeneral> FindHospitalGeneral(std::string_view ccn) const;
  // CMS Hospital General Information rows whose name holds every word of `name`, optionally
  // in one state and city.
  std::vector<HospitalGeneral> FindHospitalsGeneralByName(std::string_view name, std::string_view state = "",
                                                          std::string_view city = "") const;
  // Whether a hospital is voluntary non-profit (section 501(r) applies), matched by CCN when
  // given, else by name within state (and city when given) when exactly one hospital matches.
  // nullopt when no single hospital matches.
  std::optional<bool> IsNonProfitHospital(std::string_view ccn, std::string_view name = "",
                                          std::string_view city = "", std::string_view state = "") const;
  // Every release of every table in the reference database.
  std::vector<TableRelease> ReferenceReleases() const;
  const std::string& reference_db_path() const { return reference_db_path_; }

  size_t rvu_count() const;
  size_t zip_count() const;

  ~ReferenceData();
  size_t cash_price_count() const;

 private:
  ReferenceData();
  struct Loader;
  struct Tables;  // the packed tables, parsed block by block

  std::map<int, double> pfs_cf_;
  std::map<int, double> anes_cf_;
  std::vector<Locality> localities_;
  std::unordered_map<std::string, size_t> locality_index_;       // mac+locality -> index
  std::map<int, std::vector<Gpci>> gpci_;                         // year -> per locality index
  std::map<int, std::vector<bool>> gpci_present_;
  std::unique_ptr<Tables> tables_;
  // The reference database: one serialized (SQLITE_OPEN_FULLMUTEX) read-only connection;
  // every lookup prepares its own statement, so lookups are safe from any thread.
  std::unique_ptr<ReferenceDb> db_;
  std::string reference_db_path_;
  mutable std::once_flag hcpcs_once_;
  mutable std::vector<HcpcsDescriptor> hcpcs_;                    // every descriptor, by hcpcs()
  // Hospital slice, filled once on first use (see HospitalSliceStatus).
  void EnsureHospitalSlice() const;
  // Hospital list only (names, states, CCNs), filled once on first use; the name and CCN
  // lookups need no more, so they do not pay for the cash slice.
  void EnsureHospitalList() const;
  mutable std::once_flag hpt_list_once_;
  std::optional<Error> hpt_list_error_;
  std::string data_dir_;
  mutable std::once_flag hpt_once_;
  std::optional<Error> hpt_error_;
  std::vector<HospitalInfo> hospitals_;                           // sorted by ccn
  std::unordered_map<std::string, std::vector<std::pair<std::string, StandardCharge>>> cash_;  // ccn -> rows
  size_t cash_count_ = 0;
};

// "MANHATTAN" -> "Manhattan", "REST OF NEW YORK" -> "Rest of New York", "ALASKA*" -> "Alaska".
std::string LocalityDisplayName(std::string_view cms_name);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_REFERENCE_DATA_H_
