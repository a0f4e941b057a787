// Page layout of the letters, read back with pdftotext: continuation pages carry the
// patient's name, the account number and "Page 2 of 3"; the closing, signature and
// enclosures stay together with the end of the body on every page break; long address
// lines wrap inside the #10 envelope window; the patient is identified under the RE line
// (name, date of birth in words when the profile is the patient) and dates are in words.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "pipeline/letters/letters.h"
#include "pipeline/letters/markup.h"
#include "pipeline/letters/pdf_writer.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;
using testing::Shell;

class LetterLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveCommand("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
    dir_ = fs::temp_directory_path() / ("billwise_layout_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Save(const std::string& pdf, const std::string& name) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << pdf;
    return path;
  }
  // The text of each page, in order.
  std::vector<std::string> Pages(const std::string& path) {
    std::string all = Shell("pdftotext '" + path + "' -").out;
    std::vector<std::string> pages;
    std::string cur;
    for (char c : all) {
      if (c == '\f') {
        pages.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty() && cur.find_first_not_of("\n ") != std::string::npos) pages.push_back(cur);
    return pages;
  }
  fs::path dir_;
};

LetterDocument Letter(int paragraphs, int extra_words) {
  LetterDocument doc;
  doc.sender = {"Jordan A. Rivera", "1200 Oak Street Apt 4", "Springfield, IL 62704"};
  doc.recipient = {"Saint Mercy Hospital", "PO Box 4410", "Springfield, IL 62791-4410"};
  doc.date = "December 7, 2026";
  doc.re = "RE: Account SMH-20931-7";
  doc.identity = {"Patient: Jordan A. Rivera"};
  doc.running_head = "Jordan A. Rivera \xC2\xB7 Account SMH-20931-7 \xC2\xB7 Page {page} of {pages}";
  for (int i = 0; i < paragraphs; ++i) {
    std::string text = "Paragraph " + std::to_string(i + 1) + " says what the patient asks for and why, in words.";
    if (i + 1 == paragraphs) {
      for (int w = 0; w < extra_words; ++w) text += " more";
    }
    doc.body.push_back(LetterBlock{LetterBlock::Kind::kParagraph, text, false, {}});
  }
  doc.closing = "Sincerely,";
  doc.signer = {"Jordan A. Rivera", "217-555-0142"};
  doc.enclosures_title = "Enclosures:";
  doc.enclosures = {"Copy of the bill", "Proof of income"};
  return doc;
}

TEST_F(LetterLayoutTest, ContinuationPagesCarryNameAccountAndPageNumber) {
  auto pdf = WriteLetterPdf(Letter(60, 0), PdfLetterStyle{});
  ASSERT_TRUE(pdf) << pdf.error().message;
  auto pages = Pages(Save(*pdf, "long.pdf"));
  ASSERT_GE(pages.size(), 3u);
  const std::string n = std::to_string(pages.size());
  EXPECT_EQ(pages[0].find("\xC2\xB7 Page 1 of"), std::string::npos) << "page 1 has the letterhead instead";
  for (size_t i = 1; i < pages.size(); ++i) {
    std::string head = "Jordan A. Rivera \xC2\xB7 Account SMH-20931-7 \xC2\xB7 Page " + std::to_string(i + 1) + " of " + n;
    EXPECT_NE(pages[i].find(head), std::string::npos) << "page " << i + 1 << ":\n" << pages[i];
    // The head comes first on the page, above the body.
    EXPECT_LT(pages[i].find(head), pages[i].find("Paragraph")) << pages[i];
  }
}

TEST_F(LetterLayoutTest, SignatureStaysWithTheEndOfTheBodyAndTheEnclosures) {
  // Grow the last paragraph word by word across the end of page 1 and of page 2: wherever the
  // break falls, the page with the closing also holds body text, the signer and the enclosures.
  std::vector<int> counts;
  for (int n = 14; n <= 24; ++n) counts.push_back(n);
  for (int n = 46; n <= 56; ++n) counts.push_back(n);
  for (int paragraphs : counts) {
    for (int extra : {0, 12}) {
      auto pdf = WriteLetterPdf(Letter(paragraphs, extra), PdfLetterStyle{});
      ASSERT_TRUE(pdf) << pdf.error().message;
      auto pages = Pages(Save(*pdf, "sig.pdf"));
      size_t with_closing = pages.size();
      for (size_t i = 0; i < pages.size(); ++i) {
        if (pages[i].find("Sincerely,") != std::string::npos) with_closing = i;
      }
      ASSERT_LT(with_closing, pages.size());
      const std::string& page = pages[with_closing];
      EXPECT_NE(page.find("Paragraph"), std::string::npos)
          << paragraphs << "/" << extra << ": the signature stands alone on page " << with_closing + 1 << "\n" << page;
      EXPECT_NE(page.find("217-555-0142"), std::string::npos) << paragraphs << "/" << extra;
      EXPECT_NE(page.find("Proof of income"), std::string::npos) << paragraphs << "/" << extra;
      EXPECT_LT(page.find("Paragraph"), page.find("Sincerely,"));
    }
  }
}

TEST_F(LetterLayoutTest, LongAddressLinesWrapInsideTheEnvelopeWindow) {
  LetterDocument doc = Letter(2, 0);
  doc.recipient = {"Patient Financial Services Department of the Southern Illinois Regional Medical Center",
                   "Attention: Billing Disputes and Financial Assistance Review", "PO Box 4410",
                   "Springfield, IL 62791-4410"};
  auto pdf = WriteLetterPdf(doc, PdfLetterStyle{});
  ASSERT_TRUE(pdf) << pdf.error().message;
  std::string path = Save(*pdf, "address.pdf");
  std::string bbox = Shell("pdftotext -bbox -f 1 -l 1 '" + path + "' -").out;
  std::regex re(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  const double left = kRecipientWindow.left * 72, top = kRecipientWindow.top * 72;
  const double right = left + kRecipientWindow.width * 72, bottom = top + kRecipientWindow.height * 72;
  std::map<std::string, bool> inside;
  for (auto it = std::sregex_iterator(bbox.begin(), bbox.end(), re); it != std::sregex_iterator(); ++it) {
    double x0 = std::stod((*it)[1]), y0 = std::stod((*it)[2]), x1 = std::stod((*it)[3]), y1 = std::stod((*it)[4]);
    if (x0 >= left && x1 <= right && y0 >= top && y1 <= bottom) inside[(*it)[5]] = true;
  }
  for (const auto& line : doc.recipient) {
    std::istringstream words(line);
    for (std::string w; words >> w;) {
      EXPECT_TRUE(inside[w]) << "'" << w << "' of '" << line << "' is not whole inside the window";
    }
  }
}

TEST_F(LetterLayoutTest, PatientIdentifiedWithDatesInWordsInBothLanguages) {
  Bill bill = testing::ItemizedBill();
  Profile profile = testing::SampleProfile();
  profile.member_id = "XZP-4471";
  for (const std::string lang : {"en", "es"}) {
    LetterInputs inputs;
    inputs.bill = &bill;
    inputs.profile = &profile;
    inputs.today = Date{2026, 12, 7};
    LetterOptions options;
    options.language = lang;
    options.data_dir = BILLWISE_SOURCE_DIR;
    auto pdf = RenderLetterPdf(LetterKind::kItemized, inputs, options);
    ASSERT_TRUE(pdf) << pdf.error().message;
    auto pages = Pages(Save(*pdf, "identity." + lang + ".pdf"));
    ASSERT_FALSE(pages.empty());
    const std::string& p1 = pages[0];
    if (lang == "en") {
      EXPECT_NE(p1.find("Patient: Jordan A. Rivera"), std::string::npos) << p1;
      EXPECT_NE(p1.find("Date of birth: March 9, 1984"), std::string::npos) << p1;
      EXPECT_NE(p1.find("December 7, 2026"), std::string::npos) << p1;
    } else {
      EXPECT_NE(p1.find("Paciente: Jordan A. Rivera"), std::string::npos) << p1;
      EXPECT_NE(p1.find("Fecha de nacimiento: 9 de marzo de 1984"), std::string::npos) << p1;
      EXPECT_NE(p1.find("7 de diciembre de 2026"), std::string::npos) << p1;
    }
    // A letter to the provider carries no member ID; no date is printed as digits.
    EXPECT_EQ(p1.find("XZP-4471"), std::string::npos);
    for (const auto& page : pages) {
      EXPECT_FALSE(std::regex_search(page, std::regex(R"(\b\d{4}-\d{2}-\d{2}\b)"))) << page;
      EXPECT_FALSE(std::regex_search(page, std::regex(R"(\b\d{1,2}/\d{1,2}/\d{4}\b)"))) << page;
    }
  }
}

TEST_F(LetterLayoutTest, AnotherPatientOnTheBillGetsNoDateOfBirthFromTheProfile) {
  Bill bill = testing::ItemizedBill();
  bill.patient.name = "Maya Rivera";  // e.g. the profile's child
  Profile profile = testing::SampleProfile();
  LetterInputs inputs;
  inputs.bill = &bill;
  inputs.profile = &profile;
  inputs.today = Date{2026, 12, 7};
  LetterDocument doc;
  IdentifyPatient(LetterKind::kDispute, inputs, LetterOptions{}, &doc);
  ASSERT_EQ(doc.identity.size(), 1u);
  EXPECT_EQ(doc.identity[0], "Patient: Maya Rivera");
  EXPECT_EQ(doc.running_head, "Maya Rivera \xC2\xB7 Account SMH-20931-7 \xC2\xB7 Page {page} of {pages}");
  // Values are one line of plain text.
  bill.patient.name = "Maya\nRivera\r";
  bill.account_number = "SMH\n1";
  doc = LetterDocument{};
  IdentifyPatient(LetterKind::kDispute, inputs, LetterOptions{}, &doc);
  EXPECT_EQ(doc.identity[0], "Patient: Maya Rivera");
  EXPECT_EQ(doc.running_head.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace billwise
