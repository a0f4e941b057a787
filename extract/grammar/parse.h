// ParseBill: positioned lines -> Bill header, totals and line items.
//
// Chooses a layout from the LayoutSet by keywords and priority, then:
//   * header fields: the layout's RE2 `fields:` patterns first, then its label
//     synonyms (value right of the label on the same line, or below it in the same
//     column), then the top-left block of page 1 for the provider;
//   * line items: tables found by their header row and read by column position
//     (cells assigned to columns by x overlap and content type, so shifted columns on a
//     later page still read right), multi-line descriptions, repeated headers,
//     subtotals, payment rows and "continued" lines; when no table is found, the
//     layout's RE2 row patterns, one item per line.
// Payment and adjustment rows printed inside an item table are not line items: they
// are summed into Bill::totals when the document prints no total for them. Credits
// that are services reversed (a negative charge with a code) stay items with a
// negative charge.
//
// Never invents values: what is not printed stays std::nullopt. Line items carry
// source page/line and confidence (lowest word confidence / 100). Diagnostics name
// what could not be read, without patient data. Pure function of its inputs; the
// LayoutSet is only read, so many threads may parse with one set.
#ifndef BILLWISE_EXTRACT_GRAMMAR_PARSE_H_
#define BILLWISE_EXTRACT_GRAMMAR_PARSE_H_

#include <optional>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/page.h"

namespace billwise {

// Fills `bill` from `pages` (whose lines the layout step has built) and moves the pages
// into bill->pages. Fields already set in `bill` by an earlier stage (source path,
// sha256, text origin) are kept.
// `decided`, when given, is the document type weighed from the evidence (document_type.h):
// the layout is chosen among those for that type (LayoutSet::Select), and an EOB or a
// collection notice is reported as such whichever layout reads it.
void ParseBill(const LayoutSet& layouts, std::vector<Page> pages, Bill* bill,
               std::optional<DocumentType> decided = std::nullopt);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_GRAMMAR_PARSE_H_
