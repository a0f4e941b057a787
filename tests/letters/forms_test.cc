// Form tests: the generated financial-assistance application, and filling our own and
// third-party AcroForms (pdf-lib-forms, a fillable CMS-1500) through field maps. Values
// are read back with `qpdf --json`; appearances are checked by rendering with pdftoppm.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/letters/form_fill.h"
#include "pipeline/letters/pdf_writer.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Shell(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  if (status != nullptr) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

bool HaveTool(const char* name) {
  int st = -1;
  Shell(std::string("command -v ") + name, &st);
  return st == 0;
}

using testing::ReadFileBytes;

std::string WriteTemp(const std::string& bytes, const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("billwise_forms_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

fs::path Source(const std::string& rel) { return fs::path(BILLWISE_SOURCE_DIR) / rel; }
fs::path Shared(const std::string& rel) { return fs::path(BILLWISE_SHARED_DIR) / rel; }

Profile UnicodeProfile() {
  Profile p = testing::SampleProfile();
  p.name = "José Núñez-O’Brien";
  p.address = {"1200 Oak Street Apt 4", "Springfield, IL 62704"};
  return p;
}

// Field full name -> {value, appearance state} from `qpdf --json`.
struct ReadBack {
  std::map<std::string, std::string> value;
  std::map<std::string, std::string> state;
  size_t count = 0;
};
ReadBack QpdfFields(const std::string& path) {
  ReadBack r;
  json j = json::parse(Shell("qpdf --json --json-key=acroform '" + path + "'"), nullptr, false);
  if (j.is_discarded()) return r;
  for (const auto& f : j["acroform"]["fields"]) {
    ++r.count;
    std::string name = f.value("fullname", "");
    if (f["value"].is_string()) {
      std::string v = f["value"];
      if (v.rfind("u:", 0) == 0) v = v.substr(2);
      r.value[name] = v;
    }
    if (f.contains("annotation") && f["annotation"].contains("appearancestate") &&
        f["annotation"]["appearancestate"].is_string()) {
      std::string st = f["annotation"]["appearancestate"];
      if (st != "/Off" || !r.state.count(name)) r.state[name] = st;
    }
  }
  return r;
}

// Dark pixels inside a rectangle (points from the page's bottom-left) of page 1 at 72 dpi.
int DarkPixels(const std::string& pdf, double x, double y, double w, double h) {
  int top = static_cast<int>(792 - (y + h)) + 2;
  std::string cmd = "pdftoppm -gray -r 72 -f 1 -l 1 -x " + std::to_string(static_cast<int>(x) + 2) + " -y " +
                    std::to_string(top) + " -W " + std::to_string(static_cast<int>(w) - 4) + " -H " +
                    std::to_string(static_cast<int>(h) - 4) + " '" + pdf + "'";
  std::string pgm = Shell(cmd);
  // P5\n<w> <h>\n255\n<bytes>
  std::istringstream in(pgm);
  std::string magic;
  int pw = 0, ph = 0, maxv = 0;
  in >> magic >> pw >> ph >> maxv;
  in.get();
  if (magic != "P5" || pw <= 0 || ph <= 0) return -1;
  int dark = 0;
  for (int i = 0; i < pw * ph; ++i) {
    int c = in.get();
    if (c == EOF) break;
    if (c < 128) ++dark;
  }
  return dark;
}

class FormsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* tool : {"qpdf", "pdftoppm", "pdftotext", "pdffonts"}) {
      if (!HaveTool(tool)) GTEST_SKIP() << tool << " is not installed";
    }
  }
  Expected<std::string> Fill(const std::string& form_path, const std::string& map_path, const Profile* profile,
                             const Bill* bill, bool flatten, bool allow_blanks = false) {
    form_ = ReadFileBytes(form_path);
    map_ = ReadFileBytes(map_path);
    FillFormRequest r;
    r.form_pdf = form_;
    r.map_yaml = map_;
    r.map_name = map_path;
    r.profile = profile;
    r.bill = bill;
    r.today = Date{2026, 2, 20};
    r.flatten = flatten;
    r.allow_blanks = allow_blanks;
    return FillFormFromMap(r);
  }
  std::string form_, map_;
};

TEST_F(FormsTest, GeneratedApplicationIsUpToDateAndDeterministic) {
  auto a = WriteFormPdf(FinancialAssistanceApplicationSpec(), PdfLetterStyle{});
  ASSERT_TRUE(a.has_value()) << a.error().message;
  auto b = WriteFormPdf(FinancialAssistanceApplicationSpec(), PdfLetterStyle{});
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(*a == *b);
  EXPECT_TRUE(*a == ReadFileBytes(Source("templates/forms/financial_assistance_application.pdf")))
      << "the build writes it: cmake --build build --target assistance_form_file";
  auto fields = ListFormFields(*a);
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(fields->size(), FinancialAssistanceApplicationSpec().fields.size());
  int st = -1;
  Shell("qpdf --check '" + WriteTemp(*a, "blank.pdf") + "'", &st);
  EXPECT_EQ(st, 0);
}

TEST_F(FormsTest, FillsOwnApplicationWithUnicodeAndAppearances) {
  Profile profile = UnicodeProfile();
  Bill bill = testing::ItemizedBill();
  const std::string form = Source("templates/forms/financial_assistance_application.pdf");
  auto pdf = Fill(form, Source("templates/forms/financial_assistance_application.map.yaml"), &profile, &bill, false);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "own_filled.pdf");
  int st = -1;
  Shell("qpdf --check '" + path + "'", &st);
  EXPECT_EQ(st, 0);
  ReadBack rb = QpdfFields(path);
  EXPECT_EQ(rb.value["applicant_name"], "José Núñez-O’Brien");
  EXPECT_EQ(rb.value["date_of_birth"], "03091984");
  EXPECT_EQ(rb.value["zip"], "62704");
  EXPECT_EQ(rb.value["city"], "Springfield");
  EXPECT_EQ(rb.value["account_number"], "SMH-20931-7");
  EXPECT_EQ(rb.value["amount_due"], "$3,216.00");
  EXPECT_EQ(rb.value["insured_no"], "/Yes");
  EXPECT_EQ(rb.state["insured_no"], "/Yes");
  EXPECT_EQ(rb.value["insured_yes"], "/Off");
  std::string fonts = Shell("pdffonts '" + path + "'");
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << fonts;

  // The values are drawn: dark pixels inside the name box and the checked box, none when blank.
  FormSpec spec = FinancialAssistanceApplicationSpec();
  for (const auto& f : spec.fields) {
    if (f.name != "applicant_name" && f.name != "insured_no" && f.name != "insured_yes") continue;
    int blank = DarkPixels(form, f.x, f.y, f.width, f.height);
    int filled = DarkPixels(path, f.x, f.y, f.width, f.height);
    if (f.name == "insured_yes") {
      EXPECT_EQ(filled, blank) << f.name;
    } else {
      EXPECT_EQ(blank, 0) << f.name;
      EXPECT_GT(filled, 5) << f.name;
    }
  }

  auto flat = Fill(form, Source("templates/forms/financial_assistance_application.map.yaml"), &profile, &bill, true);
  ASSERT_TRUE(flat.has_value()) << flat.error().message;
  std::string flat_path = WriteTemp(*flat, "own_flat.pdf");
  Shell("qpdf --check '" + flat_path + "'", &st);
  EXPECT_EQ(st, 0);
  EXPECT_EQ(QpdfFields(flat_path).count, 0u);
  std::string text = Shell("pdftotext '" + flat_path + "' -");
  EXPECT_NE(text.find("José Núñez-O’Brien"), std::string::npos) << text;
  EXPECT_NE(text.find("SMH-20931-7"), std::string::npos);
  for (const auto& f : spec.fields) {
    if (f.name == "applicant_name") {
      EXPECT_GT(DarkPixels(flat_path, f.x, f.y, f.width, f.height), 5);
    }
  }
}

TEST_F(FormsTest, MissingValuesAreListedOrLeftBlank) {
  Profile empty;
  const std::string form = Source("templates/forms/financial_assistance_application.pdf");
  const std::string map = Source("templates/forms/financial_assistance_application.map.yaml");
  auto r = Fill(form, map, &empty, nullptr, false);
  ASSERT_FALSE(r.has_value());
  for (const char* key : {"profile.name", "profile.address", "profile.household_size", "bill.account_number"}) {
    EXPECT_NE(r.error().message.find(key), std::string::npos) << key << ": " << r.error().message;
  }
  auto blanks = Fill(form, map, &empty, nullptr, false, true);
  ASSERT_TRUE(blanks.has_value()) << blanks.error().message;
}

TEST_F(FormsTest, BadMapsAreReported) {
  EXPECT_FALSE(ParseFormMap("fields: [1, 2]", "m").has_value());
  EXPECT_FALSE(ParseFormMap("fields:\n  a: {value: x, on_wehn: y}\n", "m").has_value());
  EXPECT_FALSE(ParseFormMap("feilds:\n  a: x\n", "m").has_value());
  auto ok = ParseFormMap("fields:\n  a: \"{{profile.name}}\"\n  b: {value: x, on_when: [y, z], state: S}\n", "m");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ((*ok)[1].on_when.size(), 2u);
  auto form = WriteFormPdf(FinancialAssistanceApplicationSpec(), PdfLetterStyle{});
  ASSERT_TRUE(form.has_value());
  auto unknown = FillFormPdf(*form, {{"no_such_field", "x"}}, FormFillOptions{});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("no_such_field"), std::string::npos);
}

TEST_F(FormsTest, PdfLibSampleFormCheckboxesAndRadio) {
  fs::path form = Shared("corpus/pdf-lib-forms/sample_form.pdf");
  if (!fs::exists(form)) GTEST_SKIP() << "shared corpus absent";
  Profile profile = testing::SampleProfile();
  auto pdf = Fill(form, Source("tests/letters/fixtures/sample_form.map.yaml"), &profile, nullptr, false);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "sample_form.pdf");
  int st = -1;
  Shell("qpdf --check '" + path + "'", &st);
  EXPECT_EQ(st, 0);
  ReadBack rb = QpdfFields(path);
  EXPECT_EQ(rb.value["Name_First"], "Jordan");
  EXPECT_EQ(rb.value["Name_Middle"], "A.");
  EXPECT_EQ(rb.value["Name_Last"], "Rivera");
  EXPECT_EQ(rb.value["STATE"], "IL");
  EXPECT_EQ(rb.value["HIGH SCHOOL DIPLOMA"], "/On");  // its real on-state, not /Yes
  EXPECT_EQ(rb.state["HIGH SCHOOL DIPLOMA"], "/On");
  EXPECT_EQ(rb.value["COLLEGE NO DEGREE"], "/Off");
  EXPECT_EQ(rb.value["PHD"], "/Off");
  EXPECT_EQ(rb.value["Sex"], "/FEMALE");
  EXPECT_EQ(rb.state["Sex"], "/FEMALE");

  auto flat = Fill(form, Source("tests/letters/fixtures/sample_form.map.yaml"), &profile, nullptr, true);
  ASSERT_TRUE(flat.has_value()) << flat.error().message;
  std::string flat_path = WriteTemp(*flat, "sample_form_flat.pdf");
  Shell("qpdf --check '" + flat_path + "'", &st);
  EXPECT_EQ(st, 0);
  std::string text = Shell("pdftotext '" + flat_path + "' -");
  EXPECT_NE(text.find("Jordan"), std::string::npos);
  EXPECT_NE(text.find("Springfield"), std::string::npos);
  EXPECT_EQ(text.find("Timbuktu"), std::string::npos);  // the old value is gone
}

TEST_F(FormsTest, PdfLibFancyFieldsUnicodeNamesRadioByLabelAndChoices) {
  fs::path form = Shared("corpus/pdf-lib-forms/fancy_fields.pdf");
  if (!fs::exists(form)) GTEST_SKIP() << "shared corpus absent";
  Profile profile = testing::SampleProfile();
  auto pdf = Fill(form, Source("tests/letters/fixtures/fancy_fields.map.yaml"), &profile, nullptr, false);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "fancy.pdf");
  ReadBack rb = QpdfFields(path);
  EXPECT_EQ(rb.value["First Name 🚀"], "Jordan");
  EXPECT_EQ(rb.value["Are You A Fairy? 🌿"], "/Off");
  EXPECT_EQ(rb.value["Is Your Power Level Over 9000? 💪"], "/Yes");
  EXPECT_EQ(rb.value["Historical Figures 🐺"], "/2");
  EXPECT_EQ(rb.value["Which Are Planets? 🌎"], "Earth");
  EXPECT_EQ(rb.value["Choose A Gundam 🤖"], "Exia");
  int st = -1;
  Shell("qpdf --check '" + path + "'", &st);
  EXPECT_EQ(st, 0);
}

TEST_F(FormsTest, CombFieldsInHierarchicalXfaStyleForm) {
  fs::path form = Shared("corpus/pdf-lib-forms/with_combed_fields.pdf");
  if (!fs::exists(form)) GTEST_SKIP() << "shared corpus absent";
  auto fields = ListFormFields(ReadFileBytes(form));
  ASSERT_TRUE(fields.has_value());
  const std::string from = "form1[0].Page1[0].BeforeYouBegin[0].Period[0].FromToDates_Comb_Adv_EN[0].FromDate[0]";
  bool comb = false;
  for (const auto& f : *fields) {
    if (f.name == from) comb = f.comb && f.max_len == 8;
  }
  EXPECT_TRUE(comb) << "comb flag and /MaxLen 8 not inherited";
  Profile profile = testing::SampleProfile();
  auto pdf = Fill(form, Source("tests/letters/fixtures/with_combed_fields.map.yaml"), &profile, nullptr, false);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "combed.pdf");
  ReadBack rb = QpdfFields(path);
  EXPECT_EQ(rb.value[from], "03091984");
  int st = -1;
  Shell("qpdf --check '" + path + "'", &st);
  EXPECT_EQ(st, 0);
  EXPECT_EQ(Shell("qpdf --json --json-key=acroform '" + path + "'").find("XFA"), std::string::npos);
  // Too long for its cells is an error, not a silent cut.
  auto too_long = FillFormPdf(ReadFileBytes(form), {{from, "123456789"}}, FormFillOptions{});
  EXPECT_FALSE(too_long.has_value());
}

TEST_F(FormsTest, Cms1500PatientBoxes) {
  fs::path form = Shared("corpus/cms1500-fillable/form-cms1500.pdf");
  if (!fs::exists(form)) GTEST_SKIP() << "shared corpus absent";
  Profile profile = testing::SampleProfile();
  auto pdf = Fill(form, Source("tests/letters/fixtures/cms1500.map.yaml"), &profile, nullptr, false);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  std::string path = WriteTemp(*pdf, "cms1500.pdf");
  int st = -1;
  Shell("qpdf --check '" + path + "'", &st);
  EXPECT_EQ(st, 0);
  ReadBack rb = QpdfFields(path);
  EXPECT_EQ(rb.value["pt_name"], "Rivera, Jordan");
  EXPECT_EQ(rb.value["birth_mm"], "03");
  EXPECT_EQ(rb.value["birth_dd"], "09");
  EXPECT_EQ(rb.value["birth_yy"], "1984");
  EXPECT_EQ(rb.value["sex"], "/F");
  EXPECT_EQ(rb.value["rel_to_ins"], "/S");
  EXPECT_EQ(rb.value["pt_AreaCode"], "217");
  EXPECT_EQ(rb.value["pt_phone"], "555-0142");
  auto flat = Fill(form, Source("tests/letters/fixtures/cms1500.map.yaml"), &profile, nullptr, true);
  ASSERT_TRUE(flat.has_value()) << flat.error().message;
  std::string flat_path = WriteTemp(*flat, "cms1500_flat.pdf");
  Shell("qpdf --check '" + flat_path + "'", &st);
  EXPECT_EQ(st, 0);
  std::string text = Shell("pdftotext '" + flat_path + "' -");
  EXPECT_NE(text.find("Rivera, Jordan"), std::string::npos);
}

}  // namespace
}  // namespace billwise
