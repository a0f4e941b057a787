#include "pipeline/tables/csv.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace billwise {
namespace {

int FindColumn(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// Reads the header record (dropping a byte-order mark) and checks the required columns.
Expected<std::vector<std::string>> ReadHeader(CsvReader* reader, std::vector<std::string_view>* fields,
                                              const std::string& name, const std::vector<std::string>& required) {
  if (!reader->Next(fields)) return Fail(ErrorCode::kBadData, name + ": empty table (no header row)");
  std::vector<std::string> header;
  for (std::string_view f : *fields) {
    std::string h(f);
    if (header.empty() && h.size() >= 3 && h.compare(0, 3, "\xEF\xBB\xBF") == 0) h.erase(0, 3);
    header.push_back(std::move(h));
  }
  for (const std::string& r : required) {
    if (FindColumn(header, r) < 0) return Fail(ErrorCode::kBadData, name + " line 1: missing column " + r);
  }
  return header;
}

// A number cell: surrounding spaces ignored, empty gives std::nullopt, and the rest must be
// exactly one number (after one leading '+' when `allow_plus`).
template <typename T>
Expected<std::optional<T>> ParseNumberCell(std::string_view s, bool allow_plus, const char* kind) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::optional<T>();
  if (allow_plus && s.front() == '+') s.remove_prefix(1);
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Fail(ErrorCode::kBadData, std::string("bad ") + kind + " '" + std::string(s) + "'");
  }
  return std::optional<T>(v);
}

// Bit masks of the 64 bytes p[0, 64): separators (',' and '\n'), quotes, newlines.
struct BlockBits {
  uint64_t separators, quotes, newlines;
};

BlockBits BitsOf(const char* p) {
  BlockBits b{0, 0, 0};
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i nl = _mm_cmpeq_epi8(v, newline);
    auto bits = [&](__m128i hit) { return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hit))) << (16 * k); };
    b.separators |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, comma), nl));
    b.quotes |= bits(_mm_cmpeq_epi8(v, quote));
    b.newlines |= bits(nl);
  }
#else
  for (int i = 0; i < 64; ++i) {
    uint64_t bit = uint64_t{1} << i;
    if (p[i] == ',' || p[i] == '\n') b.separators |= bit;
    if (p[i] == '"') b.quotes |= bit;
    if (p[i] == '\n') b.newlines |= bit;
  }
#endif
  return b;
}

}  // namespace

bool CsvReader::Next(std::vector<std::string_view>* fields) {
  fields->clear();
  scratch_.clear();
  unterminated_quote_ = false;
  const char* text = text_.data();
  const size_t n = text_.size();
  // Working copies (the compiler keeps them in registers; members would be reloaded after
  // every store into *fields).
  size_t pos = pos_;
  Block block = block_;
  int next_line = next_line_;
  // The first byte at or after `from` whose bit is set in mask `bits` of its block, or n.
  auto find = [&](size_t from, uint64_t Block::*bits) -> size_t {
    while (from < n) {
      size_t start = from & ~size_t{63};
      if (start != block.start) {
        BlockBits b;
        if (n - start >= 64) {
          b = BitsOf(text + start);
        } else {  // the last bytes: padded with bytes that are in no mask
          char tail[64] = {};
          std::memcpy(tail, text + start, n - start);
          b = BitsOf(tail);
        }
        block = Block{start, b.separators, b.quotes, b.newlines};
      }
      uint64_t rest = (block.*bits) >> (from - start);
      if (rest != 0) return from + static_cast<size_t>(std::countr_zero(rest));
      from = start + 64;
    }
    return n;
  };
  auto done = [&](bool result) {
    pos_ = pos;
    block_ = block;
    next_line_ = next_line;
    return result;
  };
  // Skip blank lines (and a lone '\r').
  while (pos < n && (text[pos] == '\n' || text[pos] == '\r')) {
    if (text[pos] == '\n') ++next_line;
    ++pos;
  }
  if (pos >= n) return done(false);
  line_ = next_line;
  for (;;) {
    if (pos < n && text[pos] == '"') {
      // Quoted field: find the closing quote; "" is an escaped quote.
      size_t start = ++pos;
      bool escaped = false;
      for (;;) {
        size_t at = find(pos, &Block::quotes);
        // Newlines inside the field: from the block's mask when the field is within it (the
        // usual case), else counted (without moving the block away from `at`).
        size_t upto = std::min(at, n);
        if (pos >= upto) {
          // nothing between
        } else if (pos >= block.start && upto - block.start <= 64) {
          uint64_t below_upto = upto - block.start == 64 ? ~uint64_t{0} : (uint64_t{1} << (upto - block.start)) - 1;
          uint64_t from_pos = ~uint64_t{0} << (pos - block.start);
          next_line += std::popcount(block.newlines & below_upto & from_pos);
        } else {
          next_line += static_cast<int>(std::count(text + pos, text + upto, '\n'));
        }
        if (at >= n) {
          pos = n;
          break;
        }
        if (at + 1 < n && text[at + 1] == '"') {
          escaped = true;
          pos = at + 2;
          continue;
        }
        pos = at;
        break;
      }
      std::string_view raw(text + start, pos - start);
      if (pos < n) {
        ++pos;  // closing quote
      } else {
        unterminated_quote_ = true;
      }
      if (escaped) {
        std::string s;
        s.reserve(raw.size());
        for (size_t i = 0; i < raw.size(); ++i) {
          s += raw[i];
          if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"') ++i;
        }
        std::deque<std::string>* store = store_ != nullptr ? store_ : &scratch_;
        store->push_back(std::move(s));
        fields->push_back(store->back());
      } else {
        fields->push_back(raw);
      }
      // Anything between the closing quote and the separator is ignored.
      pos = find(pos, &Block::separators);
    } else {
      // Unquoted: a quote inside is an ordinary character. The usual case, a field ended by
      // a comma, is handled here, with one test of the separator.
      size_t start = pos;
      pos = find(pos, &Block::separators);
      if (pos < n && ((block.newlines >> (pos - block.start)) & 1) == 0) {  // a comma
        fields->push_back(std::string_view(text + start, pos - start));
        if (++pos >= n) {
          fields->push_back(std::string_view());
          return done(true);
        }
        continue;
      }
      size_t end = pos;  // the record's last field: without the '\r' of a "\r\n"
      if (end > start && text[end - 1] == '\r') --end;
      fields->push_back(std::string_view(text + start, end - start));
    }
    if (pos >= n) return done(true);
    if (text[pos] == ',') {
      ++pos;
      if (pos >= n) {
        fields->push_back(std::string_view());
        return done(true);
      }
      continue;
    }
    // Newline ends the record.
    ++pos;
    ++next_line;
    return done(true);
  }
}

CsvTable::CsvTable(std::string_view text, std::string name, int first_line)
    : reader_(text, nullptr, first_line), name_(std::move(name)) {}

Expected<void> CsvTable::Open(const std::vector<std::string>& required) {
  auto header = ReadHeader(&reader_, &fields_, name_, required);
  if (!header) return std::unexpected(header.error());
  header_ = std::move(*header);
  return {};
}

int CsvTable::Column(std::string_view name) const { return FindColumn(header_, name); }

Error CsvTable::BadRow(std::string_view what) const {
  return Error{ErrorCode::kBadData, name_ + " line " + std::to_string(reader_.line()) + ": " + std::string(what)};
}

int CsvRows::Column(std::string_view name) const { return FindColumn(header_, name); }

Expected<CsvRows> ParseCsvRows(std::string text, const std::string& name,
                               const std::vector<std::string>& required_columns) {
  CsvRows rows;
  rows.text_ = std::make_unique<std::string>(std::move(text));
  rows.store_ = std::make_unique<std::deque<std::string>>();
  CsvReader reader(*rows.text_, rows.store_.get());
  std::vector<std::string_view> fields;
  auto header = ReadHeader(&reader, &fields, name, required_columns);
  if (!header) return std::unexpected(header.error());
  rows.header_ = std::move(*header);
  rows.columns_ = rows.header_.size();
  auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kBadData, name + " line " + std::to_string(reader.line()) + ": " + why);
  };
  if (reader.unterminated_quote()) return bad("unterminated quote");
  while (reader.Next(&fields)) {
    if (reader.unterminated_quote()) return bad("unterminated quote");
    if (fields.size() != rows.columns_) {
      return bad(std::to_string(fields.size()) + " fields, expected " + std::to_string(rows.columns_));
    }
    rows.cells_.insert(rows.cells_.end(), fields.begin(), fields.end());
  }
  return rows;
}

Expected<std::optional<double>> ParseDecimal(std::string_view s) { return ParseNumberCell<double>(s, true, "number"); }

Expected<std::optional<int>> ParseInt(std::string_view s) { return ParseNumberCell<int>(s, false, "integer"); }

Expected<std::optional<Money>> ParseMoneyCell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '$')) s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::optional<Money>();
  if (Money plain; ParsePlainMoney(s, &plain)) return std::optional<Money>(plain);
  bool negative = false;
  if (s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
    while (!s.empty() && s.front() == '$') s.remove_prefix(1);
  }
  int64_t whole = 0;
  int64_t frac = 0;
  int frac_digits = 0;
  bool seen_dot = false;
  bool any_digit = false;
  int64_t round_digit = -1;
  for (char c : s) {
    if (c == ',' && !seen_dot) continue;
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') return Fail(ErrorCode::kBadData, "bad amount '" + std::string(s) + "'");
    any_digit = true;
    if (!seen_dot) {
      if (whole > (INT64_MAX / 1000)) return Fail(ErrorCode::kBadData, "amount too large");
      whole = whole * 10 + (c - '0');
    } else if (frac_digits < 2) {
      frac = frac * 10 + (c - '0');
      ++frac_digits;
    } else if (round_digit < 0) {
      round_digit = c - '0';
    }
  }
  if (!any_digit) return Fail(ErrorCode::kBadData, "bad amount '" + std::string(s) + "'");
  if (frac_digits == 1) frac *= 10;
  int64_t cents = whole * 100 + frac + (round_digit >= 5 ? 1 : 0);
  return std::optional<Money>(Money{negative ? -cents : cents});
}

}  // namespace billwise
