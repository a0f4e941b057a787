// PagesFromPlainText: a plain-text statement (a .txt export, a layout-template test case) as
// Pages of positioned Words, so it goes through the same layout and grammar as a PDF.
//
// Pages are split on form feed (\f), and a page also ends after kPlainTextLinesPerPage lines, so
// a text without form feeds cannot make one unbounded page. A line longer than
// kPlainTextMaxColumns continues on the next line. Both bounds are far beyond a printed
// statement (about 66 lines of at most 132 columns), so real statements are untouched. Work
// and memory are linear in the text, and CountPlainTextPages tells the page count without
// building pages, so a reader can refuse a text over its page limit before spending memory.
// Tabs expand to the next multiple of 8 columns and \r is dropped. Each character column becomes an x position kPlainTextCharWidth points wide and
// each text line a y position kPlainTextLineHeight points tall (top-left origin); words are
// runs of non-space characters. Pages have origin kPlainText and their lines built with
// BuildLines, so Line::text keeps the original column structure: a single space stays inside
// a Cell, runs of two or more spaces stay column gaps (columns are counted from the leftmost
// word of the page, so indentation common to every line is dropped).
//
// Pure function, thread-safe, never fails: empty text gives one empty page. Invalid UTF-8 is
// passed through byte for byte (each byte that is not a continuation byte counts as a column).
#ifndef BILLWISE_EXTRACT_SOURCE_PLAIN_TEXT_H_
#define BILLWISE_EXTRACT_SOURCE_PLAIN_TEXT_H_

#include <string_view>
#include <vector>

#include "pipeline/model/page.h"

namespace billwise {

inline constexpr double kPlainTextCharWidth = 6.0;   // points per character column
inline constexpr double kPlainTextLineHeight = 12.0;  // points per text line
inline constexpr int kPlainTextLinesPerPage = 200;    // a page ends after this many lines
inline constexpr int kPlainTextMaxColumns = 400;      // a longer line wraps

std::vector<Page> PagesFromPlainText(std::string_view text);

// PagesFromPlainText(text).size(), without building the pages.
int CountPlainTextPages(std::string_view text);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_PLAIN_TEXT_H_
