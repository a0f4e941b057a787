#include "pipeline/model/strings.h"

namespace billwise {
namespace {

constexpr std::string_view kSpace = " \t\n\v\f\r";

char UpperChar(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
char LowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerChar(a[i]) != LowerChar(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return s.substr(s.size());  // empty, but still pointing into s
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = UpperChar(c);
  return out;
}

std::string UpperNoSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (kSpace.find(c) == std::string_view::npos) out += UpperChar(c);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view affix) {
  return s.size() >= affix.size() && EqualNoCase(s.substr(0, affix.size()), affix);
}

bool EndsWithNoCase(std::string_view s, std::string_view affix) {
  return s.size() >= affix.size() && EqualNoCase(s.substr(s.size() - affix.size()), affix);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace billwise
