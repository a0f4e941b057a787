#include "pipeline/letters/bidi_text.h"

#include <vector>

#include <fribidi.h>

namespace billwise {
namespace {

bool IsRightToLeft(char32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE) ||
         (cp >= 0x10800 && cp <= 0x10FFF) || (cp >= 0x1E800 && cp <= 0x1EFFF);
}

bool HasRightToLeft(std::u32string_view text) {
  for (char32_t cp : text) {
    if (IsRightToLeft(cp)) return true;
  }
  return false;
}

std::vector<FriBidiChar> ToFribidi(std::u32string_view text) { return {text.begin(), text.end()}; }

}  // namespace

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    char32_t v = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      v = (v << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && v >= kMin[n] && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
    out += ok ? v : U'\uFFFD';
    i += ok ? n : 1;
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::string ValidUtf8(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8) ascii = ascii && c < 0x80;
  if (ascii) return std::string(utf8);
  return EncodeUtf8(DecodeUtf8(utf8));
}

bool HasRightToLeft(std::string_view utf8) {
  for (unsigned char c : utf8) {
    if (c >= 0xD6) return HasRightToLeft(DecodeUtf8(utf8));  // the first byte of U+0590 and above
  }
  return false;
}

std::string ShapeArabic(std::string_view utf8) {
  std::u32string text = DecodeUtf8(utf8);
  if (!HasRightToLeft(text)) return std::string(utf8);
  std::vector<FriBidiChar> str = ToFribidi(text);
  const auto len = static_cast<FriBidiStrIndex>(str.size());
  std::vector<FriBidiCharType> types(str.size());
  std::vector<FriBidiBracketType> brackets(str.size());
  std::vector<FriBidiLevel> levels(str.size());
  std::vector<FriBidiArabicProp> joining(str.size());
  fribidi_get_bidi_types(str.data(), len, types.data());
  fribidi_get_bracket_types(str.data(), len, types.data(), brackets.data());
  FriBidiParType base = FRIBIDI_PAR_LTR;
  if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), len, &base, levels.data()) == 0) {
    return std::string(utf8);
  }
  fribidi_get_joining_types(str.data(), len, joining.data());
  fribidi_join_arabic(types.data(), len, levels.data(), joining.data());
  fribidi_shape(FRIBIDI_FLAGS_ARABIC, levels.data(), len, joining.data(), str.data());
  std::u32string out;
  out.reserve(str.size());
  for (FriBidiChar c : str) {
    if (c != FRIBIDI_CHAR_FILL) out += static_cast<char32_t>(c);  // the second half of a ligature
  }
  return EncodeUtf8(out);
}

std::string VisualOrder(std::string_view utf8_line) {
  std::u32string text = DecodeUtf8(utf8_line);
  if (!HasRightToLeft(text)) return std::string(utf8_line);
  std::vector<FriBidiChar> logical = ToFribidi(text);
  std::vector<FriBidiChar> visual(logical.size() + 1);
  FriBidiParType base = FRIBIDI_PAR_LTR;
  if (fribidi_log2vis(logical.data(), static_cast<FriBidiStrIndex>(logical.size()), &base, visual.data(), nullptr,
                      nullptr, nullptr) == 0) {
    return std::string(utf8_line);
  }
  std::u32string out(visual.begin(), visual.begin() + static_cast<std::ptrdiff_t>(logical.size()));
  return EncodeUtf8(out);
}

}  // namespace billwise
