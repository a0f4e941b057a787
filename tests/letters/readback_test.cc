// Every letter kind read back from its PDF with pdftotext, on the shipped samples (through
// the built program) and on hand-built documents (in process): the sums add up, nothing of
// the patient's finances or the program's reasoning and no markup leaks, each letter goes to
// the right addressee with the right account numbers, and Spanish letters are Spanish.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "pipeline/letters/letters.h"
#include "pipeline/report/bill_json.h"
#include "tests/letters/readback_checks.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;
using testing::ExpectNothingLeaks;
using testing::ExpectSpanish;
using testing::ExpectSums;
using testing::Head;
using testing::PdfText;
using testing::Shell;

class SampleLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(BILLWISE_BINARY)) GTEST_SKIP() << "billwise is not built";
    if (!testing::HaveCommand("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
    samples_ = fs::path(BILLWISE_SOURCE_DIR) / "samples" / "generated";
    if (!fs::exists(samples_)) GTEST_SKIP() << "samples absent";
    ASSERT_FALSE(dir_.path().empty());
    // The samples' profile (insured), and the same patient uninsured.
    std::string profile = testing::ReadFileBytes(fs::path(BILLWISE_SOURCE_DIR) / "samples" / "profile.yaml");
    ASSERT_FALSE(profile.empty());
    ASSERT_TRUE(testing::WriteFileBytes(dir_ / "insured.yaml", profile));
    std::string uninsured = std::regex_replace(profile, std::regex("insured: yes"), "coverage: uninsured");
    ASSERT_TRUE(testing::WriteFileBytes(dir_ / "uninsured.yaml", uninsured));
    // A household above the usual financial-assistance bands.
    std::string comfortable = std::regex_replace(profile, std::regex("annual_income: \\d+"), "annual_income: 250000");
    ASSERT_TRUE(testing::WriteFileBytes(dir_ / "comfortable.yaml", comfortable));
  }
  std::string Bin() const { return std::string("SOURCE_DATE_EPOCH=1771545600 '") + BILLWISE_BINARY + "' --no-store "; }
  Bill Analyze(const std::string& sample) {
    auto r = Shell(Bin() + "analyze '" + (samples_ / sample).string() + "' --format json --profile " +
                   (dir_ / "insured.yaml") + " 2>/dev/null");
    auto bill = BillFromJson(r.out);
    EXPECT_TRUE(bill.has_value()) << sample << ": " << r.out.substr(0, 300);
    return bill ? *bill : Bill{};
  }
  fs::path samples_;
  testing::TempDir dir_;
};

// The profile's budget and cash ($150 a month, $1,200 at once).
constexpr int64_t kBudget = 15000;
constexpr int64_t kCash = 120000;

TEST_F(SampleLettersTest, EveryLetterOfEverySampleIsMailReady) {
  std::set<std::string> kinds_seen;
  for (const char* sample : {"hospital_itemized.pdf", "hospital_itemized_clean.pdf", "lab_imaging.pdf",
                             "lab_imaging_clean.pdf", "physician_office.pdf", "physician_office_clean.pdf",
                             "summary_statement.pdf", "collection_notice.pdf", "eob_insurer.pdf"}) {
    Bill bill = Analyze(sample);
    int64_t balance = bill.amount_due ? bill.amount_due->cents : -1;
    for (const char* lang : {"en", "es"}) {
      std::string out = dir_ / (std::string(sample) + "." + lang);
      auto r = Shell(Bin() + "letters '" + (samples_ / sample).string() + "' --kind all --allow-blanks --profile " +
                     (dir_ / "insured.yaml") + " --lang " + lang + " --out '" + out + "'");
      ASSERT_EQ(r.status, 0) << sample << "\n" << r.out;
      if (!fs::exists(out)) continue;  // nothing applies (an EOB with nothing denied)
      for (const auto& e : fs::directory_iterator(out)) {
        std::string kind = e.path().stem().string();
        std::string what = std::string(sample) + " " + lang + " " + kind;
        std::string text = PdfText(e.path().string());
        ASSERT_FALSE(text.empty()) << what;
        if (kind == "assistance-application") continue;  // the form, not a letter
        kinds_seen.insert(kind);
        ExpectNothingLeaks(text, what);
        testing::ExpectContinuationHeads(text, bill.account_number.value_or(""), lang, what);
        if (std::string(lang) == "es") {
          ExpectSpanish(text, what);
        }
        if (balance > 0) {
          ExpectSums(kind, text, balance, kBudget, kCash, what);
        }
        if (bill.account_number) {
          EXPECT_NE(text.find(*bill.account_number), std::string::npos) << what << " lacks the account number";
        }
        if (bill.document_type == DocumentType::kCollectionNotice) {
          ASSERT_TRUE(bill.collector && bill.collector->name) << what;
          std::string head = Head(text);
          if (kind == "validation") {
            EXPECT_NE(head.find(*bill.collector->name), std::string::npos) << what << "\n" << head;
            if (bill.collector->reference) {
              EXPECT_NE(text.find(*bill.collector->reference), std::string::npos) << what;
            }
          } else {
            // Itemized and assistance letters go to the original creditor, never the collector.
            EXPECT_EQ(head.find(*bill.collector->name), std::string::npos) << what << "\n" << head;
            ASSERT_TRUE(bill.collector->creditor) << what;
            EXPECT_NE(head.find(*bill.collector->creditor), std::string::npos) << what << "\n" << head;
            EXPECT_EQ(text.find("totals only"), std::string::npos) << what;
          }
          EXPECT_NE(kind, "lump-sum") << what;
          EXPECT_NE(kind, "payment-plan") << what;
        }
        if (kind == "assistance") {
          // The application is enclosed, and written beside the letter.
          EXPECT_TRUE(fs::exists(fs::path(out) / "assistance-application.pdf")) << what;
          // The samples' providers are fictional, so not on the hospital list: no 501(r) wording.
          EXPECT_EQ(text.find("501(r)"), std::string::npos) << what;
        }
        EXPECT_NE(kind, "gfe-dispute") << what << ": the profile is insured";
      }
      if (bill.document_type == DocumentType::kEob) {
        EXPECT_FALSE(fs::exists(fs::path(out) / "lump-sum.pdf")) << sample;
        EXPECT_FALSE(fs::exists(fs::path(out) / "payment-plan.pdf")) << sample;
      }
    }
  }
  for (const char* kind : {"dispute", "itemized", "assistance", "validation"}) {
    EXPECT_TRUE(kinds_seen.count(kind)) << kind << " was written for no sample";
  }
}

// A household above the usual assistance bands gets one payment offer from `--kind all` on a
// bill with nothing to dispute, and no assistance letter; the offer adds up.
TEST_F(SampleLettersTest, OneOfferWhenNothingIsAskedForFirst) {
  int offers = 0;
  for (const char* sample : {"hospital_itemized_clean.pdf", "lab_imaging_clean.pdf", "physician_office_clean.pdf"}) {
    std::string out = dir_ / (std::string("offer.") + sample);
    auto r = Shell(Bin() + "letters '" + (samples_ / sample).string() + "' --kind all --allow-blanks --profile " +
                   (dir_ / "comfortable.yaml") + " --out '" + out + "'");
    ASSERT_EQ(r.status, 0) << sample << "\n" << r.out;
    bool lump = fs::exists(fs::path(out) / "lump-sum.pdf"), plan = fs::exists(fs::path(out) / "payment-plan.pdf");
    EXPECT_FALSE(lump && plan) << sample << ": two offers";
    EXPECT_FALSE(fs::exists(fs::path(out) / "assistance.pdf")) << sample;
    if (fs::exists(fs::path(out) / "dispute.pdf") || fs::exists(fs::path(out) / "itemized.pdf")) {
      EXPECT_FALSE(lump || plan) << sample << ": an offer beside a dispute or a request";
      continue;
    }
    offers += lump || plan;
  }
  EXPECT_GT(offers, 0) << "no sample got an offer";
}

TEST_F(SampleLettersTest, PaymentPlanAndOfferOnTheHospitalBillAddUp) {
  Bill bill = Analyze("hospital_itemized.pdf");
  ASSERT_TRUE(bill.amount_due);
  for (const char* lang : {"en", "es"}) {
    std::string out = dir_ / (std::string("explicit.") + lang);
    auto r = Shell(Bin() + "letters '" + (samples_ / "hospital_itemized.pdf").string() +
                   "' --kind lump-sum,payment-plan,dispute --profile " + (dir_ / "insured.yaml") + " --lang " + lang +
                   " --out '" + out + "'");
    ASSERT_EQ(r.status, 0) << r.out;
    for (const char* kind : {"lump-sum", "payment-plan", "dispute"}) {
      std::string text = PdfText(out + "/" + kind + ".pdf");
      std::string what = std::string("hospital_itemized ") + lang + " " + kind;
      ExpectNothingLeaks(text, what);
      ExpectSums(kind, text, bill.amount_due->cents, kBudget, kCash, what);
      if (std::string(lang) == "es") {
        ExpectSpanish(text, what);
      }
    }
  }
}

TEST_F(SampleLettersTest, GfeDisputeOnlyForUninsuredOrSelfPay) {
  std::string sample = (samples_ / "hospital_itemized_clean.pdf").string();
  auto insured = Shell(Bin() + "letters '" + sample + "' --kind gfe-dispute --gfe 1000 --profile " +
                       (dir_ / "insured.yaml") + " --out '" + (dir_ / "gfe-insured") + "'");
  EXPECT_EQ(insured.status, 2) << insured.out;
  EXPECT_NE(insured.out.find("uninsured or self-pay"), std::string::npos) << insured.out;
  EXPECT_FALSE(fs::exists(dir_ / "gfe-insured/gfe-dispute.pdf"));

  auto r = Shell(Bin() + "letters '" + sample + "' --kind all --gfe 1000 --profile " + (dir_ / "uninsured.yaml") +
                 " --out '" + (dir_ / "gfe") + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  std::string text = PdfText(dir_ / "gfe/gfe-dispute.pdf");
  EXPECT_NE(text.find("cms.gov/nosurprises"), std::string::npos) << text;
  EXPECT_NE(text.find("$25"), std::string::npos) << text;
  ExpectNothingLeaks(text, "gfe-dispute");
}

TEST_F(SampleLettersTest, EobGetsNoOffers) {
  auto r = Shell(Bin() + "letters '" + (samples_ / "eob_insurer.pdf").string() + "' --kind lump-sum --profile " +
                 (dir_ / "insured.yaml") + " --out '" + (dir_ / "eob") + "'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("not a bill"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "eob/lump-sum.pdf"));
}

// The EOB's text with an appeals block: the appeal letter goes there, and the JSON carries it.
TEST_F(SampleLettersTest, AppealGoesToTheAppealsAddressOnTheEob) {
  std::string text = PdfText((samples_ / "eob_insurer.pdf").string());
  ASSERT_FALSE(text.empty());
  text += "\nGrievance and Appeals Department\nPinecrest Mutual Health Plan\nPO Box 7730\n"
          "Harrow Falls, PA 18499-7730\n";
  ASSERT_TRUE(testing::WriteFileBytes(dir_ / "eob.txt", text));
  auto json = Shell(Bin() + "analyze '" + (dir_ / "eob.txt") + "' --format json 2>/dev/null");
  auto bill = BillFromJson(json.out);
  ASSERT_TRUE(bill) << json.out.substr(0, 300);
  ASSERT_EQ(bill->document_type, DocumentType::kEob);
  std::vector<std::string> want = {"Grievance and Appeals Department", "Pinecrest Mutual Health Plan", "PO Box 7730",
                                   "Harrow Falls, PA 18499-7730"};
  EXPECT_EQ(bill->appeals_address, want);
  auto r = Shell(Bin() + "letters '" + (dir_ / "eob.txt") + "' --kind appeal --allow-blanks --profile " +
                 (dir_ / "insured.yaml") + " --out '" + (dir_ / "appeal") + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  std::string head = Head(PdfText(dir_ / "appeal/appeal.pdf"));
  EXPECT_NE(head.find("Grievance and Appeals Department"), std::string::npos) << head;
  EXPECT_NE(head.find("PO Box 7730"), std::string::npos) << head;
  EXPECT_EQ(head.find("________"), std::string::npos) << head;
}

// ---------------------------------------------------------------- hand-built documents

class BuiltLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveCommand("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
    ASSERT_FALSE(dir_.path().empty());
  }
  std::string Render(LetterKind kind, const LetterInputs& inputs, const std::string& lang) {
    LetterOptions o;
    o.language = lang;
    o.allow_blanks = true;
    o.data_dir = BILLWISE_SOURCE_DIR;
    auto files = RenderLetterPackage(kind, inputs, o);
    EXPECT_TRUE(files.has_value()) << LetterKindName(kind) << ": " << (files ? "" : files.error().message);
    if (!files) return "";
    std::string path = dir_ / (std::string(LetterKindName(kind)) + "." + lang + ".pdf");
    EXPECT_TRUE(testing::WriteFileBytes(path, files->front().bytes));
    return PdfText(path);
  }
  testing::TempDir dir_;
};

Bill NoticeWithBothNumbers() {
  Bill b = testing::CollectionNotice();  // the collector's reference MRS-55012-QX
  b.account_number = "SMH-20931-7";      // the hospital's account
  b.collector->original_creditor = "Saint Mercy Hospital";
  return b;
}

TEST_F(BuiltLettersTest, CollectionNoticeLettersCiteBothNumbersAndGoToTheRightParty) {
  Bill bill = NoticeWithBothNumbers();
  Profile profile = testing::SampleProfile();
  LetterInputs in;
  in.bill = &bill;
  in.profile = &profile;
  in.today = Date{2026, 3, 5};
  std::vector<LetterKind> kinds = ApplicableLetters(bill, &profile);
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), LetterKind::kValidation);
  for (LetterKind k : kinds) {
    EXPECT_NE(k, LetterKind::kLumpSum);
    EXPECT_NE(k, LetterKind::kPaymentPlan);
  }
  for (const char* lang : {"en", "es"}) {
    std::string validation = Render(LetterKind::kValidation, in, lang);
    EXPECT_NE(validation.find("SMH-20931-7"), std::string::npos) << validation;
    EXPECT_NE(validation.find("MRS-55012-QX"), std::string::npos) << validation;
    EXPECT_NE(Head(validation).find("Midstate Recovery Services"), std::string::npos) << validation;
    EXPECT_NE(Head(validation).find("PO Box 9090"), std::string::npos) << validation;
    ExpectNothingLeaks(validation, "validation");

    // No earlier bill in the case file: the creditor's address is a visible blank.
    std::string itemized = Render(LetterKind::kItemized, in, lang);
    std::string head = Head(itemized);
    EXPECT_NE(head.find("Saint Mercy Hospital"), std::string::npos) << itemized;
    EXPECT_EQ(head.find("Midstate"), std::string::npos) << itemized;
    EXPECT_EQ(head.find("PO Box 9090"), std::string::npos) << itemized;
    EXPECT_NE(head.find("________"), std::string::npos) << itemized;
    EXPECT_EQ(itemized.find("totals only"), std::string::npos) << itemized;
    if (std::string(lang) == "es") {
      ExpectSpanish(validation, "validation es");
      ExpectSpanish(itemized, "itemized es");
    }
  }
  // With the address from an earlier bill of the case.
  in.creditor_address = {"Patient Financial Services", "PO Box 4410", "Springfield, IL 62791-4410"};
  std::string assistance = Render(LetterKind::kAssistance, in, "en");
  EXPECT_NE(Head(assistance).find("PO Box 4410"), std::string::npos) << assistance;
  EXPECT_NE(assistance.find("enclosed application"), std::string::npos) << assistance;
  ExpectNothingLeaks(assistance, "assistance");
}

TEST_F(BuiltLettersTest, AssistanceSays501rOnlyForListedHospitals) {
  Bill bill = testing::ItemizedBill();
  Profile profile = testing::SampleProfile();
  LetterInputs in;
  in.bill = &bill;
  in.profile = &profile;
  in.today = Date{2026, 2, 20};
  bill.plan->nonprofit_hospital = false;
  EXPECT_EQ(Render(LetterKind::kAssistance, in, "en").find("501(r)"), std::string::npos);
  bill.plan->nonprofit_hospital = true;
  EXPECT_NE(Render(LetterKind::kAssistance, in, "en").find("501(r)"), std::string::npos);
  // Without the package (no application written), the letter asks for the application.
  LetterOptions o;
  o.data_dir = BILLWISE_SOURCE_DIR;
  auto text = RenderLetterText(LetterKind::kAssistance, in, o);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->find("enclosed application"), std::string::npos) << *text;
  EXPECT_NE(text->find("send me your financial assistance application"), std::string::npos) << *text;
}

TEST_F(BuiltLettersTest, EobWithADeniedLineGetsAnAppealOnly) {
  Bill eob = testing::EobWithDenial();  // claim PMH-26-0917-448213, 87880 denied, share $78.23
  Profile profile = testing::SampleProfile();
  profile.insured = true;
  profile.insurer = "Pinecrest Mutual Health Plan";

  std::vector<LetterKind> kinds = ApplicableLetters(eob, &profile);
  ASSERT_EQ(kinds.size(), 1u);
  EXPECT_EQ(kinds[0], LetterKind::kAppeal);
  LetterInputs in;
  in.bill = &eob;
  in.profile = &profile;
  in.today = Date{2026, 10, 5};
  for (const char* lang : {"en", "es"}) {
    std::string text = Render(LetterKind::kAppeal, in, lang);
    EXPECT_NE(text.find("PMH-26-0917-448213"), std::string::npos) << text;
    EXPECT_NE(text.find("XPM448213907"), std::string::npos) << text;
    EXPECT_NE(text.find("2560.503-1"), std::string::npos) << text;
    EXPECT_NE(text.find("$78.23"), std::string::npos) << text;
    EXPECT_NE(text.find("87880"), std::string::npos) << text;
    EXPECT_NE(Head(text).find("Pinecrest Mutual Health Plan"), std::string::npos) << text;
    EXPECT_NE(text.find(std::string(lang) == "es" ? "28 de marzo de 2027" : "March 28, 2027"), std::string::npos)
        << text;  // 180 days after September 29, 2026
    ExpectNothingLeaks(text, "appeal");
    if (std::string(lang) == "es") {
      ExpectSpanish(text, "appeal es");
    }
  }
  // No appeals address on the EOB: a visible blank under the plan's name; with one, it.
  EXPECT_NE(Head(Render(LetterKind::kAppeal, in, "en")).find("________"), std::string::npos);
  eob.appeals_address = {"Pinecrest Appeals Unit", "PO Box 7730", "Harrow Falls, PA 18499-7730"};
  for (const char* lang : {"en", "es"}) {
    std::string head = Head(Render(LetterKind::kAppeal, in, lang));
    EXPECT_NE(head.find("Pinecrest Appeals Unit"), std::string::npos) << head;
    EXPECT_NE(head.find("Harrow Falls, PA 18499-7730"), std::string::npos) << head;
    EXPECT_EQ(head.find("________"), std::string::npos) << head;
  }
  // Offers and plans are refused on an EOB.
  LetterOptions o;
  o.data_dir = BILLWISE_SOURCE_DIR;
  for (LetterKind k : {LetterKind::kLumpSum, LetterKind::kPaymentPlan, LetterKind::kDispute}) {
    auto r = RenderLetterText(k, in, o);
    ASSERT_FALSE(r) << LetterKindName(k);
    EXPECT_EQ(r.error().code, ErrorCode::kUsage);
  }
}

TEST_F(BuiltLettersTest, DisputeCountsEachDollarOnceAndNamesTheComponentCode) {
  Bill bill = testing::ItemizedBill();
  for (Finding& f : bill.findings) f.finding_class = FindingClass::kBillingError;
  // The EOB also denied the duplicate copy: the same $98.00 again.
  Finding denied;
  denied.kind = FindingKind::kBalanceBilling;
  denied.severity = Severity::kError;
  denied.finding_class = FindingClass::kBillingError;
  denied.lines = {4};
  denied.amount_at_stake = Money::FromCents(9800);
  bill.findings.push_back(denied);
  // A price observation is not a billing error.
  Finding price;
  price.kind = FindingKind::kPrice;
  price.finding_class = FindingClass::kPriceObservation;
  price.lines = {0};
  price.amount_at_stake = Money::FromCents(200000);
  bill.findings.push_back(price);
  Profile profile = testing::SampleProfile();
  LetterInputs in;
  in.bill = &bill;
  in.profile = &profile;
  in.today = Date{2026, 2, 20};
  for (const char* lang : {"en", "es"}) {
    std::string text = Render(LetterKind::kDispute, in, lang);
    // $98.00 duplicate + $250.00 component, the denied copy not again, the price note not at all.
    EXPECT_NE(text.find("$348.00"), std::string::npos) << text;
    EXPECT_EQ(text.find("$2,000.00"), std::string::npos) << text;
    // The bundling row names 80048, the component to remove.
    static const std::regex row(R"(\n\s*2\s+2, 3\s+(\S+)\s+\$250\.00)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text, m, row)) << text;
    EXPECT_EQ(m[1], "80048");
    ExpectSums("dispute", text, bill.amount_due->cents, 0, -1, "dispute");
    if (std::string(lang) == "es") {
      ExpectSpanish(text, "dispute es");
    }
  }
}

}  // namespace
}  // namespace billwise
