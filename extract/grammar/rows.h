// Rows: the flat view of a document the parser reads. One Row per non-empty Line of the
// pages (in page order, then line order), each with its cells and their x spans.
//
// Text-layer cells are trimmed; a line with no positioned cells (the plain-text path) is
// split on runs of two or more spaces, 6 points a character. OCR'd cells are cleaned
// first: specks around values dropped word by word ("87880." -> "87880"), a colon read
// for the decimal point repaired ("95:00" -> "95.00"), cells of only specks removed, and
// a cell in which OCR merged a date with the next value or several amounts split into
// one cell per value. A month-name date whose year was split off into the next cell
// ("March 15," then "2026": a monospaced comma's gap) is joined back. Pure; thread-safe.
#ifndef BILLWISE_EXTRACT_GRAMMAR_ROWS_H_
#define BILLWISE_EXTRACT_GRAMMAR_ROWS_H_

#include <string>
#include <vector>

#include "pipeline/model/page.h"

namespace billwise::grammar_internal {

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

// The rows of `pages`, skipping lines with no text and no cells.
std::vector<Row> BuildRows(const std::vector<Page>& pages);

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_ROWS_H_
