// Loading time of the reference data the pricing needs (every table under data/cms; the
// hospital slice in data/hpt separately), and the cost of pricing one code and one estimate once loaded.
#include <benchmark/benchmark.h>

#include "pipeline/refdata/estimate.h"
#include "pipeline/refdata/pricing.h"
#include "pipeline/refdata/reference_data.h"

namespace {

void BM_LoadReferenceData(benchmark::State& state) {
  for (auto _ : state) {
    auto data = billwise::ReferenceData::Load(BILLWISE_SOURCE_DIR);
    if (!data) {
      state.SkipWithError(data.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(data);
  }
}
BENCHMARK(BM_LoadReferenceData)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The bundled hospital cash-price slice is read on first use (estimate --hospital only).
void BM_LoadWithHospitalSlice(benchmark::State& state) {
  for (auto _ : state) {
    auto data = billwise::ReferenceData::Load(BILLWISE_SOURCE_DIR);
    if (!data || !(*data)->HospitalSliceStatus()) {
      state.SkipWithError("load failed");
      return;
    }
    benchmark::DoNotOptimize(data);
  }
}
BENCHMARK(BM_LoadWithHospitalSlice)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_PricePfsAtZip(benchmark::State& state) {
  auto data = billwise::ReferenceData::Load(BILLWISE_SOURCE_DIR);
  if (!data) {
    state.SkipWithError(data.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto where = billwise::ResolveLocation(**data, std::string("10001"), std::nullopt);
    auto q = billwise::PricePfs(**data, billwise::Service{"99213", {}, 1}, where, 2025,
                                billwise::PfsSetting::kNonFacility);
    benchmark::DoNotOptimize(q);
  }
}
BENCHMARK(BM_PricePfsAtZip);

void BM_EstimateFourServices(benchmark::State& state) {
  auto data = billwise::ReferenceData::Load(BILLWISE_SOURCE_DIR);
  if (!data) {
    state.SkipWithError(data.error().message.c_str());
    return;
  }
  billwise::EstimateRequest req;
  for (const char* c : {"99213", "80053", "71046", "J1442x300"}) req.services.push_back(*billwise::ParseServiceArgument(c));
  req.zip = "10001";
  for (auto _ : state) {
    auto e = billwise::EstimateServices(**data, req);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_EstimateFourServices)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
