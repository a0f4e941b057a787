// JSON and text forms of an Estimate and of CodePrices (the refdata module's nlohmann_json adapter).
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/refdata/estimate.h"
#include "pipeline/refdata/price_quote.h"

namespace billwise {
namespace {

using nlohmann::ordered_json;

ordered_json Dollars(Money m) {
  // Two-decimal dollars as a JSON number, exact to the cent.
  return ordered_json::parse(m.Plain());
}

ordered_json OptDollars(const std::optional<Money>& m) { return m ? Dollars(*m) : ordered_json(nullptr); }

ordered_json Range(const FairRange& r) {
  return ordered_json{{"low", Dollars(r.low)}, {"high", Dollars(r.high)}, {"basis", r.basis}};
}

std::string Quantity(double q) {
  if (q == std::floor(q)) return std::to_string(static_cast<long long>(q));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", q);
  return buf;
}

}  // namespace

std::string EstimateToJson(const Estimate& e) {
  ordered_json j;
  j["year"] = e.year;
  ordered_json loc;
  loc["zip"] = e.zip.empty() ? ordered_json(nullptr) : ordered_json(e.zip);
  loc["state"] = e.state.empty() ? ordered_json(nullptr) : ordered_json(e.state);
  if (e.location.locality != nullptr) {
    loc["mac"] = e.location.locality->mac;
    loc["locality"] = e.location.locality->locality;
    loc["name"] = e.location.locality->name;
  } else {
    loc["mac"] = nullptr;
    loc["locality"] = nullptr;
    loc["name"] = "national";
  }
  loc["how"] = e.location.how;
  loc["label"] = e.location.Label();
  j["locality"] = loc;
  ordered_json services = ordered_json::array();
  for (const ServiceEstimate& s : e.services) {
    ordered_json o;
    o["code"] = s.code;
    o["modifiers"] = s.modifiers;
    o["quantity"] = s.quantity;
    o["descriptor"] = s.descriptor ? ordered_json(*s.descriptor) : ordered_json(nullptr);
    ordered_json settings = ordered_json::array();
    for (const SettingPrice& p : s.settings) {
      settings.push_back({{"setting", p.setting}, {"amount", Dollars(p.amount)}, {"basis", p.basis}});
    }
    o["settings"] = settings;
    o["cheapest_setting"] = s.cheapest_setting ? ordered_json(*s.cheapest_setting) : ordered_json(nullptr);
    o["saving"] = s.saving ? ordered_json{{"amount", Dollars(*s.saving)}, {"versus", *s.saving_versus}}
                           : ordered_json(nullptr);
    o["fair_range"] = s.fair_range ? Range(*s.fair_range) : ordered_json(nullptr);
    if (s.hospital) {
      o["hospital_prices"] = {{"hospital", s.hospital->hospital},      {"source", s.hospital->source},
                              {"gross_min", OptDollars(s.hospital->gross_min)}, {"gross_max", OptDollars(s.hospital->gross_max)},
                              {"cash_min", OptDollars(s.hospital->cash_min)},   {"cash_max", OptDollars(s.hospital->cash_max)}};
    } else {
      o["hospital_prices"] = nullptr;
    }
    o["notes"] = s.notes;
    services.push_back(o);
  }
  j["services"] = services;
  j["total_fair_range"] = e.total_fair_range ? Range(*e.total_fair_range) : ordered_json(nullptr);
  ordered_json alts = ordered_json::array();
  for (const Alternative& a : e.alternatives) {
    alts.push_back({{"code", a.code}, {"question", a.question}, {"source", a.source}, {"saving", OptDollars(a.saving)}});
  }
  j["alternatives"] = alts;
  j["data_versions"] = e.data_versions;
  return j.dump(2) + "\n";
}

std::string EstimateToText(const Estimate& e) {
  std::string out;
  out += "Estimate (Medicare " + std::to_string(e.year) + " reference prices), " + e.location.Label() + "\n";
  for (const ServiceEstimate& s : e.services) {
    out += "\n" + s.code;
    for (const std::string& m : s.modifiers) out += "-" + m;
    if (s.quantity != 1) out += " x" + Quantity(s.quantity);
    if (s.descriptor) out += "  " + *s.descriptor;
    out += "\n";
    for (const SettingPrice& p : s.settings) {
      char line[64];
      std::snprintf(line, sizeof line, "  %-20s %12s  ", p.setting.c_str(), p.amount.Display().c_str());
      out += line + p.basis + "\n";
    }
    if (s.cheapest_setting) {
      out += "  cheapest: " + *s.cheapest_setting;
      if (s.saving) out += ", saves " + s.saving->Display() + " against " + *s.saving_versus;
      out += "\n";
    }
    if (s.fair_range) {
      out += "  fair price: " + s.fair_range->low.Display() + " to " + s.fair_range->high.Display() + " (" +
             s.fair_range->basis + ")\n";
    }
    if (s.hospital) {
      out += "  hospital's own prices";
      if (!s.hospital->hospital.empty()) out += " (" + s.hospital->hospital + ")";
      out += ":";
      auto range = [](const std::optional<Money>& lo, const std::optional<Money>& hi) {
        if (!lo) return std::string("not listed");
        if (!hi || *hi == *lo) return lo->Display();
        return lo->Display() + " to " + hi->Display();
      };
      out += " gross " + range(s.hospital->gross_min, s.hospital->gross_max) + ", cash " +
             range(s.hospital->cash_min, s.hospital->cash_max) + "\n    source: " + s.hospital->source + "\n";
    }
    for (const std::string& n : s.notes) out += "  note: " + n + "\n";
  }
  if (e.total_fair_range) {
    out += "\nTotal fair price: " + e.total_fair_range->low.Display() + " to " + e.total_fair_range->high.Display() + "\n";
  }
  if (!e.alternatives.empty()) {
    out += "\nQuestions to ask your clinician (not medical advice):\n";
    for (const Alternative& a : e.alternatives) {
      out += "  - " + a.question + "\n    (source: " + a.source + ")\n";
    }
  }
  out += "\nData: ";
  for (size_t i = 0; i < e.data_versions.size(); ++i) out += (i ? "; " : "") + e.data_versions[i];
  out += ".\nCPT codes are shown without descriptions (AMA copyright); HCPCS Level II descriptors are CMS public data.\n";
  return out;
}

std::string CodePricesToJson(const CodePrices& p) {
  ordered_json j;
  j["code"] = p.service.code;
  j["modifiers"] = p.service.modifiers;
  j["year"] = p.year;
  j["descriptor"] = p.descriptor ? ordered_json(*p.descriptor) : ordered_json(nullptr);
  ordered_json loc;
  if (p.location.locality != nullptr) {
    loc = {{"mac", p.location.locality->mac}, {"locality", p.location.locality->locality},
           {"name", p.location.locality->name}, {"state", p.location.locality->state}};
  } else {
    loc = {{"mac", nullptr}, {"locality", nullptr}, {"name", "national"}, {"state", nullptr}};
  }
  loc["how"] = p.location.how;
  loc["label"] = p.location.Label();
  j["locality"] = loc;
  ordered_json prices = ordered_json::array();
  for (const Quote& q : p.quotes) {
    prices.push_back({{"schedule", q.schedule}, {"setting", q.setting}, {"amount", Dollars(q.amount)}, {"basis", q.basis}});
  }
  j["prices"] = prices;
  j["notes"] = p.notes;
  ordered_json locs = ordered_json::array();
  for (const auto& l : p.state_localities) {
    locs.push_back({{"mac", l.locality->mac}, {"locality", l.locality->locality}, {"name", l.locality->name},
                    {"non_facility", OptDollars(l.nonfacility)}, {"facility", OptDollars(l.facility)}});
  }
  j["state_localities"] = locs;
  return j.dump(2) + "\n";
}

std::string CodePricesToText(const CodePrices& p) {
  std::string out = p.service.code;
  for (const std::string& m : p.service.modifiers) out += "-" + m;
  if (p.descriptor) out += "  " + *p.descriptor;
  out += "\nMedicare " + std::to_string(p.year) + ", " + p.location.Label() + "\n";
  for (const Quote& q : p.quotes) {
    char line[64];
    std::snprintf(line, sizeof line, "  %-20s %12s  ", q.setting.c_str(), q.amount.Display().c_str());
    out += line + q.basis + "\n";
  }
  for (const std::string& n : p.notes) out += "  note: " + n + "\n";
  if (!p.state_localities.empty()) {
    out += "\nPFS in each locality of the state (non-facility / facility):\n";
    for (const auto& l : p.state_localities) {
      char line[160];
      std::snprintf(line, sizeof line, "  %-9s %-32s %12s %12s\n", l.locality->Id().c_str(), l.locality->name.c_str(),
                    l.nonfacility ? l.nonfacility->Display().c_str() : "-", l.facility ? l.facility->Display().c_str() : "-");
      out += line;
    }
  }
  return out;
}

}  // namespace billwise
