#include "pipeline/audit/ptp_pack.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "pipeline/tables/byte_codec.h"
#include "pipeline/tables/gzip.h"
#include "pipeline/tables/mapped_file.h"
#include "pipeline/tables/packed_blocks.h"

namespace billwise::audit_internal {
namespace {

constexpr std::string_view kMagic = "BWPTP2\n";
// A block holds whole groups and about this many pairs (the last group may overrun it).
constexpr size_t kPairsPerBlock = 2048;
constexpr uint32_t kCodeLimit = 60466176u;  // 36^5

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<uint32_t> EncodeCode(std::string_view code) {
  if (code.size() != 5) return std::nullopt;
  uint32_t v = 0;
  for (char c : code) {
    int d = DigitValue(c);
    if (d < 0) return std::nullopt;
    v = v * 36 + static_cast<uint32_t>(d);
  }
  return v;
}

std::string DecodeCode(uint32_t number) {
  std::string s(5, '0');
  for (int i = 4; i >= 0; --i) {
    uint32_t d = number % 36;
    s[i] = static_cast<char>(d < 10 ? '0' + d : 'A' + (d - 10));
    number /= 36;
  }
  return s;
}

struct PtpTable::Block {
  std::vector<uint32_t> column1;      // sorted, one per group
  std::vector<uint32_t> group_start;  // column1.size() + 1 offsets into column2
  std::vector<uint32_t> column2;      // sorted within each group
  std::vector<uint8_t> attrs;
  std::vector<std::pair<uint32_t, uint8_t>> oph_rationale;  // sorted by pair index in the block
};

struct PtpTable::Cache {
  std::mutex mutex;
  std::vector<std::unique_ptr<Block>> blocks;  // decoded, by index; null until first use
  std::optional<Error> error;
};

PtpTable::PtpTable() : cache_(std::make_unique<Cache>()) {}
PtpTable::~PtpTable() = default;
PtpTable::PtpTable(PtpTable&&) noexcept = default;
PtpTable& PtpTable::operator=(PtpTable&&) noexcept = default;

Expected<std::string> PackPtp(const std::string& edition, const std::vector<PtpRow>& rows) {
  std::vector<uint32_t> c1s, c2s;
  c1s.reserve(rows.size());
  c2s.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto c1 = EncodeCode(rows[i].column1);
    auto c2 = EncodeCode(rows[i].column2);
    if (!c1 || !c2) return Fail(ErrorCode::kBadData, "PTP row " + std::to_string(i + 1) + ": bad code");
    if (rows[i].prac_mod > 3 || rows[i].oph_mod > 3 || rows[i].rationale > 15) {
      return Fail(ErrorCode::kBadData, "PTP row " + std::to_string(i + 1) + ": bad attribute");
    }
    if (i > 0 && (*c1 < c1s.back() || (*c1 == c1s.back() && *c2 <= c2s.back()))) {
      return Fail(ErrorCode::kBadData, "PTP row " + std::to_string(i + 1) + ": not sorted or repeated");
    }
    c1s.push_back(*c1);
    c2s.push_back(*c2);
  }
  std::string index, blocks;
  size_t block_count = 0;
  uint32_t prev_first = 0;
  for (size_t begin = 0; begin < rows.size();) {
    // One block: whole groups from `begin` until it holds kPairsPerBlock pairs or more.
    std::string groups, keys, attrs, overrides;
    size_t group_count = 0, override_count = 0, prev_override = 0;
    uint32_t prev_c1 = c1s[begin];
    size_t end = begin;
    while (end < rows.size() && end - begin < kPairsPerBlock) {
      size_t j = end;
      while (j < rows.size() && c1s[j] == c1s[end]) ++j;
      PutVarint(c1s[end] - prev_c1, &groups);
      PutVarint(j - end, &groups);
      prev_c1 = c1s[end];
      uint32_t prev_c2 = 0;
      for (size_t k = end; k < j; ++k) {
        PutVarint(c2s[k] - prev_c2, &keys);
        prev_c2 = c2s[k];
        const PtpRow& r = rows[k];
        attrs.push_back(static_cast<char>(r.prac_mod | (r.oph_mod << 2) | (r.rationale << 4)));
        if (r.oph_rationale && *r.oph_rationale != r.rationale) {
          PutVarint(k - begin - prev_override, &overrides);
          overrides.push_back(static_cast<char>(*r.oph_rationale));
          prev_override = k - begin;
          ++override_count;
        }
      }
      ++group_count;
      end = j;
    }
    std::string body = groups + keys + attrs;
    PutVarint(override_count, &body);
    body += overrides;
    auto deflated = RawDeflate(body);
    if (!deflated) return std::unexpected(deflated.error());
    PutVarint(c1s[begin] - prev_first, &index);
    PutVarint(group_count, &index);
    PutVarint(end - begin, &index);
    PutVarint(body.size(), &index);
    PutVarint(deflated->size(), &index);
    PutU32(Crc32(*deflated), &index);
    prev_first = c1s[begin];
    blocks += *deflated;
    ++block_count;
    begin = end;
  }
  std::string out(kMagic);
  PutVarint(edition.size(), &out);
  out += edition;
  PutVarint(rows.size(), &out);
  PutVarint(block_count, &out);
  out += index;
  PutU32(Crc32(out), &out);
  out += blocks;
  return out;
}

Expected<PtpTable> PtpTable::Open(std::string bytes) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  const std::string_view view(*owned);
  return OpenBytes(view, std::move(owned));
}

Expected<PtpTable> PtpTable::Read(const std::string& path) {
  auto mapped = MappedFile::Map(path);
  if (!mapped) return std::unexpected(mapped.error());
  const std::string_view bytes = (*mapped)->bytes();
  return OpenBytes(bytes, std::move(*mapped));
}

Expected<PtpTable> PtpTable::OpenBytes(std::string_view bytes, std::shared_ptr<const void> owner) {
  auto bad = [](const std::string& why) { return Fail(ErrorCode::kBadData, "packed PTP table: " + why); };
  if (bytes.size() < kMagic.size() + 4 || bytes.substr(0, kMagic.size()) != kMagic) {
    return bad("wrong magic");
  }
  PtpTable table;
  ByteReader in(bytes.substr(kMagic.size()));
  uint64_t n = 0, pairs = 0, block_count = 0;
  std::string_view edition;
  if (!in.Varint(&n) || !in.Bytes(n, &edition)) return bad("truncated edition");
  table.edition_ = std::string(edition);
  if (!in.Varint(&pairs) || !in.Varint(&block_count)) return bad("truncated counts");
  if (block_count > pairs || block_count > in.remaining()) return bad("implausible counts");
  uint64_t first = 0, pair_sum = 0;
  for (uint64_t b = 0; b < block_count; ++b) {
    uint64_t delta = 0, groups = 0, block_pairs = 0, inflated = 0, deflated = 0;
    std::string_view crc;
    if (!in.Varint(&delta) || !in.Varint(&groups) || !in.Varint(&block_pairs) || !in.Varint(&inflated) ||
        !in.Varint(&deflated) || !in.Bytes(4, &crc)) {
      return bad("truncated block index");
    }
    first += delta;
    if ((b > 0 && delta == 0) || first >= kCodeLimit) return bad("blocks out of order");
    if (groups == 0 || groups > block_pairs || block_pairs > pairs || inflated > (uint64_t{1} << 30)) {
      return bad("implausible block sizes");
    }
    pair_sum += block_pairs;
    table.blocks_.push_back(BlockRef{static_cast<uint32_t>(first), static_cast<uint32_t>(groups),
                                     static_cast<uint32_t>(block_pairs), static_cast<size_t>(inflated), 0,
                                     static_cast<size_t>(deflated), GetU32(crc)});
  }
  if (pair_sum != pairs) return bad("block sizes do not add up");
  if (std::string wrong = PlaceBlocks(bytes, &in, &table.blocks_); !wrong.empty()) return bad(wrong);
  table.pair_count_ = static_cast<size_t>(pairs);
  table.owner_ = std::move(owner);
  table.bytes_ = bytes;
  table.cache_->blocks.resize(table.blocks_.size());
  return table;
}

Expected<const PtpTable::Block*> PtpTable::Decode(size_t index) const {
  // Called with cache_->mutex held.
  if (cache_->blocks[index]) return cache_->blocks[index].get();
  const BlockRef& ref = blocks_[index];
  auto bad = [index](const std::string& why) {
    return Fail(ErrorCode::kBadData, "packed PTP table: block " + std::to_string(index) + ": " + why);
  };
  const std::string_view deflated = bytes_.substr(ref.offset, ref.deflated_size);
  if (Crc32(deflated) != ref.crc) return bad("checksum mismatch");
  auto body = RawInflate(deflated, ref.inflated_size);
  if (!body) return bad(body.error().message);
  auto block = std::make_unique<Block>();
  ByteReader in(*body);
  block->column1.resize(ref.groups);
  block->group_start.resize(ref.groups + 1);
  block->column2.resize(ref.pairs);
  uint64_t c1 = ref.first_column1, start = 0;
  for (uint32_t g = 0; g < ref.groups; ++g) {
    uint64_t delta = 0, count = 0;
    if (!in.Varint(&delta) || !in.Varint(&count)) return bad("truncated groups");
    c1 += delta;
    if ((g > 0 && delta == 0) || c1 >= kCodeLimit) return bad("groups out of order");
    block->column1[g] = static_cast<uint32_t>(c1);
    block->group_start[g] = static_cast<uint32_t>(start);
    start += count;
    if (start > ref.pairs) return bad("group sizes exceed pair count");
  }
  if (start != ref.pairs) return bad("group sizes do not add up");
  block->group_start[ref.groups] = ref.pairs;
  for (uint32_t g = 0; g < ref.groups; ++g) {
    uint64_t c2 = 0;
    for (uint32_t i = block->group_start[g]; i < block->group_start[g + 1]; ++i) {
      uint64_t delta = 0;
      if (!in.Varint(&delta)) return bad("truncated keys");
      if (i > block->group_start[g] && delta == 0) return bad("keys out of order");
      c2 += delta;
      if (c2 >= kCodeLimit) return bad("key out of range");
      block->column2[i] = static_cast<uint32_t>(c2);
    }
  }
  std::string_view attrs;
  if (!in.Bytes(ref.pairs, &attrs)) return bad("truncated attributes");
  block->attrs.assign(attrs.begin(), attrs.end());
  uint64_t overrides = 0;
  if (!in.Varint(&overrides) || overrides > ref.pairs) return bad("truncated overrides");
  uint64_t pair = 0;
  for (uint64_t i = 0; i < overrides; ++i) {
    uint64_t delta = 0;
    std::string_view r;
    if (!in.Varint(&delta) || !in.Bytes(1, &r)) return bad("truncated overrides");
    pair += delta;
    if (pair >= ref.pairs || (i > 0 && delta == 0)) return bad("override index out of range");
    block->oph_rationale.emplace_back(static_cast<uint32_t>(pair), static_cast<uint8_t>(r[0]));
  }
  if (in.remaining() != 0) return bad("trailing bytes");
  cache_->blocks[index] = std::move(block);
  return cache_->blocks[index].get();
}

std::optional<PtpTable::Hit> PtpTable::Find(std::string_view column1, std::string_view column2) const {
  auto c1 = EncodeCode(column1);
  auto c2 = EncodeCode(column2);
  if (!c1 || !c2 || blocks_.empty()) return std::nullopt;
  // The last block whose first column-1 code is not after c1.
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), *c1,
                             [](uint32_t v, const BlockRef& b) { return v < b.first_column1; });
  if (it == blocks_.begin()) return std::nullopt;
  size_t index = static_cast<size_t>(it - blocks_.begin()) - 1;
  std::lock_guard lock(cache_->mutex);
  auto decoded = Decode(index);
  if (!decoded) {
    if (!cache_->error) cache_->error = decoded.error();
    return std::nullopt;
  }
  const Block& block = **decoded;
  auto g = std::lower_bound(block.column1.begin(), block.column1.end(), *c1);
  if (g == block.column1.end() || *g != *c1) return std::nullopt;
  size_t gi = static_cast<size_t>(g - block.column1.begin());
  auto first = block.column2.begin() + block.group_start[gi];
  auto last = block.column2.begin() + block.group_start[gi + 1];
  auto k = std::lower_bound(first, last, *c2);
  if (k == last || *k != *c2) return std::nullopt;
  auto pair = static_cast<uint32_t>(k - block.column2.begin());
  uint8_t a = block.attrs[pair];
  Hit hit{static_cast<uint8_t>(a & 3), static_cast<uint8_t>((a >> 2) & 3), static_cast<uint8_t>(a >> 4),
          static_cast<uint8_t>(a >> 4)};
  auto o = std::lower_bound(block.oph_rationale.begin(), block.oph_rationale.end(), std::make_pair(pair, uint8_t{0}));
  if (o != block.oph_rationale.end() && o->first == pair) hit.oph_rationale = o->second;
  return hit;
}

Expected<void> PtpTable::Status() const {
  std::lock_guard lock(cache_->mutex);
  if (cache_->error) return std::unexpected(*cache_->error);
  return {};
}

Expected<std::vector<PtpRow>> PtpTable::Rows() const {
  std::vector<PtpRow> rows;
  rows.reserve(pair_count_);
  std::lock_guard lock(cache_->mutex);
  for (size_t b = 0; b < blocks_.size(); ++b) {
    auto decoded = Decode(b);
    if (!decoded) return std::unexpected(decoded.error());
    const Block& block = **decoded;
    size_t next_override = 0;
    for (size_t g = 0; g < block.column1.size(); ++g) {
      std::string c1 = DecodeCode(block.column1[g]);
      for (uint32_t i = block.group_start[g]; i < block.group_start[g + 1]; ++i) {
        PtpRow r;
        r.column1 = c1;
        r.column2 = DecodeCode(block.column2[i]);
        r.prac_mod = block.attrs[i] & 3;
        r.oph_mod = (block.attrs[i] >> 2) & 3;
        r.rationale = block.attrs[i] >> 4;
        if (next_override < block.oph_rationale.size() && block.oph_rationale[next_override].first == i) {
          r.oph_rationale = block.oph_rationale[next_override++].second;
        }
        rows.push_back(std::move(r));
      }
    }
  }
  return rows;
}

}  // namespace billwise::audit_internal
