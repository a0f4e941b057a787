// Text layers of real and demo bills from ../shared/corpus: rows come out as single Lines.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "extract/source/pdf_document.h"
#include "extract/source/plain_text.h"
#include "extract/source/sniff.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using testing::ReadFileBytes;

fs::path Shared(const std::string& rel) { return testing::SharedDir() / rel; }

// All lines of all pages of a PDF.
std::vector<Line> AllLines(const fs::path& path) {
  std::vector<Line> out;
  auto doc = PdfDocument::Open(ReadFileBytes(path));
  EXPECT_TRUE(doc.has_value()) << path;
  if (!doc) return out;
  for (int i = 0; i < doc->PageCount(); ++i) {
    auto page = doc->TextLayer(i);
    EXPECT_TRUE(page.has_value());
    if (!page) continue;
    EXPECT_TRUE(PdfDocument::HasUsableText(*page));
    for (Line& l : page->lines) out.push_back(std::move(l));
  }
  return out;
}

// The line that contains every one of `parts`, in order; nullptr when none does.
const Line* Find(const std::vector<Line>& lines, std::initializer_list<std::string> parts) {
  for (const Line& l : lines) {
    size_t pos = 0;
    bool ok = true;
    for (const std::string& p : parts) {
      pos = l.text.find(p, pos);
      if (pos == std::string::npos) {
        ok = false;
        break;
      }
      pos += p.size();
    }
    if (ok) return &l;
  }
  return nullptr;
}

TEST(SourceCorpusTest, ProbeDigitalBill) {
  SKIP_WITHOUT_SHARED("research/probe-samples/bill_digital.pdf");
  const auto lines = AllLines(Shared("research/probe-samples/bill_digital.pdf"));
  const Line* row = Find(lines, {"03/02/2024", "0450", "99284", "ED VISIT LEVEL 4 MOD SEVERITY",
                                 "1", "1,610.00"});
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->cells.size(), 6u) << row->text;
  EXPECT_NE(Find(lines, {"03/04/2024", "0636", "J2405", "ONDANSETRON HCL PER 1 MG INJ", "2",
                         "76.80"}),
            nullptr);
  EXPECT_NE(Find(lines, {"PATIENT BALANCE DUE", "5,984.45"}), nullptr);
  EXPECT_NE(Find(lines, {"Patient: DOE, JANE Q", "Account #: 400019283"}), nullptr);
}

TEST(SourceCorpusTest, ClearbillItemizedAndEob) {
  SKIP_WITHOUT_SHARED("corpus/clearbill-ai/sample_itemized_bill.pdf");
  const auto lines = AllLines(Shared("corpus/clearbill-ai/sample_itemized_bill.pdf"));
  const Line* row = Find(lines, {"07/10/2026", "74177", "CT Abdomen-Pelvis with Contrast",
                                 "$17,197.00"});
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->cells.size(), 4u) << row->text;
  EXPECT_NE(Find(lines, {"Total Charges", "$34,379.00"}), nullptr);
  const auto eob = AllLines(Shared("corpus/clearbill-ai/sample_eob.pdf"));
  EXPECT_GT(eob.size(), 5u);
}

TEST(SourceCorpusTest, FairwardBills) {
  SKIP_WITHOUT_SHARED("corpus/fairward-billbuster");
  int files = 0;
  for (const auto& e : fs::directory_iterator(Shared("corpus/fairward-billbuster"))) {
    if (e.path().extension() != ".pdf") continue;
    ++files;
    const std::string bytes = ReadFileBytes(e.path());
    EXPECT_EQ(SniffKind(bytes), FileKind::kPdf);
    const auto lines = AllLines(e.path());
    EXPECT_GT(lines.size(), 20u) << e.path();
    // Every bill has at least one row holding a date, a code and a dollar amount.
    int rows = 0;
    for (const Line& l : lines) {
      if (l.cells.size() >= 3 && l.text.find('/') != std::string::npos &&
          l.text.find('$') != std::string::npos) {
        ++rows;
      }
    }
    EXPECT_GT(rows, 3) << e.path();
  }
  EXPECT_EQ(files, 3);
  const auto kaiser = AllLines(Shared("corpus/fairward-billbuster/Kaiser_Oakland_Bill_Williams.pdf"));
  EXPECT_NE(Find(kaiser, {"12/28/2024", "59400", "Vaginal Delivery Package", "1", "$3,800.00",
                          "$3,800.00"}),
            nullptr);
}

TEST(SourceCorpusTest, ScannedProbeNeedsOcr) {
  SKIP_WITHOUT_SHARED("research/probe-samples/bill_scanned.pdf");
  auto doc = PdfDocument::Open(ReadFileBytes(Shared("research/probe-samples/bill_scanned.pdf")));
  ASSERT_TRUE(doc.has_value());
  auto page = doc->TextLayer(0);
  ASSERT_TRUE(page.has_value());
  EXPECT_FALSE(PdfDocument::HasUsableText(*page));
  auto img = doc->Render(0, 150, 50'000'000);
  ASSERT_TRUE(img.has_value());
  EXPECT_GT(img->width, 1000);
}

TEST(SourceCorpusTest, PlainTextBenchmarkInputsKeepColumns) {
  SKIP_WITHOUT_SHARED("corpus/medbilldozer-benchmarks/inputs");
  int files = 0;
  for (const auto& e : fs::directory_iterator(Shared("corpus/medbilldozer-benchmarks/inputs"))) {
    if (e.path().extension() != ".txt") continue;
    ++files;
    const std::string text = ReadFileBytes(e.path());
    EXPECT_EQ(SniffKind(text), FileKind::kText) << e.path();
    const auto pages = PagesFromPlainText(text);
    ASSERT_FALSE(pages.empty());
    // Every non-blank source line comes back as a Line with the same words.
    size_t nonblank = 0;
    for (const char* p = text.c_str(); *p;) {
      const char* e2 = std::strchr(p, '\n');
      std::string line(p, e2 ? e2 : p + std::strlen(p));
      if (line.find_first_not_of(" \t\r\f") != std::string::npos) ++nonblank;
      p = e2 ? e2 + 1 : p + std::strlen(p);
    }
    size_t got = 0;
    for (const Page& pg : pages) got += pg.lines.size();
    EXPECT_EQ(got, nonblank) << e.path();
  }
  EXPECT_GT(files, 3);
}

}  // namespace
}  // namespace billwise
