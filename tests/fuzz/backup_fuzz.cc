// Fuzz target: a case-file backup as `billwise import` reads it (CaseStore::ImportJson,
// pipeline/cases/case_store.h) into a fresh case file, then what `billwise cases`,
// `billwise case` and `billwise export` do with the result (ListCases, GetCase for each
// case, Deadlines, ExportJson). Contract: an import that succeeds leaves a case file whose
// export imports again into an empty one.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "pipeline/cases/case_store.h"

namespace {

// A case file of this process's own, in memory-backed /dev/shm when there is one.
std::string FreshDatabase(const char* name) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : "/tmp";
  std::filesystem::path db = dir / ("billwise-fuzz-" + std::to_string(getpid()) + "-" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db.string() + suffix, ec);
  return db.string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto store = CaseStore::Open(FreshDatabase("a"));
  if (!store) std::abort();
  if (!store->ImportJson(json)) return 0;
  const Date today{2026, 2, 20};
  if (auto cases = store->ListCases(today)) {
    for (const auto& c : *cases) (void)store->GetCase(c.id, today);
  }
  (void)store->Deadlines(today, std::nullopt);
  auto exported = store->ExportJson();
  if (!exported) return 0;
  auto copy = CaseStore::Open(FreshDatabase("b"));
  if (!copy) std::abort();
  if (!copy->ImportJson(*exported)) std::abort();
  return 0;
}
