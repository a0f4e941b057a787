#include "pipeline/tables/blocked_table.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "pipeline/tables/byte_codec.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"
#include "pipeline/tables/mapped_file.h"
#include "pipeline/tables/packed_blocks.h"

namespace billwise {
namespace {

constexpr std::string_view kMagic = "BWTAB1\n";

// The lines of `text` without their line ends (a final line end adds no empty line).
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// Fields of one CSV line; false when a quote is left open (a quoted line break).
bool SplitLine(std::string_view line, std::deque<std::string>* store, std::vector<std::string_view>* fields) {
  CsvReader reader(line, store);
  if (!reader.Next(fields)) fields->clear();
  return !reader.unterminated_quote();
}

}  // namespace

Expected<std::string> PackBlockedTable(std::string_view csv, const std::string& name,
                                       const BlockedTablePacking& packing) {
  std::vector<std::string_view> lines = Lines(csv);
  if (lines.empty()) return Fail(ErrorCode::kBadData, name + ": empty table (no header row)");
  std::deque<std::string> store;
  std::vector<std::string_view> fields;
  SplitLine(lines[0], &store, &fields);
  auto column = [&](const std::string& wanted) -> int {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == wanted) return static_cast<int>(i);
    }
    return -1;
  };
  int key = column(packing.key_column);
  int anchor = packing.anchor_column.empty() ? key : column(packing.anchor_column);
  if (key < 0) return Fail(ErrorCode::kBadData, name + " line 1: missing column " + packing.key_column);
  if (anchor < 0) return Fail(ErrorCode::kBadData, name + " line 1: missing column " + packing.anchor_column);
  auto field = [&](int i) { return static_cast<size_t>(i) < fields.size() ? fields[static_cast<size_t>(i)] : ""; };

  std::string index, blocks, body;
  size_t block_count = 0, block_first = 0;
  std::string block_key, last_key;
  auto close_block = [&](size_t end_row) -> Expected<void> {
    if (end_row == block_first) return {};
    auto deflated = RawDeflate(body);
    if (!deflated) return std::unexpected(deflated.error());
    PutVarint(block_key.size(), &index);
    index += block_key;
    PutVarint(block_first, &index);
    PutVarint(end_row - block_first, &index);
    PutVarint(body.size(), &index);
    PutVarint(deflated->size(), &index);
    PutU32(Crc32(*deflated), &index);
    blocks += *deflated;
    body.clear();
    ++block_count;
    return {};
  };
  size_t rows = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::string line_name = name + " line " + std::to_string(i + 1);
    if (!SplitLine(lines[i], &store, &fields)) {
      return Fail(ErrorCode::kBadData, line_name + ": a quoted field spans lines");
    }
    std::string_view k = field(key);
    bool is_anchor = !k.empty() && k != last_key && !field(anchor).empty();
    if (!k.empty()) {
      if (k < std::string_view(last_key)) return Fail(ErrorCode::kBadData, line_name + ": rows not sorted by " + packing.key_column);
      last_key = std::string(k);
    }
    if (rows == 0 && !is_anchor) return Fail(ErrorCode::kBadData, line_name + ": the first row must start a key");
    if (is_anchor && (rows == 0 || rows - block_first >= packing.rows_per_block)) {
      if (auto ok = close_block(rows); !ok) return std::unexpected(ok.error());
      block_first = rows;
      block_key = std::string(k);
    }
    body += lines[i];
    body += '\n';
    ++rows;
  }
  if (auto ok = close_block(rows); !ok) return std::unexpected(ok.error());

  std::string out(kMagic);
  PutVarint(lines[0].size(), &out);
  out += lines[0];
  PutVarint(static_cast<uint64_t>(key), &out);
  PutVarint(rows, &out);
  PutVarint(block_count, &out);
  out += index;
  PutU32(Crc32(out), &out);
  out += blocks;
  return out;
}

Expected<BlockedTable> BlockedTable::Open(std::string bytes, std::string name) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  const std::string_view view(*owned);
  return OpenBytes(view, std::move(owned), std::move(name));
}

Expected<BlockedTable> BlockedTable::OpenBytes(std::string_view bytes, std::shared_ptr<const void> owner,
                                               std::string name) {
  auto bad = [&name](const std::string& why) { return Fail(ErrorCode::kBadData, name + ": packed table: " + why); };
  if (bytes.size() < kMagic.size() + 4 || bytes.substr(0, kMagic.size()) != kMagic) {
    return bad("wrong magic");
  }
  BlockedTable table;
  ByteReader in(bytes.substr(kMagic.size()));
  uint64_t n = 0, key = 0, rows = 0, count = 0;
  std::string_view header;
  if (!in.Varint(&n) || !in.Bytes(n, &header)) return bad("truncated header line");
  if (!in.Varint(&key) || !in.Varint(&rows) || !in.Varint(&count)) return bad("truncated counts");
  if (count > rows || count > in.remaining()) return bad("implausible counts");
  uint64_t next_row = 0;
  table.blocks_.reserve(static_cast<size_t>(count));
  for (uint64_t b = 0; b < count; ++b) {
    uint64_t key_size = 0, first_row = 0, block_rows = 0, inflated = 0, deflated = 0;
    std::string_view first_key, crc;
    if (!in.Varint(&key_size) || !in.Bytes(key_size, &first_key) || !in.Varint(&first_row) ||
        !in.Varint(&block_rows) || !in.Varint(&inflated) || !in.Varint(&deflated) || !in.Bytes(4, &crc)) {
      return bad("truncated block index");
    }
    if (first_row != next_row || block_rows == 0 || inflated > (uint64_t{1} << 30)) return bad("inconsistent block index");
    if (b > 0 && first_key <= std::string_view(table.blocks_.back().first_key)) return bad("blocks out of order");
    next_row += block_rows;
    table.blocks_.push_back(Block{first_key, static_cast<size_t>(first_row), static_cast<size_t>(block_rows),
                                  static_cast<size_t>(inflated), 0, static_cast<size_t>(deflated), GetU32(crc)});
  }
  if (next_row != rows) return bad("block row counts do not add up");
  if (std::string wrong = PlaceBlocks(bytes, &in, &table.blocks_); !wrong.empty()) return bad(wrong);
  table.header_ = std::string(header);
  table.key_column_ = static_cast<size_t>(key);
  table.row_count_ = static_cast<size_t>(rows);
  table.owner_ = std::move(owner);
  table.bytes_ = bytes;
  table.name_ = std::move(name);
  return table;
}

Expected<BlockedTable> BlockedTable::Read(const std::string& path, std::string name) {
  auto mapped = MappedFile::Map(path);
  if (!mapped) return std::unexpected(mapped.error());
  const std::string_view bytes = (*mapped)->bytes();
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
    auto inflated = ReadFileInflating(path);  // a gzip-compressed pack
    if (!inflated) return std::unexpected(inflated.error());
    return Open(std::move(*inflated), std::move(name));
  }
  return OpenBytes(bytes, std::move(*mapped), std::move(name));
}

std::optional<size_t> BlockedTable::FindBlock(std::string_view key) const {
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), key,
                             [](std::string_view k, const Block& b) { return k < std::string_view(b.first_key); });
  if (it == blocks_.begin()) return std::nullopt;
  return static_cast<size_t>(it - blocks_.begin()) - 1;
}

Expected<std::string> BlockedTable::BlockCsv(size_t index) const {
  const Block& block = blocks_[index];
  const std::string_view deflated = bytes_.substr(block.offset, block.deflated_size);
  if (Crc32(deflated) != block.crc) {
    return Fail(ErrorCode::kBadData, name_ + ": packed table: checksum mismatch in block " + std::to_string(index));
  }
  auto rows = RawInflate(deflated, block.inflated_size);
  if (!rows) {
    return Fail(ErrorCode::kBadData, name_ + ": packed table: block " + std::to_string(index) + ": " + rows.error().message);
  }
  std::string csv;
  csv.reserve(header_.size() + 1 + rows->size());
  csv += header_;
  csv += '\n';
  csv += *rows;
  return csv;
}

Expected<std::string> BlockedTable::Csv() const {
  std::string csv = header_ + "\n";
  for (size_t b = 0; b < blocks_.size(); ++b) {
    auto text = BlockCsv(b);
    if (!text) return std::unexpected(text.error());
    csv.append(*text, header_.size() + 1);
  }
  return csv;
}

}  // namespace billwise
