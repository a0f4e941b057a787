// The PDF module boundary (pipeline/letters/pdf_backend.h): the billwise executable links no
// PoDoFo and loads billwise-pdf.so only to write letters and forms or read forms; the module
// exports one entry point, refuses another ABI, and a missing, broken or foreign module is a
// one-line error that does not stop bills from being analyzed.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "pipeline/letters/pdf_backend.h"
#include "pipeline/report/bill_json.h"
#include "tests/letters/sample_bills.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = BILLWISE_BINARY;
const std::string kModule = BILLWISE_PDF_MODULE;
const std::string kOcrModule = BILLWISE_OCR_MODULE;
const std::string kForm =
    std::string(BILLWISE_SOURCE_DIR) + "/templates/forms/financial_assistance_application.pdf";
const std::string kDigital = std::string(BILLWISE_SOURCE_DIR) + "/samples/generated/physician_office.pdf";

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
         (text.empty() || text.back() == '\n' ? 0 : 1);
}

// A scratch folder with a bill JSON and a profile; `binary_dir` holds a copy of the
// executable, away from the modules built beside the original.
class PdfModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/billwise_pdf_module_XXXXXX";
    const char* d = mkdtemp(tmpl);
    ASSERT_NE(d, nullptr);
    dir_ = d;
    std::ofstream(dir_ + "/bill.json") << BillToJson(testing::ItemizedBill());
    std::ofstream(dir_ + "/profile.yaml")
        << "name: Jordan A. Rivera\naddress:\n  - 1200 Oak Street Apt 4\n  - Springfield, IL 62704\n"
           "phone: 217-555-0142\ndate_of_birth: 1984-03-09\nhousehold_size: 3\nannual_income: 41000\n"
           "state: IL\ninsured: no\nlanguage: en\nmonthly_budget: 150\nlump_sum_available: 900\n";
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  std::string CopyBinary(const std::string& sub) const { return testing::CopyInto(kBinary, dir_ + "/" + sub); }
  // One letter (one line of output either way), without touching the user's case file.
  std::string Letter(const std::string& binary, const std::string& out) const {
    return "SOURCE_DATE_EPOCH=1771545600 '" + binary + "' --no-store letters " + dir_ + "/bill.json --kind dispute" +
           " --profile " + dir_ + "/profile.yaml --out " + dir_ + "/" + out;
  }
  std::string List(const std::string& binary) const { return "'" + binary + "' fill-form --list '" + kForm + "'"; }
  std::string dir_;
};

TEST_F(PdfModuleTest, ExecutableLinksNoPodofoAndTheModuleDoes) {
  if (!testing::HaveCommand("ldd")) GTEST_SKIP() << "ldd not installed";
  const testing::ShellResult exe = testing::Shell("ldd " + kBinary);
  ASSERT_EQ(exe.status, 0) << exe.out;
  for (const char* lib : {"libpodofo", "libidn.", "libunistring"}) {
    EXPECT_EQ(exe.out.find(lib), std::string::npos) << lib << " in\n" << exe.out;
  }
  const testing::ShellResult module = testing::Shell("ldd " + kModule);
  ASSERT_EQ(module.status, 0) << module.out;
  EXPECT_NE(module.out.find("libpodofo"), std::string::npos) << module.out;
  // No PoDoFo code linked into the executable some other way either.
  const testing::ShellResult symbols = testing::Shell("nm -C " + kBinary + " | grep -ci podofo");
  EXPECT_EQ(symbols.out, "0\n") << symbols.out;
}

TEST_F(PdfModuleTest, ExportsOneEntryPointThatChecksTheAbi) {
  void* handle = dlopen(kModule.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto entry = reinterpret_cast<PdfModuleEntry>(dlsym(handle, kPdfModuleSymbol));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry(kPdfBackendAbi + 1), nullptr);
  const PdfBackend* backend = entry(kPdfBackendAbi);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(entry(kPdfBackendAbi), backend);
  // Nothing else of billwise is visible.
  EXPECT_EQ(dlsym(handle, "_ZN8billwise16PodofoPdfBackendEv"), nullptr);
  // The backend works across the boundary: fields read, errors and PDFs come back here.
  auto fields = backend->ListFormFields(testing::ReadFileBytes(kForm));
  ASSERT_TRUE(fields.has_value()) << fields.error().message;
  EXPECT_GT(fields->size(), 10u);
  EXPECT_TRUE(std::any_of(fields->begin(), fields->end(), [](const FormFieldInfo& f) {
    return f.name == "date_of_birth" && f.type == FormFieldType::kText && f.comb;
  }));
  auto unknown = backend->FillForm(testing::ReadFileBytes(kForm), {{"no_such_field", "x"}}, FormFillOptions{});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUsage);
  EXPECT_NE(unknown.error().message.find("no_such_field"), std::string::npos) << unknown.error().message;
  auto not_pdf = backend->ListFormFields("not a PDF");
  ASSERT_FALSE(not_pdf.has_value());
  LetterDocument letter;
  letter.sender = {"Jordan A. Rivera"};
  letter.recipient = {"Billing Office"};
  letter.re = "Account 1";
  letter.body.push_back(LetterBlock{LetterBlock::Kind::kParagraph, "Please send an itemized bill.", false, {}});
  auto pdf = backend->WriteLetter(letter, PdfLetterStyle{});
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
}

TEST_F(PdfModuleTest, LettersAndFormsThroughTheBuildTreeModule) {
  const testing::ShellResult letter = testing::Shell(Letter(kBinary, "out"));
  ASSERT_EQ(letter.status, 0) << letter.out;
  const std::string pdf = testing::ReadFileBytes(dir_ + "/out/dispute.pdf");
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const testing::ShellResult list = testing::Shell(List(kBinary));
  ASSERT_EQ(list.status, 0) << list.out;
  EXPECT_NE(list.out.find("date_of_birth\ttext comb=8"), std::string::npos) << list.out;
}

TEST_F(PdfModuleTest, MissingModuleFailsOnlyWhenAPdfIsWrittenOrAFormRead) {
  const std::string binary = CopyBinary("bin");
  // Analyzing needs no PDF writing.
  const testing::ShellResult analyze = testing::Shell("'" + binary + "' analyze " + kDigital + " --format json --no-store");
  EXPECT_EQ(analyze.status, 0) << analyze.out.substr(0, 600);
  const testing::ShellResult letter = testing::Shell(Letter(binary, "out"));
  EXPECT_EQ(letter.status, 2) << letter.out;  // an error exit, not a crash
  EXPECT_EQ(Lines(letter.out), 1) << letter.out;
  EXPECT_EQ(letter.out.rfind("billwise ", 0), 0u) << letter.out;
  EXPECT_NE(letter.out.find("PDF module is not installed"), std::string::npos) << letter.out;
  EXPECT_NE(letter.out.find(dir_ + "/bin/billwise-pdf.so"), std::string::npos) << letter.out;
  EXPECT_FALSE(fs::exists(dir_ + "/out/dispute.pdf"));
  const testing::ShellResult list = testing::Shell(List(binary));
  EXPECT_EQ(list.status, 2) << list.out;
  EXPECT_EQ(Lines(list.out), 1) << list.out;
  EXPECT_EQ(list.out.rfind("billwise fill-form: ", 0), 0u) << list.out;
  EXPECT_NE(list.out.find("PDF module is not installed"), std::string::npos) << list.out;
}

TEST_F(PdfModuleTest, BrokenModuleIsAClearError) {
  const std::string binary = CopyBinary("bin");
  std::ofstream(dir_ + "/bin/billwise-pdf.so") << "not a shared object\n";
  const testing::ShellResult letter = testing::Shell(Letter(binary, "out"));
  EXPECT_EQ(letter.status, 2) << letter.out;
  EXPECT_EQ(Lines(letter.out), 1) << letter.out;
  EXPECT_NE(letter.out.find("the PDF module " + dir_ + "/bin/billwise-pdf.so cannot be loaded"), std::string::npos)
      << letter.out;
}

TEST_F(PdfModuleTest, ForeignModuleIsRefused) {
  // A real shared object that is not the PDF module (the OCR module under the PDF module's name).
  const std::string binary = CopyBinary("bin");
  fs::copy_file(kOcrModule, dir_ + "/bin/billwise-pdf.so");
  const testing::ShellResult list = testing::Shell(List(binary));
  EXPECT_EQ(list.status, 2) << list.out;
  EXPECT_EQ(Lines(list.out), 1) << list.out;
  EXPECT_NE(list.out.find("is not a billwise module (no billwise_pdf_backend)"), std::string::npos) << list.out;
}

TEST_F(PdfModuleTest, InstalledLayoutFindsTheModule) {
  // <prefix>/bin/billwise and <prefix>/<libdir>/billwise/billwise-pdf.so, as installed.
  const std::string bin = dir_ + "/bin";
  const std::string binary = CopyBinary("bin");
  const fs::path module_dir = fs::weakly_canonical(fs::path(bin) / BILLWISE_MODULE_RELDIR);
  fs::create_directories(module_dir);
  fs::copy_file(kModule, module_dir / kPdfModuleFile);
  const testing::ShellResult letter = testing::Shell(Letter(binary, "out"));
  ASSERT_EQ(letter.status, 0) << letter.out;
  EXPECT_EQ(testing::ReadFileBytes(dir_ + "/out/dispute.pdf").rfind("%PDF-", 0), 0u);
}

}  // namespace
}  // namespace billwise
