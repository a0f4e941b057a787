// The provider block: the letterhead at the top of page 1.
//
// ReadProviderBlock looks at the first eight rows of page 1 and stops at the first
// label ("Account:"). The candidates for the provider's name are the rows' first cells
// that are not a title (IsTitleLine), a sentence, an address, a date, an amount, a phone
// number or text with fewer than three letters; the name is the first candidate in the
// largest type (LetterheadCandidate), else the first candidate; up to four address rows follow it (ending at
// the ZIP line; on a row, the cells close after the first and the " | " segments that are
// address, each a line, the last ending at its ZIP); the phone is the first one printed
// within five rows of the name.
// Fields the caller already set are kept.
#ifndef BILLWISE_EXTRACT_GRAMMAR_PROVIDER_BLOCK_H_
#define BILLWISE_EXTRACT_GRAMMAR_PROVIDER_BLOCK_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/grammar/header_fields.h"
#include "extract/grammar/layout_set.h"
#include "extract/grammar/rows.h"
#include "pipeline/model/bill.h"

namespace billwise::grammar_internal {

// A title, not a name: every word of `text` (normalised) is one of the layout's title
// words, or one of them is a document word ("Hospital Final Bill").
bool IsTitleLine(const Layout& layout, std::string_view text);

// Prose rather than a name: four words or more, two of them starting in lower case other
// than the connectives names hold ("of", "and", "the"...): "Welcome to your Explanation
// of Benefits" is prose, "Department of Health and Human Services" a name.
bool IsSentence(std::string_view text);

// A line with a state and ZIP, or starting like a street, PO box, suite or floor.
bool LooksLikeAddress(std::string_view s);

// A name without decoration ("====NAME====") or a "Statement from" prefix.
std::string CleanName(std::string_view s);

// A name followed by a title in capitals on the same line ("Brookstone Family Medicine, PC
// PATIENT STATEMENT", when the two share a cell): the name alone. The title is a run of
// title and document words (at least one document word) in capitals ending the line,
// after a name in mixed case; any other text comes back unchanged.
std::string StripCapitalTitle(const Layout& layout, const std::string& text);

// `logo` is one word of 2-6 capitals spelling the first letters of the words of `name`
// ("PIC" of "Pinecrest Imaging Center"): a letterhead's initials logo, not its name.
bool IsInitialsOf(std::string_view logo, std::string_view name);

// Which of `candidates` (indices into `top`, the first rows of page 1, with their text)
// is the letterhead: when one of them is printed in type at least 1.2 times the height
// of the page's median line, the first whose line is within 90% of the tallest; else the
// first (0). Line height stands for type size: the text layer's and OCR's word boxes
// both give it.
size_t LetterheadCandidate(const std::vector<Row>& rows, const std::vector<const Row*>& top,
                           const std::vector<std::pair<size_t, std::string>>& candidates);

// Fills the provider's name, address and phone from the letterhead when not set; the
// address and phone only when the provider's name is the letterhead's.
void ReadProviderBlock(const Layout& layout, const std::vector<Row>& rows,
                       const FieldFinder& finder, Party* provider);

// The state and ZIP of the party's address lines (the last line that has them).
void FillStateZip(Party* p);

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_PROVIDER_BLOCK_H_
