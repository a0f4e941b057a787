// Text lines: groups the positioned Words of a Page into Lines and Cells.
//
// Both the poppler text layer and Tesseract give a bag of word boxes (PDF points, top-left
// origin). BuildLines turns that bag into reading-order rows:
//  - words whose vertical extents overlap form one Line, so a table row is one Line even when
//    its columns are far apart; small baseline jitter, OCR boxes of different heights, slight
//    skew and superscripts do not split a row;
//  - inside a Line, a horizontal gap wider than about 1.6 average character widths (or about
//    half the line's height) starts a new Cell; a normal word space stays inside a Cell;
//  - Line::text renders the Cells like `pdftotext -layout`: each Cell starts at the character
//    column given by its x position (x / the page's average character width, counted from the
//    leftmost word on the page), with at least two spaces between Cells and single spaces
//    between the words of a Cell. So right-aligned amounts stay in their column, a layout
//    template can split columns on `\s{2,}`, and the text may begin with spaces: patterns
//    should allow `^\s*`.
// Lines are sorted top to bottom and numbered from 0 (Line::index); Line::page is
// page->number; confidences are the lowest word confidence of the Line or Cell.
//
// Pure functions on plain data: thread-safe for distinct pages, no failure modes (an empty
// page gives no lines). Cost is about O(words log words) per page: each word is compared only
// with the open lines whose band can overlap it and with nearby copies of the same text.
#ifndef BILLWISE_EXTRACT_SOURCE_TEXT_LINES_H_
#define BILLWISE_EXTRACT_SOURCE_TEXT_LINES_H_

#include <string>
#include <vector>

#include "pipeline/model/page.h"

namespace billwise {

// Replaces page->lines with the lines built from page->words. Words with empty text are
// ignored; exact duplicates drawn twice at (almost) the same place (fake bold) are kept once.
void BuildLines(Page* page);

// The average width of one character over the page's words, in points (total box width /
// total code points); 0 when the page has no words. Exposed for the OCR and plain-text
// adapters that need the same column grid.
double AverageCharWidth(const std::vector<Word>& words);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_TEXT_LINES_H_
