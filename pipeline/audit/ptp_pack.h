// The packed NCCI procedure-to-procedure (PTP) edit table: format, packing and lookup.
//
// CMS publishes the active PTP pairs as a 31 MB CSV (1.7 million rows). data/ncci/ ships
// them as a delta-encoded binary cut into independently compressed blocks (582 KB in
// all), so a lookup inflates only the one block that holds its column-1 code: a bill with a
// handful of codes reads a few kilobytes instead of the whole table. Codes are five
// characters from [0-9A-Z] and are numbered in base 36 ('0'..'9' = 0..9, 'A'..'Z' =
// 10..35), which keeps ASCII order. Layout (varint = LEB128, unsigned):
//
//   "BWPTP2\n"
//   varint edition_length, edition bytes   (e.g. "NCCI PTP 2024Q3 (v30.2)")
//   varint pair_count, varint block_count
//   block_count x { varint first column1 - previous block's first column1,
//                   varint groups, varint pairs, varint inflated size, varint deflated size,
//                   4 bytes CRC-32 of the deflated bytes, little endian }
//   4 bytes CRC-32 of everything above, little endian
//   block_count deflated blocks, back to back (raw deflate), each inflating to
//     groups x { varint column1 - previous column1 in the block (first: 0), varint pairs_in_group }
//     pairs  x { varint column2 - previous column2 in the group (first: column2) }
//     pairs  x { byte: bits 0-1 practitioner modifier indicator, bits 2-3 outpatient
//                hospital indicator (0, 1, 2 = no active edit in that table, 3 = 9),
//                bits 4-7 rationale code 0..15 }
//     varint override_count, override_count x { varint pair index in the block - previous,
//                                               byte rationale }  (hospital rationale where it differs)
//
// A group (one column-1 code) never spans two blocks. Open checks the header's checksum and
// that the blocks fill the file; a block's checksum is checked when it is first looked up,
// then it is inflated, decoded and kept. Read maps the file, so opening the table reads its
// index only.
// PtpTable is thread-safe: lookups from any number of threads (block decoding is guarded).
#ifndef BILLWISE_PIPELINE_AUDIT_PTP_PACK_H_
#define BILLWISE_PIPELINE_AUDIT_PTP_PACK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise::audit_internal {

// Base-36 number of a five-character HCPCS/CPT code, or nullopt for anything else.
// Lower-case letters are accepted and read as upper case.
std::optional<uint32_t> EncodeCode(std::string_view code);
std::string DecodeCode(uint32_t number);

// Modifier-indicator values as stored.
inline constexpr uint8_t kModNotAllowed = 0;
inline constexpr uint8_t kModAllowed = 1;
inline constexpr uint8_t kModNoEdit = 2;
inline constexpr uint8_t kModNotApplicable = 3;  // CMS "9"

struct PtpRow {
  std::string column1;
  std::string column2;
  uint8_t prac_mod = kModNoEdit;
  uint8_t oph_mod = kModNoEdit;
  uint8_t rationale = 0;
  std::optional<uint8_t> oph_rationale;
};

class PtpTable {
 public:
  struct Hit {
    uint8_t prac_mod;
    uint8_t oph_mod;
    uint8_t rationale;      // practitioner table's (or the shared) rationale
    uint8_t oph_rationale;  // hospital table's rationale
  };
  PtpTable();  // an empty table: finds nothing
  ~PtpTable();
  PtpTable(PtpTable&&) noexcept;
  PtpTable& operator=(PtpTable&&) noexcept;

  // Reads the header and block index of a packed table (the blocks stay compressed).
  // kBadData naming the problem for a wrong magic, a header checksum mismatch or a
  // truncated file.
  static Expected<PtpTable> Open(std::string bytes);
  // Maps the packed file at `path` read-only and opens it (kNotFound when it is missing).
  static Expected<PtpTable> Read(const std::string& path);

  // The edit with `column1` and `column2`, if any (in either setting's table). A block that
  // fails to inflate or decode finds nothing and is reported by Status().
  std::optional<Hit> Find(std::string_view column1, std::string_view column2) const;
  // Success, or the first error met decoding a block.
  Expected<void> Status() const;

  size_t pair_count() const { return pair_count_; }
  size_t block_count() const { return blocks_.size(); }
  const std::string& edition() const { return edition_; }
  // All rows in order (every block decoded), for dumping and round-trip tests.
  Expected<std::vector<PtpRow>> Rows() const;

 private:
  struct Block;  // one decoded block
  struct BlockRef {
    uint32_t first_column1 = 0;
    uint32_t groups = 0, pairs = 0;
    size_t inflated_size = 0;
    size_t offset = 0, deflated_size = 0;  // of the deflated bytes in bytes_
    uint32_t crc = 0;                       // CRC-32 of the deflated bytes
  };
  struct Cache;  // decoded blocks and the first error, behind a mutex
  Expected<const Block*> Decode(size_t index) const;
  static Expected<PtpTable> OpenBytes(std::string_view bytes, std::shared_ptr<const void> owner);

  std::shared_ptr<const void> owner_;  // keeps bytes_ alive: a std::string or a MappedFile
  std::string_view bytes_;
  std::string edition_;
  size_t pair_count_ = 0;
  std::vector<BlockRef> blocks_;  // sorted by first_column1
  std::unique_ptr<Cache> cache_;
};

// Packs rows that are sorted by (column1, column2) and unique. Fails with kBadData naming
// the offending row when a code is not five [0-9A-Z] characters or the order is wrong.
Expected<std::string> PackPtp(const std::string& edition, const std::vector<PtpRow>& rows);

}  // namespace billwise::audit_internal

#endif  // BILLWISE_PIPELINE_AUDIT_PTP_PACK_H_
