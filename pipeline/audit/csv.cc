#include "pipeline/audit/csv.h"

namespace billwise::audit_internal {

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Expected<CsvTable> ParseCsv(std::string text, const std::string& what,
                            const std::vector<std::string>& required_columns) {
  CsvTable table;
  table.text_ = std::make_unique<std::string>(std::move(text));
  table.quoted_ = std::make_unique<std::deque<std::string>>();
  std::string_view s = *table.text_;
  std::vector<std::string_view> row;
  size_t line = 1;
  size_t i = 0;
  bool header_done = false;
  while (i < s.size()) {
    // One row.
    row.clear();
    size_t row_line = line;
    bool blank = true;
    while (true) {
      std::string_view cell;
      if (i < s.size() && s[i] == '"') {
        blank = false;
        std::string value;
        ++i;
        while (true) {
          if (i >= s.size()) return Fail(ErrorCode::kBadData, what + ": unterminated quote on line " + std::to_string(row_line));
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (s[i] == '\n') ++line;
          value += s[i++];
        }
        table.quoted_->push_back(std::move(value));
        cell = table.quoted_->back();
        // Anything between the closing quote and the separator is kept out.
        while (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r') ++i;
      } else {
        size_t start = i;
        while (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r') ++i;
        cell = s.substr(start, i - start);
        if (!cell.empty()) blank = false;
      }
      row.push_back(cell);
      if (i < s.size() && s[i] == ',') {
        blank = false;
        ++i;
        continue;
      }
      break;
    }
    if (i < s.size() && s[i] == '\r') ++i;
    if (i < s.size() && s[i] == '\n') ++i;
    ++line;
    if (blank) continue;
    if (!header_done) {
      table.header_ = row;
      table.columns_ = row.size();
      header_done = true;
      continue;
    }
    if (row.size() != table.columns_) {
      return Fail(ErrorCode::kBadData, what + ": line " + std::to_string(row_line) + " has " +
                  std::to_string(row.size()) + " fields, expected " + std::to_string(table.columns_));
    }
    table.cells_.insert(table.cells_.end(), row.begin(), row.end());
  }
  if (!header_done) return Fail(ErrorCode::kBadData, what + ": empty table");
  for (const std::string& col : required_columns) {
    if (table.Column(col) < 0) return Fail(ErrorCode::kBadData, what + ": missing column " + col);
  }
  return table;
}

}  // namespace billwise::audit_internal
