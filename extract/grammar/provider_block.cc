#include "extract/grammar/provider_block.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

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

std::string StripCapitalTitle(const Layout& layout, const std::string& text) {
  auto listed = [](const std::vector<std::string>& list, const std::string& w) {
    return std::find(list.begin(), list.end(), w) != list.end();
  };
  // Words from the end that are title or document words printed in capitals, or in title
  // case after a name in capitals ("KESTREL POINT LABORATORY Laboratory Services Statement").
  size_t cut = text.size();
  bool tail_in_title_case = false;
  {
    size_t sp = text.find(' ');
    std::string_view head = sp == std::string::npos ? std::string_view(text) : std::string_view(text).substr(0, sp);
    tail_in_title_case = HasLetters(head, 2) && !HasLower(head) && HasLower(text);
  }
  bool document = false;
  while (cut > 0) {
    size_t sp = text.rfind(' ', cut - 1);
    size_t b = sp == std::string::npos ? 0 : sp + 1;
    std::string word = text.substr(b, cut - b);
    bool capitals = HasLetters(word, 2) && !HasLower(word);
    std::string norm = NormalizeLabel(word);
    bool doc = listed(layout.document_words, norm);
    const bool styled = tail_in_title_case ? HasLower(word) : capitals;
    // After a name in capitals every word in title case is the title's.
    if (!styled || !(doc || tail_in_title_case || listed(layout.title_words, norm))) break;
    document = document || doc;
    cut = sp == std::string::npos ? 0 : sp;
  }
  std::string rest(Trim(std::string_view(text).substr(0, cut)));
  if (!document || !HasLetters(rest, 3)) return text;
  if (tail_in_title_case ? HasLower(rest) : !HasLower(rest)) return text;
  return rest;
}

size_t LetterheadCandidate(const std::vector<Row>& rows, const std::vector<const Row*>& top,
                           const std::vector<std::pair<size_t, std::string>>& candidates) {
  std::vector<double> heights;
  for (const Row& r : rows) {
    if (r.page != rows.front().page) break;
    if (r.y1 > r.y0) heights.push_back(r.y1 - r.y0);
  }
  if (heights.size() < 3) return 0;
  std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2), heights.end());
  const double body = heights[heights.size() / 2];
  double tallest = 0;
  for (const auto& [i, name] : candidates) tallest = std::max(tallest, top[i]->y1 - top[i]->y0);
  if (tallest < 1.2 * body) return 0;  // no larger type: the first candidate
  for (size_t k = 0; k < candidates.size(); ++k) {
    const Row& r = *top[candidates[k].first];
    if (r.y1 - r.y0 >= 0.9 * tallest) return k;
  }
  return 0;
}

bool IsInitialsOf(std::string_view logo, std::string_view name) {
  logo = Trim(logo);
  if (logo.size() < 2 || logo.size() > 6) return false;
  for (char c : logo) {
    if (c < 'A' || c > 'Z') return false;
  }
  std::string initials;
  size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && name[i] == ' ') ++i;
    if (i < name.size() && std::isalpha(static_cast<unsigned char>(name[i])))
      initials.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(name[i]))));
    while (i < name.size() && name[i] != ' ') ++i;
  }
  // Connectives may or may not give a letter ("Kestrel Point Imaging & Laboratory": KPIL).
  return initials.size() > logo.size() - 1 && initials.compare(0, logo.size(), logo) == 0 &&
         initials.size() <= logo.size() + 2;
}

namespace {

// The address lines a letterhead row holds: its first cell, and the cells printed close
// after it or past a bar ("123 Medical Drive | Anytown, CA 90210 | (555) 800-1234"), each
// " | " segment on its own, up to the first one that is no address (a phone, "Page 1").
// A line ends at its ZIP code ("..., PA 18976 Questions? 1-800-555-0131").
std::vector<std::string> AddressParts(const Row& row) {
  std::vector<std::string> out;
  const CellView& first = row.cells.front();
  const double char_width = (first.x1 - first.x0) / std::max<size_t>(1, first.text.size());
  double end = first.x1;
  for (size_t k = 0; k < row.cells.size(); ++k) {
    const CellView& c = row.cells[k];
    if (k > 0 && c.x0 - end > 3 * char_width) break;
    end = c.x1;
    for (const std::string& seg : Segments(c.text)) {
      if (seg == "|") continue;
      if (!LooksLikeAddress(seg)) return out;
      re2::StringPiece zip;
      if (ZipRe().Match(seg, 0, seg.size(), re2::RE2::UNANCHORED, &zip, 1)) {
        out.push_back(CollapseSpaces(seg.substr(0, zip.data() + zip.size() - seg.data())));
        return out;
      }
      out.push_back(CollapseSpaces(seg));
    }
  }
  return out;
}

}  // namespace

void ReadProviderBlock(const Layout& layout, const std::vector<Row>& rows,
                       const FieldFinder& finder, Party* provider) {
  std::vector<const Row*> top;
  for (const auto& r : rows) {
    if (r.page != rows.front().page) break;
    if (top.size() >= 8) break;
    top.push_back(&r);
  }
  // Every line of the block that could be a name, up to the first label.
  std::vector<std::pair<size_t, std::string>> candidates;
  for (size_t i = 0; i < top.size(); ++i) {
    const auto& cells = top[i]->cells;
    const auto& first = cells.front();
    if (first.text.find(':') != std::string::npos || finder.IsLabel(first.text)) break;
    std::string printed = first.text;
    // A logo of initials beside the name ("PIC    PINECREST IMAGING CENTER"): the name.
    if (cells.size() > 1 && IsInitialsOf(first.text, cells[1].text)) printed = cells[1].text;
    // A logo of initials on its own line above the name.
    if (cells.size() == 1 && i + 1 < top.size() && IsInitialsOf(first.text, top[i + 1]->cells.front().text))
      continue;
    std::string name = StripCapitalTitle(layout, CleanName(printed));
    if (name.empty() || IsTitleLine(layout, name) || IsSentence(name) || LooksLikeAddress(name) ||
        !HasLetters(name, 3) || ParseDate(name) || ParseMoney(name))
      continue;
    if (re2::RE2::PartialMatch(name, PhoneRe())) continue;
    candidates.emplace_back(i, std::move(name));
  }
  if (candidates.empty()) return;
  const size_t chosen = LetterheadCandidate(rows, top, candidates);
  const size_t name_row = candidates[chosen].first;
  if (!provider->name) provider->name = candidates[chosen].second;
  // A name read before (an EOB's "Provider:" label) that is not the letterhead's: the
  // letterhead's address and phone are another party's (the payer's).
  if (NormalizeLabel(*provider->name) != NormalizeLabel(candidates[chosen].second)) return;
  if (provider->address.empty()) {
    for (size_t i = name_row + 1; i < top.size() && i <= name_row + 4; ++i) {
      const auto& cell = top[i]->cells.front();
      if (cell.text.find(':') != std::string::npos && !LooksLikeAddress(cell.text)) break;
      if (!LooksLikeAddress(cell.text)) {
        if (!provider->address.empty()) break;
        continue;
      }
      std::vector<std::string> parts = AddressParts(*top[i]);
      provider->address.insert(provider->address.end(), parts.begin(), parts.end());
      if (!parts.empty() && re2::RE2::PartialMatch(parts.back(), ZipRe())) break;
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
