#include "extract/source/plain_text.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "extract/source/text_lines.h"

namespace billwise {
namespace {

constexpr int kTabStop = 8;
constexpr double kGlyphHeight = 10.0;  // box height inside a 12 pt line

bool IsContinuation(char ch) { return (static_cast<unsigned char>(ch) & 0xC0) == 0x80; }

// The column after `ch` written at `col` (tabs to the next stop, \r and continuation bytes
// take no column).
size_t NextColumn(size_t col, char ch) {
  if (ch == '\t') return (col / kTabStop + 1) * kTabStop;
  if (ch == '\r' || IsContinuation(ch)) return col;
  return col + 1;
}

// Splits one form-feed chunk into rows (a text line, or a piece of a line longer than
// kPlainTextMaxColumns) and calls on_row(row) for each. A chunk always has at least one
// row; a long line wraps after its last blank within the limit (mid-word only when a word
// is longer than a row), never inside a UTF-8 sequence. Linear: each byte is counted at
// most twice.
template <typename OnRow>
void ForEachRow(std::string_view chunk, OnRow on_row) {
  size_t start = 0;
  while (true) {
    size_t end = chunk.find('\n', start);
    if (end == std::string_view::npos) end = chunk.size();
    std::string_view line = chunk.substr(start, end - start);
    size_t col = 0, piece = 0;
    size_t space = std::string_view::npos;  // last space or tab in the current piece
    for (size_t i = 0; i < line.size(); ++i) {
      size_t next = NextColumn(col, line[i]);
      if (next > static_cast<size_t>(kPlainTextMaxColumns) && !IsContinuation(line[i]) && i > piece) {
        // Wrap after the last blank when there is one (words stay whole), else mid-word.
        size_t cut = space != std::string_view::npos ? space + 1 : i;
        on_row(line.substr(piece, cut - piece));
        piece = cut;
        space = std::string_view::npos;
        col = 0;
        for (size_t k = piece; k < i; ++k) col = NextColumn(col, line[k]);
        next = NextColumn(col, line[i]);
      }
      if (line[i] == ' ' || line[i] == '\t') space = i;
      col = next;
    }
    on_row(line.substr(piece));
    if (end == chunk.size()) break;
    start = end + 1;
  }
}

bool IsBlank(std::string_view row) {
  return row.find_first_not_of(" \t\r\v") == std::string_view::npos;
}

// Calls on_page(rows) for each page of `text`: form-feed chunks, cut every
// kPlainTextLinesPerPage rows. A cut-off remainder of blank rows opens no page; neither
// does a form feed at the very end (as pdftotext writes).
template <typename OnPage>
void ForEachPage(std::string_view text, OnPage on_page) {
  // A UTF-8 byte order mark is not content.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::string_view> rows;
  bool any_page = false;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\f', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view chunk = text.substr(start, end - start);
    if (!(last && chunk.empty() && any_page)) {
      if (chunk.starts_with('\n')) chunk.remove_prefix(1);
      bool chunk_has_page = false;
      bool blank = true;
      rows.clear();
      ForEachRow(chunk, [&](std::string_view row) {
        if (rows.size() == static_cast<size_t>(kPlainTextLinesPerPage)) {
          on_page(rows);
          chunk_has_page = true;
          rows.clear();
          blank = true;
        }
        rows.push_back(row);
        blank = blank && IsBlank(row);
      });
      if (!chunk_has_page || !blank) on_page(rows);
      any_page = true;
    }
    if (last) break;
    start = end + 1;
  }
}

Page PageFromRows(const std::vector<std::string_view>& rows, int number) {
  Page page;
  page.number = number;
  page.origin = TextOrigin::kPlainText;
  size_t max_cols = 0;
  int row = 0;
  for (std::string_view raw : rows) {
    const double y0 = row * kPlainTextLineHeight + (kPlainTextLineHeight - kGlyphHeight) / 2;
    size_t col = 0;
    std::string word;
    size_t word_col = 0;
    size_t word_cols = 0;
    auto flush = [&] {
      if (word.empty()) return;
      Word w;
      w.text = std::move(word);
      w.box = Box{word_col * kPlainTextCharWidth, y0,
                  (word_col + word_cols) * kPlainTextCharWidth, y0 + kGlyphHeight};
      page.words.push_back(std::move(w));
      word.clear();
      word_cols = 0;
    };
    for (char ch : raw) {
      const auto c = static_cast<unsigned char>(ch);
      if (ch == '\r') continue;
      if (ch == '\t') {
        flush();
        col = NextColumn(col, ch);
        continue;
      }
      if (ch == ' ' || ch == '\v' || (c < 0x20)) {
        flush();
        ++col;
        continue;
      }
      if (IsContinuation(ch) && !word.empty()) {  // UTF-8 continuation: same column as its lead byte
        word += ch;
        continue;
      }
      if (word.empty()) word_col = col;
      word += ch;
      ++word_cols;
      ++col;
    }
    flush();
    max_cols = std::max(max_cols, col);
    ++row;
  }
  page.width = std::max(612.0, static_cast<double>(max_cols) * kPlainTextCharWidth);
  page.height = std::max(792.0, row * kPlainTextLineHeight);
  BuildLines(&page);
  return page;
}

}  // namespace

std::vector<Page> PagesFromPlainText(std::string_view text) {
  std::vector<Page> pages;
  ForEachPage(text, [&](const std::vector<std::string_view>& rows) {
    pages.push_back(PageFromRows(rows, static_cast<int>(pages.size()) + 1));
  });
  return pages;
}

int CountPlainTextPages(std::string_view text) {
  int count = 0;
  ForEachPage(text, [&](const std::vector<std::string_view>&) { ++count; });
  return count;
}

}  // namespace billwise
