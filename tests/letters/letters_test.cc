// Unit tests of the letters module below the PDF layer: kinds, applicability, data,
// Mustache rendering, missing values and markup.
#include <gtest/gtest.h>

#include <string>

#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letter_data.h"
#include "pipeline/letters/letters.h"
#include "pipeline/letters/markup.h"
#include "pipeline/mustache/mustache_render.h"
#include "tests/letters/sample_bills.h"

namespace billwise {
namespace {

using testing::CollectionNotice;
using testing::EobWithDenial;
using testing::ItemizedBill;
using testing::SampleProfile;
using testing::SummaryBill;

LetterOptions Options(const std::string& lang = "en") {
  LetterOptions o;
  o.language = lang;
  o.data_dir = BILLWISE_SOURCE_DIR;
  return o;
}

LetterInputs Inputs(const Bill* bill, const Profile* profile) {
  LetterInputs in;
  in.bill = bill;
  in.profile = profile;
  in.today = Date{2026, 2, 20};
  return in;
}

TEST(LetterKindTest, NamesRoundTrip) {
  EXPECT_EQ(AllLetterKinds().size(), 9u);
  for (LetterKind k : AllLetterKinds()) {
    auto parsed = ParseLetterKind(LetterKindName(k));
    ASSERT_TRUE(parsed.has_value()) << LetterKindName(k);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_FALSE(ParseLetterKind("lumpsum").has_value());
}

TEST(ApplicableLettersTest, ItemizedBillWithFindings) {
  Bill b = ItemizedBill();
  auto kinds = ApplicableLetters(b, nullptr);
  // Payment offers wait for the corrections.
  std::vector<LetterKind> want = {LetterKind::kDispute, LetterKind::kAssistance};
  EXPECT_EQ(kinds, want);
}

TEST(ApplicableLettersTest, CleanBillAsksForAssistanceBeforeAnyOffer) {
  Bill b = ItemizedBill();  // a household at 154 % of the poverty guideline
  b.findings.clear();
  std::vector<LetterKind> want = {LetterKind::kAssistance};
  EXPECT_EQ(ApplicableLetters(b, nullptr), want);
  // Above the usual assistance bands: one offer, the lump sum the plan computed.
  b.plan->assistance->typical_band = "above typical bands";
  want = {LetterKind::kLumpSum};
  EXPECT_EQ(ApplicableLetters(b, nullptr), want);
  // No lump sum in the plan: the 0 % payment plan instead, never both.
  b.plan->lump_sum_offer.reset();
  want = {LetterKind::kPaymentPlan};
  EXPECT_EQ(ApplicableLetters(b, nullptr), want);
}

TEST(ApplicableLettersTest, PriceObservationsAreNotDisputed) {
  Bill b = ItemizedBill();
  for (Finding& f : b.findings) f.finding_class = FindingClass::kPriceObservation;
  b.plan->assistance->typical_band = "above typical bands";
  auto kinds = ApplicableLetters(b, nullptr);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), LetterKind::kDispute), 0);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), LetterKind::kLumpSum), 1);
}

// Whatever the document and the findings, `--kind all` never pairs letters that undo each
// other: no offer or plan beside a dispute, an itemized-bill request or an assistance
// application, never both offers, nothing but the appeal on an EOB, and on a collection
// notice the validation first and no offer at all.
TEST(ApplicableLettersTest, AllNeverWritesLettersThatContradictEachOther) {
  auto has = [](const std::vector<LetterKind>& kinds, LetterKind k) {
    return std::count(kinds.begin(), kinds.end(), k) > 0;
  };
  std::vector<Bill> bills = {ItemizedBill(), SummaryBill(), CollectionNotice(), EobWithDenial()};
  for (const char* band : {"free care", "discounted care", "above typical bands"}) {
    for (bool errors : {true, false}) {
      Bill b = ItemizedBill();
      b.plan->assistance->typical_band = band;
      if (!errors) b.findings.clear();
      bills.push_back(b);
      b.plan->lump_sum_offer.reset();
      bills.push_back(b);
    }
  }
  Profile profile = SampleProfile();
  for (const Bill& b : bills) {
    auto kinds = ApplicableLetters(b, &profile);
    bool offer = has(kinds, LetterKind::kLumpSum) || has(kinds, LetterKind::kPaymentPlan);
    EXPECT_FALSE(has(kinds, LetterKind::kLumpSum) && has(kinds, LetterKind::kPaymentPlan));
    if (has(kinds, LetterKind::kDispute) || has(kinds, LetterKind::kItemized) || has(kinds, LetterKind::kAssistance)) {
      EXPECT_FALSE(offer) << DocumentTypeName(b.document_type);
    }
    if (b.document_type == DocumentType::kEob) {
      EXPECT_EQ(kinds, std::vector<LetterKind>{LetterKind::kAppeal});
    }
    if (b.document_type == DocumentType::kCollectionNotice) {
      ASSERT_FALSE(kinds.empty());
      EXPECT_EQ(kinds.front(), LetterKind::kValidation);
      EXPECT_FALSE(offer);
    }
  }
}

TEST(ApplicableLettersTest, SummaryBillAsksForItemization) {
  Bill b = SummaryBill();
  auto kinds = ApplicableLetters(b, nullptr);
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), LetterKind::kItemized);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), LetterKind::kDispute), 0);
}

TEST(ApplicableLettersTest, CollectionNoticeGetsValidation) {
  Bill b = CollectionNotice();
  auto kinds = ApplicableLetters(b, nullptr);
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), LetterKind::kValidation);
}

TEST(ApplicableLettersTest, GoodFaithEstimateExceededBy400) {
  Bill b = ItemizedBill();  // charges $3,216.00
  Profile uninsured = SampleProfile();  // insured: no
  auto has_gfe = [&](Money gfe, const Profile* p) {
    auto k = ApplicableLetters(b, p, gfe);
    return std::count(k.begin(), k.end(), LetterKind::kGfeDispute) == 1;
  };
  EXPECT_TRUE(has_gfe(Money::FromCents(281600), &uninsured));   // exactly $400 above
  EXPECT_FALSE(has_gfe(Money::FromCents(281601), &uninsured));  // $399.99 above
  // The dispute process is for uninsured or self-pay patients only.
  Profile insured = uninsured;
  insured.insured = true;
  insured.coverage = Coverage::kInsured;
  EXPECT_FALSE(has_gfe(Money::FromCents(100000), &insured));
  EXPECT_FALSE(has_gfe(Money::FromCents(100000), nullptr));
  insured.coverage = Coverage::kSelfPay;
  EXPECT_TRUE(has_gfe(Money::FromCents(100000), &insured));
  EXPECT_FALSE(ApplicableLetters(b, nullptr).empty());
}

TEST(ApplicableLettersTest, NothingDueNoOffers) {
  Bill b = ItemizedBill();
  b.findings.clear();
  b.amount_due = Money::FromCents(0);
  EXPECT_TRUE(ApplicableLetters(b, nullptr).empty());
}

TEST(LetterDateTest, EnglishAndSpanish) {
  EXPECT_EQ(LetterDate(Date{2026, 1, 5}, "en"), "January 5, 2026");
  EXPECT_EQ(LetterDate(Date{2026, 9, 15}, "es"), "15 de septiembre de 2026");
}

TEST(MustacheTest, MissingKeysAreAllListed) {
  TemplateNode root;
  root.Set("a", TemplateNode::Missing("profile.name"));
  root.Set("b", TemplateNode::Missing("profile.address"));
  root.Set("c", TemplateNode::Str("ok"));
  auto r = RenderTemplate("{{a}} {{c}} {{b}} {{a}}", root, false, "t");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUsage);
  EXPECT_NE(r.error().message.find("profile.name, profile.address"), std::string::npos) << r.error().message;
  auto blanks = RenderTemplate("{{a}} {{c}}", root, true, "t");
  ASSERT_TRUE(blanks.has_value());
  EXPECT_EQ(*blanks, std::string(kBlankLine) + " ok");
}

TEST(MustacheTest, ValuesAreNotEscapedAndCannotOpenTags) {
  TemplateNode root;
  root.Set("v", TemplateNode::Str("O'Brien & Sons <x> {{evil}}"));
  auto r = RenderTemplate("{{v}}", root, false, "t");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->find("{{"), std::string::npos);
  EXPECT_NE(r->find("O'Brien & Sons <x>"), std::string::npos);
}

TEST(MustacheTest, UnclosedSectionIsBadTemplate) {
  TemplateNode root;
  auto r = RenderTemplate("{{#x}} open", root, false, "t");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadTemplate);
}

TEST(MarkupTest, ParsesBlocks) {
  LetterDocument d = ParseLetterMarkup(
      "@sender\nA B\n1 Main St\n\n@recipient\nC D\nPO Box 1\n\n@date May 1, 2026\n@re RE: x\n"
      "Para one\ncontinues.\n\n# Head\n| a | b |\n| 1 | $2.00 |\n- item one\n\n@signature\nSincerely,\nA B\n\n"
      "@enclosures Enclosures:\n- Copy\n@footer P {page}/{pages}\n");
  EXPECT_EQ(d.sender, (std::vector<std::string>{"A B", "1 Main St"}));
  EXPECT_EQ(d.recipient, (std::vector<std::string>{"C D", "PO Box 1"}));
  EXPECT_EQ(d.date, "May 1, 2026");
  EXPECT_EQ(d.re, "RE: x");
  ASSERT_EQ(d.body.size(), 4u);
  EXPECT_EQ(d.body[0].text, "Para one continues.");
  EXPECT_EQ(d.body[1].kind, LetterBlock::Kind::kHeading);
  EXPECT_EQ(d.body[2].rows.size(), 2u);
  EXPECT_EQ(d.body[2].rows[1][1], "$2.00");
  EXPECT_EQ(d.body[3].kind, LetterBlock::Kind::kBullet);
  EXPECT_EQ(d.closing, "Sincerely,");
  EXPECT_EQ(d.signer, (std::vector<std::string>{"A B"}));
  EXPECT_EQ(d.enclosures, (std::vector<std::string>{"Copy"}));
  EXPECT_EQ(d.footer, "P {page}/{pages}");
}

class EveryKindTest : public ::testing::TestWithParam<std::tuple<LetterKind, std::string>> {};

TEST_P(EveryKindTest, RendersCompleteText) {
  auto [kind, lang] = GetParam();
  Bill bill = kind == LetterKind::kValidation ? CollectionNotice()
              : kind == LetterKind::kAppeal    ? testing::EobWithDenial()
                                               : ItemizedBill();
  Profile profile = SampleProfile();
  if (kind == LetterKind::kAppeal) profile.insurer = "Pinecrest Mutual Health Plan";
  LetterInputs in = Inputs(&bill, &profile);
  in.good_faith_estimate = Money::FromDollars(2500);
  auto text = RenderLetterText(kind, in, Options(lang));
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(text->find("{{"), std::string::npos);
  // The plan's appeals address is not on the bill model: the appeal leaves it blank.
  if (kind != LetterKind::kAppeal) {
    EXPECT_EQ(text->find(kBlankLine), std::string::npos) << *text;
  }
  if (kind == LetterKind::kAppeal) {
    EXPECT_NE(text->find(*bill.claim_number), std::string::npos);
  } else if (kind != LetterKind::kGfeRequest) {
    EXPECT_NE(text->find(*bill.account_number), std::string::npos);
  }
  LetterDocument doc = ParseLetterMarkup(*text);
  EXPECT_GE(doc.sender.size(), 3u);
  EXPECT_GE(doc.recipient.size(), 2u);
  EXPECT_FALSE(doc.re.empty());
  EXPECT_FALSE(doc.closing.empty());
  EXPECT_FALSE(doc.body.empty());
}

INSTANTIATE_TEST_SUITE_P(All, EveryKindTest,
                         ::testing::Combine(::testing::ValuesIn(AllLetterKinds()), ::testing::Values("en", "es")),
                         [](const auto& info) {
                           std::string n = LetterKindName(std::get<0>(info.param));
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n + "_" + std::get<1>(info.param);
                         });

TEST(LetterContentTest, DisputeListsEveryFinding) {
  Bill bill = ItemizedBill();
  Profile profile = SampleProfile();
  auto text = RenderLetterText(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text->find("| 1 | 4, 5 | 85025 | $98.00 |"), std::string::npos) << *text;
  EXPECT_NE(text->find("| 2 | 2, 3 | 80048 | $250.00 |"), std::string::npos) << *text;
  EXPECT_NE(text->find("include 80048 in 80053"), std::string::npos) << *text;
  EXPECT_NE(text->find("$348.00"), std::string::npos);  // findings total
  EXPECT_NE(text->find("collection"), std::string::npos);
}

TEST(LetterContentTest, PlanNumbersAppear) {
  Bill bill = ItemizedBill();
  Profile profile = SampleProfile();
  LetterOptions o = Options();
  o.days_to_pay = 14;
  auto lump = RenderLetterText(LetterKind::kLumpSum, Inputs(&bill, &profile), o);
  ASSERT_TRUE(lump.has_value());
  EXPECT_NE(lump->find("$720.33"), std::string::npos);
  EXPECT_NE(lump->find("within 14 days of receiving your written acceptance"), std::string::npos);
  EXPECT_NE(lump->find("paid in full"), std::string::npos);
  auto plan = RenderLetterText(LetterKind::kPaymentPlan, Inputs(&bill, &profile), o);
  ASSERT_TRUE(plan.has_value());
  EXPECT_NE(plan->find("| $150.00 | 22 | $66.00 | 0% | $3,216.00 |"), std::string::npos) << *plan;
  bill.plan->nonprofit_hospital = true;
  auto assist = RenderLetterText(LetterKind::kAssistance, Inputs(&bill, &profile), o);
  ASSERT_TRUE(assist.has_value());
  // The patient's finances stay on the application, never in the letter.
  EXPECT_EQ(assist->find("poverty"), std::string::npos) << *assist;
  EXPECT_EQ(assist->find("$41,000"), std::string::npos) << *assist;
  EXPECT_NE(assist->find("501(r)"), std::string::npos);
}

TEST(LetterContentTest, PaymentPlanFallsBackToProfileBudget) {
  Bill bill = SummaryBill();  // no plan; $1,845.00 due
  Profile profile = SampleProfile();
  auto plan = RenderLetterText(LetterKind::kPaymentPlan, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  // 13 payments: 12 of $150.00 (the budget) and a last one of $45.00.
  EXPECT_NE(plan->find("| $150.00 | 13 | $45.00 | 0% | $1,845.00 |"), std::string::npos) << *plan;
}

TEST(LetterContentTest, MissingProfileValuesAreListed) {
  Bill bill = SummaryBill();
  Profile profile;  // nothing known
  auto r = RenderLetterText(LetterKind::kAssistance, Inputs(&bill, &profile), Options());
  ASSERT_FALSE(r.has_value());
  const std::string& m = r.error().message;
  for (const char* key : {"profile.name", "profile.address"}) {
    EXPECT_NE(m.find(key), std::string::npos) << key << " not in: " << m;
  }
  LetterOptions o = Options();
  o.allow_blanks = true;
  auto blanks = RenderLetterText(LetterKind::kAssistance, Inputs(&bill, &profile), o);
  ASSERT_TRUE(blanks.has_value()) << blanks.error().message;
  EXPECT_NE(blanks->find(kBlankLine), std::string::npos);
  EXPECT_EQ(blanks->find("{{"), std::string::npos);
}

TEST(LetterContentTest, ValuesMissingFromTheBillAreBlanksAndWarnings) {
  Bill bill = ItemizedBill();
  bill.provider.address.clear();
  bill.account_number.reset();
  Profile profile = SampleProfile();
  auto text = RenderLetterText(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(text.has_value()) << text.error().message;
  LetterDocument doc = ParseLetterMarkup(*text);
  ASSERT_EQ(doc.recipient.size(), 2u);
  EXPECT_EQ(doc.recipient[0], "Saint Mercy Hospital");
  EXPECT_EQ(doc.recipient[1], kBlankLine);
  EXPECT_NE(doc.re.find(kBlankLine), std::string::npos);
  auto blanks = LetterBlanks(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(blanks.has_value());
  EXPECT_EQ(*blanks, (std::vector<std::string>{"bill.provider.address", "bill.account_number"}));
  // Profile values stay required.
  Profile no_name = profile;
  no_name.name.reset();
  auto r = RenderLetterText(LetterKind::kDispute, Inputs(&bill, &no_name), Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("profile.name"), std::string::npos);
  EXPECT_EQ(r.error().message.find("bill."), std::string::npos) << r.error().message;
}

TEST(LetterContentTest, ValidationGoesToCollectorAndCitesRegF) {
  Bill bill = CollectionNotice();
  Profile profile = SampleProfile();
  auto text = RenderLetterText(LetterKind::kValidation, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(text.has_value()) << text.error().message;
  LetterDocument doc = ParseLetterMarkup(*text);
  ASSERT_FALSE(doc.recipient.empty());
  EXPECT_EQ(doc.recipient[0], "Midstate Recovery Services, LLC");
  EXPECT_NE(text->find("1692g(b)"), std::string::npos);
  EXPECT_NE(text->find("1006.34"), std::string::npos);
  EXPECT_NE(text->find("1006.38"), std::string::npos);
  EXPECT_NE(text->find("April 8, 2026"), std::string::npos);
  EXPECT_NE(text->find("not an acknowledgment"), std::string::npos);
}

TEST(LetterContentTest, GfeDisputeAmountsAndDeadline) {
  Bill bill = ItemizedBill();  // statement 2026-01-12, charges $3,216.00
  Profile profile = SampleProfile();
  LetterInputs in = Inputs(&bill, &profile);
  in.good_faith_estimate = Money::FromDollars(2500);
  auto text = RenderLetterText(LetterKind::kGfeDispute, in, Options());
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text->find("$2,500.00"), std::string::npos);
  EXPECT_NE(text->find("$716.00 more"), std::string::npos);
  EXPECT_NE(text->find("May 12, 2026"), std::string::npos);  // 120 days after January 12
  in.good_faith_estimate.reset();
  auto missing = RenderLetterText(LetterKind::kGfeDispute, in, Options());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("--gfe"), std::string::npos);
}

TEST(LetterContentTest, GfeRequestWithoutBillQuotesEstimate) {
  Profile profile = SampleProfile();
  auto est = ParseEstimateJson(R"({"services":[{"code":"70553","quantity":1,"descriptor":null,
      "settings":[{"setting":"office","amount":364.5,"basis":"PFS"}],"cheapest_setting":"office",
      "fair_range":{"low":364.5,"high":546.75,"basis":"1.0-1.5x Medicare"}},
      {"code":"J1885","quantity":2,"descriptor":"Injection, ketorolac tromethamine, per 15 mg",
      "fair_range":{"low":"0.50","high":"0.75"}}],"total_fair_range":{"low":365.0,"high":547.5}})");
  ASSERT_TRUE(est.has_value()) << est.error().message;
  ASSERT_EQ(est->services.size(), 2u);
  LetterInputs in = Inputs(nullptr, &profile);
  in.estimate = *est;
  LetterOptions o = Options();
  o.recipient_name = "Northside Imaging";
  o.recipient_address = {"200 North Ave", "Springfield, IL 62702"};
  auto text = RenderLetterText(LetterKind::kGfeRequest, in, o);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text->find("| 70553 | 1 |"), std::string::npos) << *text;
  EXPECT_NE(text->find("$364.50 \xE2\x80\x93 $546.75"), std::string::npos);
  EXPECT_NE(text->find("$365.00 \xE2\x80\x93 $547.50"), std::string::npos);
  EXPECT_NE(text->find("$400"), std::string::npos);
  // Friday 2026-02-20 + 3 business days = Wednesday 2026-02-25 (Presidents' Day was 2026-02-16).
  EXPECT_NE(text->find("February 25, 2026"), std::string::npos);
  EXPECT_FALSE(ParseEstimateJson("{\"services\": []}").has_value());
  EXPECT_FALSE(ParseEstimateJson("not json").has_value());
}

TEST(LetterContentTest, GfeRequestDueDateSkipsHolidays) {
  Profile profile = SampleProfile();
  LetterInputs in = Inputs(nullptr, &profile);
  in.today = Date{2026, 7, 1};  // Wednesday; July 3 2026 is the observed Independence Day
  LetterOptions o = Options();
  o.recipient_name = "Clinic";
  o.recipient_address = {"1 Main St"};
  auto text = RenderLetterText(LetterKind::kGfeRequest, in, o);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text->find("July 7, 2026"), std::string::npos) << *text;
}

TEST(LetterContentTest, LetterNeedsBillExceptGfeRequest) {
  Profile profile = SampleProfile();
  auto r = RenderLetterText(LetterKind::kDispute, Inputs(nullptr, &profile), Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUsage);
}

}  // namespace
}  // namespace billwise
