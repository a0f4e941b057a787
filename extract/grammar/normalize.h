// Normalisation of printed bill values: amounts, dates, quantities and billing codes.
//
// Pure functions over text. They never throw, allocate only for their results, hold
// no state and are safe to call from any thread. Each returns std::nullopt (or
// CodeType::kNone) when the text is not clearly a value of its kind: "nothing found"
// is never confused with zero. They repair the common OCR confusions (O for 0, I or l
// for 1, S for 5 or $) only inside tokens that are otherwise an amount or a code.
#ifndef BILLWISE_EXTRACT_GRAMMAR_NORMALIZE_H_
#define BILLWISE_EXTRACT_GRAMMAR_NORMALIZE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/money.h"
#include "pipeline/model/strings.h"

namespace billwise {

// How to read an all-numeric date such as 01/05/2026.
enum class DateOrder { kMonthFirst, kDayFirst };

// Parses one printed amount: "$1,234.56", "1234.56", "1 234.56", "$200", "(45.00)",
// "45.00-", "-45.00", "-$45.00", "45.00 CR", "CR 45.00", "42,00" (decimal comma),
// "1.234,56". Credits come back negative. The whole text must be the amount (a
// leading "$"/"USD" and surrounding spaces are allowed); "12 units" is not an amount, nor is
// anything past kMaxAmount ($100 million, pipeline/model/money.h).
std::optional<Money> ParseMoney(std::string_view text);

// True when the text carries an explicit money mark ("$", a cents part, a credit
// sign) rather than being a bare integer that may equally be a count.
bool LooksLikeMoney(std::string_view text);

// Parses one printed date: MM/DD/YYYY, MM/DD/YY, M/D/YY, MM-DD-YYYY, MM.DD.YYYY,
// YYYY-MM-DD, YYYY/MM/DD, "Jan 5, 2026", "January 5, 2026", "Jan. 5 2026",
// "5 January 2026", "05-Jan-2026", "05-JAN-26", "Jan 5 2026". A trailing time
// ("11:42 AM") is ignored. Two-digit years 00..69 are 20xx, 70..99 are 19xx.
// Numeric dates follow `order`, except that an impossible month (13..31) in the
// month position is read the other way round.
std::optional<Date> ParseDate(std::string_view text, DateOrder order = DateOrder::kMonthFirst);

// Finds the first date inside a longer text; `end` (optional) receives the offset
// just past it.
std::optional<Date> FindDate(std::string_view text, DateOrder order = DateOrder::kMonthFirst,
                             size_t* begin = nullptr, size_t* end = nullptr);

// A quantity or unit count: "1", "12", "2.5", "1.00", "1.00 kg", "x3", "3 units".
std::optional<double> ParseQuantity(std::string_view text);

// Classifies one token (no modifiers) as a billing code:
//   kCpt     5 digits (00100..99999), or 4 digits + F/T/U (category II/III, PLA)
//   kHcpcs   a Level II letter (A-V, not I/N/O) + 4 digits
//   kRevenue 4 digits with a leading zero (0450), or 1000..3999 printed as 4 digits
//   kNdc     11 digits, or hyphenated 5-4-2 / 4-4-2 / 5-3-2 / 5-4-1
//   kNone    anything else
CodeType ClassifyCode(std::string_view token);

// A UB-04 revenue code with its leading zero: "450" -> "0450", "0450" -> "0450".
std::optional<std::string> NormalizeRevenueCode(std::string_view token);

// A code split from its modifiers.
struct ParsedCode {
  std::string code;    // as printed, after OCR repair; NDCs as 5-4-2 with hyphens
  CodeType type = CodeType::kNone;
  std::vector<std::string> modifiers;  // two characters each, upper case
};

// Reads a code cell: "99213", "99213-25", "99213 25", "99213-25-59", "27447-RT",
// "99213 mod 25", "99213:25", "G0380", "0450", "00790", "12345-6789-01". Repairs
// OCR confusions when the result is a code. nullopt when the cell is not a code.
std::optional<ParsedCode> ParseCodeCell(std::string_view cell);

// Finds a CPT/HCPCS code written inside a description ("CPT 99214 - Office Visit",
// "Office Visit (99214)", "CT HEAD W/O CONTRAST 70450"). On success `begin`/`end`
// span the code together with a preceding "CPT"/"HCPCS" label and its modifiers.
std::optional<ParsedCode> FindCodeInText(std::string_view text, size_t* begin = nullptr,
                                         size_t* end = nullptr);

// Replaces the OCR confusions O/o->0, I/l/|->1, S/s->5, B->8 in a token and returns it
// only if every remaining character is a digit or one of ".,-$()": the caller uses it
// for cells that are supposed to hold a code or an amount.
std::optional<std::string> RepairDigits(std::string_view token);

// Helpers shared by the parser (Trim and Lower are in pipeline/model/strings.h).
// Lower case, punctuation other than '#', '/', '&' and '%' dropped, runs of spaces
// collapsed: the form labels and column headers are compared in.
std::string NormalizeLabel(std::string_view s);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_GRAMMAR_NORMALIZE_H_
