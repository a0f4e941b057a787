// Pricing: the Medicare reference amount of a billed or planned service.
//
//   * physician/office services: PFS, [(work x PW GPCI) + (PE x PE GPCI) + (MP x MP GPCI)] x CF,
//     rounded to the cent; non-facility PE in an office, facility PE when a hospital bills;
//     the OPPS cap (CMS OPPSCAP file) applied to imaging amounts in a locality;
//   * hospital outpatient facility lines (with a revenue code): OPPS national payment
//     rate (clinic E/M visits 99202-99215 at G0463, as Medicare pays hospital clinics);
//   * laboratory codes: CLFS national limitation amount of the release in force on the date
//     of service (2025, 2026 Q1);
//   * durable equipment, supplies, enteral and parenteral nutrition: the DMEPOS or PEN fee of
//     the patient's state, non-rural unless told otherwise (the rural ZIP list is not shipped);
//   * anesthesia (00100-01999): (base units + minutes / 15) x the locality's anesthesia CF;
//   * surgery-center facility fees: ASC Addendum AA national rate (not wage-adjusted: no
//     ZIP-to-CBSA crosswalk is shipped, and the basis says so);
//   * drugs: the ASP payment limit per billing unit, else a separately paid OPPS drug rate.
// Each basis names the release used and says when the date of service falls outside it.
// Modifiers: -26 and -TC use the RVU rows CMS publishes for them; -53 uses its own row
// where CMS has one; -50 pays 150% when the bilateral indicator is 1 (200% when it is 3,
// 100% otherwise); -52 is not reduced (the contractor sets the reduction): the basis says so.
// Quantity multiplies the rounded unit amount (OPPS drugs: the per-unit rate x quantity,
// then rounded, since their rates have three decimals).
//
// All functions are pure and thread-safe; they read the ReferenceData only.
#ifndef BILLWISE_PIPELINE_REFDATA_PRICING_H_
#define BILLWISE_PIPELINE_REFDATA_PRICING_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/money.h"
#include "pipeline/refdata/hospital_prices.h"
#include "pipeline/refdata/reference_data.h"

namespace billwise {

// The Medicare locality prices are computed for, and how it was chosen.
struct PriceLocation {
  const Locality* locality = nullptr;  // nullptr: national (all GPCIs 1.0)
  std::string how;                     // "from ZIP 10001", "state NY (rest of state)", "no address found"
  bool zip_spans_localities = false;   // the ZIP crosses localities; CMS's ZIP-level default is used

  // "locality 13202/01 (Manhattan, NY)" or "national (no address found)".
  std::string Label() const;
};

// Picks the locality: an explicit ZIP first (the ZIP5 file; a ZIP missing from it falls back
// to the state, then national), else the state's default locality, else national.
// A ZIP CMS flags as spanning several localities uses the state's only locality when the state
// has one, else CMS's ZIP-level default, and says so in `how`.
PriceLocation ResolveLocation(const ReferenceData& data, const std::optional<std::string>& zip,
                              const std::optional<std::string>& state);

enum class PfsSetting { kNonFacility, kFacility };

struct Service {
  std::string code;                    // CPT or HCPCS, upper case
  std::vector<std::string> modifiers;  // "26", "TC", "50", ...
  double quantity = 1;
};

// One reference amount.
struct Quote {
  std::string schedule;  // "pfs" | "opps" | "clfs" | "asp" | "dmepos" | "anesthesia" | "asc"
  std::string setting;   // "non-facility" | "facility" | "hospital outpatient" | "lab" | "office drug" |
                         // "supplier" | "surgery center"
  Money unit_amount;     // one unit
  Money amount;          // quantity applied
  std::string basis;     // "Medicare PFS 2025, locality 13202/01 (Manhattan, NY), non-facility"
  std::string release;   // the data release priced with, when not the schedule's shipped version
  std::string release_end;  // yyyy-mm-dd: the last day that release is in force ("" = open)
};

// PFS amount. Fails with kNotFound (code not in the PFS), kUnsupported (status not paid from
// RVUs, e.g. bundled, carrier-priced, anesthesia; or a setting marked NA) or kUsage (no CF for year).
Expected<Quote> PricePfs(const ReferenceData& data, const Service& service, const PriceLocation& where, int year,
                         PfsSetting setting);
// Part B drug payment limit (ASP + 6%) per billing unit x quantity, from the ASP release in
// force on `date_of_service` (yyyy-mm-dd, "" = newest). kNotFound when the code has no limit.
Expected<Quote> PriceAsp(const ReferenceData& data, const Service& service, std::string_view date_of_service);
// OPPS national payment. kNotFound when absent, kUnsupported when packaged or not paid under OPPS.
Expected<Quote> PriceOpps(const ReferenceData& data, const Service& service);
// CLFS national limit from the release in force on `date_of_service` ("" = newest).
// kNotFound when the code is not on the CLFS.
Expected<Quote> PriceClfs(const ReferenceData& data, const Service& service, std::string_view date_of_service = "");
// DMEPOS/PEN fee in a state (two letters): the row whose modifiers the service carries, else
// the code's only row, else its purchase (NU) row; non-rural unless `rural`. kNotFound when
// the code is not on the fee schedules, kUsage without a state.
Expected<Quote> PriceDmepos(const ReferenceData& data, const Service& service, std::string_view state, bool rural,
                            std::string_view date_of_service = "");
// Anesthesia: (base units + time units) x the anesthesia conversion factor of the locality
// (national without one). `minutes` is the anesthesia time; without it only the base units
// are known and the result is kUnsupported naming the base amount. kNotFound when the code has
// no base units.
Expected<Quote> PriceAnesthesia(const ReferenceData& data, const Service& service, const PriceLocation& where,
                                std::optional<double> minutes, std::string_view date_of_service = "");
// ASC facility fee: Addendum AA. kNotFound when not an ASC covered procedure, kUnsupported
// when packaged (no separate payment).
Expected<Quote> PriceAsc(const ReferenceData& data, const Service& service, std::string_view date_of_service = "");

// True for E/M clinic visit codes that hospitals bill to Medicare as G0463.
bool IsClinicVisitCode(const std::string& code);

struct PricingOptions {
  // PFS year of lines without a date of service: 2025 (full data) or 2026 (2026 GPCIs and CF on
  // 2025 RVUs). A dated line takes the year of its date (see PriceBill).
  int year = 2025;
  std::optional<std::string> state;     // --state: overrides every address below
  std::optional<std::string> zip;       // --zip: overrides every address below
  // The patient's place (profile): the locality comes from it before the provider's address.
  std::optional<std::string> patient_zip;
  std::optional<std::string> patient_state;
  // "office" | "hospital" | "asc": overrides the setting PriceBill decides (see PriceBill).
  std::optional<std::string> setting;
  std::optional<std::string> price_file;  // hospital standard-charges file (CSV or JSON)
  // Already parsed hospital prices; used instead of price_file when set.
  std::shared_ptr<const HospitalPriceList> hospital_prices;
  // The patient's plan (profile plan_payer / plan_name): with price_file, each line is
  // compared with that plan's negotiated rate in the file.
  std::optional<std::string> plan_payer;
  std::optional<std::string> plan_name;
  std::string price_cache_dir;  // "" = the default cache (PriceIndex)
  // Without a price file, compare a hospital bill whose provider matches a hospital of the
  // bundled cash-price slice (MatchShippedHospital) with that hospital's cash prices.
  bool use_shipped_slice = true;
};

// Fills bill->pricing (one entry per line with a CPT/HCPCS code; lines that cannot be priced
// get schedule "none" and a basis that says why) and adds "price" findings.
// The setting: options.setting, else hospital outpatient when the provider is a hospital in
// CMS Hospital General Information (MatchCmsHospital) or a line carries a revenue code, else a
// surgery center (IsSurgeryCenterBill), else an office; a diagnostic says how it was decided.
// The locality: --zip/--state, else the patient's ZIP or state, else the provider's address
// (never on an EOB, whose sender is the insurer). Each line is priced with the releases in
// force on its date of service: the PFS year of the date (2026: 2026 CF and GPCIs on the 2025
// RVUs, and the basis says so), the CLFS, ASP, DMEPOS and ASC release in force. A warning names
// each table whose newest release ends before a date of service it priced.
//   * charge >= 3x the reference: amount at stake = charge - 3 x reference (the part of the
//     charge above the 3x mark, a deliberately conservative figure);
//   * charge above the hospital's own published discounted cash price (else its gross
//     charge) x quantity, when a price file is given: amount at stake = the difference.
//   * with price_file, through its index (PriceIndex): when the patient's plan is known, a
//     line whose EOB allowed amount differs from the plan's published negotiated rate x
//     quantity (a warning; amount at stake = the difference when allowed is higher), or a
//     charge above that rate (info); without a plan, a charge above the negotiated maximum,
//     with the median and range as the fair-price band (info). Each cites the file and its
//     last_updated_on; a partial file is said to be partial.
//   * without a price file, the same cash-price check against the bundled slice when the
//     provider matches one of its hospitals (the match and its confidence go to diagnostics).
// Replaces earlier pricing and "price" findings; problems (e.g. an unreadable price file)
// go to bill->diagnostics. Never throws.
void PriceBill(const ReferenceData& data, const PricingOptions& options, Bill* bill);

// "Medicare reference prices cover $X of the $Y charged (Z%, by charge); N of M charged lines
// have no reference price", from bill.pricing; nullopt when no line has a positive charge.
// PriceBill adds it to the bill's diagnostics.
std::optional<std::string> PricedShare(const Bill& bill);

// True when the bill comes from a hospital: a revenue code on any line, or a provider name
// with Hospital / Medical Center / Medical Ctr / Health System.
bool IsHospitalBill(const Bill& bill);
// True when the bill comes from an ambulatory surgery center: a revenue code 049x on a line,
// or a provider name with Surgery / Surgical / Endoscopy Center (or Ctr), Surgicenter or ASC,
// and no hospital word.
bool IsSurgeryCenterBill(const Bill& bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_PRICING_H_
