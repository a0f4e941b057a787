#include "extract/grammar/normalize.h"

#include <array>
#include <cstdint>
#include <cstdlib>

#include "pipeline/model/strings.h"

namespace billwise {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
char UpperChar(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Unicode minus and dashes that PDFs print for negative amounts.
constexpr std::array<std::string_view, 3> kDashes = {"\xE2\x88\x92", "\xE2\x80\x93", "\xE2\x80\x94"};

bool StripLeadingMinus(std::string_view& s) {
  if (!s.empty() && s.front() == '-') {
    s.remove_prefix(1);
    return true;
  }
  for (auto d : kDashes) {
    if (s.starts_with(d)) {
      s.remove_prefix(d.size());
      return true;
    }
  }
  return false;
}
bool StripTrailingMinus(std::string_view& s) {
  if (!s.empty() && s.back() == '-') {
    s.remove_suffix(1);
    return true;
  }
  for (auto d : kDashes) {
    if (s.ends_with(d)) {
      s.remove_suffix(d.size());
      return true;
    }
  }
  return false;
}

char RepairChar(char c) {
  switch (c) {
    case 'O': case 'o': case 'D': case 'Q': return '0';
    case 'I': case 'l': case '|': case 'i': return '1';
    case 'S': case 's': return '5';
    case 'B': return '8';
    case 'Z': return '2';
    default: return c;
  }
}

// Reads the numeric body of an amount ("1,234.56", "1 234.56", "42,00") into cents.
std::optional<int64_t> BodyToCents(std::string_view body) {
  if (body.empty() || body.size() > 24) return std::nullopt;
  std::string b;
  b.reserve(body.size());
  int real_digits = 0;
  for (char c : body) {
    if (IsDigit(c)) ++real_digits;
  }
  if (real_digits == 0) return std::nullopt;
  int repaired = 0;
  for (char c : body) {
    if (IsAlpha(c) || c == '|') ++repaired;
  }
  if (repaired * 2 > real_digits) return std::nullopt;  // mostly letters: not an amount
  for (char c : body) {
    char r = IsAlpha(c) || c == '|' ? RepairChar(c) : c;
    if (!IsDigit(r) && r != ',' && r != '.' && r != ' ') return std::nullopt;
    b.push_back(r);
  }
  // Spaces are only allowed as thousands separators: "1 234.56".
  if (b.find(' ') != std::string::npos) {
    size_t pos = 0;
    std::string joined;
    bool first = true;
    while (pos <= b.size()) {
      size_t sp = b.find(' ', pos);
      std::string_view part(b.data() + pos, (sp == std::string::npos ? b.size() : sp) - pos);
      if (part.empty()) return std::nullopt;
      if (!first) {
        // Each later group starts with exactly three digits.
        if (part.size() < 3 || !IsDigit(part[0]) || !IsDigit(part[1]) || !IsDigit(part[2]) ||
            (part.size() > 3 && IsDigit(part[3])))
          return std::nullopt;
      } else {
        if (part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos)
          return std::nullopt;
      }
      joined.append(part);
      first = false;
      if (sp == std::string::npos) break;
      pos = sp + 1;
    }
    b = joined;
  }
  size_t last_dot = b.rfind('.');
  size_t last_comma = b.rfind(',');
  char decimal = 0;
  if (last_dot != std::string::npos && last_comma != std::string::npos) {
    decimal = last_dot > last_comma ? '.' : ',';
  } else if (last_dot != std::string::npos) {
    size_t tail = b.size() - last_dot - 1;
    if (b.find('.') == last_dot && tail <= 2) decimal = '.';
    else if (tail != 3) return std::nullopt;  // "15.5000" or "1.2.3"
  } else if (last_comma != std::string::npos) {
    size_t tail = b.size() - last_comma - 1;
    if (b.find(',') == last_comma && tail <= 2 && tail > 0) decimal = ',';
    else if (tail != 3) return std::nullopt;
  }
  std::string_view int_part = b;
  std::string_view frac_part;
  if (decimal != 0) {
    size_t d = b.rfind(decimal);
    int_part = std::string_view(b).substr(0, d);
    frac_part = std::string_view(b).substr(d + 1);
    if (frac_part.size() > 2 || frac_part.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
  }
  char group = decimal == ',' ? '.' : ',';
  if (decimal == 0) group = last_comma != std::string::npos ? ',' : '.';
  // Validate grouping: first group 1..3 digits, later groups exactly 3.
  int64_t whole = 0;
  int digits = 0;
  size_t group_len = 0;
  bool grouped = false;
  for (size_t i = 0; i < int_part.size(); ++i) {
    char c = int_part[i];
    if (c == group) {
      if (group_len == 0 || (grouped && group_len != 3) || (!grouped && group_len > 3))
        return std::nullopt;
      grouped = true;
      group_len = 0;
      continue;
    }
    if (!IsDigit(c)) return std::nullopt;
    if (++digits > 15) return std::nullopt;
    whole = whole * 10 + (c - '0');
    ++group_len;
  }
  if (grouped && group_len != 3) return std::nullopt;
  if (digits == 0 && frac_part.empty()) return std::nullopt;
  int64_t cents = whole * 100;
  if (frac_part.size() == 1) cents += (frac_part[0] - '0') * 10;
  if (frac_part.size() == 2) cents += (frac_part[0] - '0') * 10 + (frac_part[1] - '0');
  return cents;
}

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};

// Reads a month name at s[pos] ("Jan", "Jan.", "January", "Sept"); returns 1..12.
int ReadMonthName(std::string_view s, size_t pos, size_t* len) {
  size_t e = pos;
  while (e < s.size() && IsAlpha(s[e])) ++e;
  size_t n = e - pos;
  if (n < 3) return 0;
  std::string word = Lower(s.substr(pos, n));
  for (size_t m = 0; m < kMonths.size(); ++m) {
    std::string_view full = kMonths[m];
    bool ok = (word == full) || (n == 3 && full.substr(0, 3) == word) ||
              (word == "sept" && m == 8);
    if (ok) {
      if (e < s.size() && s[e] == '.') ++e;
      *len = e - pos;
      return static_cast<int>(m + 1);
    }
  }
  return 0;
}

size_t ReadDigits(std::string_view s, size_t pos, int max, int* value) {
  size_t e = pos;
  int v = 0;
  while (e < s.size() && IsDigit(s[e]) && static_cast<int>(e - pos) < max) {
    v = v * 10 + (s[e] - '0');
    ++e;
  }
  if (e < s.size() && IsDigit(s[e])) return 0;  // longer than allowed
  *value = v;
  return e - pos;
}

int FullYear(int y, size_t digits) {
  if (digits == 4) return y;
  if (digits == 2) return y < 70 ? 2000 + y : 1900 + y;
  return -1;
}

std::optional<Date> MakeNumeric(int a, int b, int year, DateOrder order) {
  int month = order == DateOrder::kMonthFirst ? a : b;
  int day = order == DateOrder::kMonthFirst ? b : a;
  if (month > 12 && day <= 12) std::swap(month, day);
  return Date::Make(year, month, day);
}

// Tries every date form at s[pos]; on success sets *len.
std::optional<Date> DateAt(std::string_view s, size_t pos, DateOrder order, size_t* len) {
  if (pos >= s.size()) return std::nullopt;
  if (IsDigit(s[pos])) {
    int a = 0;
    size_t na = ReadDigits(s, pos, 4, &a);
    if (na == 0) return std::nullopt;
    size_t p = pos + na;
    if (p >= s.size()) return std::nullopt;
    char sep = s[p];
    if (sep == ' ' && na <= 2) {
      // "5 January 2026" / "5 Jan, 2026"
      size_t ml = 0;
      int month = ReadMonthName(s, p + 1, &ml);
      if (month == 0) return std::nullopt;
      size_t q = p + 1 + ml;
      if (q < s.size() && s[q] == ',') ++q;
      if (q >= s.size() || s[q] != ' ') return std::nullopt;
      ++q;
      int y = 0;
      size_t ny = ReadDigits(s, q, 4, &y);
      if (ny != 4) return std::nullopt;
      *len = q + ny - pos;
      return Date::Make(y, month, a);
    }
    if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
    ++p;
    if (na == 4) {  // YYYY-MM-DD, YYYY/MM/DD
      int m = 0, d = 0;
      size_t nm = ReadDigits(s, p, 2, &m);
      if (nm == 0 || p + nm >= s.size() || s[p + nm] != sep) return std::nullopt;
      size_t nd = ReadDigits(s, p + nm + 1, 2, &d);
      if (nd == 0) return std::nullopt;
      *len = p + nm + 1 + nd - pos;
      return Date::Make(a, m, d);
    }
    if (na > 2) return std::nullopt;
    size_t ml = 0;
    int month = p < s.size() && IsAlpha(s[p]) ? ReadMonthName(s, p, &ml) : 0;
    if (month != 0) {  // 05-Jan-2026
      size_t q = p + ml;
      if (q >= s.size() || s[q] != sep) return std::nullopt;
      int y = 0;
      size_t ny = ReadDigits(s, q + 1, 4, &y);
      int year = FullYear(y, ny);
      if (year < 0) return std::nullopt;
      *len = q + 1 + ny - pos;
      return Date::Make(year, month, a);
    }
    int b = 0;
    size_t nb = ReadDigits(s, p, 2, &b);
    if (nb == 0 || p + nb >= s.size() || s[p + nb] != sep) return std::nullopt;
    int y = 0;
    size_t ny = ReadDigits(s, p + nb + 1, 4, &y);
    int year = FullYear(y, ny);
    if (year < 0) return std::nullopt;
    *len = p + nb + 1 + ny - pos;
    return MakeNumeric(a, b, year, order);
  }
  if (IsAlpha(s[pos])) {  // "Jan 5, 2026", "January 05 2026"
    size_t ml = 0;
    int month = ReadMonthName(s, pos, &ml);
    if (month == 0) return std::nullopt;
    size_t q = pos + ml;
    if (q >= s.size() || (s[q] != ' ' && s[q] != '-')) return std::nullopt;
    while (q < s.size() && (s[q] == ' ' || s[q] == '-')) ++q;
    int d = 0;
    size_t nd = ReadDigits(s, q, 2, &d);
    if (nd == 0) return std::nullopt;
    q += nd;
    if (StartsWithNoCase(s.substr(q), "st") || StartsWithNoCase(s.substr(q), "nd") ||
        StartsWithNoCase(s.substr(q), "rd") || StartsWithNoCase(s.substr(q), "th"))
      q += 2;
    if (q < s.size() && s[q] == ',') ++q;
    if (q >= s.size() || (s[q] != ' ' && s[q] != '-')) return std::nullopt;
    while (q < s.size() && (s[q] == ' ' || s[q] == '-')) ++q;
    int y = 0;
    size_t ny = ReadDigits(s, q, 4, &y);
    if (ny != 4) return std::nullopt;
    *len = q + ny - pos;
    return Date::Make(y, month, d);
  }
  return std::nullopt;
}

bool IsTimeSuffix(std::string_view rest) {
  rest = Trim(rest);
  if (rest.empty()) return true;
  // "11:42", "11:42 AM", "23:05:10"
  size_t i = 0;
  while (i < rest.size() && IsDigit(rest[i])) ++i;
  if (i == 0 || i > 2 || i >= rest.size() || rest[i] != ':') return false;
  for (; i < rest.size(); ++i) {
    char c = rest[i];
    if (!IsDigit(c) && c != ':' && c != ' ' && c != '.' && !IsAlpha(c)) return false;
  }
  return true;
}

bool IsHcpcsLetter(char c) {
  c = UpperChar(c);
  return c >= 'A' && c <= 'V' && c != 'I' && c != 'N' && c != 'O';
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsModifier(std::string_view t) {
  return t.size() == 2 && IsAlnum(t[0]) && IsAlnum(t[1]);
}

// Repairs an OCR-damaged code token; returns it when it then classifies as a code.
std::optional<std::string> RepairCode(std::string_view token) {
  std::string t(token);
  for (char& c : t) c = UpperChar(c);
  if (ClassifyCode(t) != CodeType::kNone) return t;
  if (t.size() == 5 || t.size() == 4) {
    // A Level II letter stays a letter; the rest must read as digits.
    std::string r(token);
    size_t from = IsHcpcsLetter(r[0]) && r[0] != 'l' && t.size() == 5 ? 1 : 0;
    for (size_t i = from; i < r.size(); ++i) {
      char u = UpperChar(r[i]);
      if (i == 4 && (u == 'F' || u == 'T' || u == 'U') && from == 0) continue;
      r[i] = RepairChar(r[i]);
    }
    for (char& c : r) c = UpperChar(c);
    if (ClassifyCode(r) != CodeType::kNone) return r;
  }
  return std::nullopt;
}

std::optional<std::string> NormalizeNdc(std::string_view t) {
  std::string digits;
  std::vector<size_t> groups;
  size_t cur = 0;
  for (char c : t) {
    if (IsDigit(c)) {
      digits.push_back(c);
      ++cur;
    } else if (c == '-') {
      groups.push_back(cur);
      cur = 0;
    } else {
      return std::nullopt;
    }
  }
  groups.push_back(cur);
  std::string eleven;
  if (groups.size() == 1 && digits.size() == 11) {
    eleven = digits;
  } else if (groups.size() == 3) {
    std::string_view d = digits;
    std::string a(d.substr(0, groups[0])), b(d.substr(groups[0], groups[1])),
        c(d.substr(groups[0] + groups[1]));
    if (groups[0] == 4 && groups[1] == 4 && groups[2] == 2) a.insert(a.begin(), '0');
    else if (groups[0] == 5 && groups[1] == 3 && groups[2] == 2) b.insert(b.begin(), '0');
    else if (groups[0] == 5 && groups[1] == 4 && groups[2] == 1) c.insert(c.begin(), '0');
    else if (!(groups[0] == 5 && groups[1] == 4 && groups[2] == 2)) return std::nullopt;
    eleven = a + b + c;
  } else {
    return std::nullopt;
  }
  return eleven.substr(0, 5) + "-" + eleven.substr(5, 4) + "-" + eleven.substr(9, 2);
}

// The length of a currency symbol at the front of `s` (0: none): "$", "₹", "€", "£", "¥",
// any one sign of the Unicode currency block (U+20A0..U+20CF) or of the Latin-1 symbols
// (U+00A2..U+00BF: a rupee or other glyph that a PDF font maps onto "¹" or "¤"), or a
// backtick (the rupee of some Indian fonts).
size_t LeadingCurrencySign(std::string_view s) {
  if (s.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (s[0] == '$' || s[0] == '`') return 1;
  if (s.size() >= 2 && b0 == 0xC2) {
    const auto b1 = static_cast<unsigned char>(s[1]);
    if (b1 >= 0xA2 && b1 <= 0xBF) return 2;
  }
  if (s.size() >= 3 && b0 == 0xE2 && static_cast<unsigned char>(s[1]) == 0x82) {
    const auto b2 = static_cast<unsigned char>(s[2]);
    if (b2 >= 0xA0 && b2 <= 0xBF) return 3;
  }
  if (s.size() >= 3 && b0 == 0xE2 && static_cast<unsigned char>(s[1]) == 0x83) {
    const auto b2 = static_cast<unsigned char>(s[2]);
    if (b2 >= 0x80 && b2 <= 0x8F) return 3;
  }
  return 0;
}

}  // namespace

std::string NormalizeLabel(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    char l = LowerChar(c);
    bool keep = IsAlnum(l) || l == '#' || l == '/' || l == '&' || l == '%' ||
                (static_cast<unsigned char>(l) >= 0x80);
    if (keep) {
      if (space && !out.empty()) out.push_back(' ');
      out.push_back(l);
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

std::optional<Money> ParseMoney(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty() || s.size() > 40) return std::nullopt;
  bool negative = false;
  bool changed = true;
  int rounds = 0;
  while (changed && !s.empty() && ++rounds < 8) {
    changed = false;
    if (s.front() == '(' && s.back() == ')') {
      negative = true;
      s = Trim(s.substr(1, s.size() - 2));
      changed = true;
    }
    if (StripLeadingMinus(s)) {
      negative = true;
      s = Trim(s);
      changed = true;
    }
    if (StripTrailingMinus(s)) {
      negative = true;
      s = Trim(s);
      changed = true;
    }
    if (!s.empty() && s.front() == '+') {
      s = Trim(s.substr(1));
      changed = true;
    }
    if (StartsWithNoCase(s, "CR") && s.size() > 2 && !IsAlpha(s[2])) {
      negative = true;
      s = Trim(s.substr(2));
      changed = true;
    }
    if (EndsWithNoCase(s, "CR") && s.size() > 2 && !IsAlpha(s[s.size() - 3])) {
      negative = true;
      s = Trim(s.substr(0, s.size() - 2));
      changed = true;
    }
    if (StartsWithNoCase(s, "USD") && s.size() > 3 && !IsAlpha(s[3])) {
      s = Trim(s.substr(3));
      changed = true;
    }
    if (EndsWithNoCase(s, "USD") && s.size() > 3 && !IsAlpha(s[s.size() - 4])) {
      s = Trim(s.substr(0, s.size() - 3));
      changed = true;
    }
    // A currency sign other than "$" before the digits ("₹1,200", "¹450.00"): dropped when
    // what follows starts like a number.
    if (size_t n = LeadingCurrencySign(s); n > 0 && s[0] != '$') {
      std::string_view rest = Trim(s.substr(n));
      if (!rest.empty() && (IsDigit(rest.front()) || rest.front() == '.')) {
        s = rest;
        changed = true;
      }
    }
    for (std::string_view cur : {"\xE2\x82\xAC", "\xC2\xA3", "EUR", "INR", "Rs.", "Rs", "S$", "A$", "C$", "US$", "CAD", "AUD", "GBP", "SGD"}) {
      if (s.size() > cur.size() && s.starts_with(cur) && !IsAlpha(s[cur.size()])) {
        s = Trim(s.substr(cur.size()));
        changed = true;
      } else if (s.size() > cur.size() && s.ends_with(cur) &&
                 !IsAlpha(s[s.size() - cur.size() - 1])) {
        s = Trim(s.substr(0, s.size() - cur.size()));
        changed = true;
      }
    }
    if (!s.empty() && s.front() == '$') {
      s = Trim(s.substr(1));
      changed = true;
    } else if (s.size() > 1 && (s.front() == 'S' || s.front() == 's') && IsDigit(s[1])) {
      s = s.substr(1);  // OCR read '$' as 'S'
      changed = true;
    }
    if (!s.empty() && s.back() == '$') {
      s = Trim(s.substr(0, s.size() - 1));
      changed = true;
    }
  }
  auto cents = BodyToCents(s);
  if (!cents) return std::nullopt;
  Money amount{negative ? -*cents : *cents};
  if (!IsPlausibleAmount(amount)) return std::nullopt;  // 15 digits of dollars is no bill's amount
  return amount;
}

bool LooksLikeMoney(std::string_view text) {
  std::string_view s = Trim(text);
  if (!ParseMoney(s)) return false;
  if (s.find('$') != std::string_view::npos || LeadingCurrencySign(s) > 0) return true;
  for (std::string_view cur : {"EUR", "INR", "Rs", "USD", "CAD", "AUD", "GBP", "SGD"}) {
    if (StartsWithNoCase(s, cur) || EndsWithNoCase(s, cur)) return true;
  }
  if (s.find('(') != std::string_view::npos || s.back() == '-') return true;
  if (EndsWithNoCase(s, "CR") || StartsWithNoCase(s, "CR")) return true;
  if (s.front() == '-') return true;
  // A cents part: "12.50", "1,234.00", "42,00".
  size_t n = s.size();
  if (n >= 3 && (s[n - 3] == '.' || s[n - 3] == ',') && IsDigit(s[n - 1]) && IsDigit(s[n - 2]))
    return true;
  return s.find(',') != std::string_view::npos;
}

std::optional<Date> ParseDate(std::string_view text, DateOrder order) {
  std::string_view s = Trim(text);
  if (s.empty() || s.size() > 40) return std::nullopt;
  size_t len = 0;
  auto d = DateAt(s, 0, order, &len);
  if (!d) return std::nullopt;
  if (!IsTimeSuffix(s.substr(len))) return std::nullopt;
  return d;
}

std::optional<Date> FindDate(std::string_view text, DateOrder order, size_t* begin,
                             size_t* end) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && IsAlnum(text[i - 1])) continue;
    if (!IsAlnum(text[i])) continue;
    size_t len = 0;
    auto d = DateAt(text, i, order, &len);
    if (!d) continue;
    size_t e = i + len;
    if (e < text.size() && IsAlnum(text[e])) continue;
    if (e + 1 < text.size() && (text[e] == '/' || text[e] == '-') && IsDigit(text[e + 1]))
      continue;
    if (begin) *begin = i;
    if (end) *end = e;
    return d;
  }
  return std::nullopt;
}

std::optional<double> ParseQuantity(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty() || s.size() > 24) return std::nullopt;
  if (s.front() == 'x' || s.front() == 'X') s = Trim(s.substr(1));
  // Drop a trailing unit word: "1.00 kg", "3 units", "2 EA".
  size_t sp = s.find(' ');
  if (sp != std::string_view::npos) {
    std::string_view unit = Trim(s.substr(sp + 1));
    for (char c : unit) {
      if (!IsAlpha(c) && c != '.') return std::nullopt;
    }
    if (unit.size() > 8) return std::nullopt;
    s = s.substr(0, sp);
  }
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  double v = 0;
  double scale = 0;
  int digits = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      if (++digits > 9) return std::nullopt;
      if (scale == 0) {
        v = v * 10 + (c - '0');
      } else {
        v += (c - '0') * scale;
        scale /= 10;
      }
    } else if (c == '.' && scale == 0) {
      scale = 0.1;
    } else if (c == ',' && scale == 0) {
      continue;  // 1,000
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0) return std::nullopt;
  return negative ? -v : v;
}

CodeType ClassifyCode(std::string_view t) {
  if (t.size() == 5) {
    if (AllDigits(t)) return CodeType::kCpt;
    if (AllDigits(t.substr(0, 4))) {
      char c = UpperChar(t[4]);
      if (c == 'F' || c == 'T' || c == 'U') return CodeType::kCpt;
      return CodeType::kNone;
    }
    if (IsHcpcsLetter(t[0]) && IsAlpha(t[0]) && (t[0] >= 'A' && t[0] <= 'Z') &&
        AllDigits(t.substr(1)))
      return CodeType::kHcpcs;
    return CodeType::kNone;
  }
  if (t.size() == 4 && AllDigits(t)) {
    if (t[0] == '0') return CodeType::kRevenue;
    int v = std::atoi(std::string(t).c_str());
    if (v >= 1000 && v <= 3999) return CodeType::kRevenue;
    return CodeType::kNone;
  }
  if (t.size() == 11 && AllDigits(t)) return CodeType::kNdc;
  if (t.size() >= 10 && t.size() <= 13 && t.find('-') != std::string_view::npos &&
      NormalizeNdc(t))
    return CodeType::kNdc;
  return CodeType::kNone;
}

std::optional<std::string> NormalizeRevenueCode(std::string_view token) {
  std::string_view t = Trim(token);
  if (t.size() == 3 && AllDigits(t)) {
    std::string padded(1, '0');
    padded.append(t);
    return padded;
  }
  if (t.size() == 4 && AllDigits(t) && ClassifyCode(t) == CodeType::kRevenue) return std::string(t);
  if (t.size() == 3 || t.size() == 4) {
    if (auto r = RepairDigits(t); r && *r != t && AllDigits(*r)) return NormalizeRevenueCode(*r);
  }
  return std::nullopt;
}

std::optional<std::string> RepairDigits(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  bool any_digit = false;
  for (char c : token) {
    if (IsDigit(c)) any_digit = true;
    char r = IsAlpha(c) || c == '|' ? RepairChar(c) : c;
    if (!IsDigit(r) && r != '.' && r != ',' && r != '-' && r != '$' && r != '(' && r != ')')
      return std::nullopt;
    out.push_back(r);
  }
  if (!any_digit) return std::nullopt;
  return out;
}

std::optional<ParsedCode> ParseCodeCell(std::string_view cell) {
  std::string_view s = Trim(cell);
  if (s.empty() || s.size() > 40) return std::nullopt;
  if (s.front() == '(' && s.back() == ')') s = Trim(s.substr(1, s.size() - 2));
  if (ClassifyCode(s) == CodeType::kNdc) {
    if (auto n = NormalizeNdc(s)) return ParsedCode{*n, CodeType::kNdc, {}};
  }
  // Split into tokens on spaces, '-', ':' and ','.
  std::vector<std::string> tokens;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '-' || c == ':' || c == ',' || c == '/') {
      if (!cur.empty()) tokens.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  if (tokens.empty()) return std::nullopt;
  for (size_t i = 1; i < tokens.size(); ++i) {
    for (char& c : tokens[i]) c = UpperChar(c);
  }
  auto code = RepairCode(tokens[0]);
  if (!code) return std::nullopt;
  ParsedCode out{*code, ClassifyCode(*code), {}};
  for (size_t i = 1; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t == "MOD" || t == "MODS" || t == "MODIFIER" || t == "MODIFIERS" || t == "M") continue;
    if (!IsModifier(t)) return std::nullopt;
    out.modifiers.push_back(t);
  }
  if (out.type == CodeType::kNdc || out.type == CodeType::kRevenue) {
    if (!out.modifiers.empty()) return std::nullopt;
  }
  return out;
}

std::optional<ParsedCode> FindCodeInText(std::string_view text, size_t* begin, size_t* end) {
  auto is_sep = [](char c) { return !IsAlnum(c); };
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsAlnum(text[i]) || (i > 0 && !is_sep(text[i - 1]))) continue;
    size_t e = i;
    while (e < text.size() && IsAlnum(text[e])) ++e;
    std::string_view tok = text.substr(i, e - i);
    if (tok.size() != 5) {
      i = e;
      continue;
    }
    CodeType type = ClassifyCode(tok);
    if (type != CodeType::kCpt && type != CodeType::kHcpcs) {
      i = e;
      continue;
    }
    // Not part of an amount, a decimal, a phone number or a measure.
    char before = i > 0 ? text[i - 1] : ' ';
    char after = e < text.size() ? text[e] : ' ';
    if (before == '$' || before == '.' || before == ',' || before == '#' ||
        (before == '-' && i >= 2 && IsDigit(text[i - 2])) || after == '%' ||
        (after == '.' && e + 1 < text.size() && IsDigit(text[e + 1])) ||
        (after == ',' && e + 1 < text.size() && IsDigit(text[e + 1])) ||
        (after == '-' && e + 1 < text.size() && IsDigit(text[e + 1]) &&
         !(e + 3 <= text.size() && (e + 3 == text.size() || !IsAlnum(text[e + 3]))))) {
      i = e;
      continue;
    }
    ParsedCode out{std::string(tok), type, {}};
    for (char& c : out.code) c = UpperChar(c);
    size_t b = i, f = e;
    // Modifiers written "99213-25" or "27447-RT".
    while (f + 3 <= text.size() && text[f] == '-' && IsModifier(text.substr(f + 1, 2)) &&
           (f + 3 == text.size() || !IsAlnum(text[f + 3]))) {
      std::string m(text.substr(f + 1, 2));
      for (char& c : m) c = UpperChar(c);
      out.modifiers.push_back(m);
      f += 3;
    }
    // A "CPT"/"HCPCS"/"Code" label or "#" before it, and parentheses around it.
    std::string_view head = text.substr(0, b);
    while (!head.empty() && (head.back() == ' ' || head.back() == ':' || head.back() == '#'))
      head.remove_suffix(1);
    for (std::string_view label : {"cpt", "hcpcs", "code", "proc"}) {
      if (EndsWithNoCase(head, label) &&
          (head.size() == label.size() || !IsAlnum(head[head.size() - label.size() - 1]))) {
        b = head.size() - label.size();
        break;
      }
    }
    if (b > 0 && text[b - 1] == '(' && f < text.size() && text[f] == ')') {
      --b;
      ++f;
    }
    if (begin) *begin = b;
    if (end) *end = f;
    return out;
  }
  return std::nullopt;
}

}  // namespace billwise
