#include "extract/grammar/header_fields.h"

#include <re2/re2.h>

#include <algorithm>

#include "extract/grammar/cell_text.h"
#include "extract/grammar/normalize.h"

namespace billwise::grammar_internal {

const re2::RE2& PhoneRe() {
  static const re2::RE2 re(R"(((?:\+?1[-. ])?(?:\([2-9]\d{2}\)|\b[2-9]\d{2})[-. ]?\d{3}[-. ]\d{4})\b)");
  return re;
}
const re2::RE2& ZipRe() {
  static const re2::RE2 re(R"(\b([A-Z]{2})\.?,?\s+(\d{5})(?:-\d{4})?\b)");
  return re;
}

bool Convert(Field field, std::string_view raw, DateOrder order, FieldValue* out) {
  std::string joined(raw);
  std::replace(joined.begin(), joined.end(), '\n', ' ');  // a name a pattern took across a line break
  std::string v = CollapseSpaces(joined);
  while (!v.empty() && (v.back() == '|' || v.back() == ',' || v.back() == ';')) v.pop_back();
  v = std::string(Trim(v));
  // "Patient Name : John Smith" set apart: the colon belongs to the label.
  if (!v.empty() && v.front() == ':') v = std::string(Trim(std::string_view(v).substr(1)));
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
    if (v.size() > 2 && v.front() == '#') v.erase(0, 1);  // "#IN-8293-F": the mark is no part of it
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

struct LabelHit {
  std::string label;  // normalised
  std::string inline_value;
  bool had_colon = false;
  size_t row = 0, cell = 0;
  double x0 = 0, x1 = 0;
};

FieldFinder::FieldFinder(const Layout& layout, const std::vector<Row>& rows) : layout_(layout), rows_(rows) {
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

void FieldFinder::Run(std::map<Field, FieldValue>* found) {
  RunPatterns(found);
  RunLabels(found);
}

std::string FieldFinder::ExpandAbbreviations(const std::string& label) const {
  if (layout_.label_abbreviations.empty()) return label;
  std::string out;
  size_t start = 0;
  while (start <= label.size()) {
    size_t end = label.find(' ', start);
    if (end == std::string::npos) end = label.size();
    const std::string word = label.substr(start, end - start);
    auto it = layout_.label_abbreviations.find(word);
    if (!out.empty()) out += ' ';
    out += it == layout_.label_abbreviations.end() ? word : it->second;
    start = end + 1;
  }
  return out;
}

std::vector<std::pair<Field, int>> FieldFinder::ExactLookup(const std::string& printed) const {
  std::vector<std::pair<Field, int>> out;
  if (printed.empty()) return out;
  auto it = layout_.labels.find(printed);
  if (it == layout_.labels.end()) {
    // "Stmt Dt": the same label with its abbreviations written out.
    const std::string label = ExpandAbbreviations(printed);
    if (label != printed) it = layout_.labels.find(label);
  }
  if (it != layout_.labels.end()) {
    for (const auto& s : it->second) out.emplace_back(s.field, s.rank);
  }
  return out;
}

// The synonyms of `label`: exact first, then whole-word containment.
std::vector<std::pair<Field, int>> FieldFinder::Lookup(const std::string& printed) const {
  std::vector<std::pair<Field, int>> out = ExactLookup(printed);
  if (!out.empty() || printed.empty()) return out;
  const std::string label = ExpandAbbreviations(printed);
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

// A label misread by OCR ("statement gate", or its words run together: "statementdate"):
// the one synonym of eight letters or more within one edit, spaces ignored when the label has
// none, when all such synonyms name the same field.
std::vector<std::pair<Field, int>> FieldFinder::FuzzyLookup(const std::string& label) const {
  std::vector<std::pair<Field, int>> out;
  if (label.size() < 8) return out;
  const bool run_together = label.find(' ') == std::string::npos;
  std::string compact;
  for (const auto& [syn, list] : layout_.labels) {
    if (syn.size() < 8) continue;
    if (run_together) {
      compact = syn;
      compact.erase(std::remove(compact.begin(), compact.end(), ' '), compact.end());
    }
    if (EditDistance(label, run_together ? compact : syn, 1) > 1) continue;
    for (const auto& s : list) {
      if (!out.empty() && out.front().first != s.field) return {};
      out.emplace_back(s.field, 2000 + s.rank);
    }
  }
  return out;
}

bool FieldFinder::IsLabel(const std::string& text) const {
  std::string t(Trim(text));
  if (!t.empty() && t.back() == ':') return true;
  return layout_.labels.count(NormalizeLabel(t)) > 0;
}

void FieldFinder::RunPatterns(std::map<Field, FieldValue>* found) {
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

// A cell that is only a label ("Statement Date", "Amount Due:"), not a label holding its
// value ("Amount Due: $509.45").
bool FieldFinder::bare_label(const CellView& c) const {
  std::string_view t = Trim(c.text);
  const size_t colon = t.find(':');
  if (colon != std::string_view::npos && !Trim(t.substr(colon + 1)).empty()) return false;
  if (HasDigit(t)) return false;
  return !Lookup(NormalizeLabel(t)).empty();
}

// A table's header row ("Date of  Service  Provider  Negotiated  Paid by  Patient"): five
// cells or more, none holding a digit or a colon. A word in it is no label of the next.
bool FieldFinder::column_names_at(size_t r) const {
  const auto& cells = rows_[r].cells;
  if (cells.size() < 5) return false;
  for (const auto& c : cells) {
    if (HasDigit(c.text) || c.text.find(':') != std::string::npos) return false;
  }
  return true;
}

bool FieldFinder::label_row_at(size_t r) const {
  size_t n = 0;
  for (const auto& c : rows_[r].cells) n += bare_label(c);
  return n >= 2 && n + 1 >= rows_[r].cells.size();
}

// A label box printed over two lines ("Blue Cross" over "Paid", "Amount" over "You Pay"):
// the line right above row `r`, with no digit or colon, at most a line's height away,
// three or more of whose cells each sit over a different cell of row `r`.
bool FieldFinder::stacked_words_above(size_t r) const {
  if (r == 0 || rows_[r - 1].page != rows_[r].page) return false;
  const Row& up = rows_[r - 1];
  const Row& row = rows_[r];
  if (row.y0 - up.y1 > row.y1 - row.y0) return false;
  std::vector<bool> taken(row.cells.size(), false);
  size_t over = 0;
  for (const auto& u : up.cells) {
    if (HasDigit(u.text) || u.text.find(':') != std::string::npos) return false;
    for (size_t k = 0; k < row.cells.size(); ++k) {
      if (!taken[k] && u.x0 < row.cells[k].x1 && u.x1 > row.cells[k].x0) {
        taken[k] = true;
        ++over;
        break;
      }
    }
  }
  return over >= 3;
}

std::vector<LabelHit> FieldFinder::Hits() const {
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
          } else if (inner != std::string::npos && inner > 0) {
            // "Patient: John A. Doe Date: March 15, 2026" (two labelled values run together
            // in one cell): the last one to three words before the inner colon, when they
            // are a label, label the rest.
            const std::string before(Trim(std::string_view(h.inline_value).substr(0, inner)));
            size_t cut = before.size();
            for (int words = 1; words <= 3; ++words) {
              size_t sp = cut == 0 ? std::string::npos : before.rfind(' ', cut - 1);
              if (sp == std::string::npos) break;
              cut = sp;
              std::string label = NormalizeLabel(before.substr(cut + 1));
              if (!Lookup(label).empty() && Lookup(label).front().second < 1000) {
                LabelHit in = h;
                in.label = label;
                in.inline_value = std::string(Trim(h.inline_value.substr(inner + 1)));
                h.inline_value = std::string(Trim(std::string_view(before).substr(0, cut)));
                hits.push_back(in);
                break;
              }
            }
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

void FieldFinder::RunLabels(std::map<Field, FieldValue>* found) {
  size_t order = 0;
  for (const LabelHit& h : Hits()) {
    ++order;
    const Row& row = rows_[h.row];
    std::vector<std::pair<Field, int>> syns;
    if (h.inline_value.empty() && label_row_at(h.row) && stacked_words_above(h.row)) {
      // The first line of a two-line label qualifies the second: "Blue Cross Paid" is not
      // "Paid". The label is the two lines together, and only when it is a synonym as a
      // whole; a cell with nothing above it is read as it stands.
      std::string above;
      for (const auto& u : rows_[h.row - 1].cells) {
        if (u.x0 < h.x1 && u.x1 > h.x0) above += (above.empty() ? "" : " ") + u.text;
      }
      syns = above.empty() ? Lookup(h.label) : ExactLookup(NormalizeLabel(above + " " + h.label));
    } else {
      syns = Lookup(h.label);
      if (syns.empty() && row.ocr) syns = FuzzyLookup(h.label);
    }
    if (syns.empty()) continue;
    std::vector<std::pair<std::string, float>> values;
    if (!h.inline_value.empty()) {
      values.emplace_back(h.inline_value, row.cells[h.cell].confidence);
    } else if (h.row + 1 < rows_.size() && column_names_at(h.row + 1) && stacked_words_above(h.row + 1)) {
      // The first line of a two-line table header ("Provider  Plan  Patient" over
      // "Charges  Paid  Resp"): its words title columns, with no value beside or below.
      continue;
    } else {
      if (h.cell + 1 < row.cells.size() && !IsLabel(row.cells[h.cell + 1].text) &&
          !label_row_at(h.row) && !column_names_at(h.row)) {
        auto segs = Segments(row.cells[h.cell + 1].text);
        if (!segs.empty()) values.emplace_back(segs.front(), row.cells[h.cell + 1].confidence);
      }
      // A row of labels ("Statement Date   Account Number   Amount Due") has its
      // values on the row below, each under its label.
      bool label_row = label_row_at(h.row);
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

}  // namespace billwise::grammar_internal
