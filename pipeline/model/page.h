// Page, Word, Cell and Line: positioned text, whichever way it was read.
//
// The poppler text layer and Tesseract OCR both produce Pages of Words in PDF points
// with a top-left origin (y grows down). BuildLines (extract/source/text_lines.h) groups
// the words into Lines and each line into Cells separated by wide gaps, so a table row is
// one Line even when its columns are far apart. Nothing downstream knows or cares
// where the text came from.
#ifndef BILLWISE_PIPELINE_MODEL_PAGE_H_
#define BILLWISE_PIPELINE_MODEL_PAGE_H_

#include <string>
#include <vector>

namespace billwise {

// Axis-aligned box in PDF points, top-left origin.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double Width() const { return x1 - x0; }
  double Height() const { return y1 - y0; }
  double CenterX() const { return (x0 + x1) / 2; }
  double CenterY() const { return (y0 + y1) / 2; }
};

struct Word {
  std::string text;          // UTF-8, no spaces
  Box box;
  float confidence = 100.f;  // 0..100; 100 for text-layer words
};

// A run of words on one line with no wide gap inside: one table cell or one phrase.
struct Cell {
  std::string text;  // words joined by single spaces
  Box box;
  float confidence = 100.f;  // lowest word confidence in the cell
};

struct Line {
  int page = 0;   // 1-based page number
  int index = 0;  // 0-based line index within the page
  Box box;
  std::vector<Word> words;  // left to right
  std::vector<Cell> cells;  // left to right
  // The cells joined with at least two spaces, columns roughly where they are on the
  // page (like `pdftotext -layout`): what the layout templates' RE2 patterns match.
  std::string text;
  float confidence = 100.f;  // lowest word confidence on the line
};

// Where text came from. A page is read one way; a document whose pages were read both
// from the text layer and by OCR is kMixed.
enum class TextOrigin { kTextLayer, kOcr, kMixed, kPlainText };

// When a document's pages are OCR'd: kAuto, the pages without a usable text layer (and
// every image); kAlways, every page; kNever, none.
enum class OcrMode { kAuto, kAlways, kNever };

struct Page {
  int number = 1;  // 1-based
  double width = 612, height = 792;  // points
  TextOrigin origin = TextOrigin::kTextLayer;
  float ocr_confidence = -1.f;  // mean word confidence of an OCR'd page, -1 when not OCR'd
  int rotation = 0;             // degrees the page was turned before reading (0/90/180/270)
  std::vector<Word> words;
  std::vector<Line> lines;      // filled by the layout step
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_PAGE_H_
