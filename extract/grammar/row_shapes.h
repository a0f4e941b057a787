// Row shapes: a line item recognised by its shape alone, for tables printed without a
// header row.
//
// A line is an item when, read as space-separated tokens, it is
//   [serial] [date] [code] [revenue code]  description  [leaders] [qty] [unit price] amount
// where the serial is a small number ("1.", "12", "3)", "#4"), the code a CPT/HCPCS/NDC
// ("99213", "CPT 99213", "J0696-RT"), the description has at least three letters (an
// ending ':' and a leader of dots are dropped: "Room charges (5 days): $2,000.00",
// "Emergency Visit (CPT 99284) ....... ¹450.00"), and the amount is money with a mark
// or cents ("$350.00", "¹1,200.00", "48.00"). Quantity and unit price are kept only when
// the arithmetic agrees (qty × unit = amount, to the cent). A CPT/HCPCS code written in
// the description is found by the caller. Whether the line is a total, a label or a
// payment is for the caller to decide. Pure; thread-safe.
#ifndef BILLWISE_EXTRACT_GRAMMAR_ROW_SHAPES_H_
#define BILLWISE_EXTRACT_GRAMMAR_ROW_SHAPES_H_

#include <optional>
#include <string_view>

#include "extract/grammar/normalize.h"
#include "pipeline/model/bill.h"

namespace billwise::grammar_internal {

struct ShapedRow {
  LineItem item;          // date, code, revenue code, description, quantity, unit price, charge
  bool label_colon = false;  // the description ended with ':' ("Medications: $500.00")
  bool leading_value = false;  // a serial, date or code came before the description
};

// The item `text` (one row's text) holds by its shape; nullopt when it has none.
std::optional<ShapedRow> ReadRowShape(std::string_view text, DateOrder order);

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_ROW_SHAPES_H_
