// The one CSV reader: RFC 4180 text (the reference tables in data/, hospital price lists).
//
// Fields may be quoted ("a, b", and "" for a quote inside quotes); records end in \n or
// \r\n; blank lines are skipped; a UTF-8 byte-order mark before the header is dropped.
// Reading is zero-copy: fields are string_views into the caller's text, except quoted
// fields holding doubled quotes, whose unescaped copies live in a side store. The text is
// scanned 64 bytes at a time for separators, newlines and quotes (SSE2 where available), so
// a record costs a few instructions per field rather than per byte.
//
//   CsvReader  the tokenizer: one record at a time, no header.
//   CsvTable   a header row plus streaming records, columns found by name.
//   CsvRows    a whole table parsed up front into owned storage, every row checked to have
//              the header's field count.
//
// Errors are kBadData and name the file and the 1-based line ("data/x.csv line 12: ...").
// Readers are not thread-safe (one per text); a CsvRows is immutable after parsing and may
// be read from any thread.
#ifndef BILLWISE_PIPELINE_TABLES_CSV_H_
#define BILLWISE_PIPELINE_TABLES_CSV_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"

namespace billwise {

// Splits `text` into records. The text must outlive the reader and every field it returns.
class CsvReader {
 public:
  // Unescaped quoted fields go to `store` when one is given (they then live as long as it
  // does); otherwise to the reader's own scratch, valid until the next call to Next().
  // `first_line` is the number of the text's first line in the file it came from.
  explicit CsvReader(std::string_view text, std::deque<std::string>* store = nullptr, int first_line = 1)
      : text_(text), store_(store), next_line_(first_line) {}

  // Reads the next record into *fields; false at the end of the text.
  bool Next(std::vector<std::string_view>* fields);
  // 1-based line number where the last record returned starts.
  int line() const { return line_; }
  // The line number after the last record returned (after the whole text once Next()
  // returned false): the first line number plus the newlines read so far.
  int next_line() const { return next_line_; }
  // True when the last record returned ends inside a quoted field that is never closed
  // (the field then runs to the end of the text).
  bool unterminated_quote() const { return unterminated_quote_; }

 private:
  // The 64 bytes text_[start, start + 64) as bit masks, one bit per byte: separators (','
  // and '\n'), quotes, newlines.
  struct Block {
    size_t start = SIZE_MAX;
    uint64_t separators = 0, quotes = 0, newlines = 0;
  };

  std::string_view text_;
  std::deque<std::string>* store_;
  size_t pos_ = 0;
  int next_line_ = 1;
  int line_ = 0;
  bool unterminated_quote_ = false;
  std::deque<std::string> scratch_;
  Block block_;  // the block last scanned
};

// A CSV text with a header row, read one record at a time. `name` (a path) is used in
// error messages only. The text must outlive the table; fields stay valid until Next().
// Lenient about malformed records (short rows read as "", an unclosed quote runs to the
// end), as hospital price lists need.
class CsvTable {
 public:
  // `first_line`: the line number of the header in the file, for error messages (a block of
  // a packed table is read as its header plus rows from further down the file).
  CsvTable(std::string_view text, std::string name, int first_line = 1);

  // Reads the header; fails with kBadData naming the file when a required column is missing.
  Expected<void> Open(const std::vector<std::string>& required);
  // Index of a column, or -1.
  int Column(std::string_view name) const;
  bool Next() { return reader_.Next(&fields_); }
  // Field i of the current record ("" when the record is short or i < 0).
  std::string_view Field(int i) const {
    return i >= 0 && static_cast<size_t>(i) < fields_.size() ? fields_[static_cast<size_t>(i)] : std::string_view();
  }
  // A kBadData error naming file, line and column: "data/x.csv line 12: bad number in work_rvu".
  Error BadRow(std::string_view what) const;
  int line() const { return reader_.line(); }

 private:
  CsvReader reader_;
  std::string name_;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
};

// A whole CSV table held in memory: the text it was parsed from plus views into it. Move
// it freely; the views stay valid for as long as the CsvRows lives.
class CsvRows {
 public:
  const std::vector<std::string>& header() const { return header_; }
  size_t row_count() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  // Cells of data row `r` (0-based, header excluded). REQUIRES: r < row_count().
  std::span<const std::string_view> Row(size_t r) const {
    return std::span<const std::string_view>(cells_.data() + r * columns_, columns_);
  }
  // Column index of `name` in the header, or -1.
  int Column(std::string_view name) const;

 private:
  friend Expected<CsvRows> ParseCsvRows(std::string text, const std::string& name,
                                        const std::vector<std::string>& required_columns);
  std::unique_ptr<std::string> text_;                // owns the bytes the views point into
  std::unique_ptr<std::deque<std::string>> store_;   // unescaped quoted cells
  std::vector<std::string> header_;
  std::vector<std::string_view> cells_;
  size_t columns_ = 0;
};

// Parses all of `text`. Fails with kBadData (naming `name`, e.g. the file) on an empty
// input, a header missing one of `required_columns`, an unclosed quote, or a row whose
// field count differs from the header's.
Expected<CsvRows> ParseCsvRows(std::string text, const std::string& name,
                               const std::vector<std::string>& required_columns);

// Number parsing for table cells. Surrounding spaces are ignored; empty cells give
// std::nullopt, malformed ones a kBadData error quoting the cell.
Expected<std::optional<double>> ParseDecimal(std::string_view s);
Expected<std::optional<int>> ParseInt(std::string_view s);
// "1234.56", "$1,234.56", "1234" -> Money (exact: no floating point; a third decimal
// rounds half up). std::nullopt for "".
Expected<std::optional<Money>> ParseMoneyCell(std::string_view s);

// ParseMoneyCell's usual case, inline for loops over millions of cells: 1 to 15 characters,
// digits with up to two decimals ("1234.56", "1234", "12."), nothing around them. False for
// anything else (ParseMoneyCell then reads it).
inline bool ParsePlainMoney(std::string_view s, Money* out) {
  if (s.empty() || s.size() > 15) return false;
  int64_t cents = 0;
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') cents = cents * 10 + (s[i++] - '0');
  if (i == 0) return false;
  int decimals = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && decimals < 2 && s[i] >= '0' && s[i] <= '9') {
      cents = cents * 10 + (s[i++] - '0');
      ++decimals;
    }
  }
  if (i != s.size()) return false;
  for (; decimals < 2; ++decimals) cents *= 10;
  *out = Money{cents};
  return true;
}

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_CSV_H_
