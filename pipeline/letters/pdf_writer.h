// The PDF writer: letters, form listing and filling, and form generation. The functions
// call PoDoFo (0.9.8, old API) through PdfBackend (pdf_backend.h). The adapter
// (pdf_writer_podofo.cc) catches PdfError inside and returns Error; PoDoFo's debug output
// and logging are switched off. Output is written to memory and is byte-for-byte reproducible: no
// creation date, a document /ID derived from the content, subset fonts embedded with
// Identity-H encoding and a ToUnicode map so text extracts correctly.
//
// Letters: US Letter pages laid out for a #10 double-window envelope (tri-fold), with the
// sender block in the return-address window and the recipient block in the address
// window, each shrunk to fit with an inset so fold shifts still show it; 'Page N of M'
// footer (two-pass layout: first lay out, then draw).
//
// Forms: list the fields of any AcroForm (full hierarchical names, inherited /FT and /Ff,
// checkbox and radio on-states), fill them writing /AP /N appearance streams with an
// embedded Unicode subset font, optionally flatten; and generate new AcroForm PDFs.
//
// All functions are thread-compatible (each call owns its document); PoDoFo's global
// error switches are set once, idempotently.
#ifndef BILLWISE_PIPELINE_LETTERS_PDF_WRITER_H_
#define BILLWISE_PIPELINE_LETTERS_PDF_WRITER_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/letters/markup.h"
#include "pipeline/model/error.h"

namespace billwise {

// A rectangle in inches from the page's top-left corner.
struct InchBox {
  double left, top, width, height;
};
// #10 double-window envelope windows (a common print-and-mail layout).
inline constexpr InchBox kSenderWindow{0.5, 0.5, 3.5, 0.79};
inline constexpr InchBox kRecipientWindow{0.5, 2.042, 3.5, 0.875};

struct PdfLetterStyle {
  std::string regular_font = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";
  std::string bold_font = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf";
  double body_size = 11;  // points
  // Letters: the faces tried in order for a character the letter font lacks, each as
  // (regular, bold); a file that is not installed is skipped. DejaVu Sans
  // (fonts-dejavu-core) has Hebrew, Arabic with its contextual forms, and symbols; Droid
  // Sans Fallback (fonts-droid-fallback) has Chinese and Japanese; Nanum Myeongjo
  // (fonts-nanum) has Korean. A character that no face has fails the letter with
  // kUnsupported naming it (U+XXXX).
  std::vector<std::pair<std::string, std::string>> fallback_fonts = {
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
      {"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
       "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"},
      {"/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf", "/usr/share/fonts/truetype/nanum/NanumMyeongjoBold.ttf"},
  };
};

// Lays out and writes a letter; returns the PDF bytes. Right-to-left text (Hebrew,
// Arabic) is shaped and drawn in visual order (bidi_text.h). Fails with kMissingDependency
// when a letter font file is absent, kUnsupported naming a character (U+XXXX) that no
// letter font has, kInternal on a PoDoFo failure. Time is linear in the length of each text.
Expected<std::string> WriteLetterPdf(const LetterDocument& letter, const PdfLetterStyle& style);

// ---- Forms ----

enum class FormFieldType { kText, kCheckBox, kRadio, kChoice, kButton, kSignature, kUnknown };

struct FormFieldInfo {
  std::string name;  // full hierarchical name: "patient.first"
  FormFieldType type = FormFieldType::kUnknown;
  int flags = 0;     // inherited /Ff
  bool multiline = false;
  bool comb = false;
  int max_len = 0;   // inherited /MaxLen; 0 = none
  std::vector<std::string> on_states;  // checkbox/radio: the non-Off /AP /N keys of its widgets
  std::vector<std::string> options;    // choice: export values of /Opt
  std::string value;                   // current /V as UTF-8 ("" when none)
  int widgets = 0;
};

// Lists the terminal fields of the form (fields with widgets or without kids).
Expected<std::vector<FormFieldInfo>> ListFormFields(std::string_view pdf_bytes);

struct FormFillOptions {
  bool flatten = false;
  std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  double font_size = 0;  // 0 = auto from the field height (at most 10 pt)
};

// Fills fields by full name. Text and choice fields take the text; checkboxes take "on"
// (any true value: on/yes/true/x/1 or the on-state name) or "off"; radio groups take the
// on-state name of the button to select. Unknown names fail with kUsage naming them.
Expected<std::string> FillFormPdf(std::string_view pdf_bytes, const std::map<std::string, std::string>& values,
                                  const FormFillOptions& options);

// A field of a form billwise generates.
struct FormFieldSpec {
  std::string name;    // full name; dots make a hierarchy
  FormFieldType type = FormFieldType::kText;
  std::string label;   // printed left of or above the field
  double x = 0, y = 0, width = 0, height = 0;  // points, from the page's bottom-left
  int page = 0;
  bool multiline = false;
  int comb_len = 0;    // > 0: a comb field of this many cells
};
struct FormSpec {
  std::string title;
  std::vector<std::string> intro;        // paragraphs under the title on page 1
  std::vector<FormFieldSpec> fields;
  std::vector<std::pair<int, std::pair<double, std::string>>> headings;  // page, (y, text)
  int pages = 1;
};
// Writes a new AcroForm PDF with appearance streams for every field.
Expected<std::string> WriteFormPdf(const FormSpec& spec, const PdfLetterStyle& style);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_PDF_WRITER_H_
