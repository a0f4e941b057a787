// The OCR module boundary (extract/ocr/ocr_backend.h): the billwise executable links no
// Tesseract or Leptonica and loads billwise-ocr.so only for a document that needs OCR; the
// module exports one entry point, refuses another ABI, and a missing or broken module is a
// clear error that does not stop digital PDFs from being read.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "extract/ocr/ocr_backend.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = BILLWISE_BINARY;
const std::string kModule = BILLWISE_OCR_MODULE;
const std::string kSamples = std::string(BILLWISE_SOURCE_DIR) + "/samples";
const std::string kScan = kSamples + "/scans/physician_office_200dpi.png";
const std::string kDigital = kSamples + "/generated/physician_office.pdf";

std::string Analyze(const std::string& binary, const std::string& file) {
  return binary + " analyze " + file + " --format json --no-store";
}

TEST(OcrModule, ExecutableLinksNoOcrLibrariesAndTheModuleDoes) {
  if (!testing::HaveCommand("ldd")) GTEST_SKIP() << "ldd not installed";
  const testing::ShellResult exe = testing::Shell("ldd " + kBinary);
  ASSERT_EQ(exe.status, 0) << exe.out;
  // libarchive (and the ICU it brings) would cost every run its loading time.
  for (const char* lib : {"libtesseract", "liblept", "libcurl", "libgnutls", "libarchive"}) {
    EXPECT_EQ(exe.out.find(lib), std::string::npos) << lib << " in\n" << exe.out;
  }
  const testing::ShellResult module = testing::Shell("ldd " + kModule);
  ASSERT_EQ(module.status, 0) << module.out;
  EXPECT_NE(module.out.find("libtesseract"), std::string::npos) << module.out;
  EXPECT_NE(module.out.find("liblept"), std::string::npos) << module.out;
}

TEST(OcrModule, ExportsOneEntryPointThatChecksTheAbi) {
  void* handle = dlopen(kModule.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto entry = reinterpret_cast<OcrModuleEntry>(dlsym(handle, kOcrModuleSymbol));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry(kOcrBackendAbi + 1), nullptr);
  const OcrBackend* backend = entry(kOcrBackendAbi);
  ASSERT_NE(backend, nullptr);
  // Nothing else is visible: not billwise's own functions, nor the libraries linked in.
  EXPECT_EQ(dlsym(handle, "_ZN8billwise19InProcessOcrBackendEv"), nullptr);
  EXPECT_EQ(dlsym(handle, "_ZN8billwise10BuildLinesEPNS_4PageE"), nullptr);
  // The backend works across the boundary: pages decoded inside the module come back here.
  auto pages = backend->DecodeImages(testing::ReadFileBytes(kScan), 120'000'000, 10);
  ASSERT_TRUE(pages.has_value()) << pages.error().message;
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_GT(pages->front().width, 1000);
  auto too_small = backend->DecodeImages(testing::ReadFileBytes(kScan), 1000, 10);
  ASSERT_FALSE(too_small.has_value());
  EXPECT_EQ(too_small.error().code, ErrorCode::kLimitExceeded);
  // Not unloaded: the process may keep module code (engines) alive until exit.
}

TEST(OcrModule, ScanThroughTheBuildTreeModule) {
  const testing::ShellResult run = testing::Shell(Analyze(kBinary, kScan));
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("\"text_origin\": \"ocr\""), std::string::npos) << run.out.substr(0, 600);
}

TEST(OcrModule, MissingModuleFailsOnlyWhenOcrIsNeeded) {
  testing::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string binary = testing::CopyInto(kBinary, tmp.path() + "/bin");
  const testing::ShellResult digital = testing::Shell(Analyze(binary, kDigital));
  EXPECT_EQ(digital.status, 0) << digital.out;
  EXPECT_NE(digital.out.find("\"text_origin\": \"text_layer\""), std::string::npos);
  const testing::ShellResult scan = testing::Shell(Analyze(binary, kScan));
  EXPECT_NE(scan.status, 0);
  EXPECT_NE(scan.out.find("OCR module is not installed"), std::string::npos) << scan.out;
  EXPECT_NE(scan.out.find(tmp.path() + "/bin/billwise-ocr.so"), std::string::npos) << scan.out;
  // A scanned PDF needs it too (its pages have no text layer); the digital one above did not.
  const testing::ShellResult scanned_pdf =
      testing::Shell(Analyze(binary, kSamples + "/scans/hospital_itemized_scan.pdf"));
  EXPECT_NE(scanned_pdf.status, 0);
  EXPECT_NE(scanned_pdf.out.find("billwise-ocr.so"), std::string::npos) << scanned_pdf.out;
}

TEST(OcrModule, BrokenModuleIsAClearError) {
  testing::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string binary = testing::CopyInto(kBinary, tmp.path());
  std::ofstream(tmp.path() + "/billwise-ocr.so") << "not a shared object\n";
  const testing::ShellResult scan = testing::Shell(Analyze(binary, kScan));
  EXPECT_NE(scan.status, 0);
  EXPECT_NE(scan.out.find("the OCR module " + tmp.path() + "/billwise-ocr.so cannot be loaded"),
            std::string::npos)
      << scan.out;
}

TEST(OcrModule, InstalledLayoutFindsTheModule) {
  testing::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  // <prefix>/bin/billwise and <prefix>/<libdir>/billwise/billwise-ocr.so, as installed.
  const std::string bin = tmp.path() + "/bin";
  const std::string binary = testing::CopyInto(kBinary, bin);
  const fs::path module_dir = fs::weakly_canonical(fs::path(bin) / BILLWISE_MODULE_RELDIR);
  fs::create_directories(module_dir);
  fs::copy_file(kModule, module_dir / kOcrModuleFile);
  const testing::ShellResult scan = testing::Shell(Analyze(binary, kScan));
  ASSERT_EQ(scan.status, 0) << scan.out;
  EXPECT_NE(scan.out.find("\"text_origin\": \"ocr\""), std::string::npos)
      << scan.out.substr(0, 600);
}

}  // namespace
}  // namespace billwise
