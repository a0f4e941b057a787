#include "pipeline/refdata/reference_db_build.h"

#include <charconv>
#include <cmath>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "pipeline/model/strings.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS releases (
  table_name TEXT NOT NULL, release TEXT NOT NULL, effective_from TEXT NOT NULL,
  effective_to TEXT NOT NULL, source_file TEXT NOT NULL, row_count INTEGER NOT NULL,
  PRIMARY KEY (table_name, release));
CREATE TABLE IF NOT EXISTS asp_limit (
  code TEXT NOT NULL, release TEXT NOT NULL, dosage TEXT NOT NULL,
  limit_mills INTEGER, coinsurance_pct REAL, notes TEXT NOT NULL,
  PRIMARY KEY (code, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS asc_rate (
  code TEXT NOT NULL, release TEXT NOT NULL, payment_indicator TEXT NOT NULL,
  multiple_procedure_discount INTEGER NOT NULL, weight REAL, rate_cents INTEGER,
  PRIMARY KEY (code, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hospital (
  ccn TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL,
  city TEXT NOT NULL, state TEXT NOT NULL, zip TEXT NOT NULL, county TEXT NOT NULL,
  hospital_type TEXT NOT NULL, ownership TEXT NOT NULL, emergency_services INTEGER NOT NULL,
  PRIMARY KEY (ccn, release)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hospital_by_state_name ON hospital (state, name);
)sql";

bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
    if (n == 9 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}

// CMS's Section 508 CSVs are often Windows-1252; bytes 0x80-0xFF become their Latin-1 code
// points (0xA0, the byte these files hold, is a no-break space).
std::string Latin1ToUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// "$1,255.73 " -> 1255.73; "" -> nullopt; anything else unparsable -> nullopt with *bad set.
std::optional<double> ParseNumber(std::string_view field, bool* bad) {
  std::string digits;
  for (char c : Trim(field)) {
    if (c == '$' || c == ',' || c == ' ') continue;
    digits += c;
  }
  if (digits.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value) || value < 0) {
    *bad = true;
    return std::nullopt;
  }
  return value;
}

// One recognised layout: the columns that identify it (after trimming, case-sensitive
// substrings of a header cell, matched in any position).
struct Layout {
  const char* table;
  const char* description;
  std::vector<const char*> columns;
};

const std::vector<Layout>& Layouts() {
  static const std::vector<Layout> layouts = {
      {"asp_limit", "CMS ASP payment limits (HCPCS Code, HCPCS Code Dosage, Payment Limit, Co-insurance Percentage)",
       {"HCPCS Code", "HCPCS Code Dosage", "Payment Limit", "Co-insurance Percentage", "Notes"}},
      {"asc_rate",
       "CMS ASC Addendum AA (HCPCS Code, Subject to Multiple Procedure Discounting, Payment Indicator, "
       "Payment Weight, Payment Rate)",
       {"HCPCS Code", "Payment Indicator", "Payment Weight", "Payment Rate", "Subject to Multiple Procedure"}},
      {"hospital", "CMS Hospital General Information (Facility ID, Facility Name, Hospital Type, Hospital Ownership)",
       {"Facility ID", "Facility Name", "Address", "City/Town", "State", "ZIP Code", "County/Parish",
        "Hospital Type", "Hospital Ownership", "Emergency Services"}},
  };
  return layouts;
}

// Column index of the first header cell containing `name`, or -1.
int FindColumn(const std::vector<std::string_view>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (Trim(header[i]).find(name) != std::string_view::npos) return static_cast<int>(i);
  }
  return -1;
}

struct Recognised {
  const Layout* layout = nullptr;
  std::vector<int> columns;  // index of each of layout->columns
};

// Looks for a layout's header among the first 20 records; leaves `reader` after the header.
std::optional<Recognised> Recognise(CsvReader& reader) {
  std::vector<std::string_view> fields;
  for (int record = 0; record < 20 && reader.Next(&fields); ++record) {
    for (const Layout& layout : Layouts()) {
      Recognised found{&layout, {}};
      for (const char* name : layout.columns) found.columns.push_back(FindColumn(fields, name));
      bool all = true;
      for (int c : found.columns) all = all && c >= 0;
      if (all) return found;
    }
  }
  return std::nullopt;
}

std::string_view Field(const std::vector<std::string_view>& fields, int i) {
  return i >= 0 && static_cast<size_t>(i) < fields.size() ? Trim(fields[static_cast<size_t>(i)]) : std::string_view();
}

bool IsHcpcs(std::string_view code) {
  if (code.size() != 5) return false;
  for (char c : code) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

Error BadRow(const std::string& path, int line, std::string_view what) {
  return Error{ErrorCode::kBadData, path + " line " + std::to_string(line) + ": " + std::string(what)};
}

// Loads the records after the header into `table`; returns the number of rows.
Expected<int64_t> LoadRows(sqlite::Database& db, CsvReader& reader, const Recognised& rec,
                           const std::string& path, const std::string& release) {
  const std::string table = rec.layout->table;
  const auto& col = rec.columns;
  std::string sql;
  if (table == "asp_limit") {
    sql = "INSERT INTO asp_limit VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  } else if (table == "asc_rate") {
    sql = "INSERT INTO asc_rate VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  } else {
    sql = "INSERT INTO hospital VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  }
  auto insert = db.Prepare(sql);
  if (!insert) return std::unexpected(insert.error());
  int64_t rows = 0;
  std::vector<std::string_view> f;
  while (reader.Next(&f)) {
    std::string_view key = Field(f, col[0]);
    if (key.empty()) continue;  // blank separator rows
    bool bad = false;
    insert->Reset();
    if (table == "hospital") {
      if (key.size() != 6) return std::unexpected(BadRow(path, reader.line(), "Facility ID is not a 6-character CCN"));
      insert->Bind(1, key).Bind(2, release);
      for (int i = 1; i <= 8; ++i) insert->Bind(i + 2, Field(f, col[static_cast<size_t>(i)]));
      insert->Bind(11, Field(f, col[9]) == "Yes" ? 1 : 0);
    } else {
      if (!IsHcpcs(key)) {
        if (key.starts_with("NOTE") || key.starts_with("Note")) continue;  // CMS's trailing notes
        return std::unexpected(BadRow(path, reader.line(), "not a HCPCS code: " + std::string(key)));
      }
      insert->Bind(1, key).Bind(2, release);
      if (table == "asp_limit") {
        // "N/A": CMS sets no limit for the code (the notes say how it is paid).
        std::string_view limit_field = Field(f, col[2]);
        auto limit = limit_field == "N/A" ? std::nullopt : ParseNumber(limit_field, &bad);
        auto coins = ParseNumber(Field(f, col[3]), &bad);
        if (bad || (!limit && limit_field != "N/A")) {
          return std::unexpected(BadRow(path, reader.line(), "bad Payment Limit or Co-insurance"));
        }
        insert->Bind(3, Field(f, col[1]));
        std::optional<int64_t> mills;
        if (limit) mills = std::llround(*limit * 1000);
        insert->Bind(4, mills);
        insert->Bind(5, coins);
        insert->Bind(6, Field(f, col[4]));
      } else {
        auto weight = ParseNumber(Field(f, col[2]), &bad);
        auto rate = ParseNumber(Field(f, col[3]), &bad);
        if (bad) return std::unexpected(BadRow(path, reader.line(), "bad Payment Weight or Payment Rate"));
        std::optional<int64_t> cents;
        if (rate) cents = std::llround(*rate * 100);
        insert->Bind(3, Field(f, col[1]));
        insert->Bind(4, Field(f, col[4]) == "Y" ? 1 : 0);
        insert->Bind(5, weight);
        insert->Bind(6, cents);
      }
    }
    if (auto ok = insert->Run(); !ok) {
      return std::unexpected(BadRow(path, reader.line(), ok.error().message));
    }
    ++rows;
  }
  if (rows == 0) return std::unexpected(Error{ErrorCode::kBadData, path + ": no data rows after the header"});
  return rows;
}

}  // namespace

Expected<void> CreateReferenceSchema(sqlite::Database& db) { return db.Exec(kSchema); }

Expected<std::string> ImportReleaseFile(sqlite::Database& db, const std::string& path,
                                        const ReleaseInfo& release) {
  auto bytes = ReadFileInflating(path);
  if (!bytes) return std::unexpected(Error{bytes.error().code, path + ": " + bytes.error().message});
  std::string text = IsUtf8(*bytes) ? std::move(*bytes) : Latin1ToUtf8(*bytes);
  std::deque<std::string> store;
  CsvReader reader(text, &store);
  auto recognised = Recognise(reader);
  if (!recognised) {
    std::string expected;
    for (const Layout& layout : Layouts()) expected += (expected.empty() ? "" : "; ") + std::string(layout.description);
    return std::unexpected(Error{ErrorCode::kBadData, path + ": not a CMS file billwise knows; expected one of: " + expected});
  }
  auto tx = sqlite::Transaction::Begin(db);
  if (!tx) return std::unexpected(tx.error());
  auto rows = LoadRows(db, reader, *recognised, path, release.release);
  if (!rows) return std::unexpected(rows.error());
  auto record = db.Prepare("INSERT INTO releases VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!record) return std::unexpected(record.error());
  std::string file = path.substr(path.find_last_of('/') + 1);
  record->Bind(1, recognised->layout->table).Bind(2, release.release).Bind(3, release.effective_from);
  record->Bind(4, release.effective_to).Bind(5, file).Bind(6, *rows);
  if (auto ok = record->Run(); !ok) {
    return std::unexpected(Error{ok.error().code, path + ": release " + release.release + " already loaded or bad: " + ok.error().message});
  }
  if (auto ok = tx->Commit(); !ok) return std::unexpected(ok.error());
  return std::string(recognised->layout->table);
}

}  // namespace billwise
