#include "pipeline/refdata/csv.h"

#include <charconv>

namespace billwise {

bool CsvReader::Next(std::vector<std::string_view>* fields) {
  fields->clear();
  scratch_.clear();
  // Skip blank lines (and a lone '\r').
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++next_line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  line_ = next_line_;
  const size_t n = text_.size();
  for (;;) {
    if (pos_ < n && text_[pos_] == '"') {
      // Quoted field: find the closing quote; "" is an escaped quote.
      size_t start = ++pos_;
      bool escaped = false;
      while (pos_ < n) {
        if (text_[pos_] == '"') {
          if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
            escaped = true;
            pos_ += 2;
            continue;
          }
          break;
        }
        if (text_[pos_] == '\n') ++next_line_;
        ++pos_;
      }
      std::string_view raw = text_.substr(start, pos_ - start);
      if (pos_ < n) ++pos_;  // closing quote
      if (escaped) {
        std::string s;
        s.reserve(raw.size());
        for (size_t i = 0; i < raw.size(); ++i) {
          s += raw[i];
          if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"') ++i;
        }
        scratch_.push_back(std::move(s));
        fields->push_back(scratch_.back());
      } else {
        fields->push_back(raw);
      }
      // Anything between the closing quote and the separator is ignored.
      while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n') ++pos_;
    } else {
      size_t start = pos_;
      while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n') ++pos_;
      size_t end = pos_;
      if (end > start && text_[end - 1] == '\r') --end;
      fields->push_back(text_.substr(start, end - start));
    }
    if (pos_ >= n) return true;
    if (text_[pos_] == ',') {
      ++pos_;
      if (pos_ >= n) {
        fields->push_back(std::string_view());
        return true;
      }
      continue;
    }
    // Newline ends the record.
    ++pos_;
    ++next_line_;
    return true;
  }
}

CsvTable::CsvTable(std::string_view text, std::string name) : reader_(text), name_(std::move(name)) {}

Expected<void> CsvTable::Open(const std::vector<std::string>& required) {
  if (!reader_.Next(&fields_)) return Fail(ErrorCode::kBadData, name_ + ": empty table (no header row)");
  header_.clear();
  for (std::string_view f : fields_) {
    std::string h(f);
    if (header_.empty() && h.size() >= 3 && h.compare(0, 3, "\xEF\xBB\xBF") == 0) h.erase(0, 3);  // BOM
    header_.push_back(std::move(h));
  }
  for (const std::string& r : required) {
    if (Column(r) < 0) return Fail(ErrorCode::kBadData, name_ + " line 1: missing column " + r);
  }
  return {};
}

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Error CsvTable::BadRow(std::string_view what) const {
  return Error{ErrorCode::kBadData, name_ + " line " + std::to_string(reader_.line()) + ": " + std::string(what)};
}

Expected<std::optional<double>> ParseDecimal(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::optional<double>();
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Fail(ErrorCode::kBadData, "bad number '" + std::string(s) + "'");
  }
  return std::optional<double>(v);
}

Expected<std::optional<int>> ParseInt(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::optional<int>();
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Fail(ErrorCode::kBadData, "bad integer '" + std::string(s) + "'");
  }
  return std::optional<int>(v);
}

Expected<std::optional<Money>> ParseMoneyCell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '$')) s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::optional<Money>();
  bool negative = false;
  if (s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
    while (!s.empty() && s.front() == '$') s.remove_prefix(1);
  }
  int64_t whole = 0;
  int64_t frac = 0;
  int frac_digits = 0;
  bool seen_dot = false;
  bool any_digit = false;
  int64_t round_digit = -1;
  for (char c : s) {
    if (c == ',' && !seen_dot) continue;
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') return Fail(ErrorCode::kBadData, "bad amount '" + std::string(s) + "'");
    any_digit = true;
    if (!seen_dot) {
      if (whole > (INT64_MAX / 1000)) return Fail(ErrorCode::kBadData, "amount too large");
      whole = whole * 10 + (c - '0');
    } else if (frac_digits < 2) {
      frac = frac * 10 + (c - '0');
      ++frac_digits;
    } else if (round_digit < 0) {
      round_digit = c - '0';
    }
  }
  if (!any_digit) return Fail(ErrorCode::kBadData, "bad amount '" + std::string(s) + "'");
  if (frac_digits == 1) frac *= 10;
  int64_t cents = whole * 100 + frac + (round_digit >= 5 ? 1 : 0);
  return std::optional<Money>(Money{negative ? -cents : cents});
}

}  // namespace billwise
