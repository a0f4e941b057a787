#include "pipeline/refdata/negotiated_rates.h"

#include <algorithm>
#include <filesystem>

namespace billwise {
namespace {

bool ContainsFold(const std::string& text, const std::string& part) {
  auto lower = [](std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  };
  return lower(text).find(lower(part)) != std::string::npos;
}

std::string Cite(const PriceFileInfo& file) {
  std::string s = std::filesystem::path(file.name).filename().string();
  if (!file.last_updated_on.empty()) s += ", last updated " + file.last_updated_on;
  if (file.partial) s += ", read only in part (" + file.problem + ")";
  return s;
}

std::string Who(const PriceFileInfo& file) { return file.hospital_name.empty() ? "the hospital" : file.hospital_name; }

}  // namespace

std::vector<PayerPlanRate> RatesForPlan(const PublishedPrices& prices, const PatientPlan& plan) {
  std::vector<PayerPlanRate> out;
  bool any_base = std::any_of(prices.rates.begin(), prices.rates.end(), [](const PayerPlanRate& r) { return r.modifiers.empty(); });
  for (const PayerPlanRate& r : prices.rates) {
    if (any_base && !r.modifiers.empty()) continue;
    if (!r.amount()) continue;
    if (plan.payer && !ContainsFold(r.payer, *plan.payer)) continue;
    if (plan.plan && !ContainsFold(r.plan, *plan.plan)) continue;
    out.push_back(r);
  }
  return out;
}

void CheckNegotiatedRates(const PublishedPrices& prices, const PriceFileInfo& file, const PatientPlan& plan,
                          const LineItem& line, size_t index, const std::string& label, double quantity,
                          std::vector<Finding>* findings) {
  if (prices.rows == 0) return;
  std::vector<PayerPlanRate> rates = RatesForPlan(prices, plan);
  if (rates.empty()) return;
  Money lo = *rates.front().amount();
  Money hi = lo;
  for (const PayerPlanRate& r : rates) {
    lo = std::min(lo, *r.amount());
    hi = std::max(hi, *r.amount());
  }
  Money lo_q = lo.Scaled(quantity);
  Money hi_q = hi.Scaled(quantity);
  std::string units = quantity != 1 ? " for " + std::to_string(static_cast<int>(quantity)) + " units" : "";
  std::string band = lo_q == hi_q ? lo_q.Display() : lo_q.Display() + " to " + hi_q.Display();
  std::string rule = "published negotiated rate (45 CFR 180.50); " + Cite(file);
  if (plan.known()) {
    std::string plan_name = rates.front().payer + (rates.front().plan.empty() ? "" : " " + rates.front().plan);
    if (line.allowed) {
      if (*line.allowed >= lo_q && *line.allowed <= hi_q) return;
      Finding f;
      f.kind = FindingKind::kPrice;
      f.lines = {index};
      f.rule = "EOB allowed amount differs from the plan's " + rule;
      bool higher = *line.allowed > hi_q;
      f.severity = higher ? Severity::kWarning : Severity::kInfo;
      f.amount_at_stake = higher ? *line.allowed - hi_q : Money{};
      f.explanation = label + ": the allowed amount of " + line.allowed->Display() + " is " +
                      (higher ? "above" : "below") + " the rate " + Who(file) + " publishes for " + plan_name + " (" +
                      band + units + ", " + Cite(file) + "). The allowed amount should equal the negotiated rate; " +
                      "ask the plan and the hospital which is right.";
      findings->push_back(std::move(f));
      return;
    }
    if (line.charge && *line.charge > hi_q) {
      Finding f;
      f.kind = FindingKind::kPrice;
      f.severity = Severity::kInfo;
      f.lines = {index};
      f.amount_at_stake = *line.charge - hi_q;
      f.rule = "charge above the plan's " + rule;
      f.explanation = label + ": " + Who(file) + " publishes a negotiated rate of " + band + units + " for " +
                      plan_name + " (" + Cite(file) + "), " + f.amount_at_stake.Display() + " less than the charge of " +
                      line.charge->Display() + ". When the hospital is in your plan's network, what you owe is based " +
                      "on that rate, not on the charge.";
      findings->push_back(std::move(f));
    }
    return;
  }
  // No plan: the negotiated median and range are the fair-price band.
  if (!line.charge || !prices.negotiated_median) return;
  Money median = prices.negotiated_median->Scaled(quantity);
  if (*line.charge <= hi_q) return;
  Finding f;
  f.kind = FindingKind::kPrice;
  f.severity = Severity::kInfo;
  f.lines = {index};
  f.amount_at_stake = *line.charge - median;
  f.rule = "charge above every " + rule;
  f.explanation = label + ": the charge of " + line.charge->Display() + " is above every rate " + Who(file) +
                  " has negotiated with insurers for it (" + band + units + ", median " + median.Display() + "; " +
                  Cite(file) + "). That range is a fair price to ask for.";
  findings->push_back(std::move(f));
}

}  // namespace billwise
