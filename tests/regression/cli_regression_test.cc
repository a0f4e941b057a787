// Regression tests that drive the built program: each reproduces a report from the
// sanitizer build (tests/fuzz/README.md) and fails there without its fix.
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/testing/shell.h"

namespace billwise {
namespace {

// `billwise export --format json`: the string CLI11 parses --format into was owned by a
// shared_ptr the export callback did not hold, so it was freed when the command table was
// built and written after (heap-use-after-free under ASan, at pipeline/cli/cmd_cases.cc).
TEST(CliRegression, ExportFormatOptionOutlivesTheCommandTable) {
  if (!std::filesystem::exists(BILLWISE_BINARY)) GTEST_SKIP() << "billwise is not built";
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("bw_export_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "cases.db").string();
  const std::string out = (dir / "backup.json").string();
  auto r = testing::Shell("SOURCE_DATE_EPOCH=1772668800 '" + std::string(BILLWISE_BINARY) + "' --db '" + db +
                          "' export --format json --output '" + out + "'");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out)) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace billwise
