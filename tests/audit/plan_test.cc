// Negotiation plan: offers, payment plan, assistance screening and deadline dates.
// Every expected date is worked out by hand in the comment beside it.
#include "pipeline/audit/plan.h"

#include <gtest/gtest.h>

#include "tests/audit/bills.h"

namespace billwise::testing {
namespace {

Bill PricedBill(double balance, std::vector<double> references) {
  Bill b = Itemized({});
  for (size_t i = 0; i < references.size(); ++i) {
    b.line_items.push_back(Line("2026-01-05", "99213", 1, balance / static_cast<double>(references.size())));
    Pricing p;
    p.line = i;
    p.schedule = "pfs";
    p.reference = Usd(references[i]);
    b.pricing.push_back(p);
  }
  b.amount_due = Usd(balance);
  b.statement_date = D("2026-01-12");
  return b;
}

Plan RunPlan(Bill* b, const Profile& profile, PlanOptions options = {}) {
  if (options.today == Date{}) options.today = D("2026-02-01");
  PlanBill(Data(), profile, options, b);
  EXPECT_TRUE(b->plan.has_value());
  return *b->plan;
}

TEST(PlanTest, ReferenceTotalAndOneAndAHalfTimesOffer) {
  Bill b = PricedBill(6000, {88.95, 125.18, 10.56});
  Plan p = RunPlan(&b, Profile{});
  EXPECT_EQ(p.reference_total, Usd(224.69));
  ASSERT_TRUE(p.lump_sum_offer);
  // Every line priced: the balance x 1.5 x 224.69 / 6000 = 337.035 -> 337.04.
  EXPECT_EQ(p.lump_sum_offer->amount, Usd(337.04));
  EXPECT_EQ(p.lump_sum_offer->priced_charges, Usd(6000));
  EXPECT_EQ(p.lump_sum_offer->charges, Usd(6000));
  EXPECT_EQ(p.lump_sum_offer->reference, Usd(224.69));
  EXPECT_NE(p.lump_sum_offer->basis.find("100% of the charges"), std::string::npos) << p.lump_sum_offer->basis;
}

TEST(PlanTest, OfferBasisSaysHowMuchHasAReference) {
  // Two $1,000 lines, one priced at $100: 50% of the charges have a reference; the other
  // line is assumed reduced in the same proportion: 2000 x 1.5 x 100 / 1000 = 300.
  Bill b = PricedBill(2000, {100});
  b.line_items.push_back(Line("2026-01-05", "99999", 1, 1000));
  b.line_items[0].charge = Usd(1000);
  Plan p = RunPlan(&b, Profile{});
  ASSERT_TRUE(p.lump_sum_offer);
  EXPECT_EQ(p.lump_sum_offer->amount, Usd(300));
  EXPECT_EQ(p.lump_sum_offer->priced_charges, Usd(1000));
  EXPECT_EQ(p.lump_sum_offer->charges, Usd(2000));
  EXPECT_NE(p.lump_sum_offer->basis.find("50% of the charges ($1,000.00 of $2,000.00)"), std::string::npos)
      << p.lump_sum_offer->basis;
  EXPECT_NE(p.lump_sum_offer->basis.find("same proportion"), std::string::npos);
}

TEST(PlanTest, NoOfferWhenTheChargesAreAlreadyFair) {
  Bill b = PricedBill(300, {250});  // 1.5 x 250 = 375 > 300
  Plan p = RunPlan(&b, Profile{});
  EXPECT_FALSE(p.lump_sum_offer);
}

TEST(PlanTest, OfferNeverAboveAvailableCash) {
  Profile cash;
  cash.lump_sum_available = Usd(900);
  Bill b = PricedBill(5000, {800});  // 1.5 x 800 / 5000 of 5000 = 1200
  Plan p = RunPlan(&b, cash);
  EXPECT_EQ(p.lump_sum_offer->amount, Usd(900));
  cash.lump_sum_available = Usd(500);
  Bill c = PricedBill(5000, {800});
  p = RunPlan(&c, cash);
  EXPECT_EQ(p.lump_sum_offer->amount, Usd(500));
  cash.lump_sum_available = Usd(2000);  // more cash than the fair price: the fair price
  Bill d = PricedBill(5000, {800});
  p = RunPlan(&d, cash);
  EXPECT_EQ(p.lump_sum_offer->amount, Usd(1200));
}

TEST(PlanTest, NoOfferWithoutReference) {
  Bill b = PricedBill(5000, {});
  b.line_items.push_back(Line("2026-01-05", "99213", 1, 5000));
  Plan p = RunPlan(&b, Profile{});
  EXPECT_EQ(p.reference_total, Money{});
  EXPECT_FALSE(p.lump_sum_offer);
  EXPECT_TRUE(p.payment_plan);
}

TEST(PlanTest, PaymentPlanFromBudgetIncomeOrTwelveMonths) {
  Profile budget;
  budget.monthly_budget = Usd(150);
  Bill b = PricedBill(2000, {500});
  Plan p = RunPlan(&b, budget);
  ASSERT_TRUE(p.payment_plan);
  EXPECT_EQ(p.payment_plan->monthly, Usd(150));
  EXPECT_EQ(p.payment_plan->months, 14);  // 2000 / 150 = 13.3 -> 14
  EXPECT_EQ(p.payment_plan->last, Usd(50));  // 13 x 150 = 1950; the last is the remaining 50
  EXPECT_EQ(p.payment_plan->interest, 0.0);

  Profile income;
  income.annual_income = Usd(41000);  // 41000 / 12 x 5% = 170.83 -> $170
  Bill c = PricedBill(2000, {500});
  p = RunPlan(&c, income);
  EXPECT_EQ(p.payment_plan->monthly, Usd(170));
  EXPECT_EQ(p.payment_plan->months, 12);  // 2000 / 170 = 11.8 -> 12

  Bill d = PricedBill(1000, {500});
  p = RunPlan(&d, Profile{});
  EXPECT_EQ(p.payment_plan->monthly, Usd(84));  // 1000 / 12 = 83.34 -> $84
  EXPECT_EQ(p.payment_plan->months, 12);
  EXPECT_EQ(p.payment_plan->last, Usd(76));  // 11 x 84 = 924
}

TEST(PlanTest, PaymentsSumExactlyToTheBalance) {
  Profile budget;
  budget.monthly_budget = Usd(150);
  for (double balance : {5475.92, 150.0, 149.99, 0.01, 8999.99}) {
    Bill b = PricedBill(balance, {10});
    Plan p = RunPlan(&b, budget);
    ASSERT_TRUE(p.payment_plan) << balance;
    const auto& pp = *p.payment_plan;
    EXPECT_EQ(pp.monthly.cents * (pp.months - 1) + pp.last.cents, Usd(balance).cents) << balance;
    EXPECT_LE(pp.monthly, Usd(150)) << balance;
    EXPECT_GT(pp.last.cents, 0) << balance;
    EXPECT_LE(pp.last, pp.monthly) << balance;
  }
  Bill b = PricedBill(5475.92, {10});  // 36 x 150 = 5400, then 75.92
  Plan p = RunPlan(&b, budget);
  EXPECT_EQ(p.payment_plan->months, 37);
  EXPECT_EQ(p.payment_plan->last, Usd(75.92));
}

TEST(PlanTest, PaymentPlanIsCappedAtSixtyMonths) {
  Bill b = PricedBill(10000, {500});
  Plan p = RunPlan(&b, Profile{});  // no budget: 10000 / 12 -> $834 a month, 12 months
  EXPECT_EQ(p.payment_plan->months, 12);
  Profile income;
  income.annual_income = Usd(6000);  // 5% of 500 = $25 a month: 400 months -> capped at 60
  Bill c = PricedBill(10000, {500});
  p = RunPlan(&c, income);
  EXPECT_EQ(p.payment_plan->months, 60);
  EXPECT_EQ(p.payment_plan->monthly, Usd(166.67));  // 10000 / 60 rounded up to the cent
  EXPECT_EQ(p.payment_plan->last, Usd(166.47));     // 59 x 166.67 = 9833.53
  // A budget is never exceeded: a plan it cannot finish in 60 months is not offered.
  Profile budget;
  budget.monthly_budget = Usd(25);
  Bill d = PricedBill(10000, {500});
  p = RunPlan(&d, budget);
  EXPECT_FALSE(p.payment_plan);
}

TEST(PlanTest, AssistanceScreening) {
  Profile pr;
  pr.household_size = 3;
  pr.annual_income = Usd(41000);
  pr.state = "IL";
  Bill b = PricedBill(2000, {500});
  b.statement_date = D("2026-02-01");
  Plan p = RunPlan(&b, pr);
  ASSERT_TRUE(p.assistance);
  EXPECT_EQ(p.assistance->guideline_year, 2026);
  EXPECT_EQ(p.assistance->poverty_percent, 150);  // 41000 / 27320 = 150.07%
  EXPECT_EQ(p.assistance->typical_band, "free care");

  b.statement_date = D("2026-01-12");  // before the 2026 guidelines took effect on 2026-01-13
  p = RunPlan(&b, pr);
  EXPECT_EQ(p.assistance->guideline_year, 2025);
  EXPECT_EQ(p.assistance->poverty_percent, 153);  // 41000 / 26650 = 153.8%

  pr.state = "AK";
  b.statement_date = D("2026-03-01");
  p = RunPlan(&b, pr);
  EXPECT_EQ(p.assistance->poverty_percent, 120);  // 41000 / 34150 = 120.06%

  pr.state = "TX";
  pr.annual_income = Usd(90000);
  p = RunPlan(&b, pr);
  EXPECT_EQ(p.assistance->poverty_percent, 329);  // 90000 / 27320 = 329.4%
  EXPECT_EQ(p.assistance->typical_band, "discounted care");
  pr.annual_income = Usd(120000);
  p = RunPlan(&b, pr);
  EXPECT_EQ(p.assistance->typical_band, "above typical bands");

  Profile unknown;
  p = RunPlan(&b, unknown);
  EXPECT_FALSE(p.assistance);
}

PlanOptions Hospital() {
  PlanOptions o;
  o.nonprofit_hospital = true;
  return o;
}

TEST(PlanTest, FinancialAssistanceWindow) {
  Bill b = PricedBill(2000, {500});
  b.statement_date = D("2026-01-12");
  Plan p = RunPlan(&b, Profile{}, Hospital());
  ASSERT_EQ(p.deadlines.size(), 1u);
  // 2026-01-12 + 240 days: 19 (rest of Jan) + 28 + 31 + 30 + 31 + 30 + 31 + 31 = 231 -> Sep 9.
  EXPECT_EQ(p.deadlines[0].date, D("2026-09-09"));
  EXPECT_NE(p.deadlines[0].what.find("counted from this statement's date"), std::string::npos);

  b.first_billing_date = D("2025-12-01");  // 2025-12-01 + 240 = 2026-07-29 (30+31+28+31+30+31+30 = 211, +29)
  p = RunPlan(&b, Profile{}, Hospital());
  EXPECT_EQ(p.deadlines[0].date, D("2026-07-29"));
  EXPECT_EQ(p.deadlines[0].what.find("counted from this statement"), std::string::npos);

  p = RunPlan(&b, Profile{});  // not on the hospital list: no 501(r) window
  EXPECT_TRUE(p.deadlines.empty());
}

TEST(PlanTest, AssistanceWindowOfACollectionNotice) {
  Bill b = PricedBill(2000, {500});
  b.document_type = DocumentType::kCollectionNotice;
  b.statement_date = D("2026-11-02");
  b.collector = Collector{};
  b.collector->validation_end_date = D("2026-12-09");
  PlanOptions o = Hospital();
  o.today = D("2026-11-05");
  Plan p = RunPlan(&b, Profile{}, o);
  // Never counted from the notice's own date.
  ASSERT_EQ(p.deadlines.size(), 1u);
  EXPECT_NE(p.deadlines[0].what.find("debt validation"), std::string::npos);
  // No payment offers before the debt is validated.
  EXPECT_FALSE(p.lump_sum_offer);
  EXPECT_FALSE(p.payment_plan);
  b.collector->itemization_date = D("2026-06-30");  // + 240 = 2027-02-25 (1+31+31+30+31+30+31+31+28 = 244 -> -4)
  p = RunPlan(&b, Profile{}, o);
  ASSERT_EQ(p.deadlines.size(), 2u);
  EXPECT_EQ(p.deadlines[1].date, D("2027-02-25"));
  EXPECT_NE(p.deadlines[1].what.find("itemization date"), std::string::npos);
}

TEST(PlanTest, EobGetsAnAppealDeadlineAndNoOffers) {
  Bill b = PricedBill(78.23, {10});
  b.document_type = DocumentType::kEob;
  b.statement_date = D("2026-09-29");
  Profile budget;
  budget.monthly_budget = Usd(150);
  budget.lump_sum_available = Usd(50);
  Plan p = RunPlan(&b, budget, Hospital());
  EXPECT_FALSE(p.lump_sum_offer);
  EXPECT_FALSE(p.payment_plan);
  ASSERT_EQ(p.deadlines.size(), 1u);
  // 2026-09-29 + 180: 1 + 31 + 30 + 31 + 31 + 28 = 152 -> March 1; + 28 = 2027-03-28.
  EXPECT_EQ(p.deadlines[0].date, D("2027-03-28"));
  EXPECT_NE(p.deadlines[0].what.find("appeal"), std::string::npos);
}

TEST(PlanTest, DebtValidationWindow) {
  Bill b = PricedBill(2000, {500});
  b.document_type = DocumentType::kCollectionNotice;
  b.statement_date.reset();
  b.collector = Collector{};
  b.collector->notice_date = D("2022-12-20");
  PlanOptions o;
  o.today = D("2022-12-21");
  Plan p = RunPlan(&b, Profile{}, o);
  ASSERT_EQ(p.deadlines.size(), 1u);
  // Five business days after Tue 2022-12-20, skipping the weekend and Mon 12-26 (Christmas
  // observed): 21, 22, 23, 27, 28 -> received Wed 2022-12-28; + 30 days = 2023-01-27.
  EXPECT_EQ(p.deadlines[0].date, D("2023-01-27"));

  b.collector->notice_date = D("2026-03-02");  // Mon; 3,4,5,6,9 -> 2026-03-09; + 30 = 2026-04-08
  o.today = D("2026-03-03");
  p = RunPlan(&b, Profile{}, o);
  EXPECT_EQ(p.deadlines[0].date, D("2026-04-08"));

  b.collector->validation_end_date = D("2026-04-20");  // printed on the notice: it wins
  p = RunPlan(&b, Profile{}, o);
  EXPECT_EQ(p.deadlines[0].date, D("2026-04-20"));
}

TEST(PlanTest, NoSurprisesActDispute) {
  Bill b = PricedBill(1450, {500});
  b.totals.charges = Usd(1450);
  b.statement_date = D("2026-01-12");
  PlanOptions o;
  o.good_faith_estimate = Usd(1000);
  Plan p = RunPlan(&b, Profile{}, o);
  ASSERT_EQ(p.deadlines.size(), 1u);
  // 2026-01-12 + 120 days: 19 + 28 + 31 + 30 = 108 -> + 12 = 2026-05-12.
  EXPECT_EQ(p.deadlines[0].date, D("2026-05-12"));
  auto g = FindingsOf(b, "gfe");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0]->amount_at_stake, Usd(450));
  RunPlan(&b, Profile{}, o);  // planning again keeps one finding
  EXPECT_EQ(FindingsOf(b, "gfe").size(), 1u);

  Bill under = PricedBill(1399.99, {500});
  under.totals.charges = Usd(1399.99);
  p = RunPlan(&under, Profile{}, o);
  EXPECT_TRUE(p.deadlines.empty());
  EXPECT_TRUE(FindingsOf(under, "gfe").empty());
}

TEST(PlanTest, PassedDeadlinesSaySo) {
  Bill b = PricedBill(2000, {500});
  b.statement_date = D("2025-01-12");
  PlanOptions o = Hospital();
  o.today = D("2026-06-01");
  Plan p = RunPlan(&b, Profile{}, o);
  ASSERT_EQ(p.deadlines.size(), 1u);
  EXPECT_NE(p.deadlines[0].what.find("has passed"), std::string::npos);
}

}  // namespace
}  // namespace billwise::testing
