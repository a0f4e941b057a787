// Item reading: the line items of a document, with the payment rows and table totals met
// on the way.
//
// Inside the layout's `items.start`/`items.end` bounds, tables are found by their header
// row (columns.h) and read row by row: cells assigned to columns, multi-line
// descriptions joined, a date/code/description line joined with the amounts below it,
// repeated headers and page furniture skipped, subtotal and total rows (label synonyms of
// money fields, `not_items`) left out, and payment/adjustment rows (`payments`) summed
// into `sums` instead of becoming items. When no table is found, the layout's RE2 row
// patterns read one item per line, with `continuation` lines appended. Items carry
// source page/line and confidence. Nothing is invented.
#ifndef BILLWISE_EXTRACT_GRAMMAR_ITEMS_H_
#define BILLWISE_EXTRACT_GRAMMAR_ITEMS_H_

#include <optional>
#include <set>
#include <vector>

#include "extract/grammar/header_fields.h"
#include "extract/grammar/layout_set.h"
#include "extract/grammar/rows.h"
#include "pipeline/model/bill.h"

namespace billwise::grammar_internal {

// Payment and adjustment rows summed by the total they feed (positive).
struct TotalsSums {
  std::optional<Money> insurance_paid, patient_paid, adjustments;
  void Add(Field f, Money m);
};

struct ItemReading {
  std::vector<LineItem> items;
  TotalsSums sums;
  bool found_table = false;
  bool used_rows = false;   // items came from the row patterns
  std::set<int> consumed;   // rows read as items or as payment/adjustment rows
  // The amounts of the last "total" row of a table, by column ("Claim Totals  $334.00 ...").
  std::optional<LineItem> table_totals;
};

// Reads the items of `rows`. Lines without a date column take `default_date` (the
// document's date of service) when given.
ItemReading ReadItems(const Layout& layout, const FieldFinder& finder, const std::vector<Row>& rows,
                      std::optional<Date> default_date);

// The claim lines of an EOB printed as lists of "Label: value" lines instead of a table
// ("Service Date: June 12, 2026", "Service: Office visit", "Amount Billed: $180.00",
// "Patient Responsibility: $132.40"): the labels are the layout's column names. A list
// gives an item when it holds a billed amount and a date of service, a code or a
// description; a label met again starts the next list. For EOBs whose items were not read
// otherwise (the caller's test).
std::vector<LineItem> ReadLabelListItems(const Layout& layout, const std::vector<Row>& rows);

// A date at the start or the end of `text`, separated by a space ("01/05/2026 Office
// visit", "Office visit 01/05/2026"), is removed from it and returned; nullopt (text
// unchanged) otherwise or when too little text would be left.
std::optional<Date> TakeEdgeDate(std::string* text, DateOrder order);

// Moves a CPT code glued to the end of the description by the text layer
// ("Complete Blood Count85025", "ICU Monitoring (Day 1-2)99232") into the item: five
// digits right after a letter or ')' that end the description. For tables with a code
// column only (the caller's test).
void PeelGluedCode(LineItem* item);

// Moves a code written in the description ("Office Visit - 99213") into the item.
void CodeFromDescription(LineItem* item);

// Reads a code cell into the item: a CPT/HCPCS/NDC with modifiers, a revenue code
// (also the item's code when it has none), or an internal charge code.
void ApplyCode(const std::string& raw, LineItem* item, bool* has_code);

// The row is a payment/adjustment: which total it feeds (patient paid, then
// adjustments, then insurance paid).
std::optional<Field> PaymentKind(const Layout& layout, std::string_view text);

// The text labels a total or subtotal (a `not_items` pattern or a money field's label).
bool IsTotalText(const Layout& layout, const FieldFinder& finder, std::string_view text);

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_ITEMS_H_
