#include "extract/grammar/cell_text.h"

#include <algorithm>

namespace billwise::grammar_internal {

bool HasLetters(std::string_view s, int at_least) {
  int n = 0;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++n;
  }
  return n >= at_least;
}
bool HasLower(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}
bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : Trim(s)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> Segments(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t bar = s.find(" | ", pos);
    std::string_view part = s.substr(pos, bar == std::string_view::npos ? s.npos : bar - pos);
    if (!Trim(part).empty()) out.emplace_back(Trim(part));
    if (bar == std::string_view::npos) break;
    pos = bar + 3;
  }
  return out;
}

bool WordContains(std::string_view hay, std::string_view needle) {
  size_t pos = 0;
  while ((pos = hay.find(needle, pos)) != std::string_view::npos) {
    bool left = pos == 0 || hay[pos - 1] == ' ';
    size_t e = pos + needle.size();
    bool right = e == hay.size() || hay[e] == ' ';
    if (left && right) return true;
    ++pos;
  }
  return false;
}

bool Matches(const std::vector<Pattern>& res, std::string_view s) {
  return std::any_of(res.begin(), res.end(), [&](const Pattern& re) { return re.PartialMatch(s); });
}
bool Matches(const Pattern& re, std::string_view s) { return re && re.PartialMatch(s); }

size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t best = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      best = std::min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}


bool IsInternalCode(std::string_view t) {
  if (t.empty() || t.size() > 20 || t.find(' ') != std::string_view::npos || !HasDigit(t))
    return false;
  if (LooksLikeMoney(t) || ParseDate(t) || FindDate(t)) return false;
  if (ParseQuantity(t) && t.size() < 5) return false;
  return true;
}


std::optional<Date> DateRangeStart(std::string_view text, DateOrder order) {
  size_t b = 0, e = 0;
  auto from = FindDate(text, order, &b, &e);
  if (!from || b != 0) return std::nullopt;
  std::string_view rest = Trim(text.substr(e));
  for (std::string_view sep : {"to", "thru", "through", "-", "\xE2\x80\x93"}) {
    if (rest.size() > sep.size() && rest.substr(0, sep.size()) == sep) {
      if (ParseDate(Trim(rest.substr(sep.size())), order)) return from;
    }
  }
  return std::nullopt;
}

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace billwise::grammar_internal
