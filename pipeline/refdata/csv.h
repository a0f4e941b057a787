// CsvReader: a small, allocation-light reader for the RFC 4180 CSV tables in data/.
//
// Fields are string_views into the text (or into per-record scratch storage when a
// quoted field holds doubled quotes); they stay valid until the next call to Next().
// CsvTable adds the header row: columns are found by name, so tables may gain columns.
// Not thread-safe; one reader per text. The text must outlive the reader.
#ifndef BILLWISE_PIPELINE_REFDATA_CSV_H_
#define BILLWISE_PIPELINE_REFDATA_CSV_H_

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"

namespace billwise {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Reads the next record into *fields; false at the end of the text. Blank lines are skipped.
  bool Next(std::vector<std::string_view>* fields);
  // 1-based line number where the last record returned starts.
  int line() const { return line_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int next_line_ = 1;
  int line_ = 0;
  std::deque<std::string> scratch_;
};

// A CSV text with a header row. `name` (a path) is used in error messages only.
class CsvTable {
 public:
  CsvTable(std::string_view text, std::string name);

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

// Number parsing for table cells. Empty cells give std::nullopt; malformed ones an error.
Expected<std::optional<double>> ParseDecimal(std::string_view s);
Expected<std::optional<int>> ParseInt(std::string_view s);
// "1234.56", "$1,234.56", "1234" -> Money (exact: no floating point). std::nullopt for "".
Expected<std::optional<Money>> ParseMoneyCell(std::string_view s);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_CSV_H_
