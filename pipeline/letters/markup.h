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
// Pure functions; no third-party code; thread-safe.
#ifndef BILLWISE_PIPELINE_LETTERS_MARKUP_H_
#define BILLWISE_PIPELINE_LETTERS_MARKUP_H_

#include <string>
#include <string_view>
#include <vector>

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

// Parses rendered markup. Unknown "@word" directives are kept as paragraph text.
LetterDocument ParseLetterMarkup(std::string_view text);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_MARKUP_H_
