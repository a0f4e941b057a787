// pipeline/run/sha256.h against the FIPS 180-4 example vectors, and files (across the
// reader's block boundaries) against the digest of the same bytes in memory.
#include "pipeline/run/sha256.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "tests/testing/files.h"

namespace billwise {
namespace {

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

TEST(Sha256, Fips180ExampleVectors) {
  EXPECT_EQ(*Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(*Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(*Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(*Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FilesAcrossReadBoundariesMatchTheirBytes) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  for (size_t n : {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{65537}, size_t{131072 + 55}}) {
    const std::string bytes = RandomBytes(n, 7);
    const std::string path = dir.path() + "/f" + std::to_string(n);
    ASSERT_TRUE(testing::WriteFileBytes(path, bytes));
    EXPECT_EQ(*Sha256File(path), *Sha256Hex(bytes)) << n << " bytes";
  }
  auto missing = Sha256File(dir.path() + "/missing");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace billwise
