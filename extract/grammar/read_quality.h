// AssessReading: how much of a document a parsed Bill accounts for (bill-json.md,
// read_quality).
//
//   complete    the items' charges add up to the printed total of charges (1-cent
//               tolerance, with or without the credits read); or no total is printed and
//               no row that looks like a charge was left unread. A document that lists no
//               services (a summary statement, a collection notice, a one-claim EOB) is
//               complete when no charge-like row was left unread.
//   partial     anything less. The notes say what to check by hand.
//   unreadable  no text, or nothing on it reads as a bill (no items, no total, no amount
//               due), or an OCR'd document too poor to read. The notes give the reason.
//
// A row "looks like a charge" when it ends in an amount, carries a billing code or starts
// with a date, has a word of description, and is not a total, balance, payment,
// adjustment or plan-benefit row, or when it is one of three or more rows one under the
// other that end in an amount after a description; rows read as items are not counted. Runs after
// ParseBill (it reads bill->pages and the items' source lines) and changes nothing but
// bill->read_quality. Pure; thread-safe.
#ifndef BILLWISE_EXTRACT_GRAMMAR_READ_QUALITY_H_
#define BILLWISE_EXTRACT_GRAMMAR_READ_QUALITY_H_

#include "pipeline/model/bill.h"

namespace billwise {

// Mean OCR word confidence (0..100) below which a document with nothing read is
// unreadable rather than empty.
inline constexpr double kUnreadableOcrConfidence = 40.0;

ReadQuality AssessReading(const Bill& bill);

// kCharge: a row ending in an amount, with a billing code or a leading date and a word of
// description, that is not a total, balance, payment, adjustment or plan-benefit row.
// kDescribedAmount: the same without code or date ("Room charges (5 days): $2,000.00"); such
// rows count as unread only in a run of three or more one under the other.
enum class ChargeShape { kNone, kDescribedAmount, kCharge };
ChargeShape ChargeRowShape(const Line& line);
bool LooksLikeChargeRow(const Line& line);  // ChargeRowShape(line) == kCharge

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_GRAMMAR_READ_QUALITY_H_
