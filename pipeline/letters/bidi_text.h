// Right-to-left text for drawing: the GNU FriBidi adapter (Debian libfribidi), the only
// file that includes FriBidi.
//
// PoDoFo draws one glyph per code point, left to right, with no shaping. So before layout
// Arabic letters are replaced by their contextual forms (initial, medial, final, isolated,
// and the lam-alef ligatures, from the Arabic Presentation Forms blocks that the letter
// fonts carry): ShapeArabic. Text is wrapped in logical order, and each line is put in
// visual order just before it is drawn (Unicode bidirectional algorithm, left-to-right
// paragraph, mirrored brackets): VisualOrder. Hebrew needs no shaping, only the order.
// Text without right-to-left characters comes back unchanged from both.
//
// Strings are UTF-8; invalid sequences become U+FFFD. Pure functions, linear in the
// length of the text, thread-safe.
#ifndef BILLWISE_PIPELINE_LETTERS_BIDI_TEXT_H_
#define BILLWISE_PIPELINE_LETTERS_BIDI_TEXT_H_

#include <string>
#include <string_view>

namespace billwise {

// True when the text holds a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, NKo, ...).
bool HasRightToLeft(std::string_view utf8);

// Arabic letters in their contextual forms, still in logical order.
std::string ShapeArabic(std::string_view utf8);

// One line in the order it is drawn, left to right.
std::string VisualOrder(std::string_view utf8_line);

// UTF-8 <-> code points (invalid UTF-8 becomes U+FFFD; surrogates and values above
// U+10FFFF too).
std::u32string DecodeUtf8(std::string_view utf8);
std::string EncodeUtf8(std::u32string_view text);
// The text itself when it is valid UTF-8, else with each invalid byte as U+FFFD. PoDoFo
// 0.9.8 reads past its buffer on invalid UTF-8 (PdfString::InitFromUtf8), so every string
// handed to it goes through this.
std::string ValidUtf8(std::string_view utf8);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_BIDI_TEXT_H_
