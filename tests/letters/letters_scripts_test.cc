// Letters carry every script a profile can hold, and values are text, never markup:
//  - names and addresses in Greek, Cyrillic, Hebrew, Arabic, Chinese, Japanese and Korean
//    print with embedded fonts and read back with pdftotext (Arabic joined, right to left);
//  - a character that no letter font has fails the letter naming it (U+XXXX), never a blank;
//  - a newline, bar, star, brace or leading @ # - in a profile or bill value neither adds
//    a line, a heading, a table cell nor a directive, and prints as written;
//  - rendering time grows linearly with the length of a value.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "pipeline/letters/bidi_text.h"
#include "pipeline/letters/letters.h"
#include "pipeline/letters/markup.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

LetterOptions Options() {
  LetterOptions o;
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

// The letter's text as pdftotext reads it (raw order: one line per drawn line).
std::string PdfText(const std::string& pdf, const std::string& name) {
  testing::TempDir dir;
  std::string path = dir / name;
  testing::WriteFileBytes(path, pdf);
  return testing::Shell("pdftotext -raw '" + path + "' -").out;
}

bool HaveTools() { return testing::HaveCommand("pdftotext") && testing::HaveCommand("pdffonts"); }

TEST(LetterScriptsTest, EveryScriptPrintsAndReadsBack) {
  if (!HaveTools()) GTEST_SKIP() << "poppler-utils is not installed";
  Bill bill = testing::ItemizedBill();
  bill.provider.name = "Больница Святой Марии";          // Cyrillic
  bill.provider.address = {"Οδός Ερμού 12", "Αθήνα 105 63"};  // Greek
  Profile profile = testing::SampleProfile();
  profile.name = "محمد أحمد";                         // Arabic
  profile.address = {"רחוב הרצל 5",                  // Hebrew
                     "北京市朝阳区 王小明",             // Chinese
                     "東京都 さくら 山田", "서울 김민준"};  // Japanese, Korean
  auto pdf = RenderLetterPdf(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string text = PdfText(*pdf, "scripts.pdf");
  for (const char* want : {"Больница Святой Марии", "Οδός Ερμού 12", "Αθήνα", "北京市朝阳区", "王小明", "東京都",
                           "さくら", "山田", "서울", "김민준", "SMH-20931-7"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  // Right-to-left words read back letter by letter in reading order (pdftotext keeps the
  // words in the order they stand on the line, right to left); Arabic letters are drawn in
  // their joined forms (Arabic Presentation Forms), never as isolated letters.
  for (const char* want : {"רחוב", "הרצל", "محمد", "أحمد"}) {
    EXPECT_NE(text.find(ShapeArabic(want)), std::string::npos) << want << "\n" << text;
  }
  EXPECT_NE(ShapeArabic("محمد"), "محمد");
  EXPECT_EQ(text.find("محمد"), std::string::npos) << "Arabic drawn unjoined (isolated letters)";
  // The line "רחוב הרצל 5" stands right to left: the number ends up on the left.
  size_t at = text.find("הרצל");
  ASSERT_NE(at, std::string::npos);
  size_t line_start = text.rfind('\n', at) + 1;
  EXPECT_EQ(text.substr(line_start, 2), "5 ") << text;

  testing::TempDir dir;
  std::string path = dir / "scripts.pdf";
  testing::WriteFileBytes(path, *pdf);
  testing::ShellResult fonts = testing::Shell("pdffonts '" + path + "'");
  ASSERT_EQ(fonts.status, 0);
  EXPECT_NE(fonts.out.find("DejaVuSans"), std::string::npos) << fonts.out;
  EXPECT_NE(fonts.out.find("DroidSansFallback"), std::string::npos) << fonts.out;
  std::istringstream rows(fonts.out);
  std::string row;
  for (int i = 0; std::getline(rows, row); ++i) {
    if (i < 2 || row.empty()) continue;
    EXPECT_NE(row.find(" yes yes yes "), std::string::npos) << row;
  }
}

TEST(LetterScriptsTest, ArabicIsShapedAndOrderedRightToLeft) {
  // lam + alef is one ligature; beh at the start of a word takes its initial form.
  EXPECT_EQ(ShapeArabic("\u0644\u0627"), "\uFEFB");
  EXPECT_EQ(DecodeUtf8(ShapeArabic("\u0628\u0628"))[0], U'\uFE91');
  EXPECT_EQ(VisualOrder("abc \u05D0\u05D1\u05D2 def"), "abc \u05D2\u05D1\u05D0 def");
  EXPECT_EQ(VisualOrder("plain (text)"), "plain (text)");
}

TEST(LetterScriptsTest, CharacterWithoutAFontIsAnErrorNamingIt) {
  Bill bill = testing::ItemizedBill();
  Profile profile = testing::SampleProfile();
  profile.name = "Jordan \xF0\x9F\x98\x80 Rivera";  // U+1F600 GRINNING FACE
  auto pdf = RenderLetterPdf(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_FALSE(pdf.has_value());
  EXPECT_EQ(pdf.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(pdf.error().message.find("U+1F600"), std::string::npos) << pdf.error().message;
  EXPECT_NE(pdf.error().message.find("sender block"), std::string::npos) << pdf.error().message;

  profile.name = "Jordan \xEA\xA6\x84 Rivera";  // U+A984 JAVANESE LETTER A: in no letter font
  pdf = RenderLetterPdf(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_FALSE(pdf.has_value());
  EXPECT_NE(pdf.error().message.find("U+A984"), std::string::npos) << pdf.error().message;
}

TEST(LetterMarkupEscapeTest, EscapedValuesParseBackToThemselves) {
  for (const char* value : {"# Heading", "@recipient", "- item", "| a | b |", "**bold**", "a \\ b", "{{x}} {page}",
                            "plain", "  -leading space", "x|y*z#"}) {
    std::string markup = "@re " + EscapeMarkupText(value) + "\n\n" + EscapeMarkupText(value) + "\n\n| h | " +
                         EscapeMarkupText(value) + " |\n";
    LetterDocument doc = ParseLetterMarkup(markup);
    std::string trimmed = value;
    trimmed.erase(0, trimmed.find_first_not_of(' '));
    EXPECT_EQ(doc.re, trimmed) << value;
    ASSERT_EQ(doc.body.size(), 2u) << value;
    EXPECT_EQ(doc.body[0].kind, LetterBlock::Kind::kParagraph) << value;
    EXPECT_FALSE(doc.body[0].bold) << value;
    EXPECT_EQ(doc.body[0].text, trimmed) << value;
    ASSERT_EQ(doc.body[1].rows.size(), 1u) << value;
    ASSERT_EQ(doc.body[1].rows[0].size(), 2u) << value;
    EXPECT_EQ(doc.body[1].rows[0][1], trimmed) << value;
  }
  EXPECT_EQ(EscapeMarkupText("a\nb\r\nc\td"), "a b  c d");
  EXPECT_EQ(EscapeMarkupText("x\xE2\x80\xAEy"), "xy");       // U+202E RIGHT-TO-LEFT OVERRIDE dropped
  EXPECT_EQ(EscapeMarkupText("x\xFFy"), "x\xEF\xBF\xBDy");  // invalid UTF-8 -> U+FFFD
  EXPECT_EQ(EscapeMarkupLines({"1 Main St", "  ", "", "# 2"}), "1 Main St\n\\# 2");
}

TEST(LetterMarkupEscapeTest, NewlineInAProfileNameAddsNoHeadingOrRecipientLine) {
  Bill bill = testing::ItemizedBill();
  Profile plain = testing::SampleProfile();
  Profile hostile = plain;
  hostile.name = "Jordan\n\n# Injected heading\n@recipient\nEvil Corp\n- bullet | cell";
  hostile.address.push_back("\n@re Injected subject");
  for (LetterKind kind : {LetterKind::kDispute, LetterKind::kLumpSum}) {
    auto base = RenderLetterText(kind, Inputs(&bill, &plain), Options());
    auto text = RenderLetterText(kind, Inputs(&bill, &hostile), Options());
    ASSERT_TRUE(base.has_value() && text.has_value());
    LetterDocument want = ParseLetterMarkup(*base);
    LetterDocument got = ParseLetterMarkup(*text);
    EXPECT_EQ(got.recipient, want.recipient);
    EXPECT_EQ(got.re, want.re);
    ASSERT_EQ(got.body.size(), want.body.size());
    for (size_t i = 0; i < got.body.size(); ++i) {
      EXPECT_EQ(got.body[i].kind, want.body[i].kind) << i;
      EXPECT_EQ(got.body[i].rows.size(), want.body[i].rows.size()) << i;
    }
    ASSERT_EQ(got.sender.size(), want.sender.size() + 1);  // the one extra address line
    EXPECT_EQ(got.sender[0], "Jordan  # Injected heading @recipient Evil Corp - bullet | cell");
    EXPECT_EQ(got.sender.back(), "@re Injected subject");
  }
}

TEST(LetterMarkupEscapeTest, BarsInBillValuesStayInTheirTableCell) {
  Bill bill = testing::ItemizedBill();
  bill.findings[0].rule = "Rule | with | bars";
  bill.line_items[3].code = "85025|X";  // the duplicate pair: the table's Code cell
  bill.line_items[4].code = "85025|X";
  Profile profile = testing::SampleProfile();
  auto text = RenderLetterText(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  ASSERT_TRUE(text.has_value());
  LetterDocument doc = ParseLetterMarkup(*text);
  bool found = false;
  for (const auto& block : doc.body) {
    if (block.kind != LetterBlock::Kind::kTable) continue;
    for (const auto& row : block.rows) {
      EXPECT_EQ(row.size(), block.rows[0].size());
      for (const auto& cell : row) found = found || cell == "85025|X";
    }
  }
  EXPECT_TRUE(found) << *text;
}

// Seconds to render the dispute letter PDF with a provider name of `n` characters.
double SecondsFor(size_t n) {
  Bill bill = testing::ItemizedBill();
  std::string name;
  while (name.size() < n) name += "Saint Mercy Hospital Of The Long Name ";
  name.resize(n);
  bill.provider.name = name;
  Profile profile = testing::SampleProfile();
  profile.name = std::string(n, 'x');  // one long word: broken between characters
  auto start = std::chrono::steady_clock::now();
  auto pdf = RenderLetterPdf(LetterKind::kDispute, Inputs(&bill, &profile), Options());
  EXPECT_TRUE(pdf.has_value());
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(LetterScriptsTest, RenderingTimeIsLinearInTheLengthOfAValue) {
  SecondsFor(1000);  // warm-up: fonts, templates
  double small = SecondsFor(10000);
  double large = SecondsFor(100000);
  // Quadratic work would take 100 times as long for 10 times the text; allow noise.
  EXPECT_LT(large, 30 * small + 0.5) << small << " s for 10 k characters, " << large << " s for 100 k";
  EXPECT_LT(large, 60.0);
}

}  // namespace
}  // namespace billwise
