// Packed tables: round trips, block lookup, compact continuation rows, line numbers in
// errors, corruption, and every packed table shipped in data/.
#include "pipeline/tables/blocked_table.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"
#include "pipeline/tables/lazy_blocks.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

// A sorted table of `n` codes, each with one to three rows.
std::string SampleCsv(int n) {
  std::string csv = "code,modifier,value\n";
  for (int i = 0; i < n; ++i) {
    char code[8];
    std::snprintf(code, sizeof code, "%05d", 10000 + i * 3);
    for (int m = 0; m <= i % 3; ++m) csv += std::string(code) + "," + (m == 0 ? "" : std::to_string(25 + m)) + "," + std::to_string(i * 10 + m) + "\n";
  }
  return csv;
}

BlockedTablePacking Packing(const char* key, const char* anchor = "", size_t rows = 16) {
  BlockedTablePacking p;
  p.key_column = key;
  p.anchor_column = anchor;
  p.rows_per_block = rows;
  return p;
}

TEST(BlockedTableTest, RoundTripAndBlockLookup) {
  std::string csv = SampleCsv(200);
  auto packed = PackBlockedTable(csv, "t.csv", Packing("code"));
  ASSERT_TRUE(packed) << packed.error().message;
  auto table = BlockedTable::Open(*packed, "t.bwt");
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_GT(table->block_count(), 10u);
  EXPECT_EQ(table->header(), "code,modifier,value");
  EXPECT_EQ(table->Csv().value_or(""), csv);
  // Every code's rows are all in the block FindBlock names.
  for (int i = 0; i < 200; ++i) {
    char code[8];
    std::snprintf(code, sizeof code, "%05d", 10000 + i * 3);
    auto block = table->FindBlock(code);
    ASSERT_TRUE(block);
    auto text = table->BlockCsv(*block);
    ASSERT_TRUE(text);
    size_t count = 0;
    for (size_t pos = 0; (pos = text->find(std::string("\n") + code + ",", pos)) != std::string::npos; ++pos) ++count;
    EXPECT_EQ(count, static_cast<size_t>(i % 3 + 1)) << code;
  }
  EXPECT_FALSE(table->FindBlock("00001"));  // before the first key
  EXPECT_EQ(*table->FindBlock("99999"), table->block_count() - 1);
  // Packing is deterministic.
  EXPECT_EQ(PackBlockedTable(*table->Csv(), "t.csv", Packing("code")).value_or(""), *packed);
}

TEST(BlockedTableTest, ContinuationRowsStayWithTheirAnchor) {
  // Compact form: an empty carrier repeats the previous row's carrier.
  std::string csv = "zip5,carrier\n";
  for (int i = 0; i < 100; ++i) {
    char zip[8];
    std::snprintf(zip, sizeof zip, "%05d", 1000 + i);
    csv += std::string(zip) + "," + (i % 7 == 0 ? std::string("C") + std::to_string(i) : std::string()) + "\n";
  }
  auto packed = PackBlockedTable(csv, "z.csv", Packing("zip5", "carrier", 4));
  ASSERT_TRUE(packed) << packed.error().message;
  auto table = BlockedTable::Open(*packed, "z.bwt");
  ASSERT_TRUE(table);
  for (size_t b = 0; b < table->block_count(); ++b) {
    auto text = table->BlockCsv(b);
    ASSERT_TRUE(text);
    std::string first_row = text->substr(text->find('\n') + 1);
    first_row = first_row.substr(0, first_row.find('\n'));
    EXPECT_NE(first_row.back(), ',') << "block " << b << " starts with a continuation row: " << first_row;
  }
  EXPECT_EQ(table->Csv().value_or(""), csv);
  // A table that starts with a continuation row cannot be packed.
  EXPECT_FALSE(PackBlockedTable("zip5,carrier\n01000,\n", "z.csv", Packing("zip5", "carrier")));
}

TEST(BlockedTableTest, RejectsUnsortedRowsAndMissingColumns) {
  EXPECT_FALSE(PackBlockedTable("code,v\n2,a\n1,b\n", "u.csv", Packing("code")));
  EXPECT_FALSE(PackBlockedTable("code,v\n1,a\n", "u.csv", Packing("nope")));
  EXPECT_FALSE(PackBlockedTable("code,v\n\"1,a\n2,b\n", "u.csv", Packing("code")));  // quoted line break
}

// Every damaged byte is found: in the header or index when the table opens, in a block
// when that block is read (so opening reads only the index), naming the block.
TEST(BlockedTableTest, EveryByteIsCheckedOnOpenOrWhenItsBlockIsRead) {
  auto packed = PackBlockedTable(SampleCsv(40), "t.csv", Packing("code", "", 8));
  ASSERT_TRUE(packed);
  int found_on_open = 0, found_in_block = 0;
  for (size_t i = 0; i < packed->size(); ++i) {
    std::string broken = *packed;
    broken[i] = static_cast<char>(broken[i] ^ 0x21);
    auto table = BlockedTable::Open(broken, "t.bwt");
    if (!table) {
      ++found_on_open;
      continue;
    }
    std::string failures;
    for (size_t b = 0; b < table->block_count(); ++b) {
      if (auto csv = table->BlockCsv(b); !csv) failures += csv.error().message + ";";
    }
    EXPECT_NE(failures.find("t.bwt: packed table: checksum mismatch in block"), std::string::npos) << "byte " << i;
    EXPECT_FALSE(table->Csv()) << "byte " << i;
    ++found_in_block;
  }
  EXPECT_GT(found_on_open, 0);
  EXPECT_GT(found_in_block, 0);
  EXPECT_FALSE(BlockedTable::Open(packed->substr(0, packed->size() - 1), "t.bwt"));
  EXPECT_FALSE(BlockedTable::Open(*packed + "x", "t.bwt"));
}

TEST(BlockedTableTest, ReadMapsThePackedFileAndAlsoTakesGzip) {
  auto packed = PackBlockedTable(SampleCsv(40), "t.csv", Packing("code", "", 8));
  ASSERT_TRUE(packed);
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ASSERT_TRUE(testing::WriteFileBytes(dir.path() + "/t.bwt", *packed));
  ASSERT_TRUE(WriteGzipFile(dir.path() + "/t.bwt.gz", *packed));
  for (const char* file : {"/t.bwt", "/t.bwt.gz"}) {
    auto table = BlockedTable::Read(dir.path() + file, "t");
    ASSERT_TRUE(table) << file << ": " << table.error().message;
    auto csv = table->Csv();
    ASSERT_TRUE(csv) << csv.error().message;
    EXPECT_EQ(*csv, SampleCsv(40)) << file;
  }
  auto missing = BlockedTable::Read(dir.path() + "/missing.bwt", "m");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// LazyBlocks parses a block once, reports a bad row with its line in the original CSV, and
// keeps serving the other blocks.
TEST(BlockedTableTest, LazyBlocksParseOnceAndNameTheLine) {
  std::string csv = SampleCsv(60);
  csv += "99999,,oops\n";
  const size_t bad_line = static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n'));
  auto packed = PackBlockedTable(csv, "t.csv", Packing("code", "", 8));
  ASSERT_TRUE(packed);
  auto table = BlockedTable::Open(*packed, "data/t.bwt");
  ASSERT_TRUE(table);
  int parses = 0;
  LazyBlocks<std::vector<int>> blocks(std::move(*table), [&parses](CsvTable& t, std::vector<int>* out) -> Expected<void> {
    ++parses;
    if (auto ok = t.Open({"code", "value"}); !ok) return ok;
    while (t.Next()) {
      auto v = ParseInt(t.Field(t.Column("value")));
      if (!v) return std::unexpected(t.BadRow("bad value"));
      out->push_back(v->value_or(0));
    }
    return {};
  });
  const std::vector<int>* first = blocks.ForKey("10000");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->front(), 0);
  EXPECT_EQ(blocks.ForKey("10003"), first);
  EXPECT_EQ(parses, 1);
  EXPECT_TRUE(blocks.Status());
  EXPECT_EQ(blocks.ForKey("99999"), nullptr);
  auto status = blocks.Status();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("data/t.bwt line " + std::to_string(bad_line)), std::string::npos)
      << status.error().message;
  EXPECT_NE(blocks.ForKey("10000"), nullptr);
}

// Every packed table in data/ opens (index and checksums), inflates whole, and holds the
// number of rows its index records.
TEST(BlockedTableTest, ShippedTablesOpenAndInflate) {
  namespace fs = std::filesystem;
  int seen = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(BILLWISE_SOURCE_DIR) / "data")) {
    if (entry.path().extension() != ".bwt") continue;
    ++seen;
    auto table = BlockedTable::Read(entry.path().string(), entry.path().filename().string());
    ASSERT_TRUE(table) << table.error().message;
    auto csv = table->Csv();
    ASSERT_TRUE(csv) << entry.path();
    EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), static_cast<long>(table->row_count() + 1)) << entry.path();
  }
  EXPECT_GE(seen, 8);  // the CLFS moved to the reference database
}

}  // namespace
}  // namespace billwise
