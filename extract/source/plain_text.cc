#include "extract/source/plain_text.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "extract/source/layout.h"

namespace billwise {
namespace {

constexpr int kTabStop = 8;
constexpr double kGlyphHeight = 10.0;  // box height inside a 12 pt line

Page PageFromText(std::string_view text, int number) {
  Page page;
  page.number = number;
  page.origin = TextOrigin::kPlainText;
  size_t max_cols = 0;
  int row = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(start, end - start);
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
        col = (col / kTabStop + 1) * kTabStop;
        continue;
      }
      if (ch == ' ' || ch == '\v' || (c < 0x20)) {
        flush();
        ++col;
        continue;
      }
      if ((c & 0xC0) == 0x80) {  // UTF-8 continuation: same column as its lead byte
        if (!word.empty()) {
          word += ch;
          continue;
        }
      }
      if (word.empty()) word_col = col;
      word += ch;
      ++word_cols;
      ++col;
    }
    flush();
    max_cols = std::max(max_cols, col);
    ++row;
    if (end == text.size()) break;
    start = end + 1;
  }
  page.width = std::max(612.0, static_cast<double>(max_cols) * kPlainTextCharWidth);
  page.height = std::max(792.0, row * kPlainTextLineHeight);
  BuildLines(&page);
  return page;
}

}  // namespace

std::vector<Page> PagesFromPlainText(std::string_view text) {
  // A UTF-8 byte order mark is not content.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Page> pages;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\f', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view chunk = text.substr(start, end - start);
    // A form feed at the very end (as pdftotext writes) does not open an empty page.
    if (!(last && chunk.empty() && !pages.empty())) {
      if (chunk.starts_with('\n')) chunk.remove_prefix(1);
      pages.push_back(PageFromText(chunk, static_cast<int>(pages.size()) + 1));
    }
    if (last) break;
    start = end + 1;
  }
  return pages;
}

}  // namespace billwise
