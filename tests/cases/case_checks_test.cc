#include "pipeline/cases/case_checks.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/cases/fixtures.h"

namespace billwise {
namespace {

using testing_cases::CollectionNotice;
using testing_cases::D;
using testing_cases::Eob;
using testing_cases::Statement;
using testing_cases::Usd;

CaseFacts Facts(std::vector<Bill> bills) {
  CaseFacts f;
  f.id = 7;
  int64_t id = 1;
  for (auto& b : bills) {
    StoredDocument d;
    d.id = id++;
    d.sha256 = b.source.sha256;
    d.path = b.source.path;
    d.bill = std::move(b);
    f.documents.push_back(std::move(d));
  }
  return f;
}

// A copy, so the result may outlive the temporary vector of findings.
std::optional<Finding> Find(const std::vector<CrossFinding>& findings, const std::string& kind) {
  for (const auto& f : findings) {
    if (FindingKindName(f.finding.kind) == kind) return f.finding;
  }
  return std::nullopt;
}

TEST(NormalizeTest, ProviderNames) {
  EXPECT_EQ(NormalizeProviderName("Springfield Memorial Hospital, Inc."), "springfield memorial hospital");
  EXPECT_EQ(NormalizeProviderName("SPRINGFIELD MEMORIAL HOSPITAL"), "springfield memorial hospital");
  EXPECT_EQ(NormalizeProviderName("St. Mary's Medical Center L.L.C."), "st marys medical center");
  EXPECT_EQ(NormalizeProviderName("The Radiology Group, P.C."), "radiology group");
  EXPECT_EQ(NormalizeProviderName("  "), "");
  EXPECT_TRUE(ProviderKeysMatch("springfield memorial", "springfield memorial hospital"));
  EXPECT_FALSE(ProviderKeysMatch("springfield memorial", "springfield radiology"));
  EXPECT_FALSE(ProviderKeysMatch("", "springfield"));
}

TEST(NormalizeTest, AccountNumbers) {
  EXPECT_EQ(NormalizeAccountNumber("00-4417-2209"), "44172209");
  EXPECT_EQ(NormalizeAccountNumber("4417 2209"), "44172209");
  EXPECT_EQ(NormalizeAccountNumber("ab-0012"), "AB0012");  // zeros after a letter stay
  EXPECT_EQ(NormalizeAccountNumber("000"), "");
}

TEST(NormalizeTest, CollectionNoticeIsFiledUnderItsCreditor) {
  EXPECT_EQ(CaseProviderName(CollectionNotice()), "SPRINGFIELD MEMORIAL HOSPITAL");
  EXPECT_EQ(CaseProviderName(Statement()), "Springfield Memorial Hospital, Inc.");
  EXPECT_EQ(DocumentDate(CollectionNotice())->Iso(), "2026-03-02");
}

TEST(CrossChecksTest, CollectionAmountDiffersFromLastStatement) {
  // Last statement 2026-01-12 asks $1,850.00; the collector asks $1,975.00: $125.00 more.
  auto findings = CrossDocumentChecks(Facts({Statement(), CollectionNotice(1975)}));
  auto f = Find(findings, "collection_amount_mismatch");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(125));
  EXPECT_EQ(f->severity, Severity::kError);
  // Equal amounts: nothing to report.
  EXPECT_FALSE(Find(CrossDocumentChecks(Facts({Statement(), CollectionNotice(1850)})), "collection_amount_mismatch"));
}

TEST(CrossChecksTest, CollectionAmountAccountsForRecordedPayments) {
  // $1,850.00 less a $100.00 payment on 2026-02-01 leaves $1,750.00; the collector asks that.
  CaseFacts facts = Facts({Statement(), CollectionNotice(1750)});
  facts.payments.push_back(PaymentRecord{1, 7, Usd(100), D("2026-02-01")});
  EXPECT_FALSE(Find(CrossDocumentChecks(facts), "collection_amount_mismatch"));
}

TEST(CrossChecksTest, InsurancePaymentNotCreditedOnLaterStatement) {
  // EOB of 2026-01-20 shows $600.00 paid; the statement of 2026-02-12 credits $0.00.
  Bill later = Statement("2026-02-12", 1850, 2450, "stmt-2");
  later.totals.insurance_paid = Usd(0);
  auto findings = CrossDocumentChecks(Facts({Statement(), Eob(), later}));
  auto f = Find(findings, "payment_not_credited");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(600));

  // The same statement crediting the $600.00: no finding.
  later.totals.insurance_paid = Usd(600);
  later.amount_due = Usd(1250);
  EXPECT_FALSE(Find(CrossDocumentChecks(Facts({Statement(), Eob(), later})), "payment_not_credited"));
}

TEST(CrossChecksTest, InsurancePaymentInferredFromChargesWhenNoCreditColumn) {
  // No insurance column: charges $2,450.00 - $600.00 paid leaves at most $1,850.00; it asks $2,450.00.
  Bill later = Statement("2026-02-12", 2450, 2450, "stmt-2");
  auto f = Find(CrossDocumentChecks(Facts({Eob(), later})), "payment_not_credited");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(600));
}

TEST(CrossChecksTest, ReceiptOrRecordedPaymentNotCredited) {
  // A receipt for $200.00 on 2026-01-20; the next statement still asks the old $1,850.00.
  Bill receipt;
  receipt.source.sha256 = "receipt-1";
  receipt.document_type = DocumentType::kUnknown;
  receipt.provider.name = "Springfield Memorial Hospital";
  receipt.statement_date = D("2026-01-20");
  receipt.totals.patient_paid = Usd(200);
  Bill later = Statement("2026-02-12", 1850, 2450, "stmt-2");
  auto f = Find(CrossDocumentChecks(Facts({Statement(), receipt, later})), "payment_not_credited");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(200));

  // A payment recorded with `billwise paid` behaves the same way; crediting it clears it.
  CaseFacts facts = Facts({Statement(), Statement("2026-02-12", 1850, 2450, "stmt-2")});
  facts.payments.push_back(PaymentRecord{1, 7, Usd(200), D("2026-01-25")});
  ASSERT_TRUE(Find(CrossDocumentChecks(facts), "payment_not_credited"));
  facts.documents[1].bill.amount_due = Usd(1650);
  EXPECT_FALSE(Find(CrossDocumentChecks(facts), "payment_not_credited"));
}

TEST(CrossChecksTest, BalanceGrewWithoutNewCharges) {
  // $1,850.00 on 2026-01-12, $1,910.00 on 2026-02-12, charges unchanged at $2,450.00: +$60.00.
  auto findings = CrossDocumentChecks(Facts({Statement(), Statement("2026-02-12", 1910, 2450, "stmt-2")}));
  auto f = Find(findings, "balance_grew");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(60));
  // New charges ($2,510.00) explain the growth.
  EXPECT_FALSE(Find(CrossDocumentChecks(Facts({Statement(), Statement("2026-02-12", 1910, 2510, "stmt-2")})),
                 "balance_grew"));
  // Recorded out of order, the check still compares by date: the later one shrank.
  EXPECT_FALSE(Find(CrossDocumentChecks(Facts({Statement("2026-02-12", 1700, 2450, "s2"), Statement()})),
                 "balance_grew"));
}

TEST(CrossChecksTest, BillAsksMoreThanEobPatientResponsibility) {
  // EOB: patient owes $350.00. Statement of 2026-02-12 (after the EOB) asks $1,850.00: $1,500.00 more.
  auto findings = CrossDocumentChecks(Facts({Eob(), Statement("2026-02-12")}));
  auto f = Find(findings, "exceeds_eob");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(1500));
  EXPECT_EQ(f->severity, Severity::kError);
  // A bill printed before the EOB is still flagged, as a warning.
  auto early = Find(CrossDocumentChecks(Facts({Statement("2026-01-12"), Eob()})), "exceeds_eob");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->severity, Severity::kWarning);
  // Asking exactly the patient responsibility is fine.
  EXPECT_FALSE(Find(CrossDocumentChecks(Facts({Eob(), Statement("2026-02-12", 350)})), "exceeds_eob"));
}

TEST(CrossChecksTest, GoodFaithEstimateExceededByFourHundred) {
  CaseFacts facts = Facts({Statement()});
  facts.estimates.push_back(EstimateRecord{1, 7, Usd(2050), D("2025-12-01")});  // $2,450.00 - $2,050.00 = $400.00
  auto f = Find(CrossDocumentChecks(facts), "gfe_exceeded");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->amount_at_stake, Usd(400));
  facts.estimates[0].amount = Usd(2050.01);  // $399.99 over: below the threshold
  EXPECT_FALSE(Find(CrossDocumentChecks(facts), "gfe_exceeded"));
}

TEST(DeadlinesTest, ComputedFromDocumentDates) {
  CaseFacts facts = Facts({Statement(), Eob(), CollectionNotice()});
  auto deadlines = CaseDeadlines(facts, D("2026-03-05"));
  ASSERT_EQ(deadlines.size(), 3u);
  // The collector's printed validation end date.
  EXPECT_EQ(deadlines[0].kind, "validation");
  EXPECT_EQ(deadlines[0].date.Iso(), "2026-04-10");
  // Internal appeal of the EOB of 2026-01-20: + 180 days (11 + 28 + 31 + 30 + 31 + 30 = 161,
  // + 19) = 2026-07-19.
  EXPECT_EQ(deadlines[1].kind, "appeal");
  EXPECT_EQ(deadlines[1].date.Iso(), "2026-07-19");
  // 501(r): first statement 2026-01-12 + 240 days = 2026-09-09.
  EXPECT_EQ(deadlines[2].kind, "assistance_501r");
  EXPECT_EQ(deadlines[2].date.Iso(), "2026-09-09");
  EXPECT_EQ(deadlines[2].case_id, 7);

  // A printed first post-discharge statement date wins: 2025-12-31 + 240 = 2026-08-28.
  facts.documents[0].bill.first_billing_date = D("2025-12-31");
  EXPECT_EQ(CaseDeadlines(facts, D("2026-03-05"))[2].date.Iso(), "2026-08-28");

  // An appeal letter sent closes the appeal window.
  facts.letters.push_back(LetterRecord{4, 7, "appeal", D("2026-03-01"), "the plan", D("2026-03-02"), "certified",
                                       std::nullopt});
  auto after = CaseDeadlines(facts, D("2026-03-05"));
  EXPECT_FALSE(std::any_of(after.begin(), after.end(), [](const CaseDeadline& d) { return d.kind == "appeal"; }));
}

TEST(DeadlinesTest, AssistanceWindowOnlyForHospitalsAndNeverFromANoticeDate) {
  auto window = [](const CaseFacts& facts) -> std::optional<CaseDeadline> {
    for (const CaseDeadline& d : CaseDeadlines(facts, D("2026-03-05"))) {
      if (d.kind == "assistance_501r") return d;
    }
    return std::nullopt;
  };
  // A physician group or any provider not on the hospital list: no 501(r) window.
  Bill office = Statement();
  office.plan->nonprofit_hospital = false;
  EXPECT_FALSE(window(Facts({office})));
  Bill unplanned = Statement();
  unplanned.plan.reset();  // analyzed without a profile: not known to be a hospital
  EXPECT_FALSE(window(Facts({unplanned, CollectionNotice()})));

  // A notice alone, its creditor a listed hospital: counted from the itemization date
  // (2026-01-05 + 240 = 2026-09-02), not the notice's date of 2026-03-02.
  Bill notice = CollectionNotice();
  notice.plan = Plan{};
  notice.plan->nonprofit_hospital = true;
  EXPECT_FALSE(window(Facts({notice})));  // no itemization date: no date to count from
  notice.collector->itemization_date = D("2026-01-05");
  auto from_itemization = window(Facts({notice}));
  ASSERT_TRUE(from_itemization);
  EXPECT_EQ(from_itemization->date.Iso(), "2026-09-02");
  EXPECT_NE(from_itemization->what.find("itemization date"), std::string::npos) << from_itemization->what;

  // With the hospital's statement in the case, the first statement counts (2026-01-12 + 240).
  auto from_statement = window(Facts({notice, Statement()}));
  ASSERT_TRUE(from_statement);
  EXPECT_EQ(from_statement->date.Iso(), "2026-09-09");
  // A notice's own first_billing_date (printed "first statement") counts too, the earliest wins.
  notice.first_billing_date = D("2025-12-20");
  EXPECT_EQ(window(Facts({notice, Statement()}))->date.Iso(), "2026-08-17");
}

TEST(DeadlinesTest, ValidationEndComputedWhenNotPrinted) {
  // Notice Monday 2026-03-02; received 5 business days later (Tue 3, Wed 4, Thu 5, Fri 6,
  // Mon 9) = 2026-03-09; + 30 days = 2026-04-08.
  auto deadlines = CaseDeadlines(Facts({CollectionNotice(1975, false)}), D("2026-03-05"));
  ASSERT_FALSE(deadlines.empty());
  EXPECT_EQ(deadlines[0].kind, "validation");
  EXPECT_EQ(deadlines[0].date.Iso(), "2026-04-08");

  // Regulation F's worked example: notice 2022-12-20; business days 21, 22, 23, (24-25
  // weekend, 26 Christmas observed) 27, 28 -> receipt 2022-12-28; + 30 = 2023-01-27.
  Bill old = CollectionNotice(100, false);
  old.collector->notice_date = D("2022-12-20");
  EXPECT_EQ(CaseDeadlines(Facts({old}), D("2022-12-21"))[0].date.Iso(), "2023-01-27");
}

TEST(DeadlinesTest, NoSurprisesActWindowNeedsAnEstimate) {
  CaseFacts facts = Facts({Statement()});
  auto has_nsa = [&] {
    auto all = CaseDeadlines(facts, D("2026-01-15"));
    return std::any_of(all.begin(), all.end(), [](const CaseDeadline& d) { return d.kind == "nsa_dispute"; });
  };
  EXPECT_FALSE(has_nsa());
  facts.estimates.push_back(EstimateRecord{1, 7, Usd(1000), D("2025-12-01")});
  auto all = CaseDeadlines(facts, D("2026-01-15"));
  // Bill of 2026-01-12 + 120 days = 2026-05-12 (19 days to Jan 31, +28, +31, +30, +12).
  ASSERT_EQ(all[0].kind, "nsa_dispute");
  EXPECT_EQ(all[0].date.Iso(), "2026-05-12");
}

TEST(DeadlinesTest, FollowUpUntilAReplyAndLettersCloseWindows) {
  CaseFacts facts = Facts({Statement(), CollectionNotice()});
  facts.letters.push_back(LetterRecord{3, 7, "debt_validation", D("2026-03-06"), "Apex Recovery LLC",
                                       D("2026-03-06"), "certified", "9400 1000"});
  auto all = CaseDeadlines(facts, D("2026-03-07"));
  // The dispute was sent before 2026-04-10, so the validation window is met; a follow-up
  // is due 30 days after sending: 2026-04-05.
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind, "follow_up");
  EXPECT_EQ(all[0].date.Iso(), "2026-04-05");
  EXPECT_EQ(all[0].uid, "case7-follow_up-letter3@billwise");
  EXPECT_EQ(all[1].kind, "assistance_501r");
  facts.replies.push_back(ReplyRecord{1, 7, D("2026-03-20"), "verification received", std::nullopt});
  all = CaseDeadlines(facts, D("2026-03-21"));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kind, "assistance_501r");
  // Past deadlines are not open.
  EXPECT_TRUE(CaseDeadlines(facts, D("2026-09-10")).empty());
}

TEST(StateTest, StatusBalanceAndPlan) {
  CaseFacts facts = Facts({Statement()});
  EXPECT_EQ(CaseStatus(facts), "open");
  EXPECT_EQ(*CaseBalance(facts), Usd(1850));
  facts = Facts({Statement(), CollectionNotice(1850)});
  EXPECT_EQ(CaseStatus(facts), "in collections");
  facts.letters.push_back(LetterRecord{1, 7, "dispute", D("2026-03-03"), "", D("2026-03-04"), "mail", {}});
  EXPECT_EQ(CaseStatus(facts), "disputed");
  facts.plans.push_back(PlanRecord{1, 7, Usd(100), D("2026-04-01"), 19});
  EXPECT_EQ(CaseStatus(facts), "in plan");
  // Plan $100 a month from 2026-04-01; one payment made: the next falls on 2026-05-01.
  facts.payments.push_back(PaymentRecord{1, 7, Usd(100), D("2026-04-01")});
  EXPECT_EQ(*CaseBalance(facts), Usd(1750));
  auto next = NextPlanPayment(facts);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->date.Iso(), "2026-05-01");
  EXPECT_EQ(next->amount, Usd(100));
  facts.payments.push_back(PaymentRecord{2, 7, Usd(1750), D("2026-04-20")});
  EXPECT_EQ(CaseStatus(facts), "paid");
  EXPECT_FALSE(NextPlanPayment(facts));
}

TEST(StateTest, HelpersParseAndAddMonths) {
  EXPECT_EQ(AddMonths(D("2026-01-31"), 1).Iso(), "2026-02-28");
  EXPECT_EQ(AddMonths(D("2026-11-15"), 3).Iso(), "2027-02-15");
  EXPECT_EQ(ParseMoneyArgument("85"), Usd(85));
  EXPECT_EQ(ParseMoneyArgument("$1,234.5"), Usd(1234.50));
  EXPECT_FALSE(ParseMoneyArgument("-5"));
  EXPECT_FALSE(ParseMoneyArgument("1.234"));
  EXPECT_FALSE(ParseMoneyArgument(""));
}

}  // namespace
}  // namespace billwise
