// The generated samples in samples/generated: the committed files are what the generator
// writes, and their text layers keep every expected line item on one Line.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "extract/source/pdf_document.h"
#include "extract/source/sniff.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using testing::ReadFileBytes;

fs::path SamplesDir() { return fs::path(BILLWISE_SOURCE_DIR) / "samples" / "generated"; }

std::vector<fs::path> SamplePdfs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SamplesDir())) {
    if (e.path().extension() == ".pdf") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "1,234.56" for a dollar amount.
std::string Amount(double dollars) {
  const long long cents = std::llround(std::abs(dollars) * 100);
  const std::string digits = std::to_string(cents / 100);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  char frac[4];
  std::snprintf(frac, sizeof frac, "%02lld", cents % 100);
  return out + "." + frac;
}

TEST(SamplesTest, CommittedFilesMatchTheGenerator) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  const fs::path out = fs::temp_directory_path() /
                       ("billwise_samples_" + std::to_string(std::rand()) + "_" +
                        std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  const std::string cmd = "python3 '" + (fs::path(BILLWISE_SOURCE_DIR) / "samples" /
                                         "generate.py").string() +
                          "' --out '" + out.string() + "' >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  int compared = 0;
  for (const auto& e : fs::directory_iterator(out)) {
    const fs::path committed = SamplesDir() / e.path().filename();
    ASSERT_TRUE(fs::exists(committed)) << committed << " is not committed";
    EXPECT_EQ(ReadFileBytes(e.path()), ReadFileBytes(committed))
        << e.path().filename() << " differs: run samples/generate.py and commit the result";
    ++compared;
  }
  fs::remove_all(out);
  EXPECT_GE(compared, 12);
}

TEST(SamplesTest, EveryExpectedLineItemIsOneLine) {
  const auto pdfs = SamplePdfs();
  ASSERT_GE(pdfs.size(), 6u);
  for (const fs::path& pdf : pdfs) {
    SCOPED_TRACE(pdf.filename().string());
    const std::string bytes = ReadFileBytes(pdf);
    ASSERT_EQ(SniffKind(bytes), FileKind::kPdf);
    fs::path json_path = pdf;
    json_path.replace_extension(".expected.json");
    const auto expected = nlohmann::json::parse(ReadFileBytes(json_path));
    auto doc = PdfDocument::Open(bytes);
    ASSERT_TRUE(doc.has_value());
    EXPECT_EQ(doc->PageCount(), expected["source"]["pages"].get<int>());
    std::vector<Line> lines;
    for (int i = 0; i < doc->PageCount(); ++i) {
      auto page = doc->TextLayer(i);
      ASSERT_TRUE(page.has_value());
      EXPECT_TRUE(PdfDocument::HasUsableText(*page));
      for (Line& l : page->lines) lines.push_back(std::move(l));
    }
    for (const auto& item : expected["line_items"]) {
      std::string code = item["code"].is_null() ? "" : item["code"].get<std::string>();
      for (const auto& m : item["modifiers"]) {
        code += '-';
        code += m.get<std::string>();
      }
      const std::string charge = Amount(item["charge"].get<double>());
      // An EOB prints no descriptions.
      const std::string desc = expected["document_type"] == "eob"
                                   ? std::string()
                                   : item["description"].get<std::string>();
      const std::string first_word = desc.substr(0, desc.find(' '));
      bool found = false;
      for (const Line& l : lines) {
        // The code, the first word of the description and the charge sit in one Line, in
        // separate cells (the description may wrap onto the next Line).
        const size_t c = l.text.find(code);
        const size_t d = l.text.find(first_word, c == std::string::npos ? 0 : c);
        const size_t a = l.text.find(charge, d == std::string::npos ? 0 : d);
        if (c != std::string::npos && d != std::string::npos && a != std::string::npos &&
            l.cells.size() >= 3) {
          found = true;
          break;
        }
      }
      EXPECT_TRUE(found) << "no line with " << code << " / " << first_word << " / " << charge;
    }
  }
}

}  // namespace
}  // namespace billwise
