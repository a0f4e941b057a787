// The packed NCCI procedure-to-procedure (PTP) edit table: format, packing and unpacking.
//
// CMS publishes the active PTP pairs as a 31 MB CSV (1.7 million rows). data/ncci/ ships
// them as a gzip-compressed, delta-encoded binary (about 0.25 MB) that unpacks in a few
// milliseconds into sorted arrays searched by binary search. Codes are five characters
// from [0-9A-Z] and are numbered in base 36 ('0'..'9' = 0..9, 'A'..'Z' = 10..35), which
// keeps ASCII order. Layout of the uncompressed stream (varint = LEB128, unsigned):
//
//   "BWPTP1\n"
//   varint edition_length, edition bytes   (e.g. "NCCI PTP 2024Q3 (v30.2)")
//   varint group_count, varint pair_count
//   group_count x { varint column1 - previous column1, varint pairs_in_group }
//   pair_count  x { varint column2 - previous column2 in the group (first: column2) }
//   pair_count  x { byte: bits 0-1 practitioner modifier indicator, bits 2-3 outpatient
//                   hospital indicator (0, 1, 2 = no active edit in that table, 3 = 9),
//                   bits 4-7 rationale code 0..15 }
//   varint override_count, override_count x { varint pair index - previous, byte rationale }
//                                           (hospital rationale where it differs)
//   4 bytes CRC-32 of everything above, little endian
//
// PtpTable is immutable plain data after Unpack; const access is thread-safe.
#ifndef BILLWISE_PIPELINE_AUDIT_PTP_PACK_H_
#define BILLWISE_PIPELINE_AUDIT_PTP_PACK_H_

#include <cstdint>
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
  // The edit with `column1` and `column2`, if any (in either setting's table).
  std::optional<Hit> Find(std::string_view column1, std::string_view column2) const;

  size_t pair_count() const { return column2_.size(); }
  size_t group_count() const { return column1_.size(); }
  const std::string& edition() const { return edition_; }
  // All rows in order, for dumping and round-trip tests.
  std::vector<PtpRow> Rows() const;

  static Expected<PtpTable> Unpack(std::string_view bytes);

 private:
  friend Expected<std::string> PackPtp(const std::string&, const std::vector<PtpRow>&);
  std::string edition_;
  std::vector<uint32_t> column1_;      // sorted, one per group
  std::vector<uint32_t> group_start_;  // column1_.size() + 1 offsets into column2_
  std::vector<uint32_t> column2_;      // sorted within each group
  std::vector<uint8_t> attrs_;
  std::vector<std::pair<uint32_t, uint8_t>> oph_rationale_;  // sorted by pair index
};

// Packs rows that are sorted by (column1, column2) and unique. Fails with kBadData naming
// the offending row when a code is not five [0-9A-Z] characters or the order is wrong.
Expected<std::string> PackPtp(const std::string& edition, const std::vector<PtpRow>& rows);

}  // namespace billwise::audit_internal

#endif  // BILLWISE_PIPELINE_AUDIT_PTP_PACK_H_
