// Next steps: the order, dates, letters, sending method and what to hold back for each kind
// of document, the name check, and the person-name matching it rests on.
#include "pipeline/audit/next_steps.h"

#include <gtest/gtest.h>

#include "pipeline/audit/plan.h"
#include "pipeline/model/person_name.h"
#include "tests/audit/bills.h"

namespace billwise::testing {
namespace {

bool Contains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

Finding Made(const char* kind, Severity severity, std::vector<size_t> lines, double at_stake) {
  Finding f;
  f.kind = ParseFindingKind(kind).value();
  f.severity = severity;
  f.lines = std::move(lines);
  f.amount_at_stake = Usd(at_stake);
  return f;
}

PlanOptions On(const char* today) {
  PlanOptions o;
  o.today = D(today);
  return o;
}

Bill HospitalBill() {
  Bill b = Itemized({Line("2026-10-12", "99284", 1, 2450), Line("2026-10-12", "99284", 1, 2450),
                     Line("2026-10-12", "80053", 1, 575.92)});
  b.provider.name = "Springfield Memorial Hospital";
  b.patient.name = "RIVERA, JORDAN A";
  b.statement_date = D("2026-11-02");
  b.amount_due = Usd(5475.92);
  b.findings.push_back(Made("price", Severity::kWarning, {0}, 2000));
  b.findings.push_back(Made("duplicate", Severity::kError, {1}, 2450));
  b.findings.push_back(Made("em_same_day_procedure", Severity::kInfo, {0}, 2450));  // a question, not an error
  return b;
}

Profile Jordan() {
  Profile p;
  p.name = "Jordan A. Rivera";
  p.insured = false;
  p.household_size = 3;
  p.annual_income = Usd(41000);
  p.state = "IL";
  p.monthly_budget = Usd(150);
  return p;
}

TEST(NextStepsTest, HospitalBillCallsThenDisputesThenAssistanceThenOffer) {
  Bill b = HospitalBill();
  PlanOptions options = On("2026-12-07");
  options.nonprofit_hospital = true;  // 501(r) applies to hospitals only
  PlanBill(Data(), Jordan(), options, &b);
  ASSERT_TRUE(b.plan);
  const auto& steps = b.plan->next_steps;
  ASSERT_GE(steps.size(), 4u);
  for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].step, static_cast<int>(i) + 1);
  EXPECT_EQ(steps[0].how.rfind("phone", 0), 0u);
  EXPECT_NE(steps[0].what.find("billwise script"), std::string::npos);
  EXPECT_EQ(steps[1].letter, "dispute");
  EXPECT_NE(steps[1].what.find("1 billing error "), std::string::npos);  // neither the price note nor the info
  Bill with_units = HospitalBill();
  with_units.findings.push_back(Made("units", Severity::kWarning, {2}, 100));
  EXPECT_NE(BuildNextSteps(with_units, Jordan(), D("2026-12-07"))[1].what.find("2 billing errors"), std::string::npos);
  EXPECT_EQ(steps[1].how, kCertifiedMail);
  // 501(r): 240 days after the statement of 2026-11-02 = 2027-06-30; 205 days after 2026-12-07.
  EXPECT_EQ(steps[2].letter, "assistance");
  ASSERT_TRUE(steps[2].by);
  EXPECT_EQ(*steps[2].by, D("2027-06-30"));
  EXPECT_EQ(steps[2].days_left, 205);
  EXPECT_EQ(steps[2].how, kCertifiedMail);
  EXPECT_TRUE(Contains(steps[2].hold_back, "before the financial-assistance decision"));
  EXPECT_EQ(steps.back().letter, "lump-sum");  // a price note argues the offer, last
  EXPECT_TRUE(Contains(steps.back().hold_back, "credit card"));
}

TEST(NextStepsTest, SummaryBillAsksForTheItemizedBillBeforeAnything) {
  Bill b = Itemized({});
  b.document_type = DocumentType::kSummaryStatement;
  b.provider.name = "Lakeside Imaging Center";
  b.amount_due = Usd(1845);
  b.statement_date = D("2026-11-20");
  auto steps = BuildNextSteps(b, Profile{}, D("2026-12-07"));
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[1].letter, "itemized");
  EXPECT_TRUE(Contains(steps[1].hold_back, "Do not pay"));
  for (const auto& s : steps) EXPECT_NE(s.letter, std::optional<std::string>("dispute"));
}

TEST(NextStepsTest, CollectionNoticeValidatesFirstByCertifiedMailAndHoldsPaymentBack) {
  Bill b;
  b.document_type = DocumentType::kCollectionNotice;
  b.collector = Collector{};
  b.collector->name = "Midstate Recovery Services, LLC";
  b.collector->creditor = "Springfield Memorial Hospital";
  b.collector->validation_end_date = D("2026-12-19");
  b.amount_due = Usd(1975);
  auto steps = BuildNextSteps(b, Profile{}, D("2026-12-07"));
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[0].letter, "validation");
  EXPECT_EQ(steps[0].by, D("2026-12-19"));
  EXPECT_EQ(steps[0].days_left, 12);
  EXPECT_EQ(steps[0].how, kCertifiedMail);
  EXPECT_TRUE(Contains(steps[0].hold_back, "Do not pay the collector"));
  EXPECT_NE(steps[1].what.find("Springfield Memorial Hospital (the original creditor)"), std::string::npos);
  for (const auto& s : steps) {
    EXPECT_NE(s.letter, std::optional<std::string>("lump-sum"));
    EXPECT_NE(s.letter, std::optional<std::string>("payment-plan"));
  }
}

TEST(NextStepsTest, EobMakesNoOfferAndAppealsADenialWithin180Days) {
  Bill b = Itemized({Line("2026-09-01", "97110", 1, 180)});
  b.document_type = DocumentType::kEob;
  b.statement_date = D("2026-10-01");
  b.amount_due = Usd(78.23);
  b.line_items[0].eob_note = "Denied - not medically necessary";
  auto steps = BuildNextSteps(b, Profile{}, D("2026-12-07"));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_NE(steps[0].what.find("$78.23"), std::string::npos);
  EXPECT_FALSE(steps[0].letter);
  EXPECT_EQ(steps[1].letter, "appeal");
  EXPECT_EQ(steps[1].by, D("2027-03-30"));  // 2026-10-01 + 180 days
  Bill paid = b;
  paid.line_items[0].eob_note.reset();
  EXPECT_EQ(BuildNextSteps(paid, Profile{}, D("2026-12-07")).size(), 1u);  // nothing to appeal
}

TEST(NextStepsTest, TheAppealGoesToTheAddressTheEobPrintsElseABlank) {
  Bill b = Itemized({Line("2026-09-01", "97110", 1, 180)});
  b.document_type = DocumentType::kEob;
  b.statement_date = D("2026-10-01");
  b.line_items[0].eob_note = "Denied - not medically necessary";
  auto blank = BuildNextSteps(b, Profile{}, D("2026-12-07"));
  ASSERT_EQ(blank.size(), 2u);
  EXPECT_NE(blank[1].what.find("________"), std::string::npos) << blank[1].what;
  b.appeals_address = {"Pinecrest Appeals Unit", "PO Box 7730", "Harrow Falls, PA 18499"};
  auto addressed = BuildNextSteps(b, Profile{}, D("2026-12-07"));
  EXPECT_NE(addressed[1].what.find("Pinecrest Appeals Unit, PO Box 7730, Harrow Falls, PA 18499"), std::string::npos)
      << addressed[1].what;
  EXPECT_EQ(addressed[1].what.find("____"), std::string::npos);
}

TEST(NextStepsTest, SpanishWhenTheProfileSpeaksSpanish) {
  Profile es = Jordan();
  es.language = "es";
  Bill hospital = HospitalBill();
  PlanOptions options = On("2026-12-07");
  options.nonprofit_hospital = true;
  PlanBill(Data(), es, options, &hospital);
  ASSERT_TRUE(hospital.plan);
  EXPECT_EQ(hospital.plan->language, "es");
  Bill notice;
  notice.document_type = DocumentType::kCollectionNotice;
  notice.collector = Collector{};
  notice.collector->name = "Midstate Recovery Services, LLC";
  notice.collector->creditor = "Springfield Memorial Hospital";
  notice.collector->validation_end_date = D("2026-12-19");
  notice.amount_due = Usd(1975);
  Bill eob = Itemized({Line("2026-09-01", "97110", 1, 180)});
  eob.document_type = DocumentType::kEob;
  eob.statement_date = D("2026-10-01");
  eob.amount_due = Usd(78.23);
  eob.line_items[0].eob_note = "Denied - not medically necessary";
  Bill summary = Itemized({});
  summary.document_type = DocumentType::kSummaryStatement;
  summary.amount_due = Usd(1845);

  std::vector<std::vector<NextStep>> all = {hospital.plan->next_steps, BuildNextSteps(notice, es, D("2026-12-07")),
                                            BuildNextSteps(eob, es, D("2026-12-07")),
                                            BuildNextSteps(summary, es, D("2026-12-07"))};
  for (const auto& steps : all) {
    ASSERT_FALSE(steps.empty());
    for (const NextStep& st : steps) {
      std::string text = st.what + " | " + st.how + " | " + st.why;
      for (const auto& h : st.hold_back) text += " | " + h;
      for (const char* english : {" the ", "Ask ", "Call ", "Do not", "Apply", "Dispute the", "Appeal to",
                                  " your ", " and ", "certified mail", "Once errors"}) {
        EXPECT_EQ(text.find(english), std::string::npos) << "English \"" << english << "\" in: " << text;
      }
    }
  }
  EXPECT_EQ(all[1][0].how, kCertifiedMailEs);
  EXPECT_NE(all[1][0].what.find("Midstate Recovery Services, LLC"), std::string::npos);
  EXPECT_NE(all[2][0].what.find("$78.23"), std::string::npos);
  EXPECT_EQ(all[2][1].letter, "appeal");
}

TEST(NextStepsTest, PassedDatesCountBackwards) {
  Bill b = HospitalBill();
  PlanBill(Data(), Jordan(), On("2027-07-10"), &b);
  for (const auto& s : b.plan->next_steps) {
    if (s.letter == "assistance") {
      EXPECT_EQ(s.days_left, -10);
    }
  }
}

TEST(NextStepsTest, ADifferentPatientOnTheBillIsADiagnosticWithoutNames) {
  Bill b = HospitalBill();
  Profile p = Jordan();
  PlanBill(Data(), p, On("2026-12-07"), &b);
  EXPECT_TRUE(std::none_of(b.diagnostics.begin(), b.diagnostics.end(),
                           [](const Diagnostic& d) { return d.stage == "profile"; }));
  b.patient.name = "MAYA RIVERA";
  b.diagnostics.clear();
  PlanBill(Data(), p, On("2026-12-07"), &b);
  auto it = std::find_if(b.diagnostics.begin(), b.diagnostics.end(),
                         [](const Diagnostic& d) { return d.stage == "profile"; });
  ASSERT_NE(it, b.diagnostics.end());
  EXPECT_EQ(it->message.find("Maya"), std::string::npos);
  EXPECT_EQ(it->message.find("MAYA"), std::string::npos);
  EXPECT_EQ(it->message.find("Jordan"), std::string::npos);
}

TEST(PersonNameTest, OrderPunctuationAndInitialsDoNotMatter) {
  EXPECT_TRUE(SamePersonName("RIVERA, JORDAN A", "Jordan A. Rivera"));
  EXPECT_TRUE(SamePersonName("Jordan Rivera", "Jordan Alex Rivera Jr."));
  EXPECT_TRUE(SamePersonName("Sean O'Brien", "SEAN OBRIEN"));
  EXPECT_FALSE(SamePersonName("Jordan Rivera", "Maya Rivera"));
  EXPECT_TRUE(NamesDiffer("Jordan Rivera", "Maya Rivera"));
  EXPECT_FALSE(NamesDiffer("Jordan Rivera", ""));
  EXPECT_FALSE(NamesDiffer("J.", "Maya Rivera"));  // no identifying word: no warning
}

}  // namespace
}  // namespace billwise::testing
