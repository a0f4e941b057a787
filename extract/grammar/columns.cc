#include "extract/grammar/columns.h"

#include <algorithm>
#include <cctype>

#include "extract/grammar/cell_text.h"
#include "extract/grammar/normalize.h"

namespace billwise::grammar_internal {
namespace {

bool IsCurrencyWord(std::string_view w) {
  for (std::string_view cur : {"usd", "inr", "rs", "eur", "gbp", "cad", "aud", "sgd", "us$", "s$"}) {
    if (w == cur) return true;
  }
  return false;
}

// The column a misread header names ("cptihcpcs" for "cpt/hcpcs", "descriptlon"), or one
// whose words OCR ran together ("dtofsvc" for "dt of svc"): the one synonym, spaces ignored,
// within one edit (two for nine letters or more); none when two columns are as near.
std::optional<Column> FuzzyColumn(const ItemRules& rules, const std::string& norm) {
  if (norm.size() < 4) return std::nullopt;
  size_t limit = norm.size() >= 9 ? 2 : 1;
  size_t best = limit + 1;
  std::optional<Column> found;
  bool tie = false;
  std::string compact;
  for (const auto& [syn, col] : rules.columns) {
    if (syn.size() < 4) continue;
    compact = syn;
    compact.erase(std::remove(compact.begin(), compact.end(), ' '), compact.end());
    size_t d = EditDistance(norm, compact, limit);
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

}  // namespace

std::string HeaderWords(const ItemRules& rules, std::string_view cell) {
  // Parenthesised or bracketed qualifiers go: "Amount (USD)", "AMOUNT(S$)", "Cost (₹)".
  std::string raw;
  int depth = 0;
  for (char ch : cell) {
    if (ch == '(' || ch == '[') {
      ++depth;
      raw.push_back(' ');
    } else if ((ch == ')' || ch == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      raw.push_back(ch == '$' || ch == '`' ? ' ' : ch);
    }
  }
  // Loose currency signs and codes go; so do non-ASCII symbols (a font's currency glyph).
  std::string norm = NormalizeLabel(raw);
  std::string out;
  size_t pos = 0;
  while (pos < norm.size()) {
    size_t sp = norm.find(' ', pos);
    if (sp == std::string::npos) sp = norm.size();
    std::string word = norm.substr(pos, sp - pos);
    pos = sp + 1;
    word.erase(std::remove_if(word.begin(), word.end(),
                              [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; }),
               word.end());
    if (word.empty() || IsCurrencyWord(word)) continue;
    // Words glued by the text layer ("descriptioncpt") or by OCR, which may also have lost
    // a letter at the seam ("descriptiobilled"): two header words, when the whole is none.
    if (!rules.columns.count(word) && word.size() >= 6 && word.find('/') == std::string::npos) {
      bool split = false;
      for (size_t cut = word.size() - 2; cut >= 2; --cut) {
        if (rules.columns.count(word.substr(0, cut)) && rules.columns.count(word.substr(cut))) {
          word = word.substr(0, cut) + " " + word.substr(cut);
          split = true;
          break;
        }
      }
      for (size_t cut = word.size() - 4; !split && cut >= 4; --cut) {
        const std::string head = word.substr(0, cut), tail = word.substr(cut);
        if (!rules.columns.count(tail) || tail.size() < 4) continue;
        if (std::optional<Column> col = FuzzyColumn(rules, head); col && head.size() >= 6) {
          for (const auto& [syn, c] : rules.columns) {
            if (c == *col && EditDistance(head, syn, 1) <= 1) {
              word = syn + " " + tail;
              split = true;
              break;
            }
          }
        }
      }
    }
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

std::optional<Column> LookupColumn(const ItemRules& rules, std::string_view words) {
  auto it = rules.columns.find(std::string(words));
  if (it != rules.columns.end()) return it->second;
  // Alternatives: "description / particulars", "qty/units": the first that names a column.
  if (words.find('/') == std::string_view::npos) return std::nullopt;
  size_t pos = 0;
  while (pos <= words.size()) {
    size_t slash = words.find('/', pos);
    if (slash == std::string_view::npos) slash = words.size();
    std::string part(Trim(words.substr(pos, slash - pos)));
    if (!part.empty()) {
      auto p = rules.columns.find(part);
      if (p != rules.columns.end()) return p->second;
    }
    pos = slash + 1;
  }
  return std::nullopt;
}

namespace {

struct HeaderMatch {
  std::vector<ColumnDef> columns;
  int matched_words = 0;
  int cells = 0;
  int matched_cells = 0;
};

HeaderMatch MatchHeaderCells(const ItemRules& rules, const std::vector<CellView>& cells,
                             bool fuzzy = false) {
  HeaderMatch m;
  for (const auto& c : cells) {
    ++m.cells;
    std::string norm = HeaderWords(rules, c.text);
    if (norm.empty()) continue;
    auto it = LookupColumn(rules, norm);
    if (!it && fuzzy && norm.find(' ') == std::string::npos) {
      if (auto col = FuzzyColumn(rules, norm)) {
        m.columns.push_back(ColumnDef{*col, c.x0, c.x1, norm});
        ++m.matched_cells;
        ++m.matched_words;
        continue;
      }
    }
    if (it) {
      m.columns.push_back(ColumnDef{*it, c.x0, c.x1, norm});
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
        auto f = LookupColumn(rules, key);
        if (!f) continue;
        double x0 = c.x0 + starts[i] * scale;
        double x1 = c.x0 + (starts[i + n - 1] + words[i + n - 1].size()) * scale;
        if (!parts.empty() && parts.back().kind == *f && n == 1) {
          // "Billed Charge": two words naming one column are one header.
          parts.back().x1 = x1;
          parts.back().header += " " + key;
        } else {
          parts.push_back(ColumnDef{*f, x0, x1, key});
        }
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

}  // namespace

namespace {

// rows[i] as a header, merged with the line above when that names its columns better.
HeaderMatch BestHeaderMatch(const ItemRules& rules, const std::vector<Row>& rows, size_t i) {
  const Row& r = rows[i];
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
  return best;
}

}  // namespace

std::optional<std::vector<ColumnDef>> HeaderAt(const ItemRules& rules, const std::vector<Row>& rows,
                                               size_t i) {
  const Row& r = rows[i];
  if (r.cells.size() < 2 || RowHasValues(r)) return std::nullopt;
  HeaderMatch best = BestHeaderMatch(rules, rows, i);
  if (!AcceptableHeader(best)) return std::nullopt;
  // The first line of a header printed over two ("Service | Date of" over "Code |
  // Service"): the next row, merged with this one, is the header.
  if (i + 1 < rows.size() && rows[i + 1].page == r.page && rows[i + 1].cells.size() >= 2 &&
      !RowHasValues(rows[i + 1])) {
    HeaderMatch below = BestHeaderMatch(rules, rows, i + 1);
    if (AcceptableHeader(below) && below.matched_words > best.matched_words &&
        below.matched_cells >= best.matched_cells)
      return std::nullopt;
  }
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

namespace {

struct CellKind {
  bool date = false, money = false, money_strong = false, qty = false, code = false,
       rev = false, text = false, mod = false, token = false;
};

CellKind Classify(const std::string& t, DateOrder order) {
  CellKind k;
  k.date = ParseDate(t, order).has_value() || DateRangeStart(t, order).has_value();
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

}  // namespace

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

}  // namespace billwise::grammar_internal
