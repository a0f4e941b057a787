#include "pipeline/tables/gzip.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

class GzipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("billwise_tables_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }
  fs::path dir_;
};

std::string Text() {
  std::string s;
  for (int i = 0; i < 2000; ++i) s += "99213,25,office visit " + std::to_string(i % 17) + "\n";
  return s;
}

TEST_F(GzipTest, RoundTripIsDeterministic) {
  ASSERT_TRUE(WriteGzipFile(Path("a.gz"), Text()));
  ASSERT_TRUE(WriteGzipFile(Path("b.gz"), Text()));
  std::string a = testing::ReadFileBytes(Path("a.gz"));
  EXPECT_EQ(a, testing::ReadFileBytes(Path("b.gz")));
  ASSERT_GE(a.size(), 18u);
  EXPECT_LT(a.size(), Text().size() / 10);
  EXPECT_EQ(a[3], 0) << "no name or other optional header fields";
  EXPECT_EQ(a.substr(4, 4), std::string(4, '\0')) << "no timestamp";
  auto back = ReadFileInflating(Path("a.gz"));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, Text());
}

TEST_F(GzipTest, ContentDecidesNotTheName) {
  Write("plain.csv.gz", "a,b\n1,2\n");
  EXPECT_EQ(ReadFileInflating(Path("plain.csv.gz")).value_or("?"), "a,b\n1,2\n");
  ASSERT_TRUE(WriteGzipFile(Path("packed.csv"), "x,y\n"));
  EXPECT_EQ(ReadFileInflating(Path("packed.csv")).value_or("?"), "x,y\n");
  Write("empty", "");
  EXPECT_EQ(ReadFileInflating(Path("empty")).value_or("?"), "");
}

TEST_F(GzipTest, ConcatenatedMembersAreAllRead) {
  ASSERT_TRUE(WriteGzipFile(Path("1.gz"), "first\n"));
  ASSERT_TRUE(WriteGzipFile(Path("2.gz"), Text()));
  Write("both.gz", testing::ReadFileBytes(Path("1.gz")) + testing::ReadFileBytes(Path("2.gz")));
  auto both = ReadFileInflating(Path("both.gz"));
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(*both, "first\n" + Text());
}

TEST_F(GzipTest, FailuresAreErrors) {
  auto missing = ReadFileInflating(Path("none.gz"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("none.gz"), std::string::npos);
  EXPECT_EQ(ReadFileInflating(dir_.string()).error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(WriteGzipFile(Path("t.gz"), Text()));
  std::string gz = testing::ReadFileBytes(Path("t.gz"));
  Write("truncated.gz", gz.substr(0, gz.size() / 2));
  auto truncated = ReadFileInflating(Path("truncated.gz"));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::kBadData);
  EXPECT_NE(truncated.error().message.find("truncated.gz"), std::string::npos);

  std::string corrupt = gz;
  for (size_t i = 12; i < 40; ++i) corrupt[i] = static_cast<char>(0xff);
  Write("corrupt.gz", corrupt);
  auto bad = ReadFileInflating(Path("corrupt.gz"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kBadData);

  EXPECT_FALSE(WriteGzipFile((dir_ / "no/such/dir/x.gz").string(), "x"));
}

TEST(Crc32Test, KnownValues) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
}

TEST(RawDeflateTest, CompressesWithoutHeaderAndIsDeterministic) {
  auto a = RawDeflate(Text());
  auto b = RawDeflate(Text());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_LT(a->size(), Text().size() / 10);
  EXPECT_NE(static_cast<unsigned char>((*a)[0]), 0x1f) << "no gzip header";
  auto empty = RawDeflate("");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->empty());
}

}  // namespace
}  // namespace billwise
