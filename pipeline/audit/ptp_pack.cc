#include "pipeline/audit/ptp_pack.h"

#include <algorithm>
#include <cstring>

#include "pipeline/tables/gzip.h"

namespace billwise::audit_internal {
namespace {

constexpr std::string_view kMagic = "BWPTP1\n";

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      auto byte = static_cast<uint8_t>(*p_++);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

 private:
  const char* p_;
  const char* end_;
};

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
  std::string groups, keys, attrs, overrides;
  size_t group_count = 0;
  uint32_t prev_c1 = 0;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    while (j < rows.size() && c1s[j] == c1s[i]) ++j;
    PutVarint(c1s[i] - prev_c1, &groups);
    PutVarint(j - i, &groups);
    prev_c1 = c1s[i];
    uint32_t prev_c2 = 0;
    for (size_t k = i; k < j; ++k) {
      PutVarint(c2s[k] - prev_c2, &keys);
      prev_c2 = c2s[k];
    }
    ++group_count;
    i = j;
  }
  size_t override_count = 0;
  size_t prev_index = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const PtpRow& r = rows[i];
    attrs.push_back(static_cast<char>(r.prac_mod | (r.oph_mod << 2) | (r.rationale << 4)));
    if (r.oph_rationale && *r.oph_rationale != r.rationale) {
      PutVarint(i - prev_index, &overrides);
      overrides.push_back(static_cast<char>(*r.oph_rationale));
      prev_index = i;
      ++override_count;
    }
  }
  std::string out(kMagic);
  PutVarint(edition.size(), &out);
  out += edition;
  PutVarint(group_count, &out);
  PutVarint(rows.size(), &out);
  out += groups;
  out += keys;
  out += attrs;
  PutVarint(override_count, &out);
  out += overrides;
  uint32_t crc = Crc32(out);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return out;
}

Expected<PtpTable> PtpTable::Unpack(std::string_view bytes) {
  auto bad = [](const std::string& why) { return Fail(ErrorCode::kBadData, "packed PTP table: " + why); };
  if (bytes.size() < kMagic.size() + 4 || bytes.substr(0, kMagic.size()) != kMagic) {
    return bad("wrong magic");
  }
  std::string_view body = bytes.substr(0, bytes.size() - 4);
  const auto* t = reinterpret_cast<const unsigned char*>(bytes.data() + body.size());
  uint32_t stored = static_cast<uint32_t>(t[0]) | static_cast<uint32_t>(t[1]) << 8 |
                    static_cast<uint32_t>(t[2]) << 16 | static_cast<uint32_t>(t[3]) << 24;
  if (Crc32(body) != stored) return bad("checksum mismatch");
  Reader in(body.substr(kMagic.size()));
  PtpTable table;
  uint64_t n = 0, groups = 0, pairs = 0;
  std::string_view edition;
  if (!in.Varint(&n) || !in.Bytes(n, &edition)) return bad("truncated edition");
  table.edition_ = std::string(edition);
  if (!in.Varint(&groups) || !in.Varint(&pairs)) return bad("truncated counts");
  if (groups > pairs || pairs > in.remaining()) return bad("implausible counts");
  table.column1_.resize(groups);
  table.group_start_.resize(groups + 1);
  table.column2_.resize(pairs);
  uint64_t c1 = 0, start = 0;
  for (uint64_t g = 0; g < groups; ++g) {
    uint64_t delta = 0, count = 0;
    if (!in.Varint(&delta) || !in.Varint(&count)) return bad("truncated groups");
    c1 += delta;
    if ((g > 0 && delta == 0) || c1 >= 60466176u) return bad("groups out of order");
    table.column1_[g] = static_cast<uint32_t>(c1);
    table.group_start_[g] = static_cast<uint32_t>(start);
    start += count;
    if (start > pairs) return bad("group sizes exceed pair count");
  }
  if (start != pairs) return bad("group sizes do not add up");
  table.group_start_[groups] = static_cast<uint32_t>(pairs);
  for (uint64_t g = 0; g < groups; ++g) {
    uint64_t c2 = 0;
    for (uint32_t i = table.group_start_[g]; i < table.group_start_[g + 1]; ++i) {
      uint64_t delta = 0;
      if (!in.Varint(&delta)) return bad("truncated keys");
      if (i > table.group_start_[g] && delta == 0) return bad("keys out of order");
      c2 += delta;
      if (c2 >= 60466176u) return bad("key out of range");
      table.column2_[i] = static_cast<uint32_t>(c2);
    }
  }
  std::string_view attrs;
  if (!in.Bytes(pairs, &attrs)) return bad("truncated attributes");
  table.attrs_.assign(attrs.begin(), attrs.end());
  uint64_t overrides = 0;
  if (!in.Varint(&overrides) || overrides > pairs) return bad("truncated overrides");
  uint64_t index = 0;
  for (uint64_t i = 0; i < overrides; ++i) {
    uint64_t delta = 0;
    std::string_view r;
    if (!in.Varint(&delta) || !in.Bytes(1, &r)) return bad("truncated overrides");
    index += delta;
    if (index >= pairs) return bad("override index out of range");
    table.oph_rationale_.emplace_back(static_cast<uint32_t>(index), static_cast<uint8_t>(r[0]));
  }
  if (in.remaining() != 0) return bad("trailing bytes");
  return table;
}

std::optional<PtpTable::Hit> PtpTable::Find(std::string_view column1, std::string_view column2) const {
  auto c1 = EncodeCode(column1);
  auto c2 = EncodeCode(column2);
  if (!c1 || !c2) return std::nullopt;
  auto g = std::lower_bound(column1_.begin(), column1_.end(), *c1);
  if (g == column1_.end() || *g != *c1) return std::nullopt;
  size_t gi = static_cast<size_t>(g - column1_.begin());
  auto first = column2_.begin() + group_start_[gi];
  auto last = column2_.begin() + group_start_[gi + 1];
  auto k = std::lower_bound(first, last, *c2);
  if (k == last || *k != *c2) return std::nullopt;
  auto index = static_cast<uint32_t>(k - column2_.begin());
  uint8_t a = attrs_[index];
  Hit hit{static_cast<uint8_t>(a & 3), static_cast<uint8_t>((a >> 2) & 3), static_cast<uint8_t>(a >> 4),
          static_cast<uint8_t>(a >> 4)};
  auto o = std::lower_bound(oph_rationale_.begin(), oph_rationale_.end(), std::make_pair(index, uint8_t{0}));
  if (o != oph_rationale_.end() && o->first == index) hit.oph_rationale = o->second;
  return hit;
}

std::vector<PtpRow> PtpTable::Rows() const {
  std::vector<PtpRow> rows;
  rows.reserve(column2_.size());
  size_t next_override = 0;
  for (size_t g = 0; g < column1_.size(); ++g) {
    std::string c1 = DecodeCode(column1_[g]);
    for (uint32_t i = group_start_[g]; i < group_start_[g + 1]; ++i) {
      PtpRow r;
      r.column1 = c1;
      r.column2 = DecodeCode(column2_[i]);
      r.prac_mod = attrs_[i] & 3;
      r.oph_mod = (attrs_[i] >> 2) & 3;
      r.rationale = attrs_[i] >> 4;
      if (next_override < oph_rationale_.size() && oph_rationale_[next_override].first == i) {
        r.oph_rationale = oph_rationale_[next_override++].second;
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

}  // namespace billwise::audit_internal
