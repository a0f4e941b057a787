#include "pipeline/audit/plan.h"

#include "pipeline/audit/next_steps.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace billwise {
namespace {

std::string Percent(double fraction) { return std::to_string(static_cast<long long>(std::llround(fraction * 100))); }

Money CeilDiv(Money total, int64_t parts) { return Money{(total.cents + parts - 1) / parts}; }

// The date each loaded guideline year took effect (Federal Register notices).
Date GuidelineEffective(int year) {
  if (year == 2025) return Date{2025, 1, 15};
  if (year == 2026) return Date{2026, 1, 13};
  return Date{year, 1, 15};
}

// The charges a lump-sum offer speaks for, and the part of them with a reference price.
struct PricedShare {
  Money charges;
  Money priced_charges;
  Money reference;
};

PricedShare ShareWithReference(const Bill& bill) {
  PricedShare s;
  std::vector<bool> priced(bill.line_items.size(), false);
  for (const auto& p : bill.pricing) {
    if (p.line >= bill.line_items.size() || !p.reference || p.reference->cents <= 0) continue;
    const LineItem& li = bill.line_items[p.line];
    if (!li.charge || li.charge->cents <= 0 || priced[p.line]) continue;
    priced[p.line] = true;
    s.priced_charges += *li.charge;
    s.reference += *p.reference;
  }
  for (const auto& li : bill.line_items) {
    if (li.charge && li.charge->cents > 0) s.charges += *li.charge;
  }
  return s;
}

// Offer = the balance reduced to the fraction of charges that kLumpSumMultiple x Medicare
// pays for the priced lines (the unpriced lines assumed to be reduced in the same
// proportion), never above the balance or the cash the patient has. No offer without a
// reference price, or when the balance is already at or below that fair fraction.
std::optional<Plan::LumpSum> LumpSum(const PricedShare& share, Money balance, const Profile& profile) {
  if (share.reference.cents <= 0 || share.priced_charges.cents <= 0 || balance.cents <= 0) return std::nullopt;
  double fair = kLumpSumMultiple * static_cast<double>(share.reference.cents) /
                static_cast<double>(share.priced_charges.cents);
  if (fair >= 1.0) return std::nullopt;  // the charges are already at or below the fair price
  Plan::LumpSum offer;
  offer.charges = share.charges;
  offer.priced_charges = share.priced_charges;
  offer.reference = share.reference;
  offer.multiple = kLumpSumMultiple;
  offer.amount = balance.Scaled(fair);
  bool cash_limited = false;
  if (profile.lump_sum_available && *profile.lump_sum_available < offer.amount) {
    offer.amount = *profile.lump_sum_available;
    cash_limited = true;
  }
  if (offer.amount.cents <= 0) return std::nullopt;
  double covered = share.charges.cents > 0 ? static_cast<double>(share.priced_charges.cents) /
                                                  static_cast<double>(share.charges.cents)
                                            : 1.0;
  offer.basis = Percent(covered) + "% of the charges (" + share.priced_charges.Display() + " of " +
                share.charges.Display() + ") have a Medicare reference price; Medicare pays " +
                share.reference.Display() + " for them, " +
                Percent(static_cast<double>(share.reference.cents) / static_cast<double>(share.priced_charges.cents)) +
                "% of what was charged. The offer is " + Percent(fair) +
                "% of the balance (1.5 times that share), assuming the charges without a reference price are "
                "reduced in the same proportion" +
                (cash_limited ? "; lowered to the cash you have available, " + offer.amount.Display() : std::string()) +
                ".";
  return offer;
}

// 0 % interest. Monthly: the profile's budget (never exceeded), else 5 % of gross monthly
// income (whole dollars, at least $25), else a 12-month plan; at most kMaxPlanMonths. The
// last payment is what remains, so the payments add up to the balance.
}  // namespace

std::optional<Plan::PaymentPlan> PaymentPlanFor(Money balance, const Profile& profile) {
  if (balance.cents <= 0) return std::nullopt;
  Money monthly;
  bool budget = profile.monthly_budget && profile.monthly_budget->cents > 0;
  if (budget) {
    monthly = *profile.monthly_budget;
  } else if (profile.annual_income && profile.annual_income->cents > 0) {
    int64_t dollars = static_cast<int64_t>(static_cast<double>(profile.annual_income->cents) / 12.0 *
                                           kIncomeShareForPlan / 100.0);
    monthly = Money::FromDollars(std::max<int64_t>(dollars, 25));
  } else {
    monthly = Money::FromDollars((CeilDiv(balance, 12).cents + 99) / 100);
  }
  if (monthly > balance) monthly = balance;
  int64_t months = (balance.cents + monthly.cents - 1) / monthly.cents;
  // A plan the budget cannot finish in kMaxPlanMonths is not offered (financial assistance
  // is the way out); without a budget the monthly amount rises to fit.
  if (budget && months > kMaxPlanMonths) return std::nullopt;
  if (!budget && months > kMaxPlanMonths) {
    monthly = CeilDiv(balance, kMaxPlanMonths);
    months = (balance.cents + monthly.cents - 1) / monthly.cents;
  }
  Money last = Money{balance.cents - monthly.cents * (months - 1)};
  return Plan::PaymentPlan{monthly, static_cast<int>(months), 0.0, last};
}

namespace {

std::optional<Plan::Assistance> Screen(const AuditData& data, const Profile& profile, const Bill& bill,
                                       const PlanOptions& options) {
  if (!profile.annual_income || !profile.household_size) return std::nullopt;
  Date when = bill.statement_date.value_or(options.today);
  std::vector<int> years = data.poverty_years();
  if (years.empty()) return std::nullopt;
  int year = years.front();
  for (int y : years) {
    if (GuidelineEffective(y) <= when) year = y;
  }
  auto g = data.FindPovertyGuideline(year, profile.state.value_or(""), *profile.household_size);
  if (!g || g->amount.cents <= 0) return std::nullopt;
  int64_t percent = profile.annual_income->cents * 100 / g->amount.cents;  // rounded down
  Plan::Assistance a;
  a.poverty_percent = static_cast<int>(percent);
  a.guideline_year = year;
  a.typical_band = percent <= 200 ? "free care" : percent <= 400 ? "discounted care" : "above typical bands";
  return a;
}

void AddDeadline(std::vector<Deadline>* out, std::string what, Date date, const PlanOptions& options) {
  if (date < options.today) what += " (this date has passed)";
  out->push_back({std::move(what), date});
}

}  // namespace

std::optional<Money> BillBalance(const Bill& bill) {
  if (bill.amount_due) return bill.amount_due;
  const Totals& t = bill.totals;
  if (t.charges) {
    return *t.charges - t.insurance_paid.value_or(Money{}) - t.adjustments.value_or(Money{}) -
           t.patient_paid.value_or(Money{});
  }
  Money sum;
  bool any = false;
  for (const auto& it : bill.line_items) {
    if (it.charge && it.charge->cents > 0) {
      sum += *it.charge;
      any = true;
    }
  }
  return any ? std::optional<Money>(sum) : std::nullopt;
}

void PlanBill(const AuditData& data, const Profile& profile, const PlanOptions& options, Bill* bill) {
  if (bill == nullptr) return;
  Plan plan;
  for (const auto& p : bill->pricing) {
    if (p.reference) plan.reference_total += *p.reference;
  }
  const bool is_eob = bill->document_type == DocumentType::kEob;
  const bool is_collection = bill->document_type == DocumentType::kCollectionNotice;
  plan.nonprofit_hospital = options.nonprofit_hospital;
  std::optional<Money> balance = BillBalance(*bill);
  // An EOB is not a bill: it gets no offers. A collection notice gets none before the debt
  // is validated (the letters ask for validation first).
  if (balance && !is_eob && !is_collection) {
    plan.lump_sum_offer = LumpSum(ShareWithReference(*bill), *balance, profile);
    plan.payment_plan = PaymentPlanFor(*balance, profile);
  }
  plan.assistance = Screen(data, profile, *bill, options);

  // Internal appeal to the health plan: at least 180 days after the EOB (29 CFR 2560.503-1
  // for employer plans; the plan's own notice may give more).
  if (is_eob && bill->statement_date) {
    AddDeadline(&plan.deadlines,
                "internal appeal to your health plan: 180 days after the EOB of " + bill->statement_date->Display() +
                    " (check the EOB for your plan's own limit)",
                bill->statement_date->AddDays(180), options);
  }
  // 501(r) financial-assistance application window, for nonprofit hospitals only: from the first
  // post-discharge bill, else a collection notice's itemization date, else this statement.
  std::optional<Date> itemization = bill->collector ? bill->collector->itemization_date : std::nullopt;
  if (options.nonprofit_hospital && !is_eob) {
    if (bill->first_billing_date) {
      AddDeadline(&plan.deadlines,
                  "financial assistance application (501(r)): 240 days after the first post-discharge bill of " +
                      bill->first_billing_date->Display(),
                  bill->first_billing_date->AddDays(240), options);
    } else if (itemization) {
      AddDeadline(&plan.deadlines,
                  "financial assistance application (501(r)): 240 days after the first post-discharge bill, "
                  "counted from the notice's itemization date (" + itemization->Display() +
                      ") because the first bill's date is not printed; an earlier first bill makes it earlier",
                  itemization->AddDays(240), options);
    } else if (bill->statement_date && !is_collection) {
      AddDeadline(&plan.deadlines,
                  "financial assistance application (501(r)): 240 days after the first post-discharge bill, "
                  "counted from this statement's date (" + bill->statement_date->Display() +
                      ") because the first bill's date is not printed; an earlier first bill makes it earlier",
                  bill->statement_date->AddDays(240), options);
    }
  }
  // FDCPA / Regulation F validation period of a collection notice.
  if (bill->collector || bill->document_type == DocumentType::kCollectionNotice) {
    const Collector* c = bill->collector ? &*bill->collector : nullptr;
    if (c && c->validation_end_date) {
      AddDeadline(&plan.deadlines, "debt validation: dispute in writing by the end date printed on the notice",
                  *c->validation_end_date, options);
    } else {
      std::optional<Date> notice = c && c->notice_date ? c->notice_date : bill->statement_date;
      if (notice) {
        Date receipt = notice->AddBusinessDays(5);
        AddDeadline(&plan.deadlines,
                    "debt validation: dispute in writing within 30 days of receiving the notice (notice dated " +
                        notice->Display() + ", assumed received " + receipt.Display() +
                        ", 5 business days later, per 12 CFR 1006.34(b)(5))",
                    receipt.AddDays(30), options);
      }
    }
  }
  // No Surprises Act patient-provider dispute resolution.
  if (options.good_faith_estimate && !is_eob) {
    std::optional<Money> billed = bill->totals.charges;
    if (!billed) {
      Money sum;
      bool any = false;
      for (const auto& it : bill->line_items) {
        if (it.charge && it.charge->cents > 0) {
          sum += *it.charge;
          any = true;
        }
      }
      if (any) billed = sum;
    }
    if (!billed) billed = bill->amount_due;
    Money gfe = *options.good_faith_estimate;
    bool already = std::any_of(bill->findings.begin(), bill->findings.end(),
                               [](const Finding& f) { return f.kind == FindingKind::kGfe; });
    if (billed && billed->cents - gfe.cents >= 40000) {
      Money over = *billed - gfe;
      std::optional<Date> bill_date = bill->first_billing_date ? bill->first_billing_date : bill->statement_date;
      if (bill_date) {
        AddDeadline(&plan.deadlines,
                    "No Surprises Act dispute (patient-provider dispute resolution): 120 days after the bill dated " +
                        bill_date->Display(),
                    bill_date->AddDays(120), options);
      }
      Finding f;
      f.kind = FindingKind::kGfe;
      f.severity = Severity::kError;
      f.finding_class = FindingClass::kBillingError;
      f.amount_at_stake = over;
      f.rule = "No Surprises Act good-faith estimate: a bill $400 or more above the estimate may be disputed "
               "(45 CFR 149.620)";
      f.explanation = "The bill's charges of " + billed->Display() + " are " + over.Display() +
                      " more than the good-faith estimate of " + gfe.Display() +
                      ". Because the difference is $400 or more, you can start the federal patient-provider "
                      "dispute resolution process" +
                      (bill_date ? " within 120 days of the bill date (by " + bill_date->AddDays(120).Display() + ")"
                                 : " within 120 days of the bill date") +
                      "; while the dispute is open the provider may not send the bill to collections.";
      if (!already) bill->findings.push_back(std::move(f));  // planned before: keep the finding once
    }
  }
  std::stable_sort(plan.deadlines.begin(), plan.deadlines.end(),
                   [](const Deadline& a, const Deadline& b) { return a.date < b.date; });
  bill->plan = std::move(plan);
  PlanNextSteps(profile, options.today, bill);  // last: it reads the deadlines above
}

}  // namespace billwise
