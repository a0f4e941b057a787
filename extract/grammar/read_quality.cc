#include "extract/grammar/read_quality.h"

#include <re2/re2.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "extract/grammar/cell_text.h"
#include "extract/grammar/normalize.h"

namespace billwise {
namespace {

using grammar_internal::Tokens;

constexpr int64_t kToleranceCents = 1;
constexpr size_t kServiceListRun = 3;

// The token without the brackets and punctuation a code is often printed in: "(99284)".
std::string Bare(std::string_view token) {
  size_t b = 0, e = token.size();
  auto mark = [](char c) { return c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '.' || c == '#'; };
  while (b < e && mark(token[b])) ++b;
  while (e > b && mark(token[e - 1])) --e;
  return std::string(token.substr(b, e - b));
}

// Rows with amounts that are not charges: totals, balances, payments, adjustments, plan
// benefits and accumulators, aging buckets.
const re2::RE2& NotChargeRe() {
  static const re2::RE2 re(
      R"((?i)\b(total|totals|subtotal|sub-total|balance|due|paid|payments?|pmt|pymt|adj|adjust\w*|deductible|copay\w*|co-pay|coinsurance|co-insurance|insurance|discount\w*|credits?|owe|owed|owes|responsibility|allowed|allowable|premium|maximum|met|ytd|aging|previous|prior|interest|enclosed|remit\w*|refund\w*|write-?off|payable|liability)\b)");
  return re;
}

bool HasDescriptionWord(const std::vector<std::string>& tokens) {
  for (const auto& t : tokens) {
    int letters = 0;
    bool only_letters = true;
    for (char c : t) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        ++letters;
      } else if (c != '-' && c != '/' && c != '(' && c != ')' && c != ',' && c != '.' && c != '&' && c != ':' &&
                 c != ';') {
        only_letters = false;
      }
    }
    if (only_letters && letters >= 3) return true;
  }
  return false;
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", v);
  return buf;
}

std::string Rows(int n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

}  // namespace

ChargeShape ChargeRowShape(const Line& line) {
  std::vector<std::string> tokens = Tokens(line.text);
  if (tokens.empty() && !line.cells.empty()) {
    for (const Cell& c : line.cells) {
      for (auto& t : Tokens(c.text)) tokens.push_back(std::move(t));
    }
  }
  if (tokens.size() < 2) return ChargeShape::kNone;
  // Ends in an amount with a money mark (cents, "$", a credit sign), not zero. A currency
  // sign this reader does not know ("₹", or what a font makes of it) is left aside.
  std::string last = tokens.back();
  while (!last.empty() && static_cast<unsigned char>(last.front()) >= 0x80) last.erase(0, 1);
  if (!LooksLikeMoney(last)) return ChargeShape::kNone;
  auto amount = ParseMoney(last);
  if (!amount || amount->cents == 0) return ChargeShape::kNone;
  if (!HasDescriptionWord(tokens)) return ChargeShape::kNone;
  if (re2::RE2::PartialMatch(line.text, NotChargeRe())) return ChargeShape::kNone;
  size_t begin = 1;
  if (FindDate(line.text, DateOrder::kMonthFirst, &begin) && begin <= 2) return ChargeShape::kCharge;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    std::string bare = Bare(tokens[i]);
    size_t dash = bare.find('-');
    if (dash != std::string::npos) bare = bare.substr(0, dash);  // 99213-25
    CodeType type = ClassifyCode(bare);
    if (type == CodeType::kCpt || type == CodeType::kHcpcs || type == CodeType::kRevenue) return ChargeShape::kCharge;
  }
  return ChargeShape::kDescribedAmount;
}

bool LooksLikeChargeRow(const Line& line) { return ChargeRowShape(line) == ChargeShape::kCharge; }

ReadQuality AssessReading(const Bill& bill) {
  ReadQuality q;
  q.ocr_confidence = bill.source.ocr_confidence;
  q.printed_total = bill.totals.charges;

  std::set<std::pair<int, int>> item_rows;
  Money positive, net;
  for (const LineItem& it : bill.line_items) {
    item_rows.insert({it.source.page, it.source.line});
    if (!it.charge) continue;
    net += *it.charge;
    if (it.charge->cents > 0) positive += *it.charge;
  }
  q.items_total = net;

  // A charge row with a code or a date counts alone; a description ending in an amount counts
  // in a run of at least three such rows one under the other (a list of services).
  size_t text_lines = 0;
  for (const Page& p : bill.pages) {
    std::vector<std::pair<const Line*, ChargeShape>> rows;
    for (const Line& l : p.lines) {
      if (Trim(l.text).empty() && l.cells.empty()) continue;
      ++text_lines;
      rows.emplace_back(&l, ChargeRowShape(l));
    }
    for (size_t i = 0; i < rows.size();) {
      size_t j = i;
      while (j < rows.size() && rows[j].second != ChargeShape::kNone) ++j;
      const bool run = j - i >= kServiceListRun;
      for (size_t k = i; k < j; ++k) {
        const Line& l = *rows[k].first;
        if (item_rows.count({p.number, l.index}) == 0 && (run || rows[k].second == ChargeShape::kCharge)) {
          ++q.unread_rows;
        }
      }
      i = j == i ? i + 1 : j;
    }
  }

  const bool items = !bill.line_items.empty();
  const bool bill_like = items || bill.amount_due || bill.totals.charges || bill.totals.patient_responsibility ||
                         q.unread_rows > 0;
  if (text_lines == 0) {
    q.status = ReadStatus::kUnreadable;
    q.notes.push_back("no text could be read from the document");
    return q;
  }
  if (!items && q.ocr_confidence && *q.ocr_confidence < kUnreadableOcrConfidence) {
    q.status = ReadStatus::kUnreadable;
    q.notes.push_back("the scan is too poor to read (OCR confidence " + Percent(*q.ocr_confidence) +
                      "); read the paper bill or ask for a clearer copy");
    return q;
  }
  if (!bill_like) {
    q.status = ReadStatus::kUnreadable;
    q.notes.push_back("nothing on the document reads as a bill: no charges, total or amount due were found");
    return q;
  }

  if (q.printed_total && items) {
    const int64_t total = q.printed_total->cents;
    const bool adds_up =
        std::llabs(total - positive.cents) <= kToleranceCents || std::llabs(total - net.cents) <= kToleranceCents;
    if (!adds_up) {
      q.status = ReadStatus::kPartial;
      const Money diff{std::llabs(total - positive.cents)};
      const size_t n = bill.line_items.size();
      q.notes.push_back((n == 1 ? std::string("the one item read comes to ") : "the " + std::to_string(n) + " items read add up to ") +
                        positive.Display() + ", " + diff.Display() + (total > positive.cents ? " less" : " more") +
                        " than the printed total of charges of " + q.printed_total->Display() +
                        ": check the bill by hand for lines that were not read or were misread");
    }
  } else if (q.unread_rows > 0) {
    q.status = ReadStatus::kPartial;
    q.notes.push_back(Rows(q.unread_rows) + " that look like charges " + (q.unread_rows == 1 ? "was" : "were") +
                      " not read as items" + (q.printed_total ? "" : ", and no total of charges is printed to check against") +
                      ": check the bill by hand");
  } else if (q.printed_total && !items && bill.document_type == DocumentType::kItemizedStatement) {
    q.status = ReadStatus::kPartial;
    q.notes.push_back("the bill prints a total of charges but no item was read: check the bill by hand");
  }
  if (q.unread_rows > 0 && q.status == ReadStatus::kComplete) {
    q.notes.push_back(Rows(q.unread_rows) + " with amounts were not read as items; the items still add up to "
                      "the printed total");
  }
  if (q.ocr_confidence && *q.ocr_confidence < 75.0) {
    q.notes.push_back("OCR confidence is " + Percent(*q.ocr_confidence) +
                      ": check names, dates and amounts against the paper");
  }
  return q;
}

}  // namespace billwise
