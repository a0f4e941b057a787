// PagesFromPlainText: a plain-text statement (a .txt export, a layout-template test case) as
// Pages of positioned Words, so it goes through the same layout and grammar as a PDF.
//
// Pages are split on form feed (\f). Tabs expand to the next multiple of 8 columns and \r is
// dropped. Each character column becomes an x position kPlainTextCharWidth points wide and
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

std::vector<Page> PagesFromPlainText(std::string_view text);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_PLAIN_TEXT_H_
