#include "pipeline/audit/csv.h"

namespace billwise::audit_internal {

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Expected<CsvTable> ParseCsv(std::string_view text, const std::string& what,
                            const std::vector<std::string>& required_columns) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false;
  bool row_has_content = false;
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      row_has_content = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      row_has_content = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (row_has_content || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      field.clear();
      row.clear();
      row_has_content = false;
      ++line;
    } else {
      field += c;
      row_has_content = true;
    }
  }
  if (in_quotes) return Fail(ErrorCode::kBadData, what + ": unterminated quote near line " + std::to_string(line));
  if (row_has_content || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return Fail(ErrorCode::kBadData, what + ": empty table");
  CsvTable table;
  table.header = std::move(rows.front());
  rows.erase(rows.begin());
  for (const std::string& col : required_columns) {
    if (table.Column(col) < 0) return Fail(ErrorCode::kBadData, what + ": missing column " + col);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != table.header.size()) {
      return Fail(ErrorCode::kBadData, what + ": row " + std::to_string(r + 2) + " has " +
                  std::to_string(rows[r].size()) + " fields, expected " +
                  std::to_string(table.header.size()));
    }
  }
  table.rows = std::move(rows);
  return table;
}

}  // namespace billwise::audit_internal
