// Small tests and edits over the text of cells and rows, shared by the parser's parts
// (rows, columns, header fields, provider block, items). Pure functions; thread-safe.
#ifndef BILLWISE_EXTRACT_GRAMMAR_CELL_TEXT_H_
#define BILLWISE_EXTRACT_GRAMMAR_CELL_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "extract/grammar/normalize.h"

namespace billwise::grammar_internal {

// At least `at_least` ASCII letters.
bool HasLetters(std::string_view s, int at_least = 2);
bool HasLower(std::string_view s);
bool HasDigit(std::string_view s);

// Trimmed, runs of spaces and tabs made one space.
std::string CollapseSpaces(std::string_view s);

// Splits a cell on " | " separators: "Acct: P001 | DOB: 06/15/1980".
std::vector<std::string> Segments(std::string_view s);

// `needle` occurs in `hay` as whole space-separated words.
bool WordContains(std::string_view hay, std::string_view needle);

// Any of the patterns (or the pattern, when not empty) matches somewhere in `s`.
bool Matches(const std::vector<Pattern>& res, std::string_view s);
bool Matches(const Pattern& re, std::string_view s);

// Edit distance (Levenshtein), stopping early: any value above `limit` is limit + 1.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit);

// A charge-master or catalogue code ("FURN_7777", "[17589684]"): one token with a
// digit that is not an amount, a date or a quantity.
bool IsInternalCode(std::string_view t);

// The first date of a range printed in one cell: "01/25/2022 to 01/25/2022",
// "01/25/2022 - 01/27/2022", "01/25/2022 thru 01/27/2022"; nullopt for anything else.
std::optional<Date> DateRangeStart(std::string_view text, DateOrder order);

// The words of `text`, split on spaces and tabs.
std::vector<std::string> Tokens(std::string_view text);

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_CELL_TEXT_H_
