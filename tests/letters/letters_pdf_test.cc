// PDF tests of the letters: every kind in en and es is a valid PDF (qpdf --check) with
// only embedded fonts (pdffonts), extractable text naming the account and amounts with no
// unfilled placeholder (pdftotext), the sender and recipient inside the #10 envelope
// windows (pdftotext -bbox), byte-identical output for identical input, and a golden file
// per kind (regenerate with BILLWISE_UPDATE_GOLDEN=1).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/letters/markup.h"
#include "pipeline/letters/pdf_writer.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using CommandResult = testing::ShellResult;
using testing::Shell;

bool HaveTool(const char* name) { return Shell(std::string("command -v ") + name).status == 0; }

std::string WriteTemp(const std::string& bytes, const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("billwise_letters_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

using testing::ReadFileBytes;

struct Sample {
  Bill bill;
  bool has_bill = true;
  Profile profile = testing::SampleProfile();
  LetterInputs inputs;
  LetterOptions options;
  std::string account;
  std::vector<std::string> amounts;  // must appear in the extracted text
  std::string recipient_first_line;
};

// The bill each kind is tested on: a summary bill for itemized, a collection notice for
// validation, no bill (only an estimate) for gfe-request, an EOB with a denied line for
// appeal, an itemized bill otherwise.
std::unique_ptr<Sample> MakeSample(LetterKind kind, const std::string& lang) {
  auto s = std::make_unique<Sample>();
  s->options.language = lang;
  s->options.data_dir = BILLWISE_SOURCE_DIR;
  s->inputs.today = Date{2026, 2, 20};
  switch (kind) {
    case LetterKind::kItemized:
      s->bill = testing::SummaryBill();
      s->amounts = {"$1,845.00"};
      s->recipient_first_line = "Lakeside Imaging Center";
      break;
    case LetterKind::kValidation:
      s->bill = testing::CollectionNotice();
      s->amounts = {};
      s->recipient_first_line = "Midstate Recovery Services, LLC";
      break;
    case LetterKind::kGfeRequest: {
      s->has_bill = false;
      auto est = ParseEstimateJson(
          R"({"services":[{"code":"70553","quantity":1,"fair_range":{"low":364.5,"high":546.75}}],)"
          R"("total_fair_range":{"low":364.5,"high":546.75}})");
      s->inputs.estimate = *est;
      s->options.recipient_name = "Northside Imaging Associates";
      s->options.recipient_address = {"200 North Avenue, Suite 3", "Springfield, IL 62702"};
      s->amounts = {"$364.50", "$546.75"};
      s->recipient_first_line = "Northside Imaging Associates";
      break;
    }
    case LetterKind::kAppeal:
      s->bill = testing::EobWithDenial();
      s->profile.insurer = "Pinecrest Mutual Health Plan";
      // The plan's appeals address is not read from the EOB; the patient gives it.
      s->options.recipient_address = {"Appeals Unit", "PO Box 90811", "Dunmore Heights, PA 18512"};
      s->amounts = {"$78.23", "$42.00"};
      s->recipient_first_line = "Pinecrest Mutual Health Plan";
      break;
    default:
      s->bill = testing::ItemizedBill();
      s->recipient_first_line = "Saint Mercy Hospital";
      break;
  }
  if (kind == LetterKind::kDispute) s->amounts = {"$98.00", "$250.00", "$348.00"};
  if (kind == LetterKind::kLumpSum) s->amounts = {"$720.33", "$3,216.00"};
  if (kind == LetterKind::kPaymentPlan) s->amounts = {"$150.00", "$66.00", "$3,216.00"};
  if (kind == LetterKind::kAssistance) s->amounts = {"$3,216.00"};
  if (kind == LetterKind::kGfeDispute) s->amounts = {"$2,500.00", "$3,216.00", "$716.00"};
  s->inputs.good_faith_estimate = Money::FromDollars(2500);
  s->inputs.bill = s->has_bill ? &s->bill : nullptr;
  s->inputs.profile = &s->profile;
  s->account = s->has_bill ? s->bill.account_number.value_or("") : "";
  return s;
}

struct WordBox {
  double x0, y0, x1, y1;
  std::string text;
};

// Words of page 1 from `pdftotext -bbox` (points from the top-left corner).
std::vector<WordBox> Words(const std::string& pdf_path) {
  CommandResult r = Shell("pdftotext -bbox -f 1 -l 1 '" + pdf_path + "' -");
  std::vector<WordBox> out;
  std::regex re(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back(WordBox{std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]),
                          (*it)[5]});
  }
  return out;
}

std::string XmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

// Each word of `line` is found in order on page 1 and lies inside `box`.
void ExpectLineInWindow(const std::vector<WordBox>& words, const std::string& line, const InchBox& box) {
  std::istringstream in(line);
  std::string word;
  const double left = box.left * 72, top = box.top * 72, right = left + box.width * 72, bottom = top + box.height * 72;
  while (in >> word) {
    std::string want = XmlEscape(word);
    bool found = false;
    for (const auto& w : words) {
      if (w.text != want) continue;
      if (w.x0 >= left && w.x1 <= right && w.y0 >= top && w.y1 <= bottom) found = true;
    }
    EXPECT_TRUE(found) << "'" << word << "' of '" << line << "' is not inside the window box";
  }
}

class LetterPdfTest : public ::testing::TestWithParam<std::tuple<LetterKind, std::string>> {
 protected:
  void SetUp() override {
    for (const char* tool : {"qpdf", "pdffonts", "pdftotext"}) {
      if (!HaveTool(tool)) GTEST_SKIP() << tool << " is not installed";
    }
  }
};

TEST_P(LetterPdfTest, MailReadyPdf) {
  auto [kind, lang] = GetParam();
  auto sample = MakeSample(kind, lang);
  auto pdf = RenderLetterPdf(kind, sample->inputs, sample->options);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string name = std::string(LetterKindName(kind)) + "." + lang + ".pdf";
  std::string path = WriteTemp(*pdf, name);

  CommandResult check = Shell("qpdf --check '" + path + "'");
  EXPECT_EQ(check.status, 0) << check.out;

  CommandResult fonts = Shell("pdffonts '" + path + "'");
  ASSERT_EQ(fonts.status, 0);
  std::istringstream fl(fonts.out);
  std::string row;
  int font_rows = 0;
  for (int i = 0; std::getline(fl, row); ++i) {
    if (i < 2 || row.empty()) continue;
    ++font_rows;
    EXPECT_NE(row.find(" yes yes yes "), std::string::npos) << "not embedded/subset/unicode: " << row;
  }
  EXPECT_GE(font_rows, 1);

  CommandResult text = Shell("pdftotext -layout '" + path + "' -");
  ASSERT_EQ(text.status, 0);
  EXPECT_EQ(text.out.find("{{"), std::string::npos);
  EXPECT_EQ(text.out.find("________"), std::string::npos);
  if (!sample->account.empty()) {
    EXPECT_NE(text.out.find(sample->account), std::string::npos) << text.out;
  }
  for (const auto& a : sample->amounts) EXPECT_NE(text.out.find(a), std::string::npos) << a << "\n" << text.out;
  EXPECT_NE(text.out.find(lang == "es" ? "Página 1 de" : "Page 1 of"), std::string::npos);
  EXPECT_NE(text.out.find(lang == "es" ? "Atentamente" : "Sincerely"), std::string::npos);

  std::vector<WordBox> words = Words(path);
  ExpectLineInWindow(words, sample->recipient_first_line, kRecipientWindow);
  ExpectLineInWindow(words, "Springfield, IL 62704", kSenderWindow);  // last sender line
  ExpectLineInWindow(words, "Jordan A. Rivera", kSenderWindow);

  // Same input, same bytes.
  auto again = RenderLetterPdf(kind, sample->inputs, sample->options);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(*again == *pdf) << "output is not deterministic";

  fs::path golden = fs::path(BILLWISE_SOURCE_DIR) / "tests" / "letters" / "golden" / name;
  const char* update = std::getenv("BILLWISE_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << *pdf;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing (run with BILLWISE_UPDATE_GOLDEN=1)";
  EXPECT_TRUE(ReadFileBytes(golden) == *pdf) << "differs from " << golden
                                        << " (inspect, then regenerate with BILLWISE_UPDATE_GOLDEN=1)";
}

INSTANTIATE_TEST_SUITE_P(All, LetterPdfTest,
                         ::testing::Combine(::testing::ValuesIn(AllLetterKinds()), ::testing::Values("en", "es")),
                         [](const auto& info) {
                           std::string n = LetterKindName(std::get<0>(info.param));
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n + "_" + std::get<1>(info.param);
                         });

TEST(LetterPdfLayoutTest, LongAddressesShrinkToFitTheWindow) {
  if (!HaveTool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  LetterDocument doc;
  doc.sender = {"Maria de los Ángeles Fernández-Ó’Connor", "12345 Northwest Extraordinarily Long Boulevard Apt 1200",
                "Unit B, Building C", "Albuquerque, NM 87120-1234"};
  doc.recipient = {"University Medical Center Patient Financial Services", "Attention: Billing Disputes Department",
                   "1000 Very Long Hospital Campus Drive, Suite 400", "Floor 4", "Springfield, IL 62702-1234"};
  doc.re = "RE: Test";
  doc.body.push_back(LetterBlock{LetterBlock::Kind::kParagraph, "Body.", false, {}});
  auto pdf = WriteLetterPdf(doc, PdfLetterStyle{});
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "long.pdf");
  auto words = Words(path);
  for (const auto& l : doc.recipient) ExpectLineInWindow(words, l, kRecipientWindow);
  ExpectLineInWindow(words, "Albuquerque, NM 87120-1234", kSenderWindow);
  CommandResult text = Shell("pdftotext '" + path + "' -");
  EXPECT_NE(text.out.find("Fernández-Ó’Connor"), std::string::npos) << text.out;
}

TEST(LetterPdfLayoutTest, LongLettersPaginateWithPageNofM) {
  if (!HaveTool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  LetterDocument doc;
  doc.sender = {"A. Patient", "1 Main St", "Town, ST 00000"};
  doc.recipient = {"Provider", "2 Main St", "Town, ST 00000"};
  LetterBlock table{LetterBlock::Kind::kTable, "", false, {{"Line", "Code", "Amount", "Rule"}}};
  for (int i = 0; i < 120; ++i) {
    table.rows.push_back({std::to_string(i + 1), "99213", "$1" + std::to_string(i) + ".00",
                          "A rule text long enough that it must wrap inside its narrow table column, line " +
                              std::to_string(i)});
  }
  doc.body.push_back(table);
  doc.closing = "Sincerely,";
  doc.signer = {"A. Patient"};
  auto pdf = WriteLetterPdf(doc, PdfLetterStyle{});
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "long_table.pdf");
  CommandResult info = Shell("pdfinfo '" + path + "'");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info.out, m, std::regex(R"(Pages:\s+(\d+))")));
  int pages = std::stoi(m[1]);
  EXPECT_GE(pages, 3);
  CommandResult text = Shell("pdftotext '" + path + "' -");
  EXPECT_NE(text.out.find("Page " + std::to_string(pages) + " of " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.out.find("line 119"), std::string::npos);
}

TEST(LetterPdfLayoutTest, MissingFontIsAClearError) {
  LetterDocument doc;
  PdfLetterStyle style;
  style.regular_font = "/nonexistent/font.ttf";
  auto pdf = WriteLetterPdf(doc, style);
  ASSERT_FALSE(pdf.has_value());
  EXPECT_EQ(pdf.error().code, ErrorCode::kMissingDependency);
}

}  // namespace
}  // namespace billwise
