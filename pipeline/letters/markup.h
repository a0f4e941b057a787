// Letter markup: the plain-text form a rendered letter template takes before layout
// (documented for template authors in templates/letters/README.md), and its parser.
//
//   @sender / @recipient   the envelope-window blocks: the following lines up to a blank line
//   @date TEXT             the date line        @re TEXT     the subject line (bold)
//   @signature             closing line, then the signer's lines up to a blank line
//   @enclosures TITLE      followed by "- item" lines
//   @footer TEXT           page footer; {page} and {pages} are replaced
//   # Heading              a bold heading
//   | a | b | c |          a table row (the first row of a table is its header)
//   - item                 a bullet item
//   blank line             ends a paragraph; other lines join into the current paragraph
//   **text**               a whole bold paragraph
//   \X                     the character X as text (escaping, below)
//
// Values are text, never markup: whatever a profile or bill holds is inserted through
// EscapeMarkupText or EscapeMarkupLines, so it can neither start a directive, heading,
// bullet or table row, nor split a table cell, nor add or end a line. The parser removes
// the escapes from every text it returns.
// Pure functions; no third-party code; thread-safe; linear time.
#ifndef BILLWISE_PIPELINE_LETTERS_MARKUP_H_
#define BILLWISE_PIPELINE_LETTERS_MARKUP_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/mustache/template_data.h"

namespace billwise {

struct LetterBlock {
  enum class Kind { kParagraph, kHeading, kBullet, kTable };
  Kind kind = Kind::kParagraph;
  std::string text;                            // paragraph, heading, bullet
  bool bold = false;
  std::vector<std::vector<std::string>> rows;  // table: rows[0] is the header
};

struct LetterDocument {
  std::vector<std::string> sender;     // return-address window lines
  std::vector<std::string> recipient;  // address window lines
  std::string date;
  std::string re;
  std::vector<LetterBlock> body;
  std::string closing;                 // "Sincerely,"
  std::vector<std::string> signer;     // name and contact lines under the signature space
  std::string enclosures_title;
  std::vector<std::string> enclosures;
  std::string footer = "Page {page} of {pages}";
  std::string title;                   // PDF /Title (the RE line when empty)
  // Set by the letter renderer from the bill and profile (letters.cc), never from markup:
  std::vector<std::string> identity;   // under the RE line on page 1: patient, date of birth, member ID
  std::string running_head;            // top of pages 2+; {page} and {pages} are replaced
};

// One line of text as markup: newlines, tabs and other control characters (C0, C1, U+2028,
// U+2029) become spaces; explicit bidirectional formatting characters (U+202A-U+202E,
// U+2066-U+2069) are dropped, so a value cannot reorder the text around it; invalid UTF-8
// becomes U+FFFD; a backslash, '|', '*', '{' and '}' anywhere, and '@', '#' or '-' as
// the first character that is not a space, are preceded by a backslash.
std::string EscapeMarkupText(std::string_view value);

// Several lines of text (an address): each line escaped as by EscapeMarkupText, lines
// that are blank once escaped dropped (a blank line would end the block), joined by '\n'.
std::string EscapeMarkupLines(const std::vector<std::string>& lines);

// Escapes every string of a template data tree (template_data.h) for the markup: a
// multiline node with EscapeMarkupLines, every other with EscapeMarkupText. Missing
// values and flags are left as they are. Letters render their templates over the escaped
// tree, so a profile or bill value prints as the characters it holds.
void EscapeMarkupValues(TemplateNode& data);

// Removes the escapes: a backslash and the character after it become that character; a
// backslash at the very end stays.
std::string UnescapeMarkupText(std::string_view text);

// Parses rendered markup. Unknown "@word" directives are kept as paragraph text.
LetterDocument ParseLetterMarkup(std::string_view text);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_MARKUP_H_
