#include "pipeline/refdata/price_index_format.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace billwise {
namespace {

std::string Show(const std::optional<Money>& m) { return m ? m->Display() : "-"; }

std::string Range(const std::optional<Money>& lo, const std::optional<Money>& hi) {
  if (!lo) return "-";
  if (!hi || *hi == *lo) return lo->Display();
  return lo->Display() + " - " + hi->Display();
}

nlohmann::json JsonMoney(const std::optional<Money>& m) { return m ? nlohmann::json(m->Dollars()) : nlohmann::json(); }

nlohmann::json FileJson(const PriceFileInfo& f) {
  return {{"file", f.name},
          {"hospital_name", f.hospital_name},
          {"last_updated_on", f.last_updated_on},
          {"version", f.version},
          {"shape", f.shape},
          {"container", f.container},
          {"bytes", f.bytes},
          {"records", f.records},
          {"partial", f.partial},
          {"problem", f.partial ? nlohmann::json(f.problem) : nlohmann::json()}};
}

std::string FileLine(const PriceFileInfo& f) {
  std::string s = f.name;
  if (!f.hospital_name.empty()) s += " (" + f.hospital_name + ")";
  if (!f.last_updated_on.empty()) s += ", last updated " + f.last_updated_on;
  s += "\n";
  if (f.partial) s += "PARTIAL FILE: only what could be read is shown; " + f.problem + "\n";
  return s;
}

}  // namespace

std::string PublishedPricesToText(const PriceFileInfo& file, const PublishedPrices& p) {
  std::string s = FileLine(file);
  if (p.rows == 0) return s + p.code + ": not in this file\n";
  s += p.code + " (" + std::to_string(p.rows) + " standard-charge rows)\n";
  s += "  Gross charge:        " + Range(p.gross_min, p.gross_max) + "\n";
  s += "  Discounted cash:     " + Range(p.cash_min, p.cash_max) + "\n";
  s += "  Negotiated min:      " + Show(p.negotiated_min) + "\n";
  s += "  Negotiated median:   " + Show(p.negotiated_median) + "\n";
  s += "  Negotiated max:      " + Show(p.negotiated_max) + "\n";
  if (p.published_min) s += "  Published min-max:   " + Range(p.published_min, p.published_max) + "\n";
  if (!p.rates.empty()) s += "  Payer / plan / setting: rate (methodology)\n";
  for (const PayerPlanRate& r : p.rates) {
    std::string rate;
    if (r.dollar) rate = r.dollar->Display();
    if (r.percentage) {
      char pct[32];
      std::snprintf(pct, sizeof pct, "%g%%", *r.percentage);
      rate += (rate.empty() ? "" : ", ") + std::string(pct);
    }
    if (!r.algorithm.empty()) rate += (rate.empty() ? "" : ", ") + std::string("algorithm");
    if (r.estimated && !r.dollar) rate += " (est. " + r.estimated->Display() + ")";
    s += "    " + r.payer + " / " + (r.plan.empty() ? "-" : r.plan) + " / " + (r.setting.empty() ? "-" : r.setting);
    if (!r.modifiers.empty()) s += " [" + r.modifiers + "]";
    s += ": " + (rate.empty() ? "-" : rate);
    if (!r.methodology.empty()) s += " (" + r.methodology + ")";
    s += "\n";
  }
  return s;
}

std::string PublishedPricesToJson(const PriceFileInfo& file, const PublishedPrices& p) {
  nlohmann::json rates = nlohmann::json::array();
  for (const PayerPlanRate& r : p.rates) {
    rates.push_back({{"payer", r.payer},
                     {"plan", r.plan},
                     {"setting", r.setting},
                     {"modifiers", r.modifiers},
                     {"dollar", JsonMoney(r.dollar)},
                     {"percentage", r.percentage ? nlohmann::json(*r.percentage) : nlohmann::json()},
                     {"algorithm", r.algorithm},
                     {"estimated_amount", JsonMoney(r.estimated)},
                     {"methodology", r.methodology}});
  }
  nlohmann::json j = {{"source", FileJson(file)},
                      {"code", p.code},
                      {"found", p.rows > 0},
                      {"rows", p.rows},
                      {"gross", {{"min", JsonMoney(p.gross_min)}, {"max", JsonMoney(p.gross_max)}}},
                      {"cash", {{"min", JsonMoney(p.cash_min)}, {"max", JsonMoney(p.cash_max)}}},
                      {"published", {{"min", JsonMoney(p.published_min)}, {"max", JsonMoney(p.published_max)}}},
                      {"negotiated",
                       {{"min", JsonMoney(p.negotiated_min)},
                        {"median", JsonMoney(p.negotiated_median)},
                        {"max", JsonMoney(p.negotiated_max)}}},
                      {"payers", rates}};
  return j.dump(2) + "\n";
}

std::string PriceFileInfoToText(const PriceFileInfo& f) {
  std::string s = FileLine(f);
  s += "  shape " + f.shape + ", container " + f.container + ", version " + (f.version.empty() ? "-" : f.version) + "\n";
  s += "  " + std::to_string(f.records) + " priced rows in " + std::to_string(f.bytes) + " bytes\n";
  return s;
}

std::string PriceFileInfoToJson(const PriceFileInfo& f) { return FileJson(f).dump(2) + "\n"; }

}  // namespace billwise
