// Small file helpers shared by the tests and benchmarks: read a whole file, find the
// shared reference folder (../shared, compiled in as BILLWISE_SHARED_DIR) and skip a test
// when a file from it is absent. Header-only; no state, safe from any thread.
#ifndef BILLWISE_TESTS_TESTING_FILES_H_
#define BILLWISE_TESTS_TESTING_FILES_H_

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace billwise::testing {

// The bytes of the file at `path`; "" when it is missing or unreadable.
inline std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

#ifdef BILLWISE_SHARED_DIR
// The shared corpus and reference folder (may be absent: see SKIP_WITHOUT_SHARED).
inline std::filesystem::path SharedDir() { return std::filesystem::path(BILLWISE_SHARED_DIR); }

// In a GoogleTest body: skips the test when SharedDir() / rel does not exist.
#define SKIP_WITHOUT_SHARED(rel)                                                              \
  if (!std::filesystem::exists(::billwise::testing::SharedDir() / (rel)))                     \
  GTEST_SKIP() << "absent: " << (::billwise::testing::SharedDir() / (rel)).string()
#endif

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_TESTING_FILES_H_
