// Google Benchmark cases for the grammar: loading every layout template (target < 20 ms)
// through the layout pack (what billwise does), from the YAML, and with every pattern
// compiled; and parsing the lines of a 3-page itemized statement.
#include <benchmark/benchmark.h>

#include <string>

#include "extract/grammar/layout_pack.h"
#include "extract/grammar/layout_set.h"
#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"

namespace billwise {
namespace {

const char* kDir = BILLWISE_SOURCE_DIR "/templates/layouts";

void BM_LoadTemplates(benchmark::State& state) {
  for (auto _ : state) {
    auto set = LayoutSet::LoadDir(kDir);
    if (!set) state.SkipWithError(set.error().message.c_str());
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_LoadTemplates)->Unit(benchmark::kMillisecond);

void BM_LoadTemplatesFromYaml(benchmark::State& state) {
  auto sources = ReadTemplateFolder(kDir);
  if (!sources) {
    state.SkipWithError(sources.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto set = LayoutSet::LoadStrings(*sources);
    if (!set) state.SkipWithError(set.error().message.c_str());
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_LoadTemplatesFromYaml)->Unit(benchmark::kMillisecond);

void BM_LoadTemplatesAndCompileAll(benchmark::State& state) {
  for (auto _ : state) {
    auto set = LayoutSet::LoadDir(kDir);
    if (!set) state.SkipWithError(set.error().message.c_str());
    set->CompileAll();
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_LoadTemplatesAndCompileAll)->Unit(benchmark::kMillisecond);

std::string ThreePageStatement() {
  std::string t =
      "MERCY VALLEY REGIONAL HOSPITAL\nPO Box 4410\nColumbus, OH 43216\n(614) 555-0199\n\n"
      "PATIENT NAME:  ROBERTA ALVAREZ           STATEMENT DATE:  03/02/2026\n"
      "ACCOUNT #:     880071234                 DUE DATE:        04/01/2026\n\n";
  const char* header =
      "SERVICE DATE   REV CODE   CPT/HCPCS   DESCRIPTION                          UNITS        CHARGES\n";
  for (int page = 0; page < 3; ++page) {
    t += header;
    for (int i = 0; i < 40; ++i) {
      t += "02/14/2026     0300       " + std::to_string(80000 + i * 37 % 9999) +
           "       LAB TEST PANEL NUMBER " + std::to_string(i) + "                  1         " +
           std::to_string(100 + i) + ".50\n";
    }
    t += "                                                         Page " + std::to_string(page + 1) +
         " of 3\n\f";
  }
  t += "                                               BALANCE DUE                     $4,000.00\n";
  return t;
}

void BM_ParseThreePageStatement(benchmark::State& state) {
  auto set = LayoutSet::LoadDir(kDir);
  if (!set) {
    state.SkipWithError(set.error().message.c_str());
    return;
  }
  const auto pages = PagesFromPlainText(ThreePageStatement());
  size_t items = 0;
  for (auto _ : state) {
    Bill bill;
    ParseBill(*set, pages, &bill);
    items = bill.line_items.size();
    benchmark::DoNotOptimize(bill);
  }
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_ParseThreePageStatement)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace billwise

BENCHMARK_MAIN();
