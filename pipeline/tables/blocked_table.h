// BlockedTable: a sorted CSV table stored as independently compressed blocks of rows, so a
// lookup inflates only the block that can hold its key.
//
// The reference tables in data/ are read by one-shot commands that need a handful of rows
// out of tens of thousands; inflating and parsing a whole table for them costs more than
// the rest of the analysis. A packed table keeps the CSV text (header and rows, byte for
// byte) and adds an index of each block's first key. Layout (varint = LEB128, unsigned;
// u32 = 4 bytes little endian):
//
//   "BWTAB1\n"
//   varint header_length, header line (no line break)
//   varint key_column (0-based), varint row_count, varint block_count
//   block_count x { varint key_length, first key, varint first_row (0-based data row),
//                   varint rows, varint inflated_size, varint deflated_size,
//                   u32 CRC-32 of the deflated bytes }
//   u32 CRC-32 of everything above
//   the blocks, back to back, each the raw deflate of its rows ("...\n" per row)
//
// Packing requires the rows sorted by the key column (byte order). A block starts only at
// an "anchor" row: one whose key is not empty and differs from the previous non-empty key,
// and (when an anchor column is named) whose anchor column is not empty. So all rows of a
// key, and the compact continuation rows that repeat a previous row's values, stay in the
// block of the row they belong to.
//
// Open checks the header's checksum and that the blocks fill the rest of the file exactly;
// a block's own checksum is checked each time it is read (BlockCsv), so opening a table
// touches only its index: Read maps the file (mapped_file.h) and a lookup pages in the one
// block it inflates. A BlockedTable is immutable: any number of threads may call its const
// methods.
#ifndef BILLWISE_PIPELINE_TABLES_BLOCKED_TABLE_H_
#define BILLWISE_PIPELINE_TABLES_BLOCKED_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise {

struct BlockedTablePacking {
  std::string key_column;      // the column rows are sorted and looked up by
  std::string anchor_column;   // "" or a column that is empty on continuation rows
  size_t rows_per_block = 32;  // a block closes at the first anchor row after this many rows
};

// Packs the CSV `csv` (header line, then rows; \n or \r\n line ends; no quoted line
// breaks). kBadData naming `name` and the line for a missing column, rows out of key order,
// or a first row that is not an anchor.
Expected<std::string> PackBlockedTable(std::string_view csv, const std::string& name,
                                       const BlockedTablePacking& packing);

class BlockedTable {
 public:
  BlockedTable() = default;  // an empty table: no blocks
  // Reads the header and block index of packed bytes; `name` (a path) is used in messages.
  // kBadData for a wrong magic, a header checksum mismatch or a truncated or inconsistent
  // file.
  static Expected<BlockedTable> Open(std::string bytes, std::string name);
  // Maps and opens a packed file (kNotFound when it is missing); a gzip file is read and
  // inflated instead.
  static Expected<BlockedTable> Read(const std::string& path, std::string name);

  const std::string& name() const { return name_; }
  const std::string& header() const { return header_; }
  size_t row_count() const { return row_count_; }
  size_t block_count() const { return blocks_.size(); }

  // The block whose rows hold `key` if any row does: the last block whose first key is not
  // after it. nullopt when `key` sorts before the first block.
  std::optional<size_t> FindBlock(std::string_view key) const;

  // Block `index` as CSV text: the header line, then its rows. REQUIRES: index <
  // block_count(). kBadData when the block's checksum does not match or it does not inflate
  // to its recorded size.
  Expected<std::string> BlockCsv(size_t index) const;
  // The file line number of the header line in BlockCsv(index) such that its rows carry
  // their own line numbers in the original CSV (for CsvTable's first_line).
  int BlockFirstLine(size_t index) const { return static_cast<int>(blocks_[index].first_row) + 1; }

  // The whole table as CSV again (header and every row), byte for byte what was packed
  // with \n line ends.
  Expected<std::string> Csv() const;

 private:
  struct Block {
    std::string_view first_key;  // in bytes_
    size_t first_row = 0, rows = 0, inflated_size = 0, offset = 0, deflated_size = 0;
    uint32_t crc = 0;  // CRC-32 of the deflated bytes
  };
  static Expected<BlockedTable> OpenBytes(std::string_view bytes, std::shared_ptr<const void> owner,
                                          std::string name);
  std::shared_ptr<const void> owner_;  // keeps bytes_ alive: a std::string or a MappedFile
  std::string_view bytes_;
  std::string name_;
  std::string header_;
  size_t key_column_ = 0;
  size_t row_count_ = 0;
  std::vector<Block> blocks_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_BLOCKED_TABLE_H_
