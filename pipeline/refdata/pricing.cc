#include "pipeline/refdata/pricing.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <map>

#include "pipeline/model/strings.h"
#include "pipeline/refdata/hospital_match.h"
#include "pipeline/refdata/negotiated_rates.h"
#include "pipeline/refdata/price_index.h"
#include "pipeline/refdata/revenue_codes.h"

namespace billwise {
namespace {

bool HasModifier(const Service& s, const char* m) {
  return std::find(s.modifiers.begin(), s.modifiers.end(), m) != s.modifiers.end();
}

std::string FormatRate(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string FormatQuantity(double q) {
  if (q == std::floor(q)) return std::to_string(static_cast<long long>(q));
  return FormatRate(q, 2);
}

// What the basis says when the date of service falls outside the release used ("" inside it,
// or without a date). ISO dates compare as text.
std::string OutsideRelease(std::string_view date_of_service, const std::string& from, const std::string& to,
                           std::string_view what) {
  if (date_of_service.empty()) return "";
  if (!to.empty() && date_of_service > std::string_view(to)) {
    return "; the date of service is after this release's last day (" + to + ") and no newer " + std::string(what) +
           " release is loaded";
  }
  if (!from.empty() && date_of_service < std::string_view(from)) {
    return "; the date of service is before this release (in force from " + from + ") and no older " +
           std::string(what) + " release is loaded";
  }
  return "";
}

std::string YearLabel(int year) {
  if (year == 2025) return "Medicare PFS 2025";
  return "Medicare PFS " + std::to_string(year) + " (2025 RVUs with " + std::to_string(year) + " GPCIs and CF)";
}

}  // namespace

std::string PriceLocation::Label() const {
  if (locality == nullptr) return "national (" + how + ")";
  if (zip_spans_localities) return "locality " + locality->Label() + " (" + how + ")";
  return "locality " + locality->Label();
}

PriceLocation ResolveLocation(const ReferenceData& data, const std::optional<std::string>& zip,
                              const std::optional<std::string>& state) {
  PriceLocation where;
  std::string st = state ? Upper(*state) : "";
  if (zip && zip->size() >= 5) {
    std::string z5 = zip->substr(0, 5);
    if (const ZipLocality* row = data.FindZip(z5)) {
      const Locality* loc = data.FindLocality(row->mac, row->locality);
      if (loc != nullptr) {
        where.locality = loc;
        where.how = "from ZIP " + z5;
        if (row->spans_localities) {
          where.zip_spans_localities = true;
          auto in_state = data.LocalitiesInState(row->state);
          if (in_state.size() == 1) {
            where.locality = in_state[0];
            where.how = "ZIP " + z5 + " spans several localities; the state's only locality";
          } else {
            where.how = "ZIP " + z5 + " spans several localities; CMS's ZIP-level default";
          }
        }
        return where;
      }
    }
    if (st.empty()) {
      where.how = "ZIP " + z5 + " is not in the " + std::string(kZipVersion);
      return where;
    }
  }
  if (!st.empty()) {
    if (const Locality* loc = data.StateDefaultLocality(st)) {
      where.locality = loc;
      auto n = data.LocalitiesInState(st).size();
      where.how = n == 1 ? "state " + st : "state " + st + " (" + std::to_string(n) + " localities; " + loc->name + ")";
      return where;
    }
    where.how = "state " + st + " has no Medicare locality";
    return where;
  }
  where.how = "no address found";
  return where;
}

bool IsClinicVisitCode(const std::string& code) {
  static const char* const kCodes[] = {"99202", "99203", "99204", "99205", "99211",
                                       "99212", "99213", "99214", "99215"};
  for (const char* c : kCodes) {
    if (code == c) return true;
  }
  return false;
}

Expected<Quote> PricePfs(const ReferenceData& data, const Service& service, const PriceLocation& where, int year,
                         PfsSetting setting) {
  std::optional<double> cf = data.PfsConversionFactor(year);
  if (!cf) return Fail(ErrorCode::kUsage, "no PFS conversion factor for " + std::to_string(year));
  const Gpci national{};
  const Gpci* gpci = &national;
  if (where.locality != nullptr) {
    gpci = data.FindGpci(year, *where.locality);
    if (gpci == nullptr) return Fail(ErrorCode::kUsage, "no GPCIs for " + std::to_string(year));
  }
  const PfsRvu* base = data.FindRvu(service.code);
  const PfsRvu* row = base;
  std::string modifier_note;
  for (const char* m : {"26", "TC"}) {
    if (HasModifier(service, m)) {
      if (const PfsRvu* r = data.FindRvu(service.code, m)) {
        row = r;
        modifier_note = std::string(", modifier ") + m;
      }
    }
  }
  if (row == base && HasModifier(service, "53")) {
    if (const PfsRvu* r = data.FindRvu(service.code, "53")) {
      row = r;
      modifier_note = ", modifier 53";
    }
  }
  // Some codes (clinical lab interpretations) exist only with -26.
  if (row == nullptr) return Fail(ErrorCode::kNotFound, service.code + " is not in the " + kPfsVersion);
  if (!row->Payable()) {
    std::string why;
    switch (row->status) {
      case 'B': why = "bundled: Medicare makes no separate payment"; break;
      case 'C': why = "priced by the local Medicare contractor, not the national fee schedule"; break;
      case 'J': why = "anesthesia: paid by base and time units (base units are not in the shipped data)"; break;
      case 'E': why = "excluded from the PFS by regulation (it may be paid under another schedule)"; break;
      case 'X': why = "not paid under the PFS by statute (it may be paid under another schedule, such as the CLFS)"; break;
      case 'N': why = "not covered by Medicare"; break;
      case 'I': why = "not valid for Medicare (another code is used)"; break;
      case 'P': why = "bundled or excluded"; break;
      case 'M': why = "measurement code, no payment"; break;
      default: why = "not paid from RVUs"; break;
    }
    return Fail(ErrorCode::kUnsupported, service.code + " has PFS status " + std::string(1, row->status) + ": " + why);
  }
  bool nonfac = setting == PfsSetting::kNonFacility;
  if (nonfac && row->nonfacility_na) {
    return Fail(ErrorCode::kUnsupported, service.code + " has no non-facility (office) amount in the PFS (NA)");
  }
  double pe = nonfac ? row->pe_nonfacility : row->pe_facility;
  double dollars = (row->work * gpci->work + pe * gpci->pe + row->malpractice * gpci->mp) * *cf;
  Money unit = RoundDollarsToCents(dollars);
  std::string notes;
  if (where.locality != nullptr) {
    // The OPPS cap file carries modifier rows ("TC") and global rows ("").
    if (auto cap = data.FindOppsCap(row->code, row->modifier, *where.locality)) {
      Money c = nonfac ? cap->nonfacility : cap->facility;
      if (c < unit) {
        unit = c;
        notes += ", capped at the OPPS amount";
      }
    }
  }
  if (HasModifier(service, "50")) {
    if (row->bilateral == 1) {
      unit = unit.Scaled(1.5);
      notes += ", bilateral (-50) at 150%";
    } else if (row->bilateral == 3) {
      unit = unit.Scaled(2.0);
      notes += ", bilateral (-50) at 100% each side";
    } else {
      notes += ", -50 does not change the amount (bilateral indicator " + std::to_string(row->bilateral) + ")";
    }
  }
  if (HasModifier(service, "52")) notes += ", -52 reduction not applied (set by the contractor)";
  Quote q;
  q.schedule = "pfs";
  q.setting = nonfac ? "non-facility" : "facility";
  q.unit_amount = unit;
  q.amount = unit.Scaled(service.quantity);
  q.release_end = std::to_string(year) + "-12-31";
  // A relative value release the user imported is named, and its last day (when it has one)
  // is the one a later date of service is warned against.
  if (TableRelease rvus = data.NewestRelease("pfs_rvu"); !rvus.release.empty() && rvus.release != kPfsVersion) {
    q.release = rvus.release;
    if (!rvus.effective_to.empty()) q.release_end = rvus.effective_to;
  }
  q.basis = YearLabel(year) + ", " + where.Label() + ", " + q.setting + modifier_note + notes;
  if (service.quantity != 1) q.basis += ", x" + FormatQuantity(service.quantity);
  return q;
}

Expected<Quote> PriceOpps(const ReferenceData& data, const Service& service) {
  const OppsRate* r = data.FindOpps(service.code);
  if (r == nullptr) return Fail(ErrorCode::kNotFound, service.code + " is not in the " + kOppsVersion);
  if (!r->payment_rate || *r->payment_rate <= 0) {
    std::string why;
    if (r->status == "N") {
      why = "packaged into the visit or procedure; no separate payment";
    } else if (r->status.starts_with("Q")) {
      why = "conditionally packaged; paid separately only in some cases";
    } else if (r->status == "A") {
      why = "paid under another fee schedule (PFS, CLFS or DMEPOS), not OPPS";
    } else if (r->status == "B") {
      why = IsClinicVisitCode(service.code) ? "not paid under OPPS (hospitals bill clinic visits as G0463)"
                                             : "not paid under OPPS (hospitals bill another code)";
    } else if (r->status == "C") {
      why = "inpatient only";
    } else {
      why = "no OPPS payment";
    }
    return Fail(ErrorCode::kUnsupported, service.code + " has OPPS status " + r->status + ": " + why);
  }
  Quote q;
  q.schedule = "opps";
  q.setting = "hospital outpatient";
  double rate = *r->payment_rate;
  // Drug rates are per billing unit with three decimals: multiply before rounding.
  q.unit_amount = RoundDollarsToCents(rate);
  q.amount = RoundDollarsToCents(rate * service.quantity);
  // The Addendum B release FindOpps read: its year, its last day, and its name when it is not
  // the shipped one.
  TableRelease addendum = data.NewestRelease("opps_rate");
  q.release_end = addendum.effective_to;
  if (addendum.release != kOppsVersion) q.release = addendum.release;
  const std::string year = addendum.effective_from.size() >= 4 ? addendum.effective_from.substr(0, 4) : "2025";
  q.basis = "Medicare OPPS " + year + ", national, hospital outpatient, APC " + r->apc;
  bool per_unit = std::round(rate * 100) != rate * 100;
  if (per_unit) q.basis += ", $" + FormatRate(rate, 3) + " per unit";
  if (service.quantity != 1) q.basis += ", x" + FormatQuantity(service.quantity);
  return q;
}

Expected<Quote> PriceAsp(const ReferenceData& data, const Service& service, std::string_view date_of_service) {
  std::optional<AspLimit> limit = data.FindAspLimit(service.code, date_of_service);
  if (!limit || !limit->limit_mills) {
    return Fail(ErrorCode::kNotFound, service.code + " has no Medicare Part B drug payment limit (ASP)");
  }
  double per_unit = static_cast<double>(*limit->limit_mills) / 1000.0;
  Quote q;
  q.schedule = "asp";
  q.setting = "office drug";
  q.unit_amount = RoundDollarsToCents(per_unit);
  q.amount = RoundDollarsToCents(per_unit * service.quantity);  // three decimals: multiply, then round once
  q.release = limit->release;
  q.basis = "Medicare Part B drug payment limit (ASP + 6%), $" + FormatRate(per_unit, 3) + " per " +
            (limit->dosage.empty() ? std::string("billing unit") : limit->dosage);
  if (service.quantity != 1) q.basis += ", x" + FormatQuantity(service.quantity);
  q.release_end = limit->release_effective_to;
  q.basis += OutsideRelease(date_of_service, limit->release_effective_from, limit->release_effective_to, "ASP");
  return q;
}

Expected<Quote> PriceClfs(const ReferenceData& data, const Service& service, std::string_view date_of_service) {
  std::optional<ClfsFee> r =
      data.FindClfsFee(service.code, service.modifiers.empty() ? "" : service.modifiers[0], date_of_service);
  if (!r) return Fail(ErrorCode::kNotFound, service.code + " is not on the Medicare CLFS");
  Quote q;
  q.schedule = "clfs";
  q.setting = "lab";
  q.unit_amount = r->rate;
  q.amount = r->rate.Scaled(service.quantity);
  q.release = r->release;
  q.basis = "Medicare CLFS " + r->release_effective_from.substr(0, 4) + ", national limit, lab";
  if (service.quantity != 1) q.basis += ", x" + FormatQuantity(service.quantity);
  q.release_end = r->release_effective_to;
  q.basis += OutsideRelease(date_of_service, r->release_effective_from, r->release_effective_to, "CLFS");
  return q;
}

Expected<Quote> PriceDmepos(const ReferenceData& data, const Service& service, std::string_view state, bool rural,
                            std::string_view date_of_service) {
  if (state.empty()) return Fail(ErrorCode::kUsage, service.code + ": the DMEPOS fee needs the patient's state");
  std::vector<DmeposFee> rows = data.FindDmepos(service.code, Upper(std::string(state)), date_of_service);
  if (rows.empty()) {
    return Fail(ErrorCode::kNotFound, service.code + " is not on the DMEPOS or PEN fee schedule for " + std::string(state));
  }
  auto has = [&service](const std::string& m) { return m.empty() || HasModifier(service, m.c_str()); };
  const DmeposFee* row = nullptr;
  std::string choice;
  for (const DmeposFee& r : rows) {  // the row whose modifiers the line carries, most specific first
    if (!r.modifier.empty() && has(r.modifier) && has(r.modifier2) &&
        (row == nullptr || (row->modifier2.empty() && !r.modifier2.empty()))) {
      row = &r;
    }
  }
  if (row == nullptr && rows.size() == 1) row = &rows.front();
  if (row == nullptr) {
    for (const DmeposFee& r : rows) {
      if (r.modifier.empty() && r.modifier2.empty()) row = &r;
    }
  }
  if (row == nullptr) {
    for (const DmeposFee& r : rows) {
      if (row == nullptr && r.modifier == "NU") row = &r;
    }
    choice = row ? ", no purchase or rental modifier printed: the new-purchase (NU) amount"
                 : ", no modifier printed: the first row CMS lists";
    if (row == nullptr) row = &rows.front();
  }
  std::optional<Money> fee = rural ? (row->rural ? row->rural : row->nonrural) : (row->nonrural ? row->nonrural : row->rural);
  if (!fee) return Fail(ErrorCode::kNotFound, service.code + " has no DMEPOS amount in " + std::string(state));
  std::string schedule = row->release.find("PEN") != std::string::npos ? "PEN" : "DMEPOS";
  Quote q;
  q.schedule = "dmepos";
  q.setting = "supplier";
  q.unit_amount = *fee;
  q.amount = fee->Scaled(service.quantity);
  q.release = row->release;
  q.basis = "Medicare " + schedule + " fee schedule, " + row->state;
  if (!row->modifier.empty()) q.basis += ", modifier " + row->modifier;
  if (!row->modifier2.empty()) q.basis += "-" + row->modifier2;
  q.basis += choice;
  bool used_rural = rural ? row->rural.has_value() : !row->nonrural.has_value();
  q.basis += used_rural ? ", rural amount" : ", non-rural amount";
  if (!rural && row->rural && row->nonrural) {
    q.basis += " (billwise cannot tell a rural ZIP; the rural amount is " + row->rural->Display() + ")";
  }
  if (service.quantity != 1) q.basis += ", x" + FormatQuantity(service.quantity);
  q.release_end = row->release_effective_to;
  q.basis += OutsideRelease(date_of_service, row->release_effective_from, row->release_effective_to, schedule);
  return q;
}

namespace {

bool IsAnesthesiaCode(const std::string& code) {
  if (code.size() != 5 || code[0] != '0' || code[1] > '1') return false;
  for (char c : code) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return code >= "00100" && code <= "01999";
}

}  // namespace

Expected<Quote> PriceAnesthesia(const ReferenceData& data, const Service& service, const PriceLocation& where,
                                std::optional<double> minutes, std::string_view date_of_service) {
  if (!IsAnesthesiaCode(service.code)) return Fail(ErrorCode::kNotFound, service.code + " is not an anesthesia code");
  std::optional<AnesthesiaBase> base = data.FindAnesthesiaBase(service.code, date_of_service);
  if (!base) return Fail(ErrorCode::kNotFound, service.code + " has no anesthesia base units in the shipped CMS file");
  // Only the 2025 anesthesia conversion factors are shipped (national and by locality).
  constexpr int kCfYear = 2025;
  std::optional<double> cf;
  std::string cf_label;
  if (where.locality != nullptr && where.locality->anesthesia_cf) {
    cf = where.locality->anesthesia_cf;
    cf_label = "2025 anesthesia CF of " + where.Label();
  } else {
    cf = data.AnesthesiaConversionFactor(kCfYear);
    cf_label = "2025 national anesthesia CF";
  }
  if (!cf) return Fail(ErrorCode::kUsage, "no anesthesia conversion factor is shipped");
  if (date_of_service.size() >= 4 && date_of_service.substr(0, 4) > "2025") {
    cf_label += ", the newest shipped (no " + std::string(date_of_service.substr(0, 4)) + " anesthesia CF)";
  }
  std::string releases = OutsideRelease(date_of_service, base->release_effective_from, base->release_effective_to,
                                        "anesthesia base-unit");
  std::string base_text = std::to_string(base->base_units) + " base units (" + base->release + ")";
  if (!minutes || *minutes <= 0) {
    Money base_amount = RoundDollarsToCents(base->base_units * *cf);
    return Fail(ErrorCode::kUnsupported,
                "anesthesia " + service.code + ": " + base_text + " x $" + FormatRate(*cf, 2) + " = " +
                    base_amount.Display() + " before time; the bill does not print the anesthesia minutes, so the "
                    "time units (one per 15 minutes) and the total are not known");
  }
  double time_units = std::round(*minutes / 15.0 * 10.0) / 10.0;  // CMS: tenths of a unit
  Quote q;
  q.schedule = "anesthesia";
  q.setting = "facility";
  q.amount = RoundDollarsToCents((base->base_units + time_units) * *cf);
  q.unit_amount = q.amount;
  q.release = base->release;
  q.release_end = base->release_effective_to;
  q.basis = "Medicare anesthesia, " + std::to_string(base->base_units) + " base units + " + FormatRate(time_units, 1) +
            " time units (" + FormatQuantity(*minutes) + " minutes) x $" + FormatRate(*cf, 2) + " (" + cf_label + ")" +
            releases;
  return q;
}

Expected<Quote> PriceAsc(const ReferenceData& data, const Service& service, std::string_view date_of_service) {
  std::optional<AscRate> r = data.FindAscRate(service.code, date_of_service);
  if (!r) return Fail(ErrorCode::kNotFound, service.code + " is not an ASC covered procedure (Addendum AA)");
  if (!r->national_rate || r->national_rate->cents <= 0) {
    return Fail(ErrorCode::kUnsupported, service.code + " has ASC payment indicator " + r->payment_indicator +
                                             ": packaged into the surgical procedure; no separate ASC payment");
  }
  Quote q;
  q.schedule = "asc";
  q.setting = "surgery center";
  q.unit_amount = *r->national_rate;
  q.amount = r->national_rate->Scaled(service.quantity);
  q.release = r->release;
  q.basis = "Medicare ASC facility fee, Addendum AA national rate, payment indicator " + r->payment_indicator +
            "; not wage-adjusted: billwise ships no ZIP-to-CBSA crosswalk (half of the rate moves with the area's "
            "ASC wage index)";
  if (r->multiple_procedure_discount) {
    q.basis += "; subject to the multiple-procedure discount (50% when not the highest-paid procedure)";
  }
  if (service.quantity != 1) q.basis += ", x" + FormatQuantity(service.quantity);
  q.release_end = r->release_effective_to;
  q.basis += OutsideRelease(date_of_service, r->release_effective_from, r->release_effective_to, "ASC");
  return q;
}

bool IsHospitalBill(const Bill& bill) {
  for (const LineItem& li : bill.line_items) {
    if (li.revenue_code && !li.revenue_code->empty()) return true;
  }
  if (bill.provider.name) {
    std::string n = Upper(*bill.provider.name);
    for (const char* k : {"HOSPITAL", "MEDICAL CENTER", "MEDICAL CTR", "HEALTH SYSTEM", "MED CTR"}) {
      if (n.find(k) != std::string::npos) return true;
    }
  }
  std::string layout = Upper(bill.source.layout);
  return layout.find("UB04") != std::string::npos || layout.find("UB-04") != std::string::npos ||
         layout.find("HOSPITAL") != std::string::npos;
}

bool IsSurgeryCenterBill(const Bill& bill) {
  for (const LineItem& li : bill.line_items) {
    if (li.revenue_code && (li.revenue_code->starts_with("049") || li.revenue_code->starts_with("49")) &&
        li.revenue_code->size() == (li.revenue_code->starts_with("0") ? 4u : 3u)) {
      return true;
    }
  }
  if (!bill.provider.name) return false;
  std::string n = " " + Upper(*bill.provider.name) + " ";
  for (const char* k : {"HOSPITAL", "MEDICAL CENTER", "MEDICAL CTR", "HEALTH SYSTEM", "MED CTR"}) {
    if (n.find(k) != std::string::npos) return false;
  }
  for (const char* k : {"SURGERY CENTER", "SURGICAL CENTER", "SURGERY CTR", "SURGICAL CTR", "SURGICENTER",
                        "ENDOSCOPY CENTER", "ENDOSCOPY CTR", "AMBULATORY SURG", " ASC ", " ASC,", " ASC."}) {
    if (n.find(k) != std::string::npos) return true;
  }
  return false;
}

namespace {

bool IsProfessionalRevenueCode(const std::string& rc) {
  // 096x-098x: professional fees billed on a hospital statement.
  std::string r = rc.size() == 3 ? "0" + rc : rc;
  return r.starts_with("096") || r.starts_with("097") || r.starts_with("098");
}

bool LooksLikeCode(const std::string& code) {
  if (code.size() != 5) return false;
  for (char c : code) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string LineLabel(const LineItem& li, size_t index) {
  std::string s = "Line " + std::to_string(index + 1) + " (" + li.code.value_or("?");
  if (li.date_of_service) s += ", " + li.date_of_service->Iso();
  return s + ")";
}

// Where and how a bill's lines are priced.
struct LineContext {
  bool hospital = false;     // hospital outpatient: OPPS for facility lines, PFS facility rate
  bool facility_charges = false;  // a hospital's lines without a revenue code are its facility charges
  bool surgery_center = false;
  const PriceLocation* where = nullptr;
  std::string state;         // the patient's state, for DMEPOS
  int year = 2025;
};

// The PFS year a line is priced with: the year of its date of service when billwise has that
// year's conversion factor and GPCIs (2026: applied to the 2025 RVUs, as the basis says), else
// the newest such year before it (the basis then says the date is after that release), else
// the oldest; `fallback` for a line without a date.
int PfsYearFor(const ReferenceData& data, const std::string& date_of_service, int fallback) {
  if (date_of_service.size() < 4) return fallback;
  const int wanted = std::atoi(date_of_service.substr(0, 4).c_str());
  int best = 0, oldest = 0;
  for (int y : data.GpciYears()) {
    if (!data.PfsConversionFactor(y)) continue;
    if (oldest == 0 || y < oldest) oldest = y;
    if (y <= wanted && y > best) best = y;
  }
  return best != 0 ? best : oldest != 0 ? oldest : fallback;
}

// The quote for one bill line, or an error whose message says why it is not priced.
Expected<Quote> PriceLine(const ReferenceData& data, const Service& s, const LineItem& li, const LineContext& ctx) {
  const std::string dos = li.date_of_service ? li.date_of_service->Iso() : std::string();
  bool professional_mod = HasModifier(s, "26");
  if (!professional_mod) {
    if (auto q = PriceClfs(data, s, dos)) return q;
  }
  if (IsAnesthesiaCode(s.code)) {
    // Medicare claims report anesthesia time in minutes in the units field.
    std::optional<double> minutes;
    if (li.quantity > 1) minutes = li.quantity;
    auto q = PriceAnesthesia(data, s, *ctx.where, minutes, dos);
    if (q && minutes) q->basis += "; the quantity is read as minutes, as Medicare claims report anesthesia time";
    return q;
  }
  if (!ctx.state.empty()) {
    auto q = PriceDmepos(data, s, ctx.state, false, dos);
    if (q || q.error().code != ErrorCode::kNotFound) return q;
  }
  if (ctx.surgery_center && !professional_mod) {
    auto q = PriceAsc(data, s, dos);
    if (q || q.error().code == ErrorCode::kUnsupported) return q;
  }
  bool has_revenue_code = li.revenue_code && !li.revenue_code->empty();
  bool facility_line = ctx.hospital && has_revenue_code && !IsProfessionalRevenueCode(*li.revenue_code) && !professional_mod;
  if (ctx.hospital && ctx.facility_charges && !has_revenue_code && !professional_mod) {
    Service facility = s;
    if (IsClinicVisitCode(s.code)) facility.code = "G0463";
    if (auto q = PriceOpps(data, facility)) {
      q->basis += facility.code != s.code ? " (Medicare pays hospital clinic visits as G0463)" : "";
      q->basis += "; no revenue code: priced as the hospital's facility charge";
      return q;
    }
  }
  if (facility_line) {
    auto q = PriceOpps(data, s);
    if (q) return q;
    if (IsClinicVisitCode(s.code)) {
      Service visit = s;
      visit.code = "G0463";
      if (auto g = PriceOpps(data, visit)) {
        g->basis += " (Medicare pays hospital clinic visits as G0463)";
        return g;
      }
    }
    if (q.error().code == ErrorCode::kNotFound) {
      if (auto asp = PriceAsp(data, s, dos)) return asp;
    }
    return q;
  }
  auto pfs = PricePfs(data, s, *ctx.where, PfsYearFor(data, dos, ctx.year),
                      ctx.hospital || ctx.surgery_center ? PfsSetting::kFacility : PfsSetting::kNonFacility);
  if (!pfs) {
    // Drugs outside a hospital's facility lines are paid at the ASP payment limit per
    // billing unit; without an ASP limit, a separately paid drug's OPPS rate (status K or G,
    // also ASP + 6%) is the reference.
    if (auto asp = PriceAsp(data, s, dos)) return asp;
    const OppsRate* r = data.FindOpps(s.code);
    if (r != nullptr && (r->status.starts_with("K") || r->status == "G") && r->payment_rate) {
      if (auto q = PriceOpps(data, s)) {
        q->basis += " (drug paid at ASP + 6%; OPPS rate used as the reference)";
        return q;
      }
    }
  }
  return pfs;
}

// Why a line billed by revenue code alone has no reference price.
std::string RevenueCodeOnlyReason(const std::string& revenue_code) {
  std::string rc = revenue_code.size() == 3 ? "0" + revenue_code : revenue_code;
  std::string name = RevenueCodeName(rc);
  return "no public Medicare rate for revenue code " + rc + (name.empty() ? "" : ", " + name) +
         " (the line has no HCPCS code, and Medicare prices hospital outpatient lines by HCPCS code)";
}

}  // namespace

void PriceBill(const ReferenceData& data, const PricingOptions& options, Bill* bill) {
  bill->pricing.clear();
  std::erase_if(bill->findings, [](const Finding& f) { return f.kind == FindingKind::kPrice; });
  int year = options.year;
  if (!data.PfsConversionFactor(year) || data.GpciYears().end() ==
      std::find(data.GpciYears().begin(), data.GpciYears().end(), year)) {
    bill->diagnostics.push_back({Severity::kWarning, "pricing",
                                 "no fee-schedule data for " + std::to_string(year) + "; 2025 used", std::nullopt});
    year = 2025;
  }
  // The setting, and how it was decided.
  bool revenue_codes = false;
  for (const LineItem& li : bill->line_items) revenue_codes = revenue_codes || (li.revenue_code && !li.revenue_code->empty());
  bool hospital = false, surgery_center = false, name_only = false;
  std::string setting_how;
  if (options.setting) {
    hospital = *options.setting == "hospital";
    surgery_center = *options.setting == "asc";
    setting_how = "set by --setting " + *options.setting;
  } else if (auto cms = MatchCmsHospital(data, bill->provider)) {
    hospital = true;
    const HospitalGeneral& h = cms->hospital;
    setting_how = "the provider is " + h.name + " (CCN " + h.ccn + ", " + h.city + ", " + h.state +
                  ") in CMS Hospital General Information, matched by " + cms->how;
  } else if (IsSurgeryCenterBill(*bill)) {
    surgery_center = true;
    setting_how = "the provider is a surgery center (its name or revenue code 049x)";
  } else if (revenue_codes) {
    hospital = true;
    setting_how = "the lines carry hospital revenue codes";
  } else if (IsHospitalBill(*bill)) {
    // A hospital by its name alone (Hospital, Medical Center, Health System): its physicians'
    // services at the facility rate, but no OPPS facility charge for lines without a revenue code.
    hospital = true;
    name_only = true;
    setting_how = "the provider's name says hospital, but CMS Hospital General Information does not list it";
  } else {
    setting_how = "the provider is not a hospital in CMS Hospital General Information";
  }
  const std::string setting_note =
      std::string("priced as ") +
      (name_only        ? "a hospital (the PFS facility rate; OPPS for lines with a revenue code)"
       : hospital       ? "hospital outpatient (OPPS and the PFS facility rate)"
       : surgery_center ? "a surgery center (ASC facility fee and the PFS facility rate)"
                        : "an office (the PFS non-facility rate)") +
      ": " + setting_how;
  // The place: an override, else the patient's, else the provider's (an EOB's sender is the insurer).
  std::optional<std::string> zip, state;
  std::string place_from;
  if (options.zip || options.state) {
    zip = options.zip;
    state = options.state;
    place_from = "set by --zip/--state";
  } else if (options.patient_zip || options.patient_state) {
    zip = options.patient_zip;
    state = options.patient_state;
    place_from = "the patient's address in the profile";
  } else if (bill->document_type != DocumentType::kEob) {
    zip = bill->provider.zip;
    state = bill->provider.state;
    place_from = "the provider's address";
  } else {
    place_from = "no patient address (an EOB's address is the insurer's)";
  }
  PriceLocation where = ResolveLocation(data, zip, state);
  LineContext ctx{hospital, !name_only, surgery_center, &where,
                  where.locality ? where.locality->state : state.value_or(""), year};

  // A price file is read once into its index (PriceIndex); later runs answer from the index.
  std::shared_ptr<const HospitalPriceList> prices = options.hospital_prices;
  std::optional<PriceIndex> index;
  if (!prices && options.price_file) {
    auto opened = PriceIndex::OpenOrBuild(*options.price_file, PriceIndexOptions{options.price_cache_dir, false});
    if (opened) {
      index = std::move(*opened);
      if (index->info().partial) {
        bill->diagnostics.push_back({Severity::kWarning, "pricing",
                                     "price file read only in part: " + index->info().problem, std::nullopt});
      }
    } else {
      bill->diagnostics.push_back(
          {Severity::kWarning, "pricing", "price file not used: " + opened.error().message, std::nullopt});
    }
  }
  // No price file: a hospital bill from one of the hospitals of the bundled slice is compared
  // with that hospital's published cash prices; the match and how sure it is are noted.
  if (!prices && !index && !options.price_file && options.use_shipped_slice && (hospital || IsHospitalBill(*bill))) {
    if (auto match = MatchShippedHospital(data, bill->provider)) {
      prices = std::make_shared<const HospitalPriceList>(data.CashSlice(*match->hospital));
      bill->diagnostics.push_back(
          {Severity::kInfo, "pricing",
           "provider matched " + match->hospital->name + " (CCN " + match->hospital->ccn + ", " +
               match->hospital->state + ") in the bundled hospital cash-price slice: " + match->how + " (" +
               match->confidence + " confidence); its published cash prices are compared",
           std::nullopt});
    }
  }
  PatientPlan plan{options.plan_payer, options.plan_name};
  std::map<std::string, std::string> late;  // release -> latest date of service after its last day

  for (size_t i = 0; i < bill->line_items.size(); ++i) {
    const LineItem& li = bill->line_items[i];
    std::string code = li.code ? Upper(*li.code) : "";
    if (!li.code || !LooksLikeCode(code) || li.code_type == CodeType::kRevenue || li.code_type == CodeType::kNdc ||
        li.code_type == CodeType::kInternal) {
      std::optional<std::string> rc = li.revenue_code;
      if (!rc && li.code_type == CodeType::kRevenue) rc = li.code;
      if (rc && !rc->empty() && li.charge && li.charge->cents > 0) {
        bill->pricing.push_back(Pricing{i, RevenueCodeOnlyReason(*rc), "none", std::nullopt, std::nullopt, std::nullopt});
      }
      continue;
    }
    Service s{code, {}, li.quantity > 0 ? li.quantity : 1};
    for (const std::string& m : li.modifiers) s.modifiers.push_back(Upper(m));
    Pricing p;
    p.line = i;
    if (const HcpcsDescriptor* h = data.FindHcpcs(code)) p.descriptor = h->long_desc.empty() ? h->short_desc : h->long_desc;
    auto q = PriceLine(data, s, li, ctx);
    if (!q) {
      if (q.error().code == ErrorCode::kNotFound && !data.FindRvu(code) && !data.FindOpps(code) &&
          !data.FindAspLimit(code)) {
        continue;
      }
      p.schedule = "none";
      p.basis = q.error().message;
      bill->pricing.push_back(std::move(p));
      continue;
    }
    p.schedule = q->schedule;
    p.basis = q->release.empty() ? q->basis : q->basis + " (" + q->release + ")";
    std::string version_name = !q->release.empty() ? q->release : q->schedule == "pfs" ? kPfsVersion : kOppsVersion;
    if (li.date_of_service && !q->release_end.empty() && li.date_of_service->Iso() > q->release_end) {
      std::string& latest = late[version_name + ", in force to " + q->release_end];
      latest = std::max(latest, li.date_of_service->Iso());
    }
    p.reference = q->amount;
    if (li.charge && q->amount.cents > 0) {
      p.ratio = static_cast<double>(li.charge->cents) / static_cast<double>(q->amount.cents);
    }
    std::string version = !q->release.empty()      ? q->release
                          : q->schedule == "pfs"  ? kPfsVersion
                                                  : kOppsVersion;
    if (li.charge && q->amount.cents > 0 && li.charge->cents >= 3 * q->amount.cents) {
      Money three = Money{3 * q->amount.cents};
      Finding f;
      f.kind = FindingKind::kPrice;
      f.finding_class = FindingClass::kPriceObservation;
      f.severity = Severity::kWarning;
      f.lines = {i};
      f.amount_at_stake = *li.charge - three;
      char ratio[32];
      std::snprintf(ratio, sizeof ratio, "%.1f", *p.ratio);
      f.rule = "charge at least 3x the Medicare reference; " + q->basis + "; " + version;
      f.explanation = LineLabel(li, i) + ": the charge of " + li.charge->Display() + " is " + ratio +
                      " times what Medicare pays for the same service (" + q->amount.Display() + ", " + q->basis +
                      ", " + version + "). " + f.amount_at_stake.Display() +
                      " of it is above three times the Medicare amount, a level that is hard to justify.";
      bill->findings.push_back(std::move(f));
    }
    const StandardCharge* c = prices ? prices->Find(code) : nullptr;
    StandardCharge from_index;
    std::string source = prices ? prices->source : "";
    std::string hospital_name = prices ? prices->hospital_name : "";
    if (index) {
      auto published = index->Lookup(code);
      if (published && published->rows > 0) {
        from_index = StandardCharge{published->gross_min, published->gross_max, published->cash_min, published->cash_max};
        c = &from_index;
        source = std::filesystem::path(index->info().name).filename().string();
        hospital_name = index->info().hospital_name;
        CheckNegotiatedRates(*published, index->info(), plan, li, i, LineLabel(li, i), s.quantity, &bill->findings);
      }
    }
    if (c && li.charge) {
      {
        std::optional<Money> published = c->cash_max ? c->cash_max : c->gross_max;
        const char* what = c->cash_max ? "discounted cash price" : "gross charge";
        if (published && published->cents > 0) {
          Money limit = published->Scaled(s.quantity);
          if (*li.charge > limit) {
            Finding f;
            f.kind = FindingKind::kPrice;
            f.finding_class = FindingClass::kPriceObservation;
            f.severity = Severity::kWarning;
            f.lines = {i};
            f.amount_at_stake = *li.charge - limit;
            std::string who = hospital_name.empty() ? "the hospital" : hospital_name;
            f.rule = std::string("charge above the hospital's published ") + what + " (45 CFR 180.50); " + source;
            f.explanation = LineLabel(li, i) + ": the charge of " + li.charge->Display() + " is above " + who +
                            "'s own published " + what + " of " + limit.Display() +
                            (s.quantity != 1 ? " (" + FormatQuantity(s.quantity) + " units)" : "") + " in its " +
                            "price-transparency file (" + source + "). The difference is " +
                            f.amount_at_stake.Display() + ".";
            bill->findings.push_back(std::move(f));
          }
        }
      }
    }
    bill->pricing.push_back(std::move(p));
  }
  if (!bill->pricing.empty()) {
    bill->diagnostics.push_back({Severity::kInfo, "pricing", setting_note, std::nullopt});
    bill->diagnostics.push_back(
        {Severity::kInfo, "pricing", "Medicare " + where.Label() + "; the place from " + place_from, std::nullopt});
  }
  for (const auto& [release, latest] : late) {
    bill->diagnostics.push_back({Severity::kWarning, "pricing",
                                 "date of service " + latest + " is later than the newest release billwise has of " +
                                     release + "; the prices may have changed since",
                                 std::nullopt});
  }
  if (auto share = PricedShare(*bill)) bill->diagnostics.push_back({Severity::kInfo, "pricing", *share, std::nullopt});
}

std::optional<std::string> PricedShare(const Bill& bill) {
  std::vector<bool> priced(bill.line_items.size(), false);
  for (const Pricing& p : bill.pricing) {
    if (p.line < priced.size() && p.reference) priced[p.line] = true;
  }
  Money charged, covered;
  size_t lines = 0, unpriced = 0;
  for (size_t i = 0; i < bill.line_items.size(); ++i) {
    const LineItem& li = bill.line_items[i];
    if (!li.charge || li.charge->cents <= 0) continue;
    ++lines;
    charged = charged + *li.charge;
    if (priced[i]) {
      covered = covered + *li.charge;
    } else {
      ++unpriced;
    }
  }
  if (lines == 0) return std::nullopt;
  char percent[16];
  std::snprintf(percent, sizeof percent, "%.0f%%",
                100.0 * static_cast<double>(covered.cents) / static_cast<double>(charged.cents));
  return "Medicare reference prices cover " + covered.Display() + " of the " + charged.Display() + " charged (" +
         percent + ", by charge); " + std::to_string(unpriced) + " of " + std::to_string(lines) +
         " charged lines have no reference price";
}

}  // namespace billwise
