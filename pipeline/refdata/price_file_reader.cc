#include "pipeline/refdata/price_file_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <simdjson.h>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "pipeline/model/strings.h"
#include "pipeline/tables/csv.h"

namespace billwise {
namespace {

constexpr size_t kBlock = 1 << 20;              // JSON bytes read at a time
constexpr size_t kCsvBlock = 1 << 17;           // CSV bytes read at a time
constexpr size_t kMaxItem = size_t{256} << 20;  // a single JSON item larger than this is an error
constexpr size_t kMaxSkeleton = size_t{4} << 20;

// ASCII only, whatever the locale (and without a call per character).
bool Space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
char ToLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// *out = s, reusing *out's storage, and not written at all when it already holds s: the same
// settings, methodologies and codes come back row after row (compared inline: the cells are
// short, and a call to memcmp costs more than the loop).
void AssignCell(std::string_view s, std::string* out) {
  if (out->size() == s.size()) {
    const char* o = out->data();
    size_t i = 0;
    while (i < s.size() && o[i] == s[i]) ++i;
    if (i == s.size()) return;
  }
  out->assign(s.data(), s.size());
}

// s upper-cased without its spaces, into *out (reused: no allocation once it has grown).
void UpperNoSpaceInto(std::string_view s, std::string* out) {
  if (std::none_of(s.begin(), s.end(), [](char c) { return Space(c) || (c >= 'a' && c <= 'z'); })) {
    AssignCell(s, out);  // the usual case: the code as it is, often the row before's
    return;
  }
  out->resize(s.size());
  size_t n = 0;
  for (char c : s) {
    (*out)[n] = ToUpper(c);
    n += Space(c) ? 0 : 1;
  }
  out->resize(n);
}

// Trim() inlined: called for every cell.
std::string_view TrimCell(std::string_view s) {
  while (!s.empty() && Space(s.front())) s.remove_prefix(1);
  while (!s.empty() && Space(s.back())) s.remove_suffix(1);
  return s;
}

// A money cell into *out (std::nullopt when empty or not an amount). Written in place: the
// record's optionals are filled where they are rather than copied from a temporary.
void CellMoney(std::string_view s, std::optional<Money>* out) {
  s = TrimCell(s);
  if (s.empty()) {
    out->reset();
    return;
  }
  if (Money m; ParsePlainMoney(s, &m)) {
    *out = m;
    return;
  }
  auto v = ParseMoneyCell(s);
  if (v && *v) *out = **v;
  else out->reset();
}


std::optional<Money> CellMoney(std::string_view s) {
  std::optional<Money> m;
  CellMoney(s, &m);
  return m;
}

std::optional<double> CellNumber(std::string_view s) {
  s = TrimCell(s);
  if (!s.empty() && s.back() == '%') s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// ---------------------------------------------------------------- JSON

namespace sj = simdjson::dom;

std::string JsonText(sj::element e) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return "";
}

std::string Field(sj::object o, std::string_view key) {
  sj::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return "";
  return JsonText(e);
}

// One item (an element of a top-level array), read with simdjson's On-Demand API: one pass
// over its fields in file order, nothing built but the records (the DOM API measured slower).
// Fields arrive in any order, so charges are collected first and delivered for every code at
// the end. The records, their rates and their strings are reused from item to item, so a
// warm reader allocates nothing per item. kInvalidInput-worthy errors come back as the
// simdjson error code.
namespace od = simdjson::ondemand;

#define BW_TRY(expr)                       \
  do {                                     \
    if (auto bw_e = (expr)) return bw_e;   \
  } while (false)

// key == literal, with the comparison inlined (keys are compared millions of times).
template <size_t N>
bool Is(std::string_view key, const char (&literal)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

// Bit 7 of each byte of w set where the byte is C, and possibly above such a byte: exact
// up to the first C.
template <char C>
uint64_t BytesEqual(uint64_t w) {
  uint64_t x = w ^ (0x0101010101010101 * static_cast<unsigned char>(C));  // a zero byte where w holds C
  return (x - 0x0101010101010101) & ~x & 0x8080808080808080;
}

// True when s holds C. Read 8 bytes at a time, past s's end too: for text inside a padded
// simdjson document only.
template <char C>
bool HasByte(std::string_view s) {
  for (size_t n = 0; n < s.size(); n += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + n, 8);
    uint64_t hit = BytesEqual<C>(w);
    if (hit && n + static_cast<size_t>(std::countr_zero(hit)) / 8 < s.size()) return true;
  }
  return false;
}

// a == b, compared inline 8 bytes at a time (a call to memcmp costs more than these short
// strings' comparison).
bool SameText(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  size_t n = 0;
  for (; n + 8 <= b.size(); n += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + n, 8);
    std::memcpy(&y, b.data() + n, 8);
    if (x != y) return false;
  }
  for (; n < b.size(); ++n) {
    if (a[n] != b[n]) return false;
  }
  return true;
}

// A field's key as written, without unescaping: the keys read here hold no escapes, and a key
// that does (or holds an escaped quote) matches none of them, as it should. The closing quote
// (simdjson found it before handing out the field) is looked for 8 bytes at a time: reading
// past it is safe, the document being padded.
std::string_view RawKey(od::field& f) {
  const char* k = f.key().raw();
  for (size_t n = 0;; n += 8) {
    uint64_t w;
    std::memcpy(&w, k + n, 8);
    if (uint64_t quote = BytesEqual<'"'>(w)) return {k, n + static_cast<size_t>(std::countr_zero(quote)) / 8};
  }
}

// A string value into *out ("" for any other type). Strings without a backslash are taken
// from the document as they are (and not copied when *out already holds them: the same
// payers come back item after item); only escaped ones are unescaped by simdjson.
simdjson::error_code OdText(od::value v, std::string* out) {
  std::string_view token = v.raw_json_token();
  if (token.empty() || token.front() != '"') {
    out->clear();
    return simdjson::SUCCESS;
  }
  size_t close = token.find_last_of('"');
  if (close == 0) return simdjson::STRING_ERROR;
  std::string_view body = token.substr(1, close - 1);
  if (!HasByte<'\\'>(body)) {
    if (!SameText(*out, body)) out->assign(body);
    return simdjson::SUCCESS;
  }
  std::string_view sv;
  BW_TRY(v.get_string().get(sv));
  out->assign(sv);
  return simdjson::SUCCESS;
}

// A JSON number written with at most two decimals and at most 12 digits before the point
// ("1234", "-5.5", "88.95"), the usual price, as its exact cents: the cents
// RoundDollarsToCents gives for its double. False for anything else (exponents, more
// decimals, a malformed number, a string), which is read as a double.
bool PlainCents(std::string_view token, int64_t* cents) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  bool negative = i < token.size() && token[i] == '-';
  if (negative) ++i;
  if (i == token.size() || !digit(token[i])) return false;
  int64_t whole = 0;
  size_t first = i;
  while (i < token.size() && digit(token[i]) && i - first < 13) whole = whole * 10 + (token[i++] - '0');
  if (i - first > 12 || (token[first] == '0' && i - first > 1)) return false;
  int64_t fraction = 0;
  if (i < token.size() && token[i] == '.') {
    size_t start = ++i;
    while (i < token.size() && digit(token[i]) && i - start < 3) fraction = fraction * 10 + (token[i++] - '0');
    if (i == start || i - start > 2) return false;
    if (i - start == 1) fraction *= 10;
  }
  for (; i < token.size(); ++i) {  // the token runs to the next structural character
    char c = token[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
  }
  *cents = (negative ? -1 : 1) * (whole * 100 + fraction);
  return true;
}

simdjson::error_code OdMoney(od::value v, std::optional<Money>* out) {
  if (int64_t cents = 0; PlainCents(v.raw_json_token(), &cents)) {
    *out = Money::FromCents(cents);
    return simdjson::SUCCESS;
  }
  *out = std::nullopt;
  double d = 0;
  if (v.get_double().get(d) == simdjson::SUCCESS) {  // the usual case: a number
    if (std::fabs(d) < 1e13) *out = RoundDollarsToCents(d);  // beyond that it is not a price
    return simdjson::SUCCESS;
  }
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::number) {
    return simdjson::NUMBER_ERROR;
  } else if (t == od::json_type::string) {
    std::string_view sv;
    if (auto e = v.get_string().get(sv)) return e;
    *out = CellMoney(sv);
  }
  return simdjson::SUCCESS;
}

simdjson::error_code OdNumber(od::value v, std::optional<double>* out) {
  *out = std::nullopt;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::number) {
    double d = 0;
    if (auto e = v.get_double().get(d)) return e;
    *out = d;
  } else if (t == od::json_type::string) {
    std::string_view sv;
    if (auto e = v.get_string().get(sv)) return e;
    *out = CellNumber(sv);
  }
  return simdjson::SUCCESS;
}

void ResetRecord(PriceRecord* r) {
  r->code.clear();
  r->code_type.clear();
  r->setting.clear();
  r->modifiers.clear();
  r->gross.reset();
  r->cash.reset();
  r->min.reset();
  r->max.reset();
  r->rates.clear();
}

// Reads a payers_information entry into *r, which may hold an earlier entry: every field is
// either read or reset.
simdjson::error_code OdPayer(od::object o, NegotiatedRate* r, std::string* contracting) {
  r->dollar.reset();
  r->percentage.reset();
  r->estimated.reset();
  bool payer = false, plan = false, algorithm = false, methodology = false, contract = false;
  for (auto result : o) {
    od::field field;
    BW_TRY(std::move(result).get(field));
    std::string_view key = RawKey(field);
    od::value& v = field.value();
    if (Is(key, "payer_name")) {
      payer = true;
      BW_TRY(OdText(v, &r->payer));
    } else if (Is(key, "plan_name")) {
      plan = true;
      BW_TRY(OdText(v, &r->plan));
    } else if (Is(key, "standard_charge_dollar") || Is(key, "standard_charge")) {
      BW_TRY(OdMoney(v, &r->dollar));
    } else if (Is(key, "standard_charge_percentage")) {
      BW_TRY(OdNumber(v, &r->percentage));
    } else if (Is(key, "standard_charge_algorithm")) {
      algorithm = true;
      BW_TRY(OdText(v, &r->algorithm));
    } else if (Is(key, "estimated_amount")) {
      BW_TRY(OdMoney(v, &r->estimated));
    } else if (Is(key, "methodology")) {
      methodology = true;
      BW_TRY(OdText(v, &r->methodology));
    } else if (Is(key, "contracting_method")) {
      contract = true;
      BW_TRY(OdText(v, contracting));
    }
  }
  if (!payer) r->payer.clear();
  if (!plan) r->plan.clear();
  if (!algorithm) r->algorithm.clear();
  if (!methodology || r->methodology.empty()) {
    if (contract) r->methodology.assign(*contracting);
    else r->methodology.clear();
  }
  return simdjson::SUCCESS;
}

// Reads items into records it keeps from one item to the next.
class ItemReader {
 public:
  simdjson::error_code Read(od::object item, const PriceRecordSink& sink, int64_t* delivered) {
    codes_used_ = 0;
    charges_used_ = 0;
    bool has_charge_list = false;
    bool flat_used = false;
    flat_code_.clear();
    flat_type_.clear();
    for (auto result : item) {
      od::field field;
      BW_TRY(std::move(result).get(field));
      std::string_view key = RawKey(field);
      od::value& v = field.value();
      if (Is(key, "code_information")) {
        od::array infos;
        BW_TRY(v.get_array().get(infos));
        for (auto ci : infos) {
          od::object c;
          BW_TRY(ci.get_object().get(c));
          text_.clear();
          type_.clear();
          for (auto cresult : c) {
            od::field cf;
            BW_TRY(std::move(cresult).get(cf));
            std::string_view ck = RawKey(cf);
            if (Is(ck, "code")) BW_TRY(OdText(cf.value(), &text_));
            else if (Is(ck, "type")) BW_TRY(OdText(cf.value(), &type_));
          }
          AddCode(text_, type_);
        }
      } else if (Is(key, "standard_charges")) {
        has_charge_list = true;
        od::array list;
        BW_TRY(v.get_array().get(list));
        for (auto ce : list) {
          od::object c;
          BW_TRY(ce.get_object().get(c));
          PriceRecord* rec = NextCharge();
          payers_seen_ = false;
          for (auto cresult : c) {
            od::field cf;
            BW_TRY(std::move(cresult).get(cf));
            BW_TRY(ChargeField(RawKey(cf), cf.value(), rec));
          }
          if (!payers_seen_) rec->rates.clear();
        }
      } else if (flat_code_.empty() && (Is(key, "code") || Is(key, "cpt") || Is(key, "hcpcs") || Is(key, "cpt_code") ||
                                        Is(key, "hcpcs_code") || Is(key, "billing_code"))) {
        BW_TRY(OdText(v, &flat_code_));
      } else if (Is(key, "code_type") || Is(key, "type")) {
        BW_TRY(OdText(v, &flat_type_));
      } else {
        if (!flat_used) ResetRecord(&flat_);
        flat_used = true;
        BW_TRY(ChargeField(key, v, &flat_));
      }
    }
    if (codes_used_ == 0 && !flat_code_.empty()) AddCode(flat_code_, flat_type_);
    if (!has_charge_list) {
      if (!flat_used) ResetRecord(&flat_);
      *NextCharge() = flat_;
    }
    for (size_t i = 0; i < charges_used_; ++i) {
      PriceRecord& rec = charges_[i];
      for (size_t k = 0; k < codes_used_; ++k) {
        rec.code = codes_[k].first;
        rec.code_type = codes_[k].second;
        sink(rec);
        ++*delivered;
      }
    }
    return simdjson::SUCCESS;
  }

 private:
  void AddCode(std::string_view code, std::string_view type) {
    if (codes_used_ == codes_.size()) codes_.emplace_back();
    auto& [c, t] = codes_[codes_used_];
    UpperNoSpaceInto(code, &c);
    if (c.empty()) return;
    UpperNoSpaceInto(type, &t);
    ++codes_used_;
  }

  PriceRecord* NextCharge() {
    if (charges_used_ == charges_.size()) charges_.emplace_back();
    PriceRecord* rec = &charges_[charges_used_++];
    std::vector<NegotiatedRate> rates;
    rates.swap(rec->rates);  // kept: the next payers_information overwrites them in place
    ResetRecord(rec);
    rates.swap(rec->rates);
    return rec;
  }

  // Reads one charge object's field (standard_charges[] entry, or a flat item) into *rec.
  simdjson::error_code ChargeField(std::string_view key, od::value& v, PriceRecord* rec) {
    if (Is(key, "payers_information")) {
      od::array payers;
      BW_TRY(v.get_array().get(payers));
      // Rates are written over those of the earlier item read into this record: in the same
      // order, mostly the same payers and plans, so their strings are rarely copied.
      std::vector<NegotiatedRate>& rates = rec->rates;
      size_t n = 0;
      for (auto pe : payers) {
        od::object po;
        BW_TRY(pe.get_object().get(po));
        if (n == rates.size()) rates.emplace_back();
        BW_TRY(OdPayer(po, &rates[n++], &contracting_));
      }
      rates.resize(n);
      payers_seen_ = true;
    } else if (Is(key, "setting")) {
      BW_TRY(OdText(v, &rec->setting));
      for (char& c : rec->setting) c = ToLower(c);
    } else if (Is(key, "gross_charge") || Is(key, "gross")) {
      BW_TRY(OdMoney(v, &rec->gross));
    } else if (Is(key, "discounted_cash") || Is(key, "discounted_cash_price") || Is(key, "cash_price") || Is(key, "cash") ||
               Is(key, "self_pay")) {
      BW_TRY(OdMoney(v, &rec->cash));
    } else if (Is(key, "minimum") || Is(key, "min")) {
      BW_TRY(OdMoney(v, &rec->min));
    } else if (Is(key, "maximum") || Is(key, "max")) {
      BW_TRY(OdMoney(v, &rec->max));
    } else if (Is(key, "modifier_code")) {
      od::json_type t;
      BW_TRY(v.type().get(t));
      if (t == od::json_type::array) {
        od::array mods;
        BW_TRY(v.get_array().get(mods));
        for (auto m : mods) {
          od::value mv;
          BW_TRY(m.get(mv));
          BW_TRY(OdText(mv, &text_));
          if (text_.empty()) continue;
          if (!rec->modifiers.empty()) rec->modifiers += '|';
          rec->modifiers += text_;
        }
      } else {
        BW_TRY(OdText(v, &rec->modifiers));
      }
    }
    return simdjson::SUCCESS;
  }

 private:
  std::vector<std::pair<std::string, std::string>> codes_;  // (code, type); the first codes_used_ hold this item's
  size_t codes_used_ = 0;
  std::vector<PriceRecord> charges_;  // the first charges_used_ hold this item's
  size_t charges_used_ = 0;
  bool payers_seen_ = false;  // the charge being read had payers_information
  PriceRecord flat_;
  std::string flat_code_, flat_type_, text_, type_, contracting_;
};

#undef BW_TRY

// ---------------------------------------------------------------- item boundaries

// The bytes of 64 characters that matter for finding where a JSON item ends, one bit per
// character: quotes, backslashes, opening and closing brackets ({ or [, } or ]).
struct BlockMasks {
  uint64_t quote = 0, backslash = 0, open = 0, close = 0;
};

#if defined(__SSE2__)
BlockMasks MasksOf(const char* p) {
  BlockMasks m;
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  // '{' and '[' differ only in bit 0x20, as do '}' and ']'.
  const __m128i case_bit = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i folded = _mm_or_si128(v, case_bit);
    int shift = 16 * k;
    m.quote |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))) << shift;
    m.backslash |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)))) << shift;
    m.open |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)))) << shift;
    m.close |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close)))) << shift;
  }
  return m;
}
#define BILLWISE_HAVE_AVX2_MASKS 1
[[gnu::target("avx2")]] BlockMasks MasksOfAvx2(const char* p) {
  BlockMasks m;
  const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\');
  const __m256i case_bit = _mm256_set1_epi8(0x20), open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}');
  for (int k = 0; k < 2; ++k) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
    __m256i folded = _mm256_or_si256(v, case_bit);
    int shift = 32 * k;
    m.quote |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote)))) << shift;
    m.backslash |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash)))) << shift;
    m.open |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, open)))) << shift;
    m.close |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, close)))) << shift;
  }
  return m;
}
#else
BlockMasks MasksOf(const char* p) {
  BlockMasks m;
  for (int i = 0; i < 64; ++i) {
    uint64_t bit = uint64_t{1} << i;
    char c = p[i];
    if (c == '"') m.quote |= bit;
    else if (c == '\\') m.backslash |= bit;
    else if (c == '{' || c == '[') m.open |= bit;
    else if (c == '}' || c == ']') m.close |= bit;
  }
  return m;
}
#endif

// The characters escaped by a backslash. *carry: the block before ended in an unpaired
// backslash (so this block's first character is escaped); updated for the next block.
// Backslashes are rare in price files, so they are walked one by one.
uint64_t Escaped(uint64_t backslash, bool* carry) {
  uint64_t escaped = 0;
  if (*carry) {
    escaped = 1;
    backslash &= ~uint64_t{1};
  }
  *carry = false;
  while (backslash) {
    int i = std::countr_zero(backslash);
    backslash &= backslash - 1;
    if (i == 63) {
      *carry = true;
      break;
    }
    escaped |= uint64_t{1} << (i + 1);
    backslash &= ~(uint64_t{1} << (i + 1));
  }
  return escaped;
}

// Bit i set when an odd number of the bits 0..i of x are set: with x the quotes, the
// characters inside strings (opening quote included, closing quote not).
uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// Finds the end of a JSON item 64 bytes at a time: the bracket that closes it, not counting
// brackets inside strings. Brackets are matched on a stack so that a mismatch is reported
// where it is; the rest of the item's syntax is checked later, by simdjson.
class ItemEndFinder {
 public:
  enum class Result { kEnd, kMore, kMismatch, kTooDeep };
  static constexpr int kMaxDepth = 512;

  // Call at the byte after the item's opening brace.
  void Start() {
    open_[0] = '{';
    depth_ = 1;
    in_string_ = 0;
    escape_ = false;
  }
  // Scans text[*pos, size) (readable to size + 64 bytes). kEnd: *at is the closing brace's
  // offset. kMismatch/kTooDeep: *at is the offending bracket. kMore: *pos is where scanning
  // resumes once more text follows.
  Result Find(const char* text, size_t size, size_t* pos, size_t* at_out) {
#if defined(BILLWISE_HAVE_AVX2_MASKS)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2) return FindAvx2(text, size, pos, at_out);
#endif
    return FindWith<MasksOf>(text, size, pos, at_out);
  }

 private:
#if defined(BILLWISE_HAVE_AVX2_MASKS)
  [[gnu::target("avx2"), gnu::flatten]] Result FindAvx2(const char* text, size_t size, size_t* pos, size_t* at_out) {
    return FindWith<MasksOfAvx2>(text, size, pos, at_out);
  }
#endif

  template <BlockMasks (*Masks)(const char*)>
  Result FindWith(const char* text, size_t size, size_t* pos, size_t* at_out) {
    size_t at = *pos;
    while (at < size) {
      size_t avail = size - at;
      const char* block = text + at;
      char tail[64];
      int depth = depth_;
      if (avail < 64) {  // the last bytes so far: padded with spaces, undone unless the item ends there
        std::memcpy(tail, block, avail);
        std::memset(tail + avail, ' ', 64 - avail);
        block = tail;
        std::memcpy(saved_, open_, static_cast<size_t>(depth));
      }
      BlockMasks m = Masks(block);
      bool escape = escape_;
      uint64_t quotes = m.quote & ~Escaped(m.backslash, &escape);
      uint64_t inside = PrefixXor(quotes) ^ in_string_;
      uint64_t brackets = (m.open | m.close) & ~inside;
      while (brackets) {
        int i = std::countr_zero(brackets);
        brackets &= brackets - 1;
        char c = block[i];
        if (c == '{' || c == '[') {
          if (depth == kMaxDepth) {
            *at_out = at + static_cast<size_t>(i);
            return Result::kTooDeep;
          }
          open_[depth++] = c;
          continue;
        }
        if ((c == '}') != (open_[depth - 1] == '{')) {
          *at_out = at + static_cast<size_t>(i);
          return Result::kMismatch;
        }
        if (--depth == 0) {
          *at_out = at + static_cast<size_t>(i);
          return Result::kEnd;
        }
      }
      if (avail < 64) {  // scanned again with the bytes that follow
        std::memcpy(open_, saved_, static_cast<size_t>(depth_));
        break;
      }
      depth_ = depth;
      escape_ = escape;
      in_string_ = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
      at += 64;
    }
    *pos = at;
    return Result::kMore;
  }

  char open_[kMaxDepth];  // the brackets open inside the item, its own brace first
  char saved_[kMaxDepth];
  int depth_ = 0;
  uint64_t in_string_ = 0;  // all ones when the last block ended inside a string
  bool escape_ = false;
};

// Whole items cut from the text, in the read buffer they lie in: handed as it is from the
// thread that reads and cuts to the one that parses, and given back for reuse.
struct ItemBatch {
  struct Item {
    size_t start = 0, end = 0;  // [start, end) in text
    size_t skeleton = 0;        // the skeleton's size there: the metadata read before the item
  };
  std::vector<char> text;  // each item is followed by at least SIMDJSON_PADDING readable bytes
  uint64_t base = 0;       // the file offset of text[0]
  uint64_t read = 0;       // the bytes read from the source when the batch was handed over
  std::vector<Item> items;
  bool last = false;           // nothing follows: the text ended, or cutting stopped at `end`
  Expected<void> end;          // for the last batch: how the text ended
};

// The hand-over between the two threads. At most kQueued batches wait to be parsed, so memory
// stays a few read buffers whatever the file's size; parsed buffers come back for reuse.
class BatchQueue {
 public:
  static constexpr size_t kQueued = 2;

  // Waits for room. False once the parsing side has closed the queue: stop cutting.
  bool Push(ItemBatch batch) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return closed_ || full_.size() < kQueued; });
    if (closed_) return false;
    full_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }
  // Waits for the next batch (the cutting side always ends with a `last` one).
  ItemBatch Pop() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !full_.empty(); });
    ItemBatch batch = std::move(full_.front());
    full_.pop_front();
    changed_.notify_all();
    return batch;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    changed_.notify_all();
  }
  // A parsed batch's buffer, kept for the next Reuse.
  void Recycle(std::vector<char> text) {
    std::lock_guard lock(mu_);
    if (free_.size() < kQueued + 2) free_.push_back(std::move(text));  // as many as are ever in use
  }
  std::vector<char> Reuse() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return {};
    std::vector<char> text = std::move(free_.back());
    free_.pop_back();
    return text;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<ItemBatch> full_;
  std::vector<std::vector<char>> free_;
  bool closed_ = false;
};

// Cuts the JSON text into the elements of its top-level arrays (the items) and a skeleton
// holding everything else (the metadata), scanning strings and brackets only: byte by byte
// outside the items (a few hundred bytes of metadata), 64 bytes at a time inside them.
// Two threads: one reads (and inflates) the text and cuts it, the other, the caller's, parses
// the items in file order and calls the sink, so the sink sees what a single thread would.
class JsonStream {
 public:
  JsonStream(PriceFileSource& src, const PriceRecordSink& sink, PriceFileInfo* info)
      : src_(src), sink_(sink), info_(info) {}

  Expected<void> Run() {
    Expected<void> end;
    {
      std::thread cutter([this] { Cut(); });
      struct Join {  // also when the sink throws
        BatchQueue& queue;
        std::thread& thread;
        ~Join() {
          queue.Close();
          thread.join();
        }
      } join{queue_, cutter};
      end = ParseBatches();
    }
    if (bad_item_skeleton_) {
      // Stopped at a bad item: the metadata is what was read before it, as if reading had stopped there.
      skeleton_.resize(*bad_item_skeleton_);
      stack_ = root_object_ ? "{[" : "[";
      in_string_ = false;
    }
    ParseSkeleton();
    return end;
  }

  // The bytes read from the source up to where parsing ended (the cutting side may have read
  // further before it heard).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  // The error: partial when items were already delivered, fatal otherwise.
  std::unexpected<Error> Stop(const std::string& why, uint64_t at = UINT64_MAX) {
    if (at == UINT64_MAX) at = base_ + used_;
    return Fail(ErrorCode::kInvalidInput, info_->name + ": byte " + std::to_string(at) + ": " + why);
  }

  // The parsing side: the items of each batch in turn. Returns how the text ended, or the
  // first bad item (its skeleton size in bad_item_skeleton_).
  Expected<void> ParseBatches() {
    while (true) {
      ItemBatch batch = queue_.Pop();
      for (const ItemBatch::Item& item : batch.items) {
        if (auto ok = ParseItem(batch, item); !ok) {
          bad_item_skeleton_ = item.skeleton;
          bytes_read_ = batch.read;
          return ok;
        }
      }
      bytes_read_ = batch.read;
      if (batch.last) return batch.end;
      queue_.Recycle(std::move(batch.text));
    }
  }

  // The cutting side: reads, cuts and hands over the items a read at a time, then a last
  // batch saying how the text ended.
  void Cut() {
    Expected<void> end = CutAll();
    if (stopped_) return;
    ItemBatch last{std::move(buf_), base_, src_.offset(), std::move(items_), true, std::move(end)};
    queue_.Push(std::move(last));
  }

  Expected<void> CutAll() {
    size_t pos = 0;  // scan position in buf_
    while (true) {
      Reserve(&buf_, used_);
      auto n = src_.Read(buf_.data() + used_, kBlock);
      if (!n) return Stop(n.error().message);
      if (*n == 0) break;
      used_ += *n;
      if (auto ok = Scan(&pos); !ok) return ok;
      // Keep only what an unfinished item or string still needs.
      size_t keep = in_item_ ? item_start_ : pos;
      if (in_string_ && !in_item_) keep = std::min(keep, string_start_);
      if (!HandOver(keep)) return {};
      used_ -= keep;
      pos -= keep;
      base_ += keep;
      if (in_item_) item_start_ -= keep;
      if (in_string_) string_start_ -= keep;
      if (in_item_ && used_ - item_start_ > kMaxItem) return Stop("an item larger than 256 MB");
    }
    if (stack_.size() > 0 || in_string_ || !seen_root_) {
      return Stop(seen_root_ ? "the JSON text ends early (truncated file)" : "empty file");
    }
    return {};
  }

  // Makes room in *buf for a read after its first `used` bytes (and the padding simdjson
  // reads past an item). Buffers start at two reads, so that the unfinished item carried
  // to the next buffer rarely makes it grow.
  static void Reserve(std::vector<char>* buf, size_t used) {
    size_t need = used + kBlock + simdjson::SIMDJSON_PADDING;
    if (buf->size() < need) buf->resize(std::max(need, 2 * kBlock));
  }

  // Moves buf_[keep, used_) to the front of a buffer: a fresh one, when the items found so far
  // go with buf_ to the parsing side; buf_ itself otherwise. False when parsing has stopped.
  bool HandOver(size_t keep) {
    if (items_.empty()) {
      if (keep > 0) std::memmove(buf_.data(), buf_.data() + keep, used_ - keep);
      return true;
    }
    std::vector<char> next = queue_.Reuse();
    Reserve(&next, used_ - keep);
    std::memcpy(next.data(), buf_.data() + keep, used_ - keep);
    ItemBatch batch{std::move(buf_), base_, src_.offset(), std::move(items_), false, {}};
    buf_ = std::move(next);
    items_.clear();
    if (!queue_.Push(std::move(batch))) stopped_ = true;
    return !stopped_;
  }

  void Keep(char c) {
    if (skeleton_.size() < kMaxSkeleton) skeleton_ += c;
  }
  // True while inside an array that is a direct child of the root object.
  bool InTopArray() const {
    return root_object_ ? stack_.size() >= 2 && stack_[1] == '[' : stack_.size() >= 1;
  }
  size_t ItemDepth() const { return root_object_ ? 2 : 1; }

  Expected<void> Scan(size_t* pos_io) {
    size_t pos = *pos_io;
    const char* b = buf_.data();
    while (pos < used_) {
      if (in_item_) {
        // Inside an item only its end matters; simdjson reads the rest.
        size_t end = 0;
        auto found = item_end_.Find(b, used_, &pos, &end);
        if (found == ItemEndFinder::Result::kMore) break;
        if (found == ItemEndFinder::Result::kMismatch) return Stop("unbalanced bracket", base_ + end);
        if (found == ItemEndFinder::Result::kTooDeep) return Stop("nesting deeper than 512", base_ + end);
        stack_.pop_back();  // the item's brace
        top_ = true;
        in_item_ = false;
        items_.push_back({item_start_, end + 1, skeleton_.size()});
        pos = end + 1;
        continue;
      }
      if (in_string_) {
        const char* q = static_cast<const char*>(std::memchr(b + pos, '"', used_ - pos));
        size_t stop = q ? static_cast<size_t>(q - b) + 1 : used_;
        if (!top_) KeepRange(b + pos, stop - pos);
        if (q == nullptr) {
          pos = used_;
          break;
        }
        size_t qpos = stop - 1;
        size_t back = 0;
        while (qpos - back > string_start_ + 1 && b[qpos - back - 1] == '\\') ++back;
        pos = stop;
        if (back % 2 == 0) in_string_ = false;
        continue;
      }
      if (top_) {
        // Inside the item arrays only brackets and quotes matter: skip everything else.
        while (pos < used_ && !kStructural[static_cast<unsigned char>(b[pos])]) ++pos;
        if (pos == used_) break;
      }
      char c = b[pos];
      bool was_top = top_;
      switch (c) {
        case '"':
          in_string_ = true;
          string_start_ = pos;
          break;
        case '{':
        case '[':
          if (!seen_root_) {
            seen_root_ = true;
            root_object_ = c == '{';
          }
          if (c == '{' && !stack_.empty() && stack_.back() == '[' && stack_.size() == ItemDepth()) {
            in_item_ = true;
            item_start_ = pos;
          }
          if (stack_.size() > 512) return Stop("nesting deeper than 512", base_ + pos);
          stack_.push_back(c);
          if (in_item_ && item_start_ == pos) item_end_.Start();
          top_ = InTopArray();
          break;
        case '}':
        case ']': {
          if (stack_.empty() || (c == '}') != (stack_.back() == '{')) return Stop("unbalanced bracket", base_ + pos);
          stack_.pop_back();
          top_ = InTopArray();
          break;
        }
        default:
          if (!seen_root_ && !std::isspace(static_cast<unsigned char>(c)) && !(base_ + pos < 3 && (c & 0x80))) {
            return Stop("not JSON: the text does not start with { or [", base_ + pos);
          }
          break;
      }
      if (!was_top || !top_) Keep(c);
      ++pos;
    }
    *pos_io = pos;
    return {};
  }

  void KeepRange(const char* p, size_t n) {
    skeleton_.append(p, std::min(n, kMaxSkeleton - std::min(kMaxSkeleton, skeleton_.size())));
  }

  static constexpr auto kStructural = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {'"', '{', '}', '[', ']'}) t[c] = true;
    return t;
  }();

  Expected<void> ParseItem(const ItemBatch& batch, const ItemBatch::Item& at) {
    od::document doc;
    od::object item;
    const std::vector<char>& text = batch.text;
    auto err = od_parser_.iterate(text.data() + at.start, at.end - at.start, text.size() - at.start).get(doc);
    if (!err) err = doc.get_object().get(item);
    if (!err) err = reader_.Read(item, sink_, &info_->records);
    if (err) {
      return Stop(std::string("bad JSON in the item starting here: ") + simdjson::error_message(err), batch.base + at.start);
    }
    return {};
  }

  void ParseSkeleton() {
    if (skeleton_parsed_) return;
    skeleton_parsed_ = true;
    // A file that ends early leaves the skeleton open: close what it holds, best effort.
    if (in_string_ && !top_) skeleton_ += '"';
    for (size_t i = stack_.size(); i-- > 0;) {
      bool kept = root_object_ ? !(i >= 2 && stack_[1] == '[') : i == 0;
      if (kept) skeleton_ += stack_[i] == '{' ? '}' : ']';
    }
    simdjson::padded_string text(skeleton_);
    sj::element root;
    if (parser_.parse(text).get(root) != simdjson::SUCCESS) return;
    sj::object o;
    if (root.get_object().get(o) != simdjson::SUCCESS) return;
    info_->hospital_name = Field(o, "hospital_name");
    info_->last_updated_on = Field(o, "last_updated_on");
    info_->version = Field(o, "version");
  }

  PriceFileSource& src_;
  const PriceRecordSink& sink_;
  PriceFileInfo* info_;
  BatchQueue queue_;
  // The parsing side's. info_->records is written by it alone; the rest of info_ and the
  // cutting side's state below are read only once the cutting thread has ended.
  od::parser od_parser_;
  ItemReader reader_;
  std::optional<size_t> bad_item_skeleton_;
  uint64_t bytes_read_ = 0;
  // The cutting side's.
  std::vector<char> buf_;
  std::vector<ItemBatch::Item> items_;  // items found in buf_, not yet handed over
  bool stopped_ = false;                // parsing has stopped: cut no further
  size_t used_ = 0;
  uint64_t base_ = 0;  // file offset of buf_[0]
  std::string stack_;
  bool seen_root_ = false;
  bool root_object_ = false;
  bool in_string_ = false;
  bool top_ = false;  // InTopArray(), kept up to date at every bracket
  size_t string_start_ = 0;
  bool in_item_ = false;
  size_t item_start_ = 0;
  ItemEndFinder item_end_;
  std::string skeleton_;
  sj::parser parser_;  // the skeleton, parsed once the cutting thread has ended
  bool skeleton_parsed_ = false;
};

// ---------------------------------------------------------------- CSV

// True when text[0, n) holds an odd number of '"'. Vectorised by the compiler: a byte-wise
// xor, no branch per byte.
bool OddQuotes(const char* text, size_t n) {
  unsigned char parity = 0;
  for (size_t i = 0; i < n; ++i) parity ^= static_cast<unsigned char>(text[i] == '"');
  return (parity & 1) != 0;
}

// True when text[0, n) is plain ASCII.
bool AllAscii(const char* text, size_t n) {
  unsigned char high = 0;
  for (size_t i = 0; i < n; ++i) high |= static_cast<unsigned char>(text[i]);
  return (high & 0x80) == 0;
}

std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    if (u >= 0x80) continue;  // BOM and other non-ASCII bytes
    out += static_cast<char>(std::tolower(u));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct WideRate {
  std::string payer, plan;
  int dollar = -1, percentage = -1, algorithm = -1, estimated = -1, methodology = -1;
};

struct CsvLayout {
  std::vector<std::pair<int, int>> codes;  // (code column, type column or -1)
  int setting = -1, modifiers = -1, gross = -1, cash = -1, min = -1, max = -1;
  // Tall: one payer per row.
  int payer = -1, plan = -1, dollar = -1, percentage = -1, algorithm = -1, estimated = -1, methodology = -1;
  std::vector<WideRate> wide;
  bool usable() const {
    bool wide_rate = std::any_of(wide.begin(), wide.end(), [](const WideRate& w) {
      return w.dollar >= 0 || w.percentage >= 0 || w.algorithm >= 0;
    });
    return !codes.empty() && (gross >= 0 || cash >= 0 || dollar >= 0 || wide_rate);
  }
};

CsvLayout FindLayout(const std::vector<std::string_view>& header) {
  CsvLayout l;
  std::vector<std::string> names;
  for (std::string_view h : header) names.push_back(Normalize(h));
  auto find = [&](std::string_view n) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == n) return static_cast<int>(i);
    }
    return -1;
  };
  std::map<std::pair<std::string, std::string>, size_t> wide_index;
  auto wide = [&](const std::string& payer, const std::string& plan) -> WideRate& {
    auto key = std::make_pair(Lower(payer), Lower(plan));
    auto it = wide_index.find(key);
    if (it == wide_index.end()) {
      it = wide_index.emplace(key, l.wide.size()).first;
      l.wide.push_back(WideRate{payer, plan});
    }
    return l.wide[it->second];
  };
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    int col = static_cast<int>(i);
    std::vector<std::string_view> parts = Split(n, '|');
    if (parts.size() == 2 && parts[0] == "code" && !parts[1].empty()) {
      l.codes.emplace_back(col, find(n + "|type"));
      continue;
    }
    if (parts.size() >= 4 && (parts[0] == "standard_charge" || parts[0] == "estimated_amount")) {
      // Wide: standard_charge|PAYER|PLAN|negotiated_dollar, estimated_amount|PAYER|PLAN.
      // Payer and plan names keep the header's case.
      std::vector<std::string_view> raw = Split(Trim(header[i]), '|');
      if (raw.size() != parts.size()) continue;
      WideRate& w = wide(std::string(Trim(raw[1])), std::string(Trim(raw[2])));
      std::string_view what = parts[3];
      if (what == "negotiated_dollar") w.dollar = col;
      else if (what == "negotiated_percentage") w.percentage = col;
      else if (what == "negotiated_algorithm") w.algorithm = col;
      else if (what == "methodology" || what == "contracting_method") w.methodology = col;
      continue;
    }
    if (parts.size() == 3 && parts[0] == "estimated_amount") {
      std::vector<std::string_view> raw = Split(Trim(header[i]), '|');
      if (raw.size() == 3) wide(std::string(Trim(raw[1])), std::string(Trim(raw[2]))).estimated = col;
      continue;
    }
    if (n == "setting") l.setting = col;
    else if (n == "modifiers" || n == "modifier") l.modifiers = col;
    else if (n == "payer_name") l.payer = col;
    else if (n == "plan_name") l.plan = col;
    else if (n == "standard_charge|negotiated_dollar") l.dollar = col;
    else if (n == "standard_charge|negotiated_percentage") l.percentage = col;
    else if (n == "standard_charge|negotiated_algorithm") l.algorithm = col;
    else if (n == "estimated_amount" || n == "standard_charge|estimated_amount") l.estimated = col;
    else if (n == "standard_charge|methodology" || n == "standard_charge|contracting_method") l.methodology = col;
    else if (n == "standard_charge|min" || n == "standard_charge|minimum" || n == "de-identified minimum") l.min = col;
    else if (n == "standard_charge|max" || n == "standard_charge|maximum" || n == "de-identified maximum") l.max = col;
    else if (n == "standard_charge|gross" && l.gross < 0) l.gross = col;
    else if (n == "standard_charge|discounted_cash" && l.cash < 0) l.cash = col;
    else {
      // Plain CSVs.
      static const char* const kCodeNames[] = {"cpt", "hcpcs", "cpt/hcpcs", "hcpcs/cpt", "cpt code", "hcpcs code",
                                               "cpt/hcpcs code", "cpt_code", "hcpcs_code", "cpt/hcpcs_code",
                                               "code", "billing code", "procedure code", "cpt®/hcpcs"};
      bool is_code = false;
      for (const char* k : kCodeNames) is_code = is_code || n == k;
      if (is_code) {
        int type = find(n + " type");
        l.codes.emplace_back(col, type >= 0 ? type : find("code type"));
        continue;
      }
      bool gross = n.find("gross") != std::string::npos;
      bool cash = n.find("cash") != std::string::npos || n.find("self pay") != std::string::npos ||
                  n.find("self-pay") != std::string::npos;
      bool other = n.find("min") != std::string::npos || n.find("max") != std::string::npos ||
                   n.find("negotiated") != std::string::npos;
      if (gross && !cash && !other && l.gross < 0) l.gross = col;
      if (cash && !gross && !other && l.cash < 0) l.cash = col;
    }
  }
  return l;
}

// How much of a price file a layout reads: the columns it found.
int Score(const CsvLayout& l) {
  int n = 2 * static_cast<int>(l.codes.size());
  for (int c : {l.setting, l.modifiers, l.gross, l.cash, l.min, l.max, l.payer, l.plan, l.dollar, l.percentage, l.algorithm,
                l.estimated, l.methodology}) {
    n += c >= 0 ? 1 : 0;
  }
  for (const WideRate& w : l.wide) {
    for (int c : {w.dollar, w.percentage, w.algorithm, w.estimated, w.methodology}) n += c >= 0 ? 1 : 0;
  }
  return n;
}

// The column names of a header written over several rows, the last row holding the field
// names and the rows above grouping them, as spreadsheets export merged cells:
//   standard_charge|Aetna|PPO,,            (or Aetna,, above PPO,, : payer, then plan)
//   negotiated_dollar,negotiated_percentage,methodology
// gives standard_charge|Aetna|PPO|negotiated_dollar ... A group name stands over the blank
// cells to its right. A field name that is whole by itself (it holds a '|', or is one of the
// template's own column names) is kept as it is; a blank one takes the name above it.
std::vector<std::string> CombineHeaderRows(const std::vector<std::vector<std::string>>& rows) {
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.size());
  const std::vector<std::string>& last = rows.back();
  std::vector<std::string> names(width), group(rows.size() - 1);
  static const char* const kWhole[] = {"description", "setting", "modifiers", "payer_name", "plan_name",
                                       "drug_unit_of_measurement", "drug_type_of_measurement",
                                       "additional_generic_notes", "additional_payer_notes", "billing_class"};
  for (size_t i = 0; i < width; ++i) {
    std::vector<std::string_view> own, above;
    for (size_t j = 0; j + 1 < rows.size(); ++j) {
      std::string_view cell = i < rows[j].size() ? TrimCell(rows[j][i]) : std::string_view();
      if (!cell.empty()) {
        group[j] = std::string(cell);
        for (size_t below = j + 1; below + 1 < rows.size(); ++below) group[below].clear();  // a new group
        own.push_back(cell);
      }
      if (!group[j].empty()) above.push_back(group[j]);
    }
    std::string_view field = i < last.size() ? TrimCell(last[i]) : std::string_view();
    std::string lower = Normalize(field);
    auto join = [](const std::vector<std::string_view>& parts) {
      std::string out;
      for (std::string_view p : parts) {
        if (!out.empty()) out += '|';
        out += p;
      }
      return out;
    };
    bool whole = lower.find('|') != std::string::npos ||
                 std::any_of(std::begin(kWhole), std::end(kWhole), [&](const char* k) { return lower == k; });
    if (field.empty()) {
      names[i] = join(own);
    } else if (whole || above.empty()) {
      names[i] = std::string(field);
    } else {
      std::string prefix = join(above);
      std::string plower = Normalize(prefix);
      bool charge = plower == "standard_charge" || plower.starts_with("standard_charge|");
      if (lower == "estimated_amount") {
        // estimated_amount|PAYER|PLAN: the payer and plan without a standard_charge group.
        std::string rest = charge ? prefix.substr(std::min(prefix.size(), std::string_view("standard_charge|").size())) : prefix;
        names[i] = rest.empty() ? std::string(field) : "estimated_amount|" + rest;
      } else if (!charge && (lower == "negotiated_dollar" || lower == "negotiated_percentage" ||
                             lower == "negotiated_algorithm" || lower == "methodology" || lower == "contracting_method")) {
        names[i] = "standard_charge|" + prefix + "|" + std::string(field);  // payer and plan above
      } else {
        names[i] = prefix + "|" + std::string(field);
      }
    }
  }
  return names;
}

CsvLayout FindLayout(const std::vector<std::string>& names) {
  std::vector<std::string_view> views(names.begin(), names.end());
  return FindLayout(views);
}

class CsvStream {
 public:
  CsvStream(PriceFileSource& src, const PriceRecordSink& sink, PriceFileInfo* info)
      : src_(src), sink_(sink), info_(info) {}

  Expected<void> Run() {
    // Read kCsvBlock at a time into a buffer that only grows for a record longer than a block;
    // small enough that a block stays in the core's cache from read(2) to the last field.
    std::string buf(2 * kCsvBlock, '\0');
    size_t used = 0;     // bytes of buf holding text
    size_t scanned = 0;  // bytes of buf already scanned for quotes
    bool in_quote = false;
    bool eof = false;
    while (!eof) {
      if (buf.size() < used + kCsvBlock) buf.resize(std::max(2 * buf.size(), used + kCsvBlock));
      auto n = src_.Read(buf.data() + used, kCsvBlock);
      if (!n) return Fail(n.error().code, n.error().message + Where());
      used += *n;
      eof = *n == 0;
      // The end of the last whole record: the last newline outside quotes, that is with an
      // even number of quotes (after the state at `scanned`) before it. Walked back from the
      // end one line at a time; each byte's quotes are counted twice at most.
      size_t cut = std::string::npos;
      const char* text = buf.data();
      const bool odd_all = OddQuotes(text + scanned, used - scanned);
      bool odd_after = false;  // the parity of the quotes in text[end, used)
      size_t end = used;
      while (end > scanned) {
        const void* nl = memrchr(text + scanned, '\n', end - scanned);
        if (nl == nullptr) break;
        size_t i = static_cast<size_t>(static_cast<const char*>(nl) - text);
        odd_after ^= OddQuotes(text + i, end - i);
        end = i;
        if (in_quote == (odd_all ^ odd_after)) {  // outside quotes at this newline
          cut = i + 1;
          break;
        }
      }
      in_quote ^= odd_all;  // the state at the end of buf
      scanned = used;
      if (eof) cut = used;
      if (cut == std::string::npos) {
        if (used > kMaxItem) return Fail(ErrorCode::kInvalidInput, info_->name + ": line " + std::to_string(line_) + ": a record longer than 256 MB (unclosed quote?)");
        continue;
      }
      if (auto ok = Records(std::string_view(buf.data(), cut)); !ok) return ok;
      std::memmove(buf.data(), buf.data() + cut, used - cut);
      used -= cut;
      scanned = used;
    }
    if (!found_) return Fail(ErrorCode::kInvalidInput, info_->name + ": no header row with code and price columns in the first 10 rows");
    return {};
  }

 private:
  std::string Where() const { return " (line " + std::to_string(line_) + ")"; }

  // The text's encoding is decided by its bytes: UTF-8, or, when the first bytes beyond ASCII
  // are not UTF-8, Latin-1 (spreadsheet exports), turned into UTF-8 here. Decided a read
  // (1 MiB) at a time: a file that changes from one to the other has mixed encodings, an
  // error at the first line that does, after the lines before it.
  Expected<void> Records(std::string_view text) {
    bool beyond_ascii = !AllAscii(text.data(), text.size());
    bool utf8 = !beyond_ascii || simdjson::validate_utf8(text.data(), text.size());
    if (beyond_ascii && encoding_ != (utf8 ? Encoding::kLatin1 : Encoding::kUtf8)) {
      encoding_ = utf8 ? Encoding::kUtf8 : Encoding::kLatin1;
    } else if (beyond_ascii) {
      // The first line written in the other encoding.
      size_t start = 0;
      while (start < text.size()) {
        size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end + 1;
        std::string_view line = text.substr(start, end - start);
        bool other = utf8 ? std::any_of(line.begin(), line.end(), [](char c) { return (c & 0x80) != 0; })
                          : !simdjson::validate_utf8(line.data(), line.size());
        if (other) break;
        start = end;
      }
      int bad_line = line_ + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(start), '\n'));
      if (auto ok = Parse(text.substr(0, start)); !ok) return ok;
      return Fail(ErrorCode::kInvalidInput, info_->name + ": line " + std::to_string(bad_line) +
                                                ": mixed text encodings (" + (utf8 ? "UTF-8 after Latin-1" : "not UTF-8 after UTF-8") + ")");
    }
    if (encoding_ == Encoding::kLatin1) {
      latin1_.clear();
      for (char c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x80) {
          latin1_ += c;
        } else {
          latin1_ += static_cast<char>(0xC0 | (u >> 6));
          latin1_ += static_cast<char>(0x80 | (u & 0x3F));
        }
      }
      return Parse(latin1_);
    }
    return Parse(text);
  }

  Expected<void> Parse(std::string_view text) {
    CsvReader reader(text, nullptr, line_);
    while (reader.Next(&row_)) {
      if (!found_) {
        if (auto ok = Header(row_, reader.line()); !ok) return ok;
        continue;
      }
      if (header_open_) {
        header_open_ = false;
        if (ContinuesHeader(row_)) continue;
      }
      if (row_.size() < width_ / 2 && row_.size() <= 1) continue;
      Emit(row_);
    }
    line_ = reader.next_line();
    return {};
  }

  // A row before the data: metadata, the column header, or one of a header's rows. The last
  // one, two and three rows are each tried as the header; the one that reads the most columns
  // wins (the fewest rows on a tie).
  Expected<void> Header(const std::vector<std::string_view>& row, int line) {
    ++rows_before_header_;
    // The template's two metadata rows (names, then values) are never part of the header.
    if (rows_before_header_ == 1) {
      metadata_rows_ = std::any_of(row.begin(), row.end(), [](std::string_view f) { return Normalize(f) == "last_updated_on"; }) &&
                       !FindLayout(std::vector<std::string>(row.begin(), row.end())).usable();
    }
    bool metadata = metadata_rows_ && rows_before_header_ <= 2;
    if (!metadata) recent_.emplace_back(row.begin(), row.end());
    if (recent_.size() > 3) recent_.erase(recent_.begin());
    int best = 0;
    bool names_only = NoAmounts(row);
    for (size_t k = 1; !metadata && k <= recent_.size() && (k == 1 || names_only); ++k) {
      std::vector<std::vector<std::string>> rows(recent_.end() - static_cast<ptrdiff_t>(k), recent_.end());
      std::vector<std::string> names = k == 1 ? rows[0] : CombineHeaderRows(rows);
      CsvLayout l = FindLayout(names);
      if (!l.usable() || Score(l) <= best) continue;
      best = Score(l);
      UseHeader(std::move(l), names.size(), k);
    }
    if (found_) return {};
    if (rows_before_header_ == 1) {
      for (std::string_view f : row) meta_header_.push_back(Normalize(f));
    } else if (rows_before_header_ == 2) {
      for (size_t k = 0; k < meta_header_.size() && k < row.size(); ++k) {
        if (meta_header_[k] == "hospital_name" || meta_header_[k] == "hospital name") info_->hospital_name = Trim(row[k]);
        if (meta_header_[k] == "last_updated_on") info_->last_updated_on = Trim(row[k]);
        if (meta_header_[k] == "version") info_->version = Trim(row[k]);
      }
    }
    if (rows_before_header_ >= 10) {
      return Fail(ErrorCode::kInvalidInput, info_->name + ": line " + std::to_string(line) +
                                                ": no header row with code and price columns in the first 10 rows");
    }
    return {};
  }

  // True when no cell of the row is an amount: a row of field names, never one of prices.
  static bool NoAmounts(const std::vector<std::string_view>& row) {
    Money m;
    return std::none_of(row.begin(), row.end(), [&](std::string_view f) { return ParsePlainMoney(TrimCell(f), &m); });
  }

  void UseHeader(CsvLayout l, size_t width, size_t rows) {
    layout_ = std::move(l);
    found_ = true;
    width_ = width;
    header_rows_ = rows;
    header_open_ = rows < 3;
    info_->shape = !layout_.wide.empty() ? "csv-wide" : layout_.payer >= 0 ? "csv-tall" : "csv";
  }

  // The rows right after a header that reads on its own may still be part of it (field names
  // under payer groups): a row is when it holds no amount and adding it to the header reads
  // more columns.
  bool ContinuesHeader(const std::vector<std::string_view>& row) {
    if (!NoAmounts(row)) return false;
    std::vector<std::vector<std::string>> rows(recent_.end() - static_cast<ptrdiff_t>(header_rows_), recent_.end());
    rows.emplace_back(row.begin(), row.end());
    std::vector<std::string> names = CombineHeaderRows(rows);
    CsvLayout l = FindLayout(names);
    if (!l.usable() || Score(l) <= Score(layout_)) return false;
    recent_.emplace_back(row.begin(), row.end());
    UseHeader(std::move(l), names.size(), header_rows_ + 1);
    return true;
  }

  // Fills rec_ from a row and delivers it once per code. Every string is assigned in place
  // (rec_ and its rates are reused row after row), so a row allocates nothing once the
  // strings have grown to the file's longest.
  void Emit(const std::vector<std::string_view>& row) {
    auto field = [&](int i) { return i >= 0 && static_cast<size_t>(i) < row.size() ? row[i] : std::string_view(); };
    AssignCell(TrimCell(field(layout_.setting)), &rec_.setting);
    for (char& c : rec_.setting) c = ToLower(c);
    AssignCell(TrimCell(field(layout_.modifiers)), &rec_.modifiers);
    CellMoney(field(layout_.gross), &rec_.gross);
    CellMoney(field(layout_.cash), &rec_.cash);
    CellMoney(field(layout_.min), &rec_.min);
    CellMoney(field(layout_.max), &rec_.max);
    std::vector<NegotiatedRate>& rates = rec_.rates;
    size_t used = 0;
    auto add = [&](std::string_view payer, std::string_view plan, int dollar, int pct, int algo, int est, int method) {
      if (used == rates.size()) rates.emplace_back();
      NegotiatedRate& r = rates[used];
      CellMoney(field(dollar), &r.dollar);
      r.percentage = CellNumber(field(pct));
      std::string_view algorithm = TrimCell(field(algo));
      CellMoney(field(est), &r.estimated);
      if (!r.dollar && !r.percentage && algorithm.empty() && !r.estimated) return;
      AssignCell(algorithm, &r.algorithm);
      AssignCell(payer, &r.payer);
      AssignCell(plan, &r.plan);
      AssignCell(TrimCell(field(method)), &r.methodology);
      ++used;
    };
    if (layout_.payer >= 0) {
      add(TrimCell(field(layout_.payer)), TrimCell(field(layout_.plan)), layout_.dollar, layout_.percentage, layout_.algorithm,
          layout_.estimated, layout_.methodology);
    }
    for (const WideRate& w : layout_.wide) add(w.payer, w.plan, w.dollar, w.percentage, w.algorithm, w.estimated, w.methodology);
    if (used < rates.size()) rates.erase(rates.begin() + static_cast<ptrdiff_t>(used), rates.end());
    for (auto [code_col, type_col] : layout_.codes) {
      UpperNoSpaceInto(field(code_col), &rec_.code);
      if (rec_.code.empty()) continue;
      UpperNoSpaceInto(field(type_col), &rec_.code_type);
      sink_(rec_);
      ++info_->records;
    }
  }

  PriceFileSource& src_;
  const PriceRecordSink& sink_;
  PriceFileInfo* info_;
  enum class Encoding { kAscii, kUtf8, kLatin1 };
  Encoding encoding_ = Encoding::kAscii;  // kAscii until a byte beyond ASCII is met
  std::string latin1_;                    // the read block turned into UTF-8
  int line_ = 1;
  bool found_ = false;
  size_t width_ = 0;
  int rows_before_header_ = 0;
  std::vector<std::string> meta_header_;
  std::vector<std::vector<std::string>> recent_;  // the last rows read before the data (3 at most)
  size_t header_rows_ = 0;                        // how many of them the header spans
  bool header_open_ = false;                      // the next row may still be the header's
  bool metadata_rows_ = false;                    // rows 1 and 2 are the template's metadata
  CsvLayout layout_;
  std::vector<std::string_view> row_;
  PriceRecord rec_;
};

}  // namespace

bool LooksLikeCptOrHcpcs(std::string_view code) {
  if (code.size() != 5) return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  int digits = 0;
  for (char c : code) digits += digit(c) ? 1 : 0;
  if (digits == 5) return true;
  if (digits == 4 && letter(code[0])) return true;
  if (digits == 4 && letter(code[4])) return true;
  return false;
}

Expected<PriceFileInfo> ReadPriceSource(PriceFileSource& source, const PriceRecordSink& sink) {
  PriceFileInfo info;
  info.name = source.name();
  info.container = ContainerName(source.container());
  // The first non-blank byte tells JSON from CSV.
  auto head = source.Peek(4096);
  if (!head) return std::unexpected(head.error());
  size_t i = head->starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < head->size() && std::isspace(static_cast<unsigned char>((*head)[i]))) ++i;
  if (i >= head->size()) return Fail(ErrorCode::kInvalidInput, info.name + ": empty price file");
  bool json = (*head)[i] == '{' || (*head)[i] == '[';
  Expected<void> ok;
  if (json) {
    JsonStream stream(source, sink, &info);
    ok = stream.Run();
    info.shape = "json";
    info.bytes = stream.bytes_read();
  } else {
    ok = CsvStream(source, sink, &info).Run();
    info.bytes = source.offset();
  }
  if (!ok) {
    if (info.records == 0) return std::unexpected(ok.error());
    info.partial = true;
    info.problem = ok.error().message;
  }
  if (info.records == 0) {
    // Versions 1.x and 2.x of the CMS template are read; a later one may have moved the prices.
    bool known = info.version.empty() || info.version.starts_with("1.") || info.version.starts_with("2.") ||
                 info.version == "1" || info.version == "2";
    if (!known) {
      return Fail(ErrorCode::kInvalidInput, info.name + ": schema version " + info.version +
                                                " is not one billwise reads (1.x, 2.x): no priced code found");
    }
    return Fail(ErrorCode::kInvalidInput, info.name + ": no priced code found");
  }
  return info;
}

Expected<PriceFileInfo> ReadPriceFile(const std::string& path, const PriceRecordSink& sink) {
  auto src = PriceFileSource::Open(path);
  if (!src) return std::unexpected(src.error());
  return ReadPriceSource(*src, sink);
}

}  // namespace billwise
