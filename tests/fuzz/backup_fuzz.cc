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

// Where this process keeps its case file `name`: memory-backed /dev/shm when there is one.
std::string DatabasePath(const char* name) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : "/tmp";
  return (dir / ("billwise-fuzz-" + std::to_string(getpid()) + "-" + name + ".db")).string();
}

void RemoveDatabase(const std::string& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + suffix, ec);
}

// The path of case file `name`, with any earlier file removed.
std::string FreshDatabase(const char* name) {
  std::string db = DatabasePath(name);
  RemoveDatabase(db);
  return db;
}

void Run(std::string_view json) {
  using namespace billwise;
  auto store = CaseStore::Open(FreshDatabase("a"));
  if (!store) std::abort();
  if (!store->ImportJson(json)) return;
  const Date today{2026, 2, 20};
  if (auto cases = store->ListCases(today)) {
    for (const auto& c : *cases) (void)store->GetCase(c.id, today);
  }
  (void)store->Deadlines(today, std::nullopt);
  auto exported = store->ExportJson();
  if (!exported) return;
  auto copy = CaseStore::Open(FreshDatabase("b"));
  if (!copy) std::abort();
  if (!copy->ImportJson(*exported)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Run(std::string_view(reinterpret_cast<const char*>(data), size));
  // The case files go with each input: nothing is left in /dev/shm when the run ends.
  RemoveDatabase(DatabasePath("a"));
  RemoveDatabase(DatabasePath("b"));
  return 0;
}
