#include "pipeline/refdata/estimate.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "pipeline/model/strings.h"

namespace billwise {
namespace {

const char* SettingWords(const std::string& s) {
  if (s == "office") return "a doctor's office";
  if (s == "hospital_outpatient") return "a hospital outpatient department";
  if (s == "lab") return "an independent lab";
  return "another setting";
}

// The drug a J/Q code's HCPCS descriptor names ("filgrastim" for "Injection, filgrastim-sndz,
// biosimilar, (zarxio), 1 microgram") and its billing unit ("1 microgram").
struct DrugKey {
  std::string drug;
  std::string unit;
};

std::optional<DrugKey> DrugOf(const HcpcsDescriptor& h) {
  if (h.code.empty() || (h.code[0] != 'J' && h.code[0] != 'Q')) return std::nullopt;
  std::string d = Lower(h.long_desc.empty() ? h.short_desc : h.long_desc);
  for (const char* p : {"injection, ", "inj, ", "inj. "}) {
    if (d.starts_with(p)) {
      d = d.substr(std::string(p).size());
      break;
    }
  }
  size_t end = d.find_first_of(",( ");
  std::string drug = d.substr(0, end);
  // Biosimilar suffixes: "-sndz", "-aafi".
  if (auto dash = drug.rfind('-'); dash != std::string::npos && drug.size() - dash == 5) drug = drug.substr(0, dash);
  if (drug.size() < 5) return std::nullopt;
  auto comma = d.rfind(',');
  if (comma == std::string::npos) return std::nullopt;
  std::string unit(Trim(std::string_view(d).substr(comma + 1)));
  if (unit.starts_with("per ")) unit = unit.substr(4);
  if (unit.empty() || !std::isdigit(static_cast<unsigned char>(unit[0]))) return std::nullopt;
  return DrugKey{drug, unit};
}

std::string Rate3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

bool IsAnesthesiaCode(const std::string& code) {
  if (code.size() != 5) return false;
  for (char c : code) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return code >= "00100" && code <= "01999";
}

}  // namespace

Expected<EstimateService> ParseServiceArgument(const std::string& arg) {
  std::string a = Upper(Trim(arg));
  EstimateService s;
  auto x = a.find('X', 5);
  std::string head = x == std::string::npos ? a : a.substr(0, x);
  if (x != std::string::npos) {
    std::string q = a.substr(x + 1);
    double v = 0;
    auto [p, ec] = std::from_chars(q.data(), q.data() + q.size(), v);
    if (ec != std::errc() || p != q.data() + q.size() || v <= 0 || v > 10000) {
      return Fail(ErrorCode::kUsage, "bad quantity in '" + arg + "' (use CODExQTY, e.g. 99213x2)");
    }
    s.quantity = v;
  }
  size_t dash = head.find('-');
  s.code = head.substr(0, dash);
  while (dash != std::string::npos) {
    size_t next = head.find('-', dash + 1);
    std::string m = head.substr(dash + 1, next == std::string::npos ? std::string::npos : next - dash - 1);
    if (m.size() != 2) return Fail(ErrorCode::kUsage, "bad modifier in '" + arg + "'");
    s.modifiers.push_back(m);
    dash = next;
  }
  bool ok = s.code.size() == 5;
  for (char c : s.code) ok = ok && std::isalnum(static_cast<unsigned char>(c));
  if (!ok) return Fail(ErrorCode::kUsage, "'" + arg + "' is not a CPT/HCPCS code (five characters, e.g. 99213 or G0463)");
  return s;
}

Expected<Estimate> EstimateServices(const ReferenceData& data, const EstimateRequest& request) {
  if (request.services.empty()) return Fail(ErrorCode::kUsage, "no service codes given");
  if (!data.PfsConversionFactor(request.year)) {
    return Fail(ErrorCode::kUsage, "no fee-schedule data for " + std::to_string(request.year) + " (use 2025 or 2026)");
  }
  Estimate est;
  est.year = request.year;
  est.location = ResolveLocation(data, request.zip, request.state);
  est.zip = request.zip.value_or("");
  est.state = request.state ? Upper(*request.state)
                            : (est.location.locality != nullptr ? est.location.locality->state : "");
  est.data_versions = {kPfsVersion, kOppsVersion};
  std::string clfs;  // the newest CLFS release, the one a plan without a date is priced with
  for (const TableRelease& r : data.ReferenceReleases()) {
    if (r.table == "clfs_rate") clfs = r.release;
  }
  if (!clfs.empty()) est.data_versions.push_back(clfs);
  est.data_versions.push_back(kHcpcsVersion);
  est.data_versions.push_back(kZipVersion);

  // Hospital prices: the user's file first, else the bundled slice.
  std::shared_ptr<const HospitalPriceList> prices = request.hospital_prices;
  if (!prices && request.hospital) {
    if (auto ok = data.HospitalSliceStatus(); !ok) return std::unexpected(ok.error());
    const HospitalInfo* h = data.FindHospital(Trim(*request.hospital));
    if (h == nullptr) {
      auto matches = data.FindHospitalsByName(*request.hospital, est.state);
      if (matches.empty() && !est.state.empty()) matches = data.FindHospitalsByName(*request.hospital);
      if (matches.empty()) {
        return Fail(ErrorCode::kUsage, "no hospital of the bundled cash-price slice matches '" + *request.hospital + "'");
      }
      if (matches.size() > 1) {
        std::string list;
        for (size_t i = 0; i < matches.size() && i < 8; ++i) {
          list += (i ? "; " : "") + matches[i]->ccn + " " + matches[i]->name + " (" + matches[i]->state + ")";
        }
        return Fail(ErrorCode::kUsage, std::to_string(matches.size()) + " hospitals match '" + *request.hospital +
                                           "'; give the CCN: " + list);
      }
      h = matches[0];
    }
    prices = std::make_shared<const HospitalPriceList>(data.CashSlice(*h));
    est.data_versions.push_back(kCashSliceVersion);
  }

  Money total_low, total_high;
  bool any_range = false;
  for (const EstimateService& in : request.services) {
    ServiceEstimate se;
    se.code = Upper(in.code);
    se.modifiers = in.modifiers;
    se.quantity = in.quantity;
    Service s{se.code, in.modifiers, in.quantity};
    if (const HcpcsDescriptor* h = data.FindHcpcs(se.code)) se.descriptor = h->long_desc.empty() ? h->short_desc : h->long_desc;

    // Lab.
    auto lab = PriceClfs(data, s);
    if (lab) se.settings.push_back({"lab", lab->amount, lab->basis});

    // Office.
    auto office = PricePfs(data, s, est.location, request.year, PfsSetting::kNonFacility);
    if (office && !lab) {
      se.settings.push_back({"office", office->amount, office->basis});
    } else if (!office && office.error().code == ErrorCode::kUnsupported && !lab && se.code[0] != 'J' &&
               se.code[0] != 'Q') {
      se.notes.push_back("office: " + office.error().message);
    }

    // Hospital outpatient: OPPS facility payment + PFS professional amount in a facility.
    if (!lab) {
      Service facility = s;
      auto opps = PriceOpps(data, facility);
      std::string facility_note;
      if (!opps && IsClinicVisitCode(se.code)) {
        facility.code = "G0463";
        opps = PriceOpps(data, facility);
        facility_note = " (hospital clinic visits are billed to Medicare as G0463)";
      }
      if (opps) {
        Money amount = opps->amount;
        std::string basis = "facility " + opps->amount.Display() + " (" + opps->basis + facility_note + ")";
        Service professional = s;
        const PfsRvu* row = data.FindRvu(se.code);
        if (row != nullptr && row->pctc == 1 && !std::count(s.modifiers.begin(), s.modifiers.end(), "26")) {
          professional.modifiers.push_back("26");
        }
        auto prof = PricePfs(data, professional, est.location, request.year, PfsSetting::kFacility);
        if (prof) {
          amount += prof->amount;
          basis += " + professional " + prof->amount.Display() + " (" + prof->basis + ")";
        }
        se.settings.push_back({"hospital_outpatient", amount, basis});
        if (se.code[0] == 'J' || se.code[0] == 'Q') {
          se.notes.push_back("office: Medicare pays drugs given in an office from the quarterly ASP file "
                             "(ASP + 6%), which is not in the shipped data; the OPPS rate uses the same basis");
        }
      } else if (opps.error().code == ErrorCode::kUnsupported) {
        se.notes.push_back("hospital_outpatient: " + opps.error().message);
      }
      const OppsRate* o = data.FindOpps(se.code);
      const PfsRvu* r = data.FindRvu(se.code);
      bool procedure = (o != nullptr && (o->status == "J1" || o->status == "T")) ||
                       (r != nullptr && (r->global_days == "000" || r->global_days == "010" || r->global_days == "090"));
      if (procedure) {
        se.notes.push_back("asc: ambulatory surgery center rates (ASC Addenda AA/BB) are not in the shipped data; "
                           "ask the surgeon whether an ASC is an option and for its price");
      }
    }
    if (IsAnesthesiaCode(se.code)) {
      se.notes.push_back("anesthesia: Medicare pays (base units + time units) x the anesthesia conversion factor; "
                         "the base units are not in the shipped data");
    }
    if (se.settings.empty() && se.notes.empty()) {
      se.notes.push_back("not found in the PFS, OPPS or CLFS tables shipped with billwise");
    }

    if (!se.settings.empty()) {
      auto [lo, hi] = std::minmax_element(se.settings.begin(), se.settings.end(),
                                          [](const SettingPrice& a, const SettingPrice& b) { return a.amount < b.amount; });
      se.cheapest_setting = lo->setting;
      if (se.settings.size() > 1 && hi->amount > lo->amount) {
        se.saving = hi->amount - lo->amount;
        se.saving_versus = hi->setting;
      }
      FairRange fr;
      fr.low = lo->amount;
      fr.high = Money{2 * hi->amount.cents};
      fr.basis = "low: Medicare " + std::to_string(request.year) + " in the cheapest setting (" + lo->setting +
                 "); high: twice Medicare in the " + (se.settings.size() > 1 ? "most expensive setting (" + hi->setting + ")" : std::string("same setting"));
      se.fair_range = fr;
      total_low += fr.low;
      total_high += fr.high;
      any_range = true;
    }

    if (prices) {
      if (const StandardCharge* c = prices->Find(se.code)) {
        HospitalQuote hq;
        hq.hospital = prices->hospital_name;
        hq.source = prices->source;
        auto scale = [&](std::optional<Money> m) -> std::optional<Money> {
          if (!m) return std::nullopt;
          return m->Scaled(se.quantity);
        };
        hq.gross_min = scale(c->gross_min);
        hq.gross_max = scale(c->gross_max);
        hq.cash_min = scale(c->cash_min);
        hq.cash_max = scale(c->cash_max);
        se.hospital = hq;
      } else {
        se.notes.push_back("hospital prices: " + se.code + " is not listed in " +
                           (prices->hospital_name.empty() ? std::string("the hospital's price file")
                                                          : prices->hospital_name + "'s published prices"));
      }
    }

    // Questions for the clinician.
    auto find_setting = [&](const char* name) -> const SettingPrice* {
      for (const SettingPrice& p : se.settings) {
        if (p.setting == name) return &p;
      }
      return nullptr;
    };
    const SettingPrice* off = find_setting("office");
    const SettingPrice* hop = find_setting("hospital_outpatient");
    bool ed_low = se.code == "99281" || se.code == "99282" || se.code == "99283";
    if (off != nullptr && hop != nullptr && off->amount < hop->amount && !ed_low) {
      est.alternatives.push_back(
          {se.code,
           "Could " + se.code + " be done in " + SettingWords("office") + " rather than " +
               SettingWords("hospital_outpatient") + "? Medicare pays " + off->amount.Display() + " in an office and " +
               hop->amount.Display() + " in a hospital outpatient department.",
           off->basis + "; " + hop->basis, hop->amount - off->amount});
    }
    if (ed_low && hop != nullptr) {
      Service visit{"99213", {}, 1};
      if (auto v = PricePfs(data, visit, est.location, request.year, PfsSetting::kNonFacility)) {
        est.alternatives.push_back(
            {se.code,
             "If this is not an emergency, could it be handled as an office or urgent-care visit (for example 99213) "
             "instead of emergency department level " + se.code + "? Medicare pays " + hop->amount.Display() +
                 " for the emergency visit (facility and physician) and " + v->amount.Display() + " for 99213 in an office.",
             hop->basis + "; " + v->basis,
             hop->amount > v->amount ? std::optional<Money>(hop->amount - v->amount) : std::nullopt});
      }
    }
    if (lab) {
      std::string q = "Could the sample for " + se.code + " be drawn and tested at an independent lab? Medicare pays " +
                      lab->amount.Display() + " (CLFS) to any lab";
      std::optional<Money> saving;
      if (se.hospital && (se.hospital->cash_min || se.hospital->gross_min)) {
        Money h = se.hospital->cash_min ? *se.hospital->cash_min : *se.hospital->gross_min;
        q += ", while the hospital's published " + std::string(se.hospital->cash_min ? "cash price" : "gross charge") +
             " is " + h.Display();
        if (h > lab->amount) saving = h - lab->amount;
      }
      est.alternatives.push_back({se.code, q + ".", lab->basis + (se.hospital ? "; " + se.hospital->source : ""), saving});
    }
    if (const HcpcsDescriptor* h = data.FindHcpcs(se.code)) {
      const OppsRate* mine = data.FindOpps(se.code);
      auto key = DrugOf(*h);
      if (key && mine != nullptr && mine->payment_rate) {
        const HcpcsDescriptor* best = nullptr;
        double best_rate = *mine->payment_rate;
        for (const HcpcsDescriptor& other : data.hcpcs()) {
          if (other.code == h->code || !other.term_date.empty()) continue;
          auto ok = DrugOf(other);
          if (!ok || ok->drug != key->drug || ok->unit != key->unit) continue;
          const OppsRate* r = data.FindOpps(other.code);
          if (r == nullptr || !r->payment_rate || *r->payment_rate <= 0) continue;
          if (*r->payment_rate < best_rate) {
            best = &other;
            best_rate = *r->payment_rate;
          }
        }
        if (best != nullptr) {
          Money saving = RoundDollarsToCents((*mine->payment_rate - best_rate) * se.quantity);
          est.alternatives.push_back(
              {se.code,
               "Is " + best->code + " (" + best->long_desc + ") an option instead of " + se.code +
                   "? It is the same drug and billing unit in the HCPCS data, and Medicare's hospital outpatient rate is $" +
                   Rate3(best_rate) + " per unit against $" + Rate3(*mine->payment_rate) + ".",
               std::string(kHcpcsVersion) + " descriptors; " + kOppsVersion + " payment rates", saving});
        }
      }
    }
    est.services.push_back(std::move(se));
  }
  if (any_range) {
    est.total_fair_range = FairRange{total_low, total_high, "sum of each service's fair range"};
  }
  return est;
}

}  // namespace billwise
