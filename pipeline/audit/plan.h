// Plan: the numbers a negotiation needs, computed from a bill, its pricing and findings,
// and the patient's profile. Fills bill->plan (replacing any earlier plan) and may append
// a `gfe` finding; reads bill->pricing (filled by the reference-price stage) but never
// changes it.
//
//   reference_total  sum of bill->pricing[].reference (lines with no reference add 0).
//   lump_sum_offer   the balance times 1.5x the fraction of charges Medicare pays for the
//                    lines with a reference price (a common advocacy anchor: above what
//                    Medicare pays, far below list prices); the lines without a reference are
//                    assumed reduced in the same proportion, and the basis says how much of
//                    the charges has a reference. Never above the balance or the profile's
//                    lump_sum_available. None without a reference, when the charges are
//                    already at or below that price, on an EOB or on a collection notice.
//   payment_plan     0% interest on the balance: monthly = profile.monthly_budget (never
//                    exceeded), else 5% of gross monthly income (whole dollars, at least
//                    $25), else a 12-month plan; months = ceil(balance / monthly), at most 60
//                    (without a budget the monthly amount rises to fit; with one, no plan is
//                    offered when the budget cannot finish in 60 months). The last payment is
//                    the remainder, so the payments sum exactly to the balance. None on an
//                    EOB or a collection notice.
//   assistance       income as a percent of the HHS poverty guideline for household_size
//                    and state (guideline year chosen by the statement date, else `today`:
//                    2026 guidelines from 2026-01-13, 2025 from 2025-01-15); typical_band
//                    "free care" (<= 200%), "discounted care" (<= 400%) or "above typical
//                    bands": bands nonprofit hospitals commonly use, not this hospital's policy.
//   deadlines        internal appeal of an EOB: 180 days after its date; 501(r)
//                    application window (nonprofit hospitals only): 240 days
//                    after the first post-discharge statement (a collection notice's
//                    itemization date, else the statement date when no earlier one is
//                    printed, which `what` says; never a collection notice's date); debt validation: the collector's printed end date, else
//                    the notice date + 5 business days (assumed receipt) + 30 days
//                    (12 CFR 1006.34(b)(5)); No Surprises Act dispute: 120 days after the
//                    bill date when a good-faith estimate is given and the bill is at least
//                    $400 above it (with a `gfe` finding). A date already past says so.
//
// Thread-safety: reads `data` and `profile` only; concurrent calls on different bills are safe.
#ifndef BILLWISE_PIPELINE_AUDIT_PLAN_H_
#define BILLWISE_PIPELINE_AUDIT_PLAN_H_

#include <optional>

#include "pipeline/audit/audit_data.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/money.h"
#include "pipeline/model/profile.h"

namespace billwise {

struct PlanOptions {
  Date today;                                 // for past-deadline notes and the guideline year fallback
  std::optional<Money> good_faith_estimate;   // the provider's GFE total, when the patient has one
  // The provider is a voluntary non-profit hospital (Plan::nonprofit_hospital): adds the
  // 501(r) window and lets letters use 501(r) wording.
  bool nonprofit_hospital = false;
};

inline constexpr double kLumpSumMultiple = 1.5;   // x the Medicare reference total
inline constexpr double kIncomeShareForPlan = 0.05;  // of gross monthly income
inline constexpr int kMaxPlanMonths = 60;

// The balance the plan works from: amount due, else total charges less printed payments
// and adjustments, else the sum of positive line charges; nullopt when none is known.
std::optional<Money> BillBalance(const Bill& bill);

// The 0 % payment plan for a balance (see payment_plan above); nullopt for no balance.
std::optional<Plan::PaymentPlan> PaymentPlanFor(Money balance, const Profile& profile);

void PlanBill(const AuditData& data, const Profile& profile, const PlanOptions& options, Bill* bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_PLAN_H_
