// CLI tests of `billwise letters` and `billwise fill-form` on the built binary.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "pipeline/report/bill_json.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using Result = testing::ShellResult;
using testing::Shell;

class LettersCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(BILLWISE_BINARY)) GTEST_SKIP() << "billwise is not built";
    dir_ = fs::temp_directory_path() / ("billwise_cli_letters_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write("profile.yaml",
          "name: José Núñez-O’Brien\naddress:\n  - 1200 Oak Street Apt 4\n  - Springfield, IL 62704\n"
          "phone: 217-555-0142\ndate_of_birth: 1984-03-09\nhousehold_size: 3\nannual_income: 41000\n"
          "state: IL\ninsured: no\nlanguage: en\nmonthly_budget: 150\nlump_sum_available: 900\n");
    Write("sparse.yaml", "language: es\n");
    Write("bill.json", BillToJson(testing::ItemizedBill()));
  }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string Bin() const { return std::string("SOURCE_DATE_EPOCH=1771545600 '") + BILLWISE_BINARY + "' "; }
  fs::path dir_;
};

TEST_F(LettersCliTest, AllKindsFromBillJson) {
  Result r = Shell(Bin() + "letters " + Path("bill.json") + " --kind all --profile " + Path("profile.yaml") +
                   " --out " + Path("out") + " --gfe '$2,500'");
  ASSERT_EQ(r.status, 0) << r.out;
  // The bill has billing errors: the dispute, assistance with its application and the
  // good-faith-estimate dispute (the profile is uninsured); offers wait for the corrections.
  for (const char* k : {"dispute", "assistance", "gfe-dispute"}) {
    fs::path pdf = dir_ / "out" / (std::string(k) + ".pdf");
    ASSERT_TRUE(fs::exists(pdf)) << k << "\n" << r.out;
    Result text = Shell("pdftotext '" + pdf.string() + "' -");
    EXPECT_NE(text.out.find("SMH-20931-7"), std::string::npos) << k;
    EXPECT_NE(text.out.find("José Núñez-O’Brien"), std::string::npos) << k;
    EXPECT_NE(text.out.find("February 20, 2026"), std::string::npos) << k;  // SOURCE_DATE_EPOCH
  }
  // The application beside the assistance letter is filled from the profile and the bill.
  Result form = Shell("pdftotext '" + Path("out/assistance-application.pdf") + "' -");
  ASSERT_EQ(form.status, 0) << form.out;
  EXPECT_NE(form.out.find("SMH-20931-7"), std::string::npos) << form.out;
  EXPECT_NE(form.out.find("José Núñez-O’Brien"), std::string::npos) << form.out;
  for (const char* k : {"validation", "itemized", "lump-sum", "payment-plan", "appeal"}) {
    EXPECT_FALSE(fs::exists(dir_ / "out" / (std::string(k) + ".pdf"))) << k;
  }
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    EXPECT_EQ(e.path().extension(), ".pdf") << "temporary file left behind: " << e.path();
  }
}

TEST_F(LettersCliTest, SpanishAndExplicitKinds) {
  Result r = Shell(Bin() + "letters " + Path("bill.json") + " --kind dispute,itemized --lang es --profile " +
                   Path("profile.yaml") + " --out " + Path("es"));
  ASSERT_EQ(r.status, 0) << r.out;
  Result text = Shell("pdftotext '" + Path("es/dispute.pdf") + "' -");
  EXPECT_NE(text.out.find("Atentamente"), std::string::npos);
  EXPECT_NE(text.out.find("20 de febrero de 2026"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "es" / "itemized.pdf"));
}

TEST_F(LettersCliTest, MissingProfileValuesListedOrBlank) {
  Result r = Shell(Bin() + "letters " + Path("bill.json") + " --kind assistance --profile " + Path("sparse.yaml") +
                   " --out " + Path("missing"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("profile.name"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("profile.address"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "missing" / "assistance.pdf"));
  Result b = Shell(Bin() + "letters " + Path("bill.json") + " --kind assistance --allow-blanks --profile " +
                   Path("sparse.yaml") + " --out " + Path("blank"));
  ASSERT_EQ(b.status, 0) << b.out;
  Result text = Shell("pdftotext '" + Path("blank/assistance.pdf") + "' -");
  EXPECT_NE(text.out.find("________"), std::string::npos);
  EXPECT_NE(text.out.find("Página 1 de"), std::string::npos);  // the profile's language
}

TEST_F(LettersCliTest, GfeRequestFromEstimateWithoutBill) {
  Write("estimate.json",
        R"({"services":[{"code":"G0121","quantity":1,"descriptor":"Colon ca scrn not hi rsk ind",)"
        R"("settings":[{"setting":"office","amount":180.12,"basis":"PFS"}],"cheapest_setting":"office",)"
        R"("fair_range":{"low":180.12,"high":270.18,"basis":"1.0-1.5x Medicare"}}],)"
        R"("total_fair_range":{"low":180.12,"high":270.18}})");
  Result r = Shell(Bin() + "letters --kind gfe-request --estimate " + Path("estimate.json") + " --profile " +
                   Path("profile.yaml") + " --out " + Path("gfe") + " --to 'Valley Endoscopy Center' --to-address '9 "
                   "Main St' --to-address 'Springfield, IL 62701'");
  ASSERT_EQ(r.status, 0) << r.out;
  Result text = Shell("pdftotext '" + Path("gfe/gfe-request.pdf") + "' -");
  EXPECT_NE(text.out.find("G0121"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("$180.12"), std::string::npos);
  EXPECT_NE(text.out.find("Valley Endoscopy Center"), std::string::npos);
  EXPECT_NE(text.out.find("February 25, 2026"), std::string::npos);  // 3 business days after Feb 20
  Result bad = Shell(Bin() + "letters --kind dispute --profile " + Path("profile.yaml") + " --out " + Path("x"));
  EXPECT_EQ(bad.status, 2);
  Result unknown = Shell(Bin() + "letters " + Path("bill.json") + " --kind lumpsum --profile " +
                         Path("profile.yaml") + " --out " + Path("x"));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.out.find("lumpsum"), std::string::npos);
}

TEST_F(LettersCliTest, CollectionNoticeSampleGetsValidation) {
  fs::path sample = fs::path(BILLWISE_SOURCE_DIR) / "samples" / "generated" / "collection_notice.pdf";
  if (!fs::exists(sample)) GTEST_SKIP() << "sample absent";
  Result r = Shell(Bin() + "letters '" + sample.string() + "' --kind all --profile " + Path("profile.yaml") +
                   " --out " + Path("coll"));
  if (r.status != 0 && r.out.find("not built yet") != std::string::npos) GTEST_SKIP() << "reading not wired";
  ASSERT_EQ(r.status, 0) << r.out;
  ASSERT_TRUE(fs::exists(dir_ / "coll" / "validation.pdf")) << r.out;
  Result text = Shell("pdftotext '" + Path("coll/validation.pdf") + "' -");
  EXPECT_NE(text.out.find("1692g(b)"), std::string::npos);
}

// A one-page itemized bill as plain text, from `provider` at `street` in `city_line`.
std::string TextBill(const std::string& provider, const std::string& street, const std::string& city_line) {
  return provider + "                                                ITEMIZED STATEMENT\n" + street + "\n" + city_line +
         "\n\n"
         "Patient Name:           Jose Nunez-O'Brien                   Account Number:   AC-5521\n"
         "Statement Date:         11/02/2026                           Payment Due By:   12/02/2026\n\n"
         "DATE            REV        CPT/HCPCS     DESCRIPTION                                QTY          CHARGES\n"
         "10/12/2026      0300       36415         VENIPUNCTURE                                 1            38.00\n"
         "10/12/2026      0301       80053         METABOLIC PANEL                              1           285.00\n\n"
         "                                                            TOTAL CHARGES                        323.00\n"
         "                                                            AMOUNT DUE                           323.00\n";
}

// Section 501(r) binds nonprofit hospitals: the assistance letter cites it only for a provider
// CMS Hospital General Information lists as voluntary non-profit, and otherwise asks for the
// provider's own policy, in both languages.
TEST_F(LettersCliTest, AssistanceCites501rOnlyForANonprofitHospital) {
  struct Case {
    const char* name;
    std::string bill;
    bool nonprofit;
  };
  const Case cases[] = {
      {"nonprofit", TextBill("BLESSING HOSPITAL", "1005 Broadway St", "Quincy, IL 62301"), true},
      // Not a listed hospital, though its words are in listed names ("SOUTH SHORE HOSPITAL",
      // "NORTHSHORE ... EVANSTON HOSPITAL").
      {"unlisted", TextBill("SHORE HOSPITAL", "1 Lake St", "Evanston, IL 60201"), false},
      {"physicians", TextBill("BROOKSTONE FAMILY MEDICINE, PC", "915 Alder Crossing", "Quincy, IL 62301"), false},
      {"government", TextBill("JOHN H STROGER JR HOSPITAL", "1901 W Harrison St", "Chicago, IL 60612"), false},
  };
  auto letter = [&](const std::string& out) {
    Result text = Shell("pdftotext '" + Path(out + "/assistance.pdf") + "' -");
    std::string flat = text.out;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    return flat;
  };
  for (const Case& c : cases) {
    Write(std::string(c.name) + ".txt", c.bill);
    for (const char* lang : {"en", "es"}) {
      std::string out = std::string(c.name) + "_" + lang;
      Result r = Shell(Bin() + "letters " + Path(std::string(c.name) + ".txt") + " --kind assistance --lang " + lang +
                       " --profile " + Path("profile.yaml") + " --out " + Path(out));
      ASSERT_EQ(r.status, 0) << c.name << "\n" << r.out;
      std::string t = letter(out);
      EXPECT_EQ(t.find("501(r)") != std::string::npos, c.nonprofit) << c.name << " " << lang << "\n" << t;
      if (std::string(lang) == "en") {
        EXPECT_EQ(t.find("CMS lists") != std::string::npos, c.nonprofit) << c.name << "\n" << t;
        EXPECT_EQ(t.find("your financial assistance or charity care policy") != std::string::npos, !c.nonprofit)
            << c.name << "\n" << t;
        EXPECT_EQ(t.find("is a nonprofit (tax-exempt) hospital"), std::string::npos) << "no conditional 501(r)\n" << t;
      } else {
        EXPECT_EQ(t.find("CMS registra") != std::string::npos, c.nonprofit) << c.name << "\n" << t;
        EXPECT_EQ(t.find("su política de asistencia financiera o de atención caritativa") != std::string::npos,
                  !c.nonprofit)
            << c.name << "\n" << t;
        // The generic application beside it is in English only, and the letter says so.
        EXPECT_NE(t.find("solo existe en inglés"), std::string::npos) << t;
      }
    }
    // The plan's 501(r) deadline follows the same rule.
    Result json = Shell(Bin() + "--no-store analyze " + Path(std::string(c.name) + ".txt") +
                        " --format json --profile " + Path("profile.yaml"));
    ASSERT_EQ(json.status, 0) << json.out;
    EXPECT_EQ(json.out.find("\"nonprofit_hospital\": true") != std::string::npos, c.nonprofit) << c.name;
    EXPECT_EQ(json.out.find("(501(r))") != std::string::npos, c.nonprofit) << c.name;
  }
}

TEST_F(LettersCliTest, FillFormCommand) {
  fs::path form = fs::path(BILLWISE_SOURCE_DIR) / "templates" / "forms" / "financial_assistance_application.pdf";
  fs::path map = fs::path(BILLWISE_SOURCE_DIR) / "templates" / "forms" / "financial_assistance_application.map.yaml";
  Result r = Shell(Bin() + "fill-form '" + form.string() + "' --map '" + map.string() + "' --profile " +
                   Path("profile.yaml") + " --bill " + Path("bill.json") + " --out " + Path("filled.pdf") +
                   " --flatten");
  ASSERT_EQ(r.status, 0) << r.out;
  Result text = Shell("pdftotext '" + Path("filled.pdf") + "' -");
  EXPECT_NE(text.out.find("José Núñez-O’Brien"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("SMH-20931-7"), std::string::npos);
  Result list = Shell(Bin() + "fill-form --list '" + form.string() + "'");
  ASSERT_EQ(list.status, 0);
  EXPECT_NE(list.out.find("date_of_birth\ttext comb=8"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("insured_no\tcheckbox state=Yes"), std::string::npos) << list.out;
  Result missing = Shell(Bin() + "fill-form '" + form.string() + "' --map '" + map.string() + "' --profile " +
                         Path("sparse.yaml") + " --out " + Path("f2.pdf"));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.out.find("profile.household_size"), std::string::npos) << missing.out;
}

}  // namespace
}  // namespace billwise
