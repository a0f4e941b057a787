// Letter fonts for the PoDoFo adapter (pdf_writer_podofo.cc): a stack of TrueType faces
// tried in order for each character, so one letter can carry Latin, Greek and Cyrillic
// (Liberation Serif), Hebrew and Arabic (DejaVu Sans) and Chinese, Japanese and Korean
// (Droid Sans Fallback, Nanum Myeongjo) side by side. Part of the PDF engine: it includes PoDoFo.
//
// The first face of a stack is embedded when the stack is made; the others are read only
// when a character needs them and embedded only when one of their glyphs is drawn (subset,
// Identity-H, with a ToUnicode map), so a letter in Latin script has the fonts and bytes it
// always had. A face file that is missing is skipped.
//
// PoDoFo 0.9.8 addresses glyphs through 16-bit Unicode: characters above U+FFFF have no
// face. CheckLetterText turns every character that no face has into an error naming it;
// nothing is drawn blank. Format characters that print nothing (zero-width joiners and
// spaces, variation selectors, U+FEFF) are skipped when measuring and drawing.
//
// Measuring is linear in the length of the text (widths are cached per character).
// Not thread-safe: one stack per document, used by one thread.
#ifndef BILLWISE_PIPELINE_LETTERS_PDF_FONT_STACK_H_
#define BILLWISE_PIPELINE_LETTERS_PDF_FONT_STACK_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <podofo/podofo.h>

#include "pipeline/letters/markup.h"
#include "pipeline/model/error.h"

namespace billwise {

class FontStack {
 public:
  // `paths` in the order they are tried; the first must load (kMissingDependency otherwise).
  static Expected<std::unique_ptr<FontStack>> Load(PoDoFo::PdfDocument& doc, std::vector<std::string> paths,
                                                   const std::string& tag);
  // A stack of one font already in the document (forms).
  explicit FontStack(PoDoFo::PdfFont* font);

  // True when some face has a glyph for `cp` (or it prints nothing).
  bool Covers(char32_t cp);
  // The width of UTF-8 text at `size` points.
  double Width(double size, std::string_view utf8);
  // Draws UTF-8 text (already in visual order) with its baseline starting at (x, y).
  void Draw(PoDoFo::PdfPainter& painter, double x, double y, double size, std::string_view utf8);
  // The face files, for messages.
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  struct Face {
    std::string path;
    PoDoFo::PdfFont* font = nullptr;                                // embedded, once drawn
    std::unique_ptr<PoDoFo::PdfFontMetricsFreetype> probe;          // read, once needed
    bool probed = false;
  };
  FontStack() = default;
  const PoDoFo::PdfFontMetrics* Metrics(size_t face);
  int FaceFor(char32_t cp);               // -1: none
  double CharWidth1000(int face, char32_t cp);
  PoDoFo::PdfFont* FontOf(size_t face);

  PoDoFo::PdfDocument* doc_ = nullptr;
  FT_Library library_ = nullptr;
  std::string tag_;
  std::vector<std::string> paths_;
  std::vector<Face> faces_;
  std::unordered_map<char32_t, int> face_of_;
  std::unordered_map<uint64_t, double> width_;  // (face << 32 | cp) -> width at 1000 pt
};

// Greedy word wrap at spaces, linear in the length of the text: `measure` is called once
// per word and, for a word wider than the line (broken between characters), once per
// character. Always returns at least one line.
std::vector<std::string> WrapWords(std::string_view text, double width,
                                   const std::function<double(std::string_view)>& measure);

// The longest prefix of `text` (whole characters) no wider than `width`; linear.
std::string FitPrefix(std::string_view text, double width, const std::function<double(std::string_view)>& measure);

// Prepares every text of a letter for drawing: Arabic letters take their contextual forms
// (bidi_text.h), then each character must be covered by both stacks. kUnsupported names
// the first character that is not, as U+XXXX, and the part of the letter that holds it.
Expected<void> PrepareLetterText(LetterDocument& letter, FontStack& regular, FontStack& bold);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_PDF_FONT_STACK_H_
