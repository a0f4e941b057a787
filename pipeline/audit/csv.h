// A small RFC 4180 CSV reader for the reference tables in data/.
//
// Fields may be quoted ("a, b" and "" for a quote); rows end in \n or \r\n; blank lines
// are skipped. The first row is the header. Cells are string_views into the table's own
// copy of the text (unescaped quoted cells live in a side store), so reading a 30,000-row
// table costs a few allocations, not one per cell. A CsvTable is plain data: move it, but
// the views stay valid only while the table lives. Thread-compatible.
#ifndef BILLWISE_PIPELINE_AUDIT_CSV_H_
#define BILLWISE_PIPELINE_AUDIT_CSV_H_

#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise::audit_internal {

class CsvTable {
 public:
  const std::vector<std::string_view>& header() const { return header_; }
  size_t row_count() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  // Cells of data row `r` (0-based, header excluded).
  std::span<const std::string_view> Row(size_t r) const {
    return std::span<const std::string_view>(cells_.data() + r * columns_, columns_);
  }
  // Column index of `name` in the header, or -1.
  int Column(std::string_view name) const;

 private:
  friend Expected<CsvTable> ParseCsv(std::string text, const std::string& what,
                                     const std::vector<std::string>& required_columns);
  std::unique_ptr<std::string> text_;                // owns the bytes the views point into
  std::unique_ptr<std::deque<std::string>> quoted_;  // unescaped quoted cells
  std::vector<std::string_view> header_;
  std::vector<std::string_view> cells_;
  size_t columns_ = 0;
};

// Parses `text`. Fails with kBadData (naming `what`, e.g. the file) on an unterminated
// quote, an empty input, a header missing one of `required_columns`, or a row whose field
// count differs from the header's (the message gives the 1-based line).
Expected<CsvTable> ParseCsv(std::string text, const std::string& what,
                            const std::vector<std::string>& required_columns);

}  // namespace billwise::audit_internal

#endif  // BILLWISE_PIPELINE_AUDIT_CSV_H_
