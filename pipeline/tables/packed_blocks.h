// The layout billwise's two packed formats share (the .bwt tables, blocked_table.h, and the
// PTP table, pipeline/audit/ptp_pack.h): a header with a block index, the CRC-32 of
// everything before it, then the deflated blocks back to back to the end of the file.
// Header-only; no state.
#ifndef BILLWISE_PIPELINE_TABLES_PACKED_BLOCKS_H_
#define BILLWISE_PIPELINE_TABLES_PACKED_BLOCKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/tables/byte_codec.h"
#include "pipeline/tables/gzip.h"

namespace billwise {

// `in` has just read the block index of `bytes`: checks the header checksum that follows
// and gives each block (a struct with `offset` and `deflated_size`) its offset. "" when the
// blocks fill the rest of `bytes` exactly; else what is wrong: "truncated header", "header
// checksum mismatch", "truncated block N" or "trailing bytes".
template <typename Block>
std::string PlaceBlocks(std::string_view bytes, ByteReader* in, std::vector<Block>* blocks) {
  const size_t header_size = bytes.size() - in->remaining();
  std::string_view crc;
  if (!in->Bytes(4, &crc)) return "truncated header";
  if (Crc32(bytes.substr(0, header_size)) != GetU32(crc)) return "header checksum mismatch";
  size_t offset = bytes.size() - in->remaining();
  for (size_t b = 0; b < blocks->size(); ++b) {
    Block& block = (*blocks)[b];
    if (block.deflated_size > bytes.size() - offset) return "truncated block " + std::to_string(b);
    block.offset = offset;
    offset += block.deflated_size;
  }
  return offset == bytes.size() ? "" : "trailing bytes";
}

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_PACKED_BLOCKS_H_
