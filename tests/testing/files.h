// Small file helpers shared by the tests and benchmarks: read and write a whole file, a
// scratch folder, a copy of a file into a folder, find the shared reference folder (../shared, compiled in as
// BILLWISE_SHARED_DIR) and skip a test when a file from it is absent. Header-only; no
// shared state, safe from any thread.
#ifndef BILLWISE_TESTS_TESTING_FILES_H_
#define BILLWISE_TESTS_TESTING_FILES_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <stdlib.h>  // mkdtemp

namespace billwise::testing {

// The bytes of the file at `path`; "" when it is missing or unreadable.
inline std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes `bytes` to `path` (replacing it); false on failure.
inline bool WriteFileBytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out.flush());
}

// A fresh folder under $TMPDIR (or /tmp), removed with its contents on destruction;
// path() is "" when it could not be made.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/billwise-test-XXXXXX";
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  // The path of `name` inside the folder.
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Copies `file` into folder `dir` (made when missing), keeping its name; the copy's path.
// The module tests copy the billwise executable away from the modules built beside it.
inline std::string CopyInto(const std::string& file, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string copy = dir + "/" + std::filesystem::path(file).filename().string();
  std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing);
  return copy;
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
