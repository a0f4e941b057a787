#include "extract/grammar/parse.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace billwise {
namespace {

// ---------------------------------------------------------------------------------
// A flat view of the document: one Row per non-empty line, cells with x spans.

struct CellView {
  std::string text;
  double x0 = 0, x1 = 0;
  float confidence = 100.f;
};

struct Row {
  int page = 1;       // 1-based
  int line = 0;       // index within the page
  double y0 = 0, y1 = 0;
  double width = 612;  // page width
  std::string text;
  std::vector<CellView> cells;
  float confidence = 100.f;
  bool ocr = false;  // read by OCR: header words may be misspelt
};

// Cells of a line that has only text (no positioned cells): split on 2+ spaces,
// 6 points per character, the convention of the plain-text path.
std::vector<CellView> CellsFromText(const std::string& text) {
  std::vector<CellView> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && !(text[j] == ' ' && j + 1 < text.size() && text[j + 1] == ' ') &&
           !(text[j] == ' ' && j + 1 == text.size()))
      ++j;
    out.push_back(CellView{text.substr(i, j - i), i * 6.0, j * 6.0, 100.f});
    i = j;
  }
  return out;
}

bool IsStrayMark(unsigned char c) {
  return c == '.' || c == ',' || c == ':' || c == ';' || c == '\'' || c == '"' || c == '`' ||
         c == '*' || c == '~' || c == '_' || c == '^' || c == '!' || c == '|' || c >= 0x80;
}

// An OCR'd cell without the specks a scan adds: marks around a value ("87880.",
// "09/17/2026.'", "'$45.00", "PR-3:"), a colon read for the decimal point ("95:00"), and
// cells that hold nothing but marks. Text cells keep their punctuation.
std::string CleanOcrToken(std::string_view raw) {
  std::string t(Trim(raw));
  auto value_like = [](std::string_view v) {
    int digits = 0, letters = 0;
    for (char c : v) {
      if (c >= '0' && c <= '9') ++digits;
      else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
    }
    return digits >= 2 && letters <= 3;
  };
  bool any_alnum = std::any_of(t.begin(), t.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c));
  });
  if (!any_alnum && t.find_first_of("$&#%+/") == std::string::npos) return "";
  if (!value_like(t)) return t;
  // Marks after the value; a closing parenthesis or a credit minus stays.
  while (!t.empty() && IsStrayMark(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && IsStrayMark(static_cast<unsigned char>(t.front())) && t.front() != '.')
    t.erase(t.begin());
  // "95:00" or "1,250:00": a colon before exactly two final digits is the decimal point
  // (a time of day has no other separators and stays: it is not in a money cell anyway).
  size_t colon = t.rfind(':');
  if (colon != std::string::npos && colon + 3 == t.size() && colon > 0 &&
      std::isdigit(static_cast<unsigned char>(t[colon - 1])) &&
      std::isdigit(static_cast<unsigned char>(t[colon + 1])) &&
      std::isdigit(static_cast<unsigned char>(t[colon + 2])) && t.find('.') == std::string::npos &&
      t.find('/') == std::string::npos && t.find(':') == colon &&
      (colon > 2 || std::atoi(t.c_str()) > 23))
    t[colon] = '.';
  return std::string(Trim(t));
}

// Cleans each word of an OCR'd cell (CleanOcrToken); words that are only specks go.
std::string CleanOcrCell(std::string_view raw) {
  std::string out;
  size_t i = 0;
  while (i < raw.size()) {
    while (i < raw.size() && raw[i] == ' ') ++i;
    size_t j = raw.find(' ', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string tok = CleanOcrToken(raw.substr(i, j - i));
    if (!tok.empty()) out += (out.empty() ? "" : " ") + tok;
    i = j;
  }
  return out;
}

// OCR jitter merges neighbouring cells: "09/17/2026 81002" or "22.00 13.42". A cell
// that starts with a date followed by more, or that is made only of amounts with cents,
// is split into one cell per value, placed by character position.
void SplitMergedValues(std::vector<CellView>* cells) {
  std::vector<CellView> out;
  for (auto& c : *cells) {
    std::vector<std::pair<size_t, std::string>> toks;
    size_t i = 0;
    while (i < c.text.size()) {
      while (i < c.text.size() && c.text[i] == ' ') ++i;
      size_t j = c.text.find(' ', i);
      if (j == std::string::npos) j = c.text.size();
      if (j > i) toks.emplace_back(i, c.text.substr(i, j - i));
      i = j;
    }
    if (toks.size() < 2) {
      out.push_back(c);
      continue;
    }
    bool all_money = std::all_of(toks.begin(), toks.end(), [](const auto& t) {
      return LooksLikeMoney(t.second) && t.second.find('.') != std::string::npos;
    });
    bool date_first = ParseDate(toks[0].second).has_value() && !ParseDate(c.text).has_value();
    if (!all_money && !date_first) {
      out.push_back(c);
      continue;
    }
    const double scale = (c.x1 - c.x0) / std::max<size_t>(1, c.text.size());
    auto piece = [&](size_t b, size_t e) {
      CellView v = c;
      v.text = std::string(Trim(std::string_view(c.text).substr(b, e - b)));
      v.x0 = c.x0 + b * scale;
      v.x1 = c.x0 + e * scale;
      return v;
    };
    if (all_money) {
      for (const auto& [pos, t] : toks) out.push_back(piece(pos, pos + t.size()));
    } else {
      out.push_back(piece(0, toks[0].second.size()));
      out.push_back(piece(toks[1].first, c.text.size()));
    }
  }
  *cells = std::move(out);
}

std::vector<Row> BuildRows(const std::vector<Page>& pages) {
  std::vector<Row> rows;
  for (const Page& p : pages) {
    const bool ocr = p.origin == TextOrigin::kOcr;
    for (const Line& l : p.lines) {
      if (Trim(l.text).empty() && l.cells.empty()) continue;
      Row r;
      r.page = p.number;
      r.line = l.index;
      r.y0 = l.box.y0;
      r.y1 = l.box.y1;
      r.width = p.width > 0 ? p.width : 612;
      r.confidence = l.confidence;
      r.ocr = ocr;
      if (!l.cells.empty()) {
        for (const Cell& c : l.cells) {
          std::string t = ocr ? CleanOcrCell(c.text) : std::string(Trim(c.text));
          if (t.empty()) continue;
          r.cells.push_back(CellView{std::move(t), c.box.x0, c.box.x1, c.confidence});
        }
      } else {
        r.cells = CellsFromText(l.text);
      }
      if (ocr) SplitMergedValues(&r.cells);
      if (r.cells.empty()) continue;
      if (ocr) {
        for (const auto& c : r.cells) r.text += (r.text.empty() ? "" : "  ") + c.text;
      } else if (!Trim(l.text).empty()) {
        r.text = l.text;
      } else {
        for (const auto& c : r.cells) r.text += (r.text.empty() ? "" : "  ") + c.text;
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

bool HasLetters(std::string_view s, int at_least = 2) {
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

// Splits a cell on " | " separators: "Acct: P001 | DOB: 06/15/1980".
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

// ---------------------------------------------------------------------------------
// Header fields.

struct FieldValue {
  std::string text;
  std::optional<Date> date;
  std::optional<Money> money;
  int score = std::numeric_limits<int>::max();  // lower wins
  size_t order = 0;
  float confidence = 100.f;
  int row = -1;  // the row the value was read from (-1: a pattern over the whole text)
};

// One capture group: the phone number.
const re2::RE2& PhoneRe() {
  static const re2::RE2 re(R"(((?:\+?1[-. ])?(?:\([2-9]\d{2}\)|\b[2-9]\d{2})[-. ]?\d{3}[-. ]\d{4})\b)");
  return re;
}
const re2::RE2& ZipRe() {
  static const re2::RE2 re(R"(\b([A-Z]{2})\.?,?\s+(\d{5})(?:-\d{4})?\b)");
  return re;
}

// Converts a raw value to the field's kind; false when it is not one.
bool Convert(Field field, std::string_view raw, DateOrder order, FieldValue* out) {
  std::string joined(raw);
  std::replace(joined.begin(), joined.end(), '\n', ' ');  // a name a pattern took across a line break
  std::string v = CollapseSpaces(joined);
  while (!v.empty() && (v.back() == '|' || v.back() == ',' || v.back() == ';')) v.pop_back();
  v = std::string(Trim(v));
  if (v.empty()) return false;
  switch (KindOf(field)) {
    case FieldKind::kDate: {
      auto d = ParseDate(v, order);
      if (!d) {
        size_t b = 0;
        d = FindDate(v, order, &b);
        if (d && b > 0) d.reset();  // the date must lead the value
      }
      if (!d) return false;
      out->date = d;
      out->text = d->Iso();
      return true;
    }
    case FieldKind::kMoney: {
      auto m = ParseMoney(v);
      if (!m) {
        // "$45.00 (after insurance)": the first token.
        size_t sp = v.find(' ');
        if (sp != std::string::npos) m = ParseMoney(v.substr(0, sp));
      }
      if (!m) return false;
      out->money = m;
      out->text = v;
      return true;
    }
    case FieldKind::kPhone: {
      std::string phone;
      if (!re2::RE2::PartialMatch(v, PhoneRe(), &phone)) return false;
      out->text = std::string(phone);
      return true;
    }
    case FieldKind::kText:
      break;
  }
  if (!HasLetters(v, 1) && !HasDigit(v)) return false;
  if (v.size() > 80) return false;
  if (field == Field::kAccountNumber || field == Field::kClaimNumber || field == Field::kMemberId ||
      field == Field::kCollectorReference) {
    if (!HasDigit(v)) return false;
    size_t sp = v.find(' ');
    if (sp != std::string::npos) v = v.substr(0, sp);
    if (v.front() == '#') v.erase(0, 1);  // "#IN-8293-F": the number sign is not part of it
    if (v.size() < 2) return false;
  }
  if (field == Field::kPatientName || field == Field::kCollectorName ||
      field == Field::kProviderName || field == Field::kCreditor || field == Field::kOriginalCreditor) {
    if (!HasLetters(v, 2) || v.back() == ':') return false;
    if (field == Field::kPatientName && HasDigit(v)) return false;
  }
  out->text = v;
  return true;
}

size_t EditDistance(std::string_view a, std::string_view b, size_t limit);

struct LabelHit {
  std::string label;  // normalised
  std::string inline_value;
  bool had_colon = false;
  size_t row = 0, cell = 0;
  double x0 = 0, x1 = 0;
};

class FieldFinder {
 public:
  FieldFinder(const Layout& layout, const std::vector<Row>& rows) : layout_(layout), rows_(rows) {
    // Multi-word synonyms by their first word, with their place in the labels map's own
    // order (Lookup reports matches in that order).
    size_t ordinal = 0;
    for (const auto& entry : layout_.labels) {
      const std::string& syn = entry.first;
      const size_t space = syn.find(' ');
      if (space != std::string::npos) {
        by_first_word_[std::string_view(syn).substr(0, space)].push_back(MultiWordSynonym{ordinal, &entry});
      }
      ++ordinal;
    }
  }

  void Run(std::map<Field, FieldValue>* found) {
    RunPatterns(found);
    RunLabels(found);
  }

  // The synonyms of `label`: exact first, then whole-word containment.
  std::vector<std::pair<Field, int>> Lookup(const std::string& label) const {
    std::vector<std::pair<Field, int>> out;
    if (label.empty()) return out;
    auto it = layout_.labels.find(label);
    if (it != layout_.labels.end()) {
      for (const auto& s : it->second) out.emplace_back(s.field, s.rank);
      return out;
    }
    size_t words = 1 + static_cast<size_t>(std::count(label.begin(), label.end(), ' '));
    if (words > 6) return out;
    for (const auto& stop : layout_.label_stop_words) {
      if (WordContains(label, stop)) return out;
    }
    // Multi-word synonyms the label contains as whole words: those starting with each of
    // its words, at that word.
    std::vector<MultiWordSynonym> found;
    const std::string_view text(label);
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      if (auto it = by_first_word_.find(text.substr(start, end - start)); it != by_first_word_.end()) {
        for (const MultiWordSynonym& m : it->second) {
          const std::string& syn = m.entry->first;
          const size_t after = start + syn.size();
          if (syn.size() < text.size() && after <= text.size() && text.compare(start, syn.size(), syn) == 0 &&
              (after == text.size() || text[after] == ' ')) {
            found.push_back(m);
          }
        }
      }
      start = end + 1;
    }
    std::sort(found.begin(), found.end(),
              [](const MultiWordSynonym& a, const MultiWordSynonym& b) { return a.ordinal < b.ordinal; });
    found.erase(std::unique(found.begin(), found.end(),
                            [](const MultiWordSynonym& a, const MultiWordSynonym& b) { return a.ordinal == b.ordinal; }),
                found.end());
    for (const MultiWordSynonym& m : found) {
      for (const auto& s : m.entry->second) out.emplace_back(s.field, 1000 + s.rank);
    }
    return out;
  }

  // A label misread by OCR ("statement gate"): the one synonym of eight letters or more
  // within one edit, when all such synonyms name the same field.
  std::vector<std::pair<Field, int>> FuzzyLookup(const std::string& label) const {
    std::vector<std::pair<Field, int>> out;
    if (label.size() < 8) return out;
    for (const auto& [syn, list] : layout_.labels) {
      if (syn.size() < 8 || EditDistance(label, syn, 1) > 1) continue;
      for (const auto& s : list) {
        if (!out.empty() && out.front().first != s.field) return {};
        out.emplace_back(s.field, 2000 + s.rank);
      }
    }
    return out;
  }

  bool IsLabel(const std::string& text) const {
    std::string t(Trim(text));
    if (!t.empty() && t.back() == ':') return true;
    return layout_.labels.count(NormalizeLabel(t)) > 0;
  }

 private:
  void RunPatterns(std::map<Field, FieldValue>* found) {
    if (layout_.fields.empty()) return;
    std::string all;
    for (const auto& r : rows_) {
      all += r.text;
      all += '\n';
    }
    for (const auto& rule : layout_.fields) {
      for (const auto& re : rule.patterns) {
        int group = re->NamedCapturingGroups().at(FieldName(rule.field));
        std::vector<re2::StringPiece> sub(re->NumberOfCapturingGroups() + 1);
        if (!re->Match(all, 0, all.size(), re2::RE2::UNANCHORED, sub.data(),
                       static_cast<int>(sub.size())))
          continue;
        FieldValue v;
        if (!sub[group].data() ||
            !Convert(rule.field, std::string_view(sub[group].data(), sub[group].size()),
                     layout_.date_order, &v))
          continue;
        v.score = -1;  // patterns beat labels
        (*found)[rule.field] = v;
        break;
      }
    }
  }

  bool label_row_at(size_t r) const {
    size_t n = 0;
    for (const auto& c : rows_[r].cells) n += !Lookup(NormalizeLabel(c.text)).empty();
    return n >= 2 && n + 1 >= rows_[r].cells.size();
  }

  std::vector<LabelHit> Hits() const {
    std::vector<LabelHit> hits;
    for (size_t r = 0; r < rows_.size(); ++r) {
      const auto& cells = rows_[r].cells;
      for (size_t c = 0; c < cells.size(); ++c) {
        for (const auto& seg : Segments(cells[c].text)) {
          LabelHit h;
          h.row = r;
          h.cell = c;
          h.x0 = cells[c].x0;
          h.x1 = cells[c].x1;
          size_t colon = seg.find(':');
          if (colon != std::string::npos) {
            h.label = NormalizeLabel(seg.substr(0, colon));
            h.inline_value = std::string(Trim(seg.substr(colon + 1)));
            h.had_colon = true;
            // "RE: Original Creditor: Southern Pines": a labelled value inside a value.
            size_t inner = h.inline_value.find(':');
            if (inner != std::string::npos && inner > 0 &&
                !Lookup(NormalizeLabel(h.inline_value.substr(0, inner))).empty()) {
              LabelHit in = h;
              in.label = NormalizeLabel(h.inline_value.substr(0, inner));
              in.inline_value = std::string(Trim(h.inline_value.substr(inner + 1)));
              h.inline_value = in.inline_value;
              hits.push_back(in);
            }
            hits.push_back(h);
            continue;
          }
          h.label = NormalizeLabel(seg);
          hits.push_back(h);
          // "Amount Due $45.00" in one cell: the label is what precedes the value.
          size_t sp = seg.rfind(' ');
          if (sp != std::string::npos && HasDigit(seg.substr(sp + 1))) {
            LabelHit tail = h;
            tail.label = NormalizeLabel(seg.substr(0, sp));
            tail.inline_value = seg.substr(sp + 1);
            hits.push_back(tail);
          }
        }
      }
    }
    return hits;
  }

  void RunLabels(std::map<Field, FieldValue>* found) {
    size_t order = 0;
    for (const LabelHit& h : Hits()) {
      ++order;
      auto syns = Lookup(h.label);
      if (syns.empty() && rows_[h.row].ocr) syns = FuzzyLookup(h.label);
      if (syns.empty()) continue;
      std::vector<std::pair<std::string, float>> values;
      const Row& row = rows_[h.row];
      if (!h.inline_value.empty()) {
        values.emplace_back(h.inline_value, row.cells[h.cell].confidence);
      } else {
        if (h.cell + 1 < row.cells.size() && !IsLabel(row.cells[h.cell + 1].text) &&
            !(label_row_at(h.row))) {
          auto segs = Segments(row.cells[h.cell + 1].text);
          if (!segs.empty()) values.emplace_back(segs.front(), row.cells[h.cell + 1].confidence);
        }
        // A row of labels ("Statement Date   Account Number   Amount Due") has its
        // values on the row below, each under its label.
        size_t labels_in_row = 0;
        for (const auto& c : row.cells) labels_in_row += !Lookup(NormalizeLabel(c.text)).empty();
        bool label_row = labels_in_row >= 2 && labels_in_row + 1 >= row.cells.size();
        bool below_ok = h.had_colon || label_row ||
                        (h.cell + 1 >= row.cells.size() && row.cells.size() <= 3);
        if (below_ok) {
          for (size_t k = h.row + 1; k < rows_.size() && k <= h.row + 2; ++k) {
            if (rows_[k].page != row.page) break;
            for (const auto& c : rows_[k].cells) {
              bool overlap = c.x0 < h.x1 + 6 && c.x1 > h.x0 - 6;
              if (overlap && !IsLabel(c.text)) values.emplace_back(c.text, c.confidence);
            }
            if (!values.empty()) break;
          }
        }
      }
      for (const auto& [field, rank] : syns) {
        if (found->count(field) && (*found)[field].score <= rank) continue;
        for (const auto& [raw, conf] : values) {
          FieldValue v;
          if (!Convert(field, raw, layout_.date_order, &v)) continue;
          v.score = rank;
          v.order = order;
          v.confidence = conf;
          v.row = static_cast<int>(h.row);
          (*found)[field] = v;
          break;
        }
      }
    }
  }

  struct MultiWordSynonym {
    size_t ordinal;  // place in layout_.labels' iteration order
    const std::pair<const std::string, std::vector<LabelSynonym>>* entry;
  };

  const Layout& layout_;
  const std::vector<Row>& rows_;
  std::unordered_map<std::string_view, std::vector<MultiWordSynonym>> by_first_word_;
};

// ---------------------------------------------------------------------------------
// Provider block: the top of page 1.

bool IsTitleLine(const Layout& layout, std::string_view text) {
  std::string norm = NormalizeLabel(text);
  if (norm.empty()) return true;
  size_t pos = 0;
  while (pos < norm.size()) {
    size_t sp = norm.find(' ', pos);
    std::string word = norm.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    bool title = std::find(layout.title_words.begin(), layout.title_words.end(), word) !=
                 layout.title_words.end();
    if (!title) return false;
    if (sp == std::string::npos) break;
    pos = sp + 1;
  }
  return true;
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
    if (name.empty() || IsTitleLine(layout, name) || LooksLikeAddress(name) ||
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

// ---------------------------------------------------------------------------------
// Line items: shared helpers.

struct ItemDraft {
  LineItem item;
  bool has_money = false;
  bool has_date = false;
  bool has_code = false;
  std::string label_text;  // the non-money text of the row, for total/payment tests
};

// A charge-master or catalogue code ("FURN_7777", "[17589684]"): one token with a
// digit that is not an amount, a date or a quantity.
bool IsInternalCode(std::string_view t) {
  if (t.empty() || t.size() > 20 || t.find(' ') != std::string_view::npos || !HasDigit(t))
    return false;
  if (LooksLikeMoney(t) || ParseDate(t) || FindDate(t)) return false;
  if (ParseQuantity(t) && t.size() < 5) return false;
  return true;
}

// On scans the J of a drug code is often read as 1 or 3 ("12405" for J2405). A line
// under a pharmacy revenue code (025x, 063x: drugs, which carry J codes) whose code is five
// digits starting with 1 or 3 gets its J back.
void RepairDrugCode(LineItem* item) {
  if (!item->revenue_code || !item->code || item->code->size() != 5) return;
  const std::string& rev = *item->revenue_code;
  bool pharmacy = rev.starts_with("025") || rev.starts_with("063");
  const std::string& c = *item->code;
  if (!pharmacy || (c[0] != '1' && c[0] != '3') ||
      !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return;
  item->code = "J" + c.substr(1);
  item->code_type = CodeType::kHcpcs;
}

// Moves a code written in the description into the item.
void CodeFromDescription(LineItem* item) {
  if (item->code || item->revenue_code) return;
  size_t b = 0, e = 0;
  auto code = FindCodeInText(item->description, &b, &e);
  if (!code) return;
  item->code = code->code;
  item->code_type = code->type;
  item->modifiers = code->modifiers;
  std::string rest = item->description.substr(0, b) + " " + item->description.substr(e);
  std::string_view r = Trim(rest);
  auto junk = [](char c) { return c == '-' || c == ':' || c == '|' || c == ' ' || c == ','; };
  while (!r.empty() && junk(r.front())) r.remove_prefix(1);
  while (!r.empty() && junk(r.back())) r.remove_suffix(1);
  std::string cleaned = CollapseSpaces(r);
  // "Office Visit - 99213" leaves "Office Visit"; "(...)" leftovers are trimmed above.
  if (!cleaned.empty()) item->description = cleaned;
}

void ApplyCode(const std::string& raw, LineItem* item, bool* has_code) {
  if (Trim(raw).empty()) return;
  if (auto c = ParseCodeCell(raw)) {
    if (c->type == CodeType::kRevenue) {
      item->revenue_code = c->code;
      if (!item->code) {
        item->code = c->code;
        item->code_type = CodeType::kRevenue;
      }
    } else {
      item->code = c->code;
      item->code_type = c->type;
      item->modifiers = c->modifiers;
    }
    *has_code = true;
    return;
  }
  // An internal charge code ("FURN_7777", "CDM 4500123"): kept, typed internal.
  std::string t = CollapseSpaces(raw);
  if (IsInternalCode(t)) {
    std::string stripped = t;
    if (stripped.size() > 2 && stripped.front() == '[' && stripped.back() == ']')
      stripped = stripped.substr(1, stripped.size() - 2);
    item->code = stripped;
    item->code_type = CodeType::kInternal;
    *has_code = true;
  }
}

struct TotalsSums {
  std::optional<Money> insurance_paid, patient_paid, adjustments;
  void Add(Field f, Money m) {
    Money a{std::llabs(m.cents)};
    auto& slot = f == Field::kInsurancePaid ? insurance_paid
                 : f == Field::kPatientPaid ? patient_paid
                                            : adjustments;
    slot = slot ? *slot + a : a;
  }
};

// The row is a payment/adjustment: which total it feeds. A patient's payment is tried
// first, then an adjustment, then a payer's payment (whose patterns may be the widest).
std::optional<Field> PaymentKind(const Layout& layout, std::string_view text) {
  for (Field want : {Field::kPatientPaid, Field::kAdjustments, Field::kInsurancePaid}) {
    for (const auto& [field, re] : layout.items.payments) {
      if (field == want && re.PartialMatch(text))
        return field;
    }
  }
  return std::nullopt;
}

bool IsTotalText(const Layout& layout, const FieldFinder& finder, std::string_view text) {
  std::string t(Trim(text));
  if (t.empty()) return false;
  if (Matches(layout.items.not_items, t)) return true;
  std::string label = NormalizeLabel(t);
  for (const auto& [field, rank] : finder.Lookup(label)) {
    (void)rank;
    if (KindOf(field) == FieldKind::kMoney) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------
// Column inference.

struct ColumnDef {
  Column kind;
  double x0, x1;
  std::string header = {};  // the normalised header words
};

struct HeaderMatch {
  std::vector<ColumnDef> columns;
  int matched_words = 0;
  int cells = 0;
  int matched_cells = 0;
};

// Edit distance, stopping early once it exceeds `limit`.
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

// The column a misread header names ("cptihcpcs" for "cpt/hcpcs", "descriptlon"): the one
// synonym within one edit (two for nine letters or more); none when two columns are as near.
std::optional<Column> FuzzyColumn(const ItemRules& rules, const std::string& norm) {
  if (norm.size() < 4) return std::nullopt;
  size_t limit = norm.size() >= 9 ? 2 : 1;
  size_t best = limit + 1;
  std::optional<Column> found;
  bool tie = false;
  for (const auto& [syn, col] : rules.columns) {
    if (syn.size() < 4) continue;
    size_t d = EditDistance(norm, syn, limit);
    if (d > limit) continue;
    if (d < best) {
      best = d;
      found = col;
      tie = false;
    } else if (d == best && found != col) {
      tie = true;
    }
  }
  if (tie) return std::nullopt;
  return found;
}

HeaderMatch MatchHeaderCells(const ItemRules& rules, const std::vector<CellView>& cells,
                             bool fuzzy = false) {
  HeaderMatch m;
  for (const auto& c : cells) {
    ++m.cells;
    std::string norm = NormalizeLabel(c.text);
    if (norm.empty()) continue;
    auto it = rules.columns.find(norm);
    if (it == rules.columns.end() && fuzzy && norm.find(' ') == std::string::npos) {
      if (auto col = FuzzyColumn(rules, norm)) {
        m.columns.push_back(ColumnDef{*col, c.x0, c.x1, norm});
        ++m.matched_cells;
        ++m.matched_words;
        continue;
      }
    }
    if (it != rules.columns.end()) {
      m.columns.push_back(ColumnDef{it->second, c.x0, c.x1, norm});
      ++m.matched_cells;
      m.matched_words += 1 + static_cast<int>(std::count(norm.begin(), norm.end(), ' '));
      continue;
    }
    // Several headers in one cell ("Date CPT"): greedy longest match by words.
    std::vector<std::string> words;
    std::vector<size_t> starts;
    size_t pos = 0;
    while (pos < norm.size()) {
      size_t sp = norm.find(' ', pos);
      starts.push_back(pos);
      words.push_back(norm.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos));
      if (sp == std::string::npos) break;
      pos = sp + 1;
    }
    size_t i = 0;
    bool all = true;
    double scale = (c.x1 - c.x0) / std::max<size_t>(1, norm.size());
    std::vector<ColumnDef> parts;
    int matched = 0;
    while (i < words.size()) {
      bool hit = false;
      for (size_t n = std::min(rules.longest_column_words, words.size() - i); n >= 1; --n) {
        std::string key = words[i];
        for (size_t k = 1; k < n; ++k) key += " " + words[i + k];
        auto f = rules.columns.find(key);
        if (f == rules.columns.end()) continue;
        double x0 = c.x0 + starts[i] * scale;
        double x1 = c.x0 + (starts[i + n - 1] + words[i + n - 1].size()) * scale;
        parts.push_back(ColumnDef{f->second, x0, x1, key});
        matched += static_cast<int>(n);
        i += n;
        hit = true;
        break;
      }
      if (!hit) {
        all = false;
        ++i;
      }
    }
    if (all && !parts.empty()) {
      m.columns.insert(m.columns.end(), parts.begin(), parts.end());
      ++m.matched_cells;
      m.matched_words += matched;
    } else {
      m.columns.push_back(ColumnDef{Column::kIgnore, c.x0, c.x1});
    }
  }
  return m;
}

bool IsAmountColumn(Column c) { return IsMoneyColumn(c) && c != Column::kBalance; }

bool AcceptableHeader(const HeaderMatch& m) {
  if (m.matched_cells < 2) return false;
  if (m.matched_cells * 10 < m.cells * 6) return false;
  bool amount = false, anchor = false;
  for (const auto& c : m.columns) {
    if (IsAmountColumn(c.kind)) amount = true;
    if (c.kind == Column::kDescription || c.kind == Column::kCode || c.kind == Column::kDate ||
        c.kind == Column::kRevenue)
      anchor = true;
  }
  return amount && anchor;
}

bool RowHasValues(const Row& r) {
  for (const auto& c : r.cells) {
    if (LooksLikeMoney(c.text) || ParseDate(c.text)) return true;
  }
  return false;
}

// The header row at rows[i] (merged with the line above when its words are split over
// two lines), or nullopt.
std::optional<std::vector<ColumnDef>> HeaderAt(const ItemRules& rules, const std::vector<Row>& rows,
                                               size_t i) {
  const Row& r = rows[i];
  if (r.cells.size() < 2 || RowHasValues(r)) return std::nullopt;
  HeaderMatch best = MatchHeaderCells(rules, r.cells, r.ocr);
  if (i > 0 && rows[i - 1].page == r.page && !RowHasValues(rows[i - 1]) &&
      rows[i - 1].cells.size() <= r.cells.size()) {
    // Merge the line above into the cells it sits over.
    std::vector<CellView> merged = r.cells;
    bool all_placed = true;
    for (const auto& up : rows[i - 1].cells) {
      bool placed = false;
      for (auto& c : merged) {
        if (up.x0 < c.x1 + 3 && up.x1 > c.x0 - 3) {
          c.text = up.text + " " + c.text;
          c.x0 = std::min(c.x0, up.x0);
          c.x1 = std::max(c.x1, up.x1);
          placed = true;
          break;
        }
      }
      all_placed = all_placed && placed;
    }
    if (all_placed) {
      HeaderMatch m2 = MatchHeaderCells(rules, merged, r.ocr);
      if (AcceptableHeader(m2) && m2.matched_cells >= best.matched_cells &&
          m2.matched_words > best.matched_words)
        best = m2;
    }
  }
  if (!AcceptableHeader(best)) return std::nullopt;
  // "CPT/ASA  Mod  Procedure ...": with a code column already and no description column,
  // a column titled "Procedure" or "Service" holds the description.
  auto count = [&](Column k) {
    return std::count_if(best.columns.begin(), best.columns.end(),
                         [k](const ColumnDef& c) { return c.kind == k; });
  };
  if (count(Column::kDescription) == 0 && count(Column::kCode) >= 2) {
    for (auto& c : best.columns) {
      if (c.kind == Column::kCode && (c.header == "procedure" || c.header == "service" ||
                                      c.header == "proc" || c.header == "item")) {
        c.kind = Column::kDescription;
        break;
      }
    }
  }
  std::sort(best.columns.begin(), best.columns.end(),
            [](const ColumnDef& a, const ColumnDef& b) { return a.x0 < b.x0; });
  return best.columns;
}

struct CellKind {
  bool date = false, money = false, money_strong = false, qty = false, code = false,
       rev = false, text = false, mod = false, token = false;
};

CellKind Classify(const std::string& t, DateOrder order) {
  CellKind k;
  k.date = ParseDate(t, order).has_value();
  k.money = ParseMoney(t).has_value();
  k.money_strong = k.money && LooksLikeMoney(t);
  k.qty = ParseQuantity(t).has_value() && t.find('$') == std::string::npos;
  auto code = ParseCodeCell(t);
  k.code = code.has_value();
  k.rev = NormalizeRevenueCode(t).has_value();
  k.text = HasLetters(t, 2);
  k.mod = t.size() == 2 && std::isalnum(static_cast<unsigned char>(t[0])) &&
          std::isalnum(static_cast<unsigned char>(t[1]));
  k.token = IsInternalCode(t);
  return k;
}

double TypeScore(const CellKind& k, Column col) {
  switch (col) {
    case Column::kDate: return k.date ? 3 : -4;
    case Column::kRevenue: return k.rev ? 3 : -4;
    case Column::kCode: return k.code ? 3 : (k.token ? 1 : -3);
    case Column::kModifiers: return k.mod ? 3 : -3;
    case Column::kDescription:
      if (k.money_strong || k.date) return -2;
      return k.text ? 2 : (k.code ? 0.5 : -1);
    case Column::kQuantity: return (k.qty && !k.date) ? 3 : -4;
    case Column::kNotes: return k.text ? 1.5 : (k.money_strong ? -2 : 0.3);
    case Column::kIgnore: return 0.5;
    default:  // money columns
      if (k.date) return -4;
      return k.money_strong ? 3 : (k.money ? 1.5 : -4);
  }
}

double GeoScore(const CellView& c, const ColumnDef& col, double width) {
  double d = 0;
  if (c.x1 <= col.x0) d = col.x0 - c.x1;
  else if (c.x0 >= col.x1) d = c.x0 - col.x1;
  double s = 1 - d / (0.08 * width);
  return std::max(s, -2.0);
}

bool MultiCellColumn(Column c) {
  return c == Column::kDescription || c == Column::kNotes || c == Column::kIgnore;
}

// Assigns each cell to a column (or -1) maximising type and position agreement, keeping
// the left-to-right order.
std::vector<int> AssignCells(const std::vector<CellView>& cells, const std::vector<ColumnDef>& cols,
                             double width, DateOrder order) {
  const size_t n = cells.size(), m = cols.size();
  std::vector<CellKind> kinds;
  for (const auto& c : cells) kinds.push_back(Classify(c.text, order));
  std::vector<std::vector<double>> score(n, std::vector<double>(m));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < m; ++j)
      score[i][j] = TypeScore(kinds[i], cols[j].kind) + GeoScore(cells[i], cols[j], width);
  const double kNeg = -1e18, kDrop = -3;
  std::vector<std::vector<double>> dp(n + 1, std::vector<double>(m + 1, kNeg));
  // back[i][j]: how (i, j) was reached: 0 skip column, 1 drop cell, k>=2 assigned k-1 cells.
  std::vector<std::vector<std::pair<int, int>>> back(n + 1, std::vector<std::pair<int, int>>(m + 1));
  dp[0][0] = 0;
  for (size_t i = 0; i <= n; ++i) {
    for (size_t j = 0; j <= m; ++j) {
      double cur = dp[i][j];
      if (cur == kNeg) continue;
      if (j < m && cur > dp[i][j + 1]) {
        dp[i][j + 1] = cur;
        back[i][j + 1] = {0, 0};
      }
      if (i < n && cur + kDrop > dp[i + 1][j]) {
        dp[i + 1][j] = cur + kDrop;
        back[i + 1][j] = {1, 0};
      }
      if (j < m) {
        double sum = 0;
        for (size_t k = i; k < n; ++k) {
          sum += score[k][j];
          size_t cnt = k - i + 1;
          if (cnt > 1 && !MultiCellColumn(cols[j].kind)) break;
          if (cur + sum > dp[k + 1][j + 1]) {
            dp[k + 1][j + 1] = cur + sum;
            back[k + 1][j + 1] = {2, static_cast<int>(cnt)};
          }
        }
      }
    }
  }
  std::vector<int> out(n, -1);
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    auto [how, cnt] = back[i][j];
    if (how == 0) {
      --j;
    } else if (how == 1) {
      --i;
    } else {
      for (int k = 0; k < cnt; ++k) out[i - 1 - k] = static_cast<int>(j - 1);
      i -= cnt;
      --j;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// The item reader.

class ItemReader {
 public:
  ItemReader(const Layout& layout, const FieldFinder& finder, const std::vector<Row>& rows,
             std::optional<Date> default_date)
      : layout_(layout), finder_(finder), rows_(rows), default_date_(default_date) {}

  std::vector<LineItem> items;
  TotalsSums sums;
  bool found_table = false;
  bool used_rows = false;
  std::set<int> consumed;  // rows read as items or as payment/adjustment rows
  // The amounts of the last "total" row of a table, by column ("Claim Totals  $334.00 ...").
  std::optional<LineItem> table_totals;

  void Run() {
    const ItemRules& r = layout_.items;
    size_t begin = 0, end = rows_.size();
    if (r.start) {
      begin = end;
      for (size_t i = 0; i < rows_.size(); ++i) {
        if (Matches(r.start, rows_[i].text)) {
          begin = i + 1;
          break;
        }
      }
    }
    if (r.end) {
      for (size_t i = begin; i < rows_.size(); ++i) {
        if (Matches(r.end, rows_[i].text)) {
          end = i;
          break;
        }
      }
    }
    if (r.infer_columns) ReadTables(begin, end);
    if (items.empty() && !r.rows.empty() && (!r.infer_columns || r.rows_fallback)) {
      used_rows = true;
      ReadRowPatterns(begin, end);
    }
  }

 private:
  // A whole-table total ("Totals", "Claim Totals", "Total Charges"), not a page or
  // section subtotal.
  static const re2::RE2& table_total_re() {
    static const re2::RE2 re(
        R"((?i)^\W*(?:(?:claim|grand|account|statement|invoice|bill|visit|encounter)\s+)?totals?\b)");
    return re;
  }

  // --- tables -----------------------------------------------------------------
  void ReadTables(size_t begin, size_t end) {
    size_t i = begin;
    while (i < end) {
      auto cols = HeaderAt(layout_.items, rows_, i);
      if (!cols) {
        ++i;
        continue;
      }
      found_table = true;
      i = ReadTable(i + 1, end, *cols);
      FlushNote(&pending_note_);
    }
  }

  std::string Join(const Row& row, const std::vector<int>& assign, int col) const {
    std::string out;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      if (assign[c] != col) continue;
      if (!out.empty()) out += ' ';
      out += row.cells[c].text;
    }
    return out;
  }

  bool InBand(const Row& row, const std::vector<ColumnDef>& cols, Column kind) const {
    for (size_t j = 0; j < cols.size(); ++j) {
      if (cols[j].kind != kind) continue;
      double left = j > 0 ? cols[j - 1].x1 - 1 : -1e9;
      double right = j + 1 < cols.size() ? cols[j + 1].x0 + 1 : 1e9;
      bool all = std::all_of(row.cells.begin(), row.cells.end(), [&](const CellView& c) {
        return c.x0 >= left && c.x1 <= right;
      });
      if (all) return true;
    }
    return false;
  }

  // Reads rows after a header until the table ends; returns the next row to look at.
  size_t ReadTable(size_t i, size_t end, std::vector<ColumnDef> cols) {
    const ItemRules& r = layout_.items;
    bool closing = false;
    int quiet = 0;  // rows since the last item or total while closing
    int last_item_row = -2;
    std::optional<Date> carry_date;
    bool has_date_col = std::any_of(cols.begin(), cols.end(),
                                    [](const ColumnDef& c) { return c.kind == Column::kDate; });
    bool has_charge_col = std::any_of(cols.begin(), cols.end(),
                                      [](const ColumnDef& c) { return c.kind == Column::kCharge; });
    std::optional<ItemDraft> partial;  // date/code/description waiting for its amounts
    std::string& pending_note = pending_note_;
    int page = i < rows_.size() ? rows_[i].page : 0;
    bool page_top = false;
    for (; i < end; ++i) {
      const Row& row = rows_[i];
      if (row.page != page) {
        page = row.page;
        page_top = true;  // page furniture until a header or a strong row
        partial.reset();
      }
      if (Matches(r.end_table, row.text)) return i + 1;
      if (auto again = HeaderAt(r, rows_, i)) {
        cols = *again;
        page_top = false;
        closing = false;
        last_item_row = -2;
        continue;
      }
      if (Matches(r.skip, row.text)) continue;
      std::vector<int> assign = AssignCells(row.cells, cols, row.width, layout_.date_order);
      ItemDraft d = Draft(row, cols, assign);
      if (has_date_col && !d.has_date && d.has_money && carry_date && !d.item.date_of_service)
        d.item.date_of_service = carry_date;
      bool strong = d.has_money && (d.has_date || d.has_code);
      if (page_top && !strong) {
        // Lines above the continued table on a new page: a title, the account...
        if (!d.has_money && !d.has_date && !d.has_code) continue;
        if (d.has_money) continue;
      }
      page_top = false;
      // A dated payment row ("10/24/2026  Insurance payment - Aetna  (812.00)") is a
      // payment even when its words also name a total.
      std::optional<Field> pay =
          d.has_money && !d.has_code ? PaymentKind(layout_, d.label_text) : std::nullopt;
      const bool is_total =
          d.has_money && !d.has_code && !(pay && d.has_date) && IsTotalText(layout_, finder_, d.label_text);
      if (is_total) {
        FlushNote(&pending_note);
        if (re2::RE2::PartialMatch(d.label_text, table_total_re())) table_totals = d.item;
        if (Matches(r.grand_total, d.label_text)) closing = true;
        last_item_row = -2;
        continue;
      }
      if (pay) {
        if (auto amount = FirstAmount(d.item)) sums.Add(*pay, *amount);
        consumed.insert(static_cast<int>(i));
        last_item_row = -2;
        continue;
      }
      if (!d.has_money) {
        bool text_only = !d.has_date && !d.has_code;
        bool continues = text_only && last_item_row == static_cast<int>(i) - 1 && !items.empty() &&
                         !Matches(r.not_items, row.text) && row.text.find(':') == std::string::npos;
        std::string text = CollapseSpaces(row.text);
        if (text_only && InBand(row, cols, Column::kNotes) && !InBand(row, cols, Column::kDescription)) {
          // A note line: it belongs to the next item when that item's note continues
          // it (notes centred on their row), else to the item above.
          pending_note += (pending_note.empty() ? "" : " ") + text;
          last_item_row = static_cast<int>(i);
          continue;
        }
        FlushNote(&pending_note);
        bool heading = !HasLower(text) && HasLower(items.empty() ? "" : items.back().description);
        if (continues && !heading && InBand(row, cols, Column::kDescription)) {
          items.back().description += " " + text;
          last_item_row = static_cast<int>(i);
          continue;
        }
        if (d.has_date) carry_date = d.item.date_of_service;
        if ((d.has_date || d.has_code) && !d.item.description.empty()) {
          partial = d;
        } else if (d.has_date && has_date_col) {
          partial.reset();
        }
        if (closing && ++quiet > 2) return i + 1;
        continue;
      }
      // A row with amounts.
      if (closing && !d.has_date && !d.has_code) return i;
      if (!d.has_date && !d.has_code && partial) {
        // The amounts of a row whose date/code/description sat on the line above.
        LineItem merged = partial->item;
        if (!d.item.description.empty()) merged.description += " " + d.item.description;
        LineItem& src = d.item;
        merged.quantity = src.quantity;
        merged.unit_price = src.unit_price;
        merged.charge = src.charge;
        merged.allowed = src.allowed;
        merged.insurance_paid = src.insurance_paid;
        merged.adjustment = src.adjustment;
        merged.patient_responsibility = src.patient_responsibility;
        merged.source.confidence = std::min(merged.source.confidence, src.source.confidence);
        d.item = merged;
      }
      partial.reset();
      if (d.item.description.empty() && !d.item.code) continue;
      if (!d.item.charge && !has_charge_col && d.item.unit_price) {
        d.item.charge = d.item.unit_price->Scaled(d.item.quantity);
      }
      if (!d.item.charge && !d.item.patient_responsibility && !d.item.allowed) continue;
      if (!pending_note.empty()) {
        if (d.item.eob_note || items.empty()) {
          d.item.eob_note = d.item.eob_note ? pending_note + " " + *d.item.eob_note : pending_note;
          pending_note.clear();
        } else {
          FlushNote(&pending_note);
        }
      }
      if (d.item.date_of_service) carry_date = d.item.date_of_service;
      if (!d.item.date_of_service && !has_date_col) d.item.date_of_service = default_date_;
      CodeFromDescription(&d.item);
      if (row.ocr) RepairDrugCode(&d.item);
      items.push_back(std::move(d.item));
      consumed.insert(static_cast<int>(i));
      last_item_row = static_cast<int>(i);
      quiet = 0;
    }
    FlushNote(&pending_note);
    return i;
  }

  void FlushNote(std::string* pending) {
    if (pending->empty() || items.empty()) return;
    auto& note = items.back().eob_note;
    note = note ? *note + " " + *pending : *pending;
    pending->clear();
  }

  static std::optional<Money> FirstAmount(const LineItem& it) {
    for (const auto* m : {&it.charge, &it.insurance_paid, &it.adjustment, &it.patient_responsibility,
                          &it.allowed, &it.unit_price}) {
      if (*m) return **m;
    }
    return std::nullopt;
  }

  ItemDraft Draft(const Row& row, const std::vector<ColumnDef>& cols,
                  const std::vector<int>& assign) const {
    ItemDraft d;
    LineItem& it = d.item;
    it.source.page = row.page;
    it.source.line = row.line;
    float conf = 100.f;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      const std::string& t = row.cells[c].text;
      if (assign[c] < 0) {
        if (!LooksLikeMoney(t)) d.label_text += (d.label_text.empty() ? "" : " ") + t;
        continue;
      }
      conf = std::min(conf, row.cells[c].confidence);
      Column kind = cols[assign[c]].kind;
      if (!IsMoneyColumn(kind) && kind != Column::kQuantity && kind != Column::kDate)
        d.label_text += (d.label_text.empty() ? "" : " ") + t;
    }
    it.source.confidence = conf / 100.0;
    for (size_t j = 0; j < cols.size(); ++j) {
      std::string v = Join(row, assign, static_cast<int>(j));
      if (v.empty()) continue;
      switch (cols[j].kind) {
        case Column::kDate:
          if (auto dt = ParseDate(v, layout_.date_order)) {
            it.date_of_service = dt;
            d.has_date = true;
          }
          break;
        case Column::kRevenue:
          if (auto rc = NormalizeRevenueCode(v)) {
            it.revenue_code = rc;
            d.has_code = true;
          }
          break;
        case Column::kCode:
          ApplyCode(v, &it, &d.has_code);
          break;
        case Column::kModifiers: {
          std::string cur;
          for (char ch : v + " ") {
            if (std::isalnum(static_cast<unsigned char>(ch))) {
              cur.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
            } else if (!cur.empty()) {
              if (cur.size() == 2) it.modifiers.push_back(cur);
              cur.clear();
            }
          }
          break;
        }
        case Column::kDescription:
          it.description = CollapseSpaces(v);
          break;
        case Column::kQuantity:
          if (auto q = ParseQuantity(v)) it.quantity = *q;
          break;
        case Column::kNotes:
          it.eob_note = CollapseSpaces(v);
          break;
        case Column::kIgnore:
          break;
        default: {
          auto m = ParseMoney(v);
          if (!m) break;
          switch (cols[j].kind) {
            case Column::kUnitPrice: it.unit_price = m; break;
            case Column::kCharge: it.charge = m; d.has_money = true; break;
            case Column::kAllowed: it.allowed = m; d.has_money = true; break;
            // Payments and adjustments are amounts taken off, positive however printed.
            case Column::kInsurancePaid: it.insurance_paid = Money{std::llabs(m->cents)}; d.has_money = true; break;
            case Column::kAdjustment: it.adjustment = Money{std::llabs(m->cents)}; d.has_money = true; break;
            case Column::kPatientResp: it.patient_responsibility = m; d.has_money = true; break;
            case Column::kPatientPaid: d.has_money = true; break;
            default: break;  // running balance
          }
          if (cols[j].kind == Column::kUnitPrice) d.has_money = true;
        }
      }
    }
    return d;
  }

  // --- row patterns -----------------------------------------------------------
  void ReadRowPatterns(size_t begin, size_t end) {
    const ItemRules& r = layout_.items;
    int last_item = -2;
    double item_x0 = 0;
    for (size_t i = begin; i < end; ++i) {
      const Row& row = rows_[i];
      if (Matches(r.skip, row.text)) continue;
      bool matched = false;
      for (const auto& re : r.rows) {
        std::vector<re2::StringPiece> sub(re->NumberOfCapturingGroups() + 1);
        if (!re->Match(row.text, 0, row.text.size(), re2::RE2::UNANCHORED, sub.data(),
                       static_cast<int>(sub.size())))
          continue;
        auto group = [&](const char* name) -> std::string {
          auto g = re->NamedCapturingGroups();
          auto it = g.find(name);
          if (it == g.end() || !sub[it->second].data()) return "";
          return std::string(Trim(std::string_view(sub[it->second].data(), sub[it->second].size())));
        };
        LineItem it;
        it.source = SourceRef{row.page, row.line, row.confidence / 100.0};
        it.description = CollapseSpaces(group("description"));
        std::string label = it.description;
        if (IsTotalText(layout_, finder_, label) || finder_.IsLabel(label)) break;
        if (auto pay = PaymentKind(layout_, label)) {
          if (auto m = ParseMoney(group("charge"))) sums.Add(*pay, *m);
          consumed.insert(static_cast<int>(i));
          matched = true;
          break;
        }
        bool has_code = false;
        ApplyCode(group("code"), &it, &has_code);
        if (auto rc = NormalizeRevenueCode(group("rev"))) it.revenue_code = rc;
        if (auto dt = ParseDate(group("date"), layout_.date_order)) it.date_of_service = dt;
        if (auto q = ParseQuantity(group("qty"))) it.quantity = *q;
        it.unit_price = ParseMoney(group("unit_price"));
        it.charge = ParseMoney(group("charge"));
        it.allowed = ParseMoney(group("allowed"));
        it.insurance_paid = ParseMoney(group("plan_paid"));
        it.adjustment = ParseMoney(group("adjustment"));
        it.patient_responsibility = ParseMoney(group("patient_resp"));
        std::string mods = group("modifiers");
        if (!mods.empty()) {
          if (auto pc = ParseCodeCell("00000 " + mods)) it.modifiers = pc->modifiers;
        }
        std::string note = group("note");
        if (!note.empty()) it.eob_note = note;
        if (!it.charge && it.unit_price) it.charge = it.unit_price->Scaled(it.quantity);
        if (!it.charge && !it.patient_responsibility) break;
        if (!it.date_of_service) it.date_of_service = default_date_;
        CodeFromDescription(&it);
        if (it.description.empty() && !it.code) break;
        items.push_back(std::move(it));
        consumed.insert(static_cast<int>(i));
        last_item = static_cast<int>(i);
        item_x0 = row.cells.front().x0;
        matched = true;
        break;
      }
      if (matched) continue;
      if (last_item == static_cast<int>(i) - 1 && r.continuation && !items.empty()) {
        const Row& prev = rows_[i - 1];
        bool adjacent = prev.page == row.page && row.line == prev.line + 1;
        std::string desc;
        re2::StringPiece sp(row.text);
        bool cont = r.continuation->NamedCapturingGroups().count("description")
                        ? re2::RE2::PartialMatch(sp, *r.continuation, &desc)
                        : re2::RE2::PartialMatch(sp, *r.continuation);
        if (adjacent && cont && row.cells.front().x0 > item_x0) {
          if (desc.empty()) desc = row.text;
          items.back().description += " " + CollapseSpaces(desc);
          last_item = static_cast<int>(i);
        }
      }
    }
  }

  const Layout& layout_;
  const FieldFinder& finder_;
  const std::vector<Row>& rows_;
  std::optional<Date> default_date_;
  std::string pending_note_;  // note lines waiting for the item they belong to
};

// ---------------------------------------------------------------------------------

void AddDiagnostic(Bill* bill, Severity s, std::string message) {
  Diagnostic d;
  d.severity = s;
  d.stage = "parse";
  d.message = std::move(message);
  bill->diagnostics.push_back(std::move(d));
}

}  // namespace

void ParseBill(const LayoutSet& layouts, std::vector<Page> pages, Bill* bill, std::optional<DocumentType> decided) {
  std::vector<Row> rows = BuildRows(pages);
  bill->source.pages = static_cast<int>(pages.size());
  std::string lower;
  for (const auto& r : rows) {
    lower += ToLower(r.text);
    lower += '\n';
  }
  const Layout* layout = decided ? layouts.Select(lower, *decided) : layouts.Select(lower);
  if (!layout) {
    AddDiagnostic(bill, Severity::kError, "no layout template available");
    bill->pages = std::move(pages);
    return;
  }
  bill->source.layout = layout->id;
  if (rows.empty()) {
    AddDiagnostic(bill, Severity::kWarning, "no text found");
    bill->pages = std::move(pages);
    return;
  }

  FieldFinder finder(*layout, rows);
  std::map<Field, FieldValue> f;
  finder.Run(&f);
  auto text = [&](Field k) -> std::optional<std::string> {
    auto it = f.find(k);
    if (it == f.end()) return std::nullopt;
    return it->second.text;
  };
  auto date = [&](Field k) -> std::optional<Date> {
    auto it = f.find(k);
    return it == f.end() ? std::nullopt : it->second.date;
  };
  auto money = [&](Field k) -> std::optional<Money> {
    auto it = f.find(k);
    return it == f.end() ? std::nullopt : it->second.money;
  };
  auto positive = [](std::optional<Money> m) -> std::optional<Money> {
    if (m) m->cents = std::llabs(m->cents);
    return m;
  };

  // Provider: a template pattern, then the letterhead (the top block of page 1), then a
  // label ("Remit To:", "Provider:"). On an EOB the letterhead is the payer's, so there
  // the label comes before the letterhead.
  auto name_it = f.find(Field::kProviderName);
  bool eob = layout->document_type == DocumentType::kEob;
  bool name_first = name_it != f.end() && (name_it->second.score < 0 || eob);
  if (name_first) bill->provider.name = CleanName(name_it->second.text);
  if (auto v = text(Field::kProviderAddress)) bill->provider.address.push_back(*v);
  if (auto v = text(Field::kProviderPhone)) bill->provider.phone = *v;
  ReadProviderBlock(*layout, rows, finder, &bill->provider);
  if (!bill->provider.name && name_it != f.end()) bill->provider.name = CleanName(name_it->second.text);
  if (!bill->provider.phone) {
    // A phone printed next to "billing", "questions" or "call" anywhere.
    static const re2::RE2 near(R"((?i)(billing|question|call|contact|customer service|phone))");
    for (const auto& r : rows) {
      std::string phone;
      if (re2::RE2::PartialMatch(r.text, near) && re2::RE2::PartialMatch(r.text, PhoneRe(), &phone)) {
        bill->provider.phone = phone;
        break;
      }
    }
  }
  FillStateZip(&bill->provider);

  if (auto v = text(Field::kPatientName)) bill->patient.name = *v;
  if (auto v = text(Field::kPatientAddress)) bill->patient.address.push_back(*v);
  FillStateZip(&bill->patient);
  bill->account_number = text(Field::kAccountNumber);
  bill->claim_number = text(Field::kClaimNumber);
  bill->member_id = text(Field::kMemberId);
  bill->statement_date = date(Field::kStatementDate);
  bill->due_date = date(Field::kDueDate);
  bill->amount_due = money(Field::kAmountDue);
  bill->totals.charges = money(Field::kTotalCharges);
  bill->totals.insurance_paid = positive(money(Field::kInsurancePaid));
  bill->totals.adjustments = positive(money(Field::kAdjustments));
  bill->totals.patient_paid = positive(money(Field::kPatientPaid));
  bill->totals.patient_responsibility = money(Field::kPatientResponsibility);
  for (const auto& [field, v] : f) {
    if (v.confidence < 100.f) bill->field_confidence[FieldName(field)] = v.confidence / 100.0;
  }

  ItemReader reader(*layout, finder, rows, date(Field::kDateOfService));
  reader.Run();
  bill->line_items = std::move(reader.items);
  // A value read beside a label on a payment row of the item table ("Insurance payment -
  // Aetna   146.30 CR") is one of several such rows: the table's sum replaces it.
  auto from_table = [&](Field k) {
    auto it = f.find(k);
    return it != f.end() && it->second.row >= 0 && reader.consumed.count(it->second.row) > 0;
  };
  if (!bill->totals.insurance_paid || from_table(Field::kInsurancePaid))
    bill->totals.insurance_paid = reader.sums.insurance_paid;
  if (!bill->totals.patient_paid || from_table(Field::kPatientPaid))
    bill->totals.patient_paid = reader.sums.patient_paid;
  if (!bill->totals.adjustments || from_table(Field::kAdjustments))
    bill->totals.adjustments = reader.sums.adjustments;
  // A total row of the table gives the totals the document prints nowhere else.
  if (reader.table_totals) {
    const LineItem& t = *reader.table_totals;
    if (!bill->totals.charges) bill->totals.charges = t.charge;
    if (!bill->totals.insurance_paid) bill->totals.insurance_paid = positive(t.insurance_paid);
    if (!bill->totals.adjustments) bill->totals.adjustments = positive(t.adjustment);
    if (!bill->totals.patient_responsibility)
      bill->totals.patient_responsibility = t.patient_responsibility;
  }

  // Document type: the weighed evidence for an EOB or a notice, the layout's hint, else
  // what was found.
  if (decided == DocumentType::kEob || decided == DocumentType::kCollectionNotice) {
    bill->document_type = *decided;
  } else if (layout->document_type) {
    bill->document_type = *layout->document_type;
  } else if (!bill->line_items.empty()) {
    bill->document_type = DocumentType::kItemizedStatement;
  } else if (bill->amount_due || bill->totals.charges) {
    bill->document_type = DocumentType::kSummaryStatement;
  } else {
    bill->document_type = DocumentType::kUnknown;
  }
  if (bill->document_type == DocumentType::kEob && !bill->totals.patient_responsibility) {
    std::optional<Money> sum;
    for (const auto& it : bill->line_items) {
      if (it.patient_responsibility) sum = sum ? *sum + *it.patient_responsibility : *it.patient_responsibility;
    }
    bill->totals.patient_responsibility = sum;
  }
  // What the patient is asked for: on an EOB, what it says the patient may owe
  // (bill-json.md, "What the header fields mean").
  if (!bill->amount_due && bill->totals.patient_responsibility)
    bill->amount_due = bill->totals.patient_responsibility;
  if (bill->document_type == DocumentType::kCollectionNotice) {
    Collector c;
    c.name = text(Field::kCollectorName);
    if (!c.name) c.name = bill->provider.name;
    c.original_creditor = text(Field::kOriginalCreditor);
    c.creditor = text(Field::kCreditor);
    if (!c.creditor) c.creditor = c.original_creditor;  // one creditor printed: the debt was not sold
    c.reference = text(Field::kCollectorReference);
    c.phone = text(Field::kCollectorPhone);
    if (!c.phone) c.phone = bill->provider.phone;
    c.itemization_date = date(Field::kItemizationDate);
    c.validation_end_date = date(Field::kValidationEndDate);
    c.notice_date = date(Field::kNoticeDate);
    if (!c.notice_date) c.notice_date = bill->statement_date;
    if (!bill->statement_date) bill->statement_date = c.notice_date;
    c.address = bill->provider.address;
    // The letterhead of a collection notice is the collector's, not a provider's: the
    // provider is the original creditor, when the notice names one.
    bill->provider = Party{};
    bill->provider.name = c.original_creditor ? c.original_creditor : c.creditor;
    bill->collector = c;
  }

  if (bill->line_items.empty() && bill->document_type != DocumentType::kCollectionNotice) {
    AddDiagnostic(bill, Severity::kInfo, "no line items found");
  } else if (reader.used_rows) {
    AddDiagnostic(bill, Severity::kInfo, "no item table header found; items read line by line");
  }
  if (!bill->amount_due && bill->document_type != DocumentType::kEob)
    AddDiagnostic(bill, Severity::kInfo, "no amount due found");
  bill->pages = std::move(pages);
}

}  // namespace billwise
