// Text-layer extraction and layout: how long a digital bill takes to become Lines.
// Compare with `pdftotext -layout` on the same file (bench/digital_vs_pdftotext.sh).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "extract/source/text_lines.h"
#include "extract/source/pdf_document.h"
#include "extract/source/plain_text.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using testing::ReadFileBytes;

// Open the PDF and build the lines of every page, as the pipeline does for a digital bill.
void TextLayerAllPages(benchmark::State& state, const fs::path& path) {
  const std::string bytes = ReadFileBytes(path);
  if (bytes.empty()) {
    state.SkipWithError(("missing " + path.string()).c_str());
    return;
  }
  size_t lines = 0;
  for (auto _ : state) {
    auto doc = PdfDocument::Open(bytes);
    if (!doc) {
      state.SkipWithError("open failed");
      return;
    }
    for (int i = 0; i < doc->PageCount(); ++i) {
      auto page = doc->TextLayer(i);
      if (page) lines += page->lines.size();
    }
    benchmark::DoNotOptimize(lines);
  }
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(lines),
                                                 benchmark::Counter::kIsRate);
}

void BM_TextLayer_HospitalSample(benchmark::State& state) {
  TextLayerAllPages(state, fs::path(BILLWISE_SOURCE_DIR) / "samples/generated/hospital_itemized.pdf");
}
BENCHMARK(BM_TextLayer_HospitalSample)->Unit(benchmark::kMillisecond);

void BM_TextLayer_ProbeBill(benchmark::State& state) {
  TextLayerAllPages(state, fs::path(BILLWISE_SHARED_DIR) / "research/probe-samples/bill_digital.pdf");
}
BENCHMARK(BM_TextLayer_ProbeBill)->Unit(benchmark::kMillisecond);

// The layout step alone on a dense synthetic page: 60 rows of 8 cells.
void BM_BuildLines_DensePage(benchmark::State& state) {
  Page base;
  for (int row = 0; row < 60; ++row) {
    const double y = 40 + 12 * row + (row % 3) * 0.4;
    const double xs[] = {36, 96, 136, 190, 250, 420, 480, 540};
    const char* words[] = {"10/12/2026", "0300", "80053", "COMPREHENSIVE", "PANEL", "1",
                           "285.00", "12.00"};
    for (int c = 0; c < 8; ++c) {
      const double w = 5.0 * static_cast<double>(std::string(words[c]).size());
      base.words.push_back(Word{words[c], Box{xs[c], y, xs[c] + w, y + 9}, 100.f});
    }
  }
  for (auto _ : state) {
    Page page = base;
    BuildLines(&page);
    benchmark::DoNotOptimize(page.lines.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(base.words.size()));
}
BENCHMARK(BM_BuildLines_DensePage)->Unit(benchmark::kMicrosecond);

void BM_PlainText_Statement(benchmark::State& state) {
  const std::string text = ReadFileBytes(fs::path(BILLWISE_SHARED_DIR) /
                                    "corpus/medbilldozer-benchmarks/inputs/medical_bill_clean.txt");
  if (text.empty()) {
    state.SkipWithError("missing plain-text input");
    return;
  }
  for (auto _ : state) {
    auto pages = PagesFromPlainText(text);
    benchmark::DoNotOptimize(pages.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_PlainText_Statement)->Unit(benchmark::kMicrosecond);

void BM_Render300Dpi_HospitalSample(benchmark::State& state) {
  const std::string bytes =
      ReadFileBytes(fs::path(BILLWISE_SOURCE_DIR) / "samples/generated/hospital_itemized.pdf");
  auto doc = PdfDocument::Open(bytes);
  if (!doc) {
    state.SkipWithError("open failed");
    return;
  }
  for (auto _ : state) {
    auto img = doc->Render(0, 300, 50'000'000);
    benchmark::DoNotOptimize(img);
  }
}
BENCHMARK(BM_Render300Dpi_HospitalSample)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace billwise

BENCHMARK_MAIN();
