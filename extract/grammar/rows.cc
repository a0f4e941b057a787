#include "extract/grammar/rows.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "extract/grammar/normalize.h"

namespace billwise::grammar_internal {
namespace {

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

// "March 15, 2026" whose year became a cell of its own: the gap a comma leaves after the
// day (wide in a monospaced font) can pass for a column gap. A cell ending in a month name
// and a day, followed within four characters by a cell that is only a year, is joined
// with it.
bool IsYear(std::string_view t) {
  return t.size() == 4 && (t.substr(0, 2) == "19" || t.substr(0, 2) == "20") &&
         std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

void JoinSplitDates(std::vector<CellView>* cells) {
  std::vector<CellView> out;
  for (auto& c : *cells) {
    if (!out.empty() && IsYear(Trim(c.text))) {
      CellView& prev = out.back();
      std::string_view head = Trim(prev.text);
      if (!head.empty() && head.back() == ',') head.remove_suffix(1);
      const double char_width = (prev.x1 - prev.x0) / std::max<size_t>(1, prev.text.size());
      // The last two words of the cell: "March 15".
      const size_t day = head.rfind(' ');
      const size_t month = day == std::string_view::npos || day == 0 ? std::string_view::npos
                                                                      : head.rfind(' ', day - 1);
      const std::string tail(day == std::string_view::npos
                                 ? std::string_view()
                                 : head.substr(month == std::string_view::npos ? 0 : month + 1));
      const std::string year(Trim(c.text));
      if (c.x0 - prev.x1 < 4 * char_width && !tail.empty() && !ParseDate(tail) &&
          ParseDate(tail + " " + year)) {
        prev.text = std::string(head) + ", " + year;
        prev.x1 = c.x1;
        prev.confidence = std::min(prev.confidence, c.confidence);
        continue;
      }
    }
    out.push_back(std::move(c));
  }
  *cells = std::move(out);
}

}  // namespace

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
      JoinSplitDates(&r.cells);
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

}  // namespace billwise::grammar_internal
