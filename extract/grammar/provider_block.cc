#include "extract/grammar/provider_block.h"

#include <re2/re2.h>

#include <algorithm>

#include "extract/grammar/cell_text.h"
#include "extract/grammar/normalize.h"

namespace billwise::grammar_internal {

bool IsTitleLine(const Layout& layout, std::string_view text) {
  std::string norm = NormalizeLabel(text);
  if (norm.empty()) return true;
  bool all_title = true;
  size_t pos = 0;
  while (pos < norm.size()) {
    size_t sp = norm.find(' ', pos);
    std::string word = norm.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    if (std::find(layout.document_words.begin(), layout.document_words.end(), word) !=
        layout.document_words.end())
      return true;
    all_title = all_title && std::find(layout.title_words.begin(), layout.title_words.end(), word) !=
                                 layout.title_words.end();
    if (sp == std::string::npos) break;
    pos = sp + 1;
  }
  return all_title;
}

bool IsSentence(std::string_view text) {
  // Connectives that names of organisations hold in lower case ("Department of Health and
  // Human Services") do not count.
  static constexpr std::string_view kConnectives[] = {"of", "and", "the", "for", "at", "in", "on", "de", "la", "&"};
  int words = 0, lower_words = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) {
      std::string_view w = text.substr(i, j - i);
      ++words;
      bool connective = std::find(std::begin(kConnectives), std::end(kConnectives), w) != std::end(kConnectives);
      lower_words += !connective && w.front() >= 'a' && w.front() <= 'z';
    }
    i = j;
  }
  return words >= 4 && lower_words >= 2;
}

bool LooksLikeAddress(std::string_view s) {
  re2::StringPiece sp(s.data(), s.size());
  if (re2::RE2::PartialMatch(sp, ZipRe())) return true;
  static const re2::RE2 street(
      R"((?i)^\s*(\d+[A-Za-z]?\s+\w+|p\.?\s?o\.?\s+box|suite|ste\.?\s|floor|building|bldg))");
  return re2::RE2::PartialMatch(sp, street);
}

std::string CleanName(std::string_view s) {
  std::string t(s);
  // "========WOMEN'S HEALTH ASSOC========"
  size_t b = t.find_first_not_of("=*-_#~ ");
  size_t e = t.find_last_not_of("=*-_#~ ");
  if (b == std::string::npos) return "";
  t = t.substr(b, e - b + 1);
  static const re2::RE2 from(R"((?i)^(statement|bill|invoice)\s+from\s+)");
  re2::RE2::Replace(&t, from, "");
  return CollapseSpaces(t);
}

void ReadProviderBlock(const Layout& layout, const std::vector<Row>& rows,
                       const FieldFinder& finder, Party* provider) {
  std::vector<const Row*> top;
  for (const auto& r : rows) {
    if (r.page != rows.front().page) break;
    if (top.size() >= 8) break;
    top.push_back(&r);
  }
  size_t name_row = top.size();
  for (size_t i = 0; i < top.size(); ++i) {
    const auto& first = top[i]->cells.front();
    if (first.text.find(':') != std::string::npos || finder.IsLabel(first.text)) break;
    std::string name = CleanName(first.text);
    if (name.empty() || IsTitleLine(layout, name) || IsSentence(name) || LooksLikeAddress(name) ||
        !HasLetters(name, 3) || ParseDate(name) || ParseMoney(name))
      continue;
    if (re2::RE2::PartialMatch(name, PhoneRe())) continue;
    if (!provider->name) provider->name = name;
    name_row = i;
    break;
  }
  if (name_row >= top.size()) return;
  if (provider->address.empty()) {
    for (size_t i = name_row + 1; i < top.size() && i <= name_row + 4; ++i) {
      const auto& cell = top[i]->cells.front();
      if (cell.text.find(':') != std::string::npos && !LooksLikeAddress(cell.text)) break;
      if (!LooksLikeAddress(cell.text)) {
        if (!provider->address.empty()) break;
        continue;
      }
      provider->address.push_back(CollapseSpaces(cell.text));
      if (re2::RE2::PartialMatch(cell.text, ZipRe())) break;
    }
  }
  if (!provider->phone) {
    for (size_t i = name_row; i < top.size() && i <= name_row + 5; ++i) {
      std::string phone;
      if (re2::RE2::PartialMatch(top[i]->text, PhoneRe(), &phone)) {
        provider->phone = phone;
        break;
      }
    }
  }
}

void FillStateZip(Party* p) {
  for (const auto& line : p->address) {
    std::string state, zip;
    if (re2::RE2::PartialMatch(line, ZipRe(), &state, &zip)) {
      p->state = state;
      p->zip = zip;
    }
  }
}

}  // namespace billwise::grammar_internal
