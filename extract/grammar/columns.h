// Column inference: which rows are item-table headers, what each header cell names,
// and which column each cell of a body row belongs to.
//
// HeaderAt accepts a row as a table header when it holds no amount or date, at least two
// of its cells (and 60% of them) name columns through the layout's `items.columns`
// synonyms, and one of them is an amount column and another a date, code, revenue code
// or description; a header split over two lines is merged with the line above. On OCR'd
// rows a header word within one edit (two for nine letters or more) of one synonym
// names its column.
//
// AssignCells maps the cells of a body row onto the header's columns in left-to-right
// order, maximising the agreement of each cell's type (date, amount, code, text...)
// and position with its column (dynamic programming; a cell may be left out).
#ifndef BILLWISE_EXTRACT_GRAMMAR_COLUMNS_H_
#define BILLWISE_EXTRACT_GRAMMAR_COLUMNS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "extract/grammar/rows.h"

namespace billwise::grammar_internal {

struct ColumnDef {
  Column kind;
  double x0, x1;
  std::string header = {};  // the normalised header words
};

// The words a header cell is matched by: NormalizeLabel's form without parenthesised
// or bracketed qualifiers ("Amount (USD)", "AMOUNT(S$)"), currency signs and codes
// ("Charges $", "Amount INR"), and with two column words glued by the text layer split
// ("descriptioncpt" -> "description cpt").
std::string HeaderWords(const ItemRules& rules, std::string_view cell);

// The column `words` (HeaderWords form) names: an `items.columns` synonym, else the first
// of its "/"-separated alternatives that is one ("description / particulars").
std::optional<Column> LookupColumn(const ItemRules& rules, std::string_view words);

// The header row at rows[i] (merged with the line above when its words are split over
// two lines), its columns sorted by x; nullopt when rows[i] is not a header.
std::optional<std::vector<ColumnDef>> HeaderAt(const ItemRules& rules, const std::vector<Row>& rows,
                                               size_t i);

// Assigns each cell to a column index (or -1) maximising type and position agreement,
// keeping the left-to-right order. `width` is the page width in points.
std::vector<int> AssignCells(const std::vector<CellView>& cells, const std::vector<ColumnDef>& cols,
                             double width, DateOrder order);

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_COLUMNS_H_
