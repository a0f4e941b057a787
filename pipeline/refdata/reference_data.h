// ReferenceData: the public CMS payment tables (and the bundled hospital cash-price
// slice) that billwise prices bills and planned services against.
//
// The code tables live in the reference database (reference_db.h), built from CMS's
// published files in data/cms at build time: PFS RVUs, OPPS Addendum B, the OPPS caps on PFS
// amounts, HCPCS Level II descriptors, the ZIP5 locality file, ASP drug payment limits, ASC
// Addendum AA rates, CMS Hospital General Information, the CLFS, the DMEPOS and PEN fee
// schedules and anesthesia base units. It is found at $BILLWISE_REFERENCE_DB, else
// <data_dir>/data/reference.sqlite (an installed tree), else the build tree's copy; Load fails
// with kNotFound when none exists. The small locality tables are read from CSV at Load:
//   data/cms/pfs_gpci_2025.csv, _2026   GPCIs by Medicare locality (Addendum E)
//   data/cms/pfs_localities_2025.csv    counties of each locality
//   data/cms/pfs_anesthesia_cf_2025.csv locality anesthesia conversion factors
//   data/cms/pfs_conversion_factors.csv PFS and anesthesia conversion factors by year
//   data/hpt/hpt_hospitals.csv.gz, hpt_cash_slice.csv.gz  hospital gross/cash prices
// See data/SOURCES.md for each table's source, version and licence.
//
// Load once, then share: a ReferenceData is immutable after Load and every lookup is a
// const method safe to call from any number of threads. A row a lookup reads is kept, so the
// pointers lookups return stay valid as long as the ReferenceData lives. No AMA CPT
// descriptor text is held. A database error met by a lookup finds nothing and is reported
// by Status().
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





struct HospitalInfo {
  std::string ccn;  // CMS certification number
  std::string state;
  std::string name;
  std::string mrf_url;  // the hospital's own machine-readable file (attribution)
};

class ReferenceData {
 public:
  // Opens the reference database and loads the locality tables under data_dir/data (the
  // hospital slice is always read on first use). Fails with kNotFound naming the first
  // missing file, or kBadData naming the file and line of a malformed row. The database is
  // read by lookups in both loading modes (it was checked when it was built).
  static Expected<std::shared_ptr<const ReferenceData>> Load(const std::string& data_dir,
                                                             TableLoading loading = TableLoading::kEager);

  // Success, or the first error a lookup met reading the database.
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
  // The newest release of a table (shipped or imported): the one FindRvu and FindOpps read.
  // Empty when the table has none.
  TableRelease NewestRelease(std::string_view table) const;
  const std::string& reference_db_path() const { return reference_db_path_; }

  size_t rvu_count() const;
  size_t zip_count() const;

  ~ReferenceData();
  size_t cash_price_count() const;

 private:
  ReferenceData();
  struct Loader;
  // Rows read from the database by key (nullptr: not listed), kept so that the pointers
  // lookups return stay valid.
  template <typename T>
  struct Memo {
    std::mutex mu;
    std::unordered_map<std::string, std::unique_ptr<const T>> rows;
  };
  // The memo's row of `key`, read by `fetch` (an Expected<std::optional<T>>) on first use.
  template <typename T, typename Fetch>
  const T* Remember(Memo<T>& memo, std::string key, Fetch fetch) const;
  void KeepError(const Error& error) const;

  std::map<int, double> pfs_cf_;
  std::map<int, double> anes_cf_;
  std::vector<Locality> localities_;
  std::unordered_map<std::string, size_t> locality_index_;       // mac+locality -> index
  std::map<int, std::vector<Gpci>> gpci_;                         // year -> per locality index
  std::map<int, std::vector<bool>> gpci_present_;
  // The reference database: one read-only connection; lookups are serialised on it and
  // reuse its prepared statements.
  std::unique_ptr<ReferenceDb> db_;
  mutable Memo<std::vector<PfsRvu>> rvus_;  // by code: every modifier's row
  mutable Memo<OppsRate> opps_;
  mutable Memo<HcpcsDescriptor> hcpcs_rows_;
  mutable Memo<ZipLocality> zips_;
  mutable std::mutex error_mu_;
  mutable std::optional<Error> db_error_;  // guarded by error_mu_
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
