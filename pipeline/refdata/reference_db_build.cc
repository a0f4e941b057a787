#include "pipeline/refdata/reference_db_build.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <optional>
#include <regex>
#include <utility>
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
CREATE TABLE IF NOT EXISTS clfs_rate (
  code TEXT NOT NULL, modifier TEXT NOT NULL, release TEXT NOT NULL, indicator TEXT NOT NULL,
  rate_cents INTEGER NOT NULL,
  PRIMARY KEY (code, modifier, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dmepos_fee (
  code TEXT NOT NULL, modifier TEXT NOT NULL, modifier2 TEXT NOT NULL, state TEXT NOT NULL,
  release TEXT NOT NULL, category TEXT NOT NULL, nonrural_cents INTEGER, rural_cents INTEGER,
  PRIMARY KEY (code, state, modifier, modifier2, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS anesthesia_base (
  code TEXT NOT NULL, release TEXT NOT NULL, base_units INTEGER NOT NULL,
  PRIMARY KEY (code, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pfs_rvu (
  code TEXT NOT NULL, modifier TEXT NOT NULL, release TEXT NOT NULL, status TEXT NOT NULL,
  work REAL, pe_nonfac REAL, pe_nonfac_na TEXT NOT NULL, pe_fac REAL, pe_fac_na TEXT NOT NULL,
  mp REAL, pctc INTEGER, global_days TEXT NOT NULL, mult_proc INTEGER, bilat INTEGER,
  PRIMARY KEY (code, modifier, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS opps_rate (
  code TEXT NOT NULL, release TEXT NOT NULL, status TEXT NOT NULL, apc TEXT NOT NULL,
  weight REAL, payment_rate REAL, copay_cents INTEGER, min_copay_cents INTEGER,
  PRIMARY KEY (code, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS opps_cap (
  code TEXT NOT NULL, modifier TEXT NOT NULL, carrier TEXT NOT NULL, locality TEXT NOT NULL,
  release TEXT NOT NULL, fac_cents INTEGER, nonfac_cents INTEGER,
  PRIMARY KEY (code, modifier, carrier, locality, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hcpcs_code (
  code TEXT NOT NULL, release TEXT NOT NULL, short_desc TEXT NOT NULL, long_desc TEXT NOT NULL,
  term_date TEXT NOT NULL,
  PRIMARY KEY (code, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS zip_locality (
  zip TEXT NOT NULL, release TEXT NOT NULL, state TEXT NOT NULL, carrier TEXT NOT NULL,
  locality TEXT NOT NULL, plus4 INTEGER,
  PRIMARY KEY (zip, release)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS zip_locality_by_state ON zip_locality (state, release);
CREATE TABLE IF NOT EXISTS mue (
  code TEXT NOT NULL, setting TEXT NOT NULL, release TEXT NOT NULL, mue_value INTEGER NOT NULL,
  mai INTEGER NOT NULL, rationale TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (code, setting, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ptp (
  column1 TEXT NOT NULL, column2 TEXT NOT NULL, release TEXT NOT NULL, prac_mod INTEGER,
  oph_mod INTEGER, rationale INTEGER, oph_rationale INTEGER,
  PRIMARY KEY (column1, column2, release)) WITHOUT ROWID;
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
  if (digits.empty() || digits == ".") return std::nullopt;  // CMS's Addenda write "." for none
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value) || value < 0) {
    *bad = true;
    return std::nullopt;
  }
  return value;
}

// One recognised layout: the columns that identify it. A column name matches a header cell
// (trimmed) that contains it, case-sensitively; a name starting with '=' matches a cell equal
// to the rest, ignoring case. `width`, when not 0, is the exact number of header cells. A
// header CMS writes over several rows (the PFS relative value file's "WORK" over "RVU") is
// matched as the rows' cells joined column by column ("WORK RVU"; see Recognise).
//
// A layout with `cells` is loaded by one generic loader: cell i of a record (the column that
// matched columns[i]) becomes table column sql_columns[i]; then `release`, then `constant`
// (sql column and value) when given. Rows whose `only_when` column (an index into columns)
// holds another value than `only_value` are skipped.
// kLeadingInt reads the number a text starts with ("2 Date of Service Edit: Policy" -> 2).
enum class Cell { kCode, kText, kReal, kCents, kInt, kLeadingInt };

struct Layout {
  const char* table;
  const char* description;
  std::vector<const char*> columns;
  size_t width = 0;
  std::vector<Cell> cells = {};
  std::vector<const char*> sql_columns = {};
  std::pair<const char*, const char*> constant = {nullptr, nullptr};
  int only_when = -1;
  const char* only_value = "";
};

const std::vector<Layout>& Layouts() {
  static const std::vector<Layout> layouts = {
      {"asp_limit", "CMS ASP payment limits (HCPCS Code, HCPCS Code Dosage, Payment Limit, Co-insurance Percentage)",
       {"HCPCS Code", "HCPCS Code Dosage", "Payment Limit", "Co-insurance Percentage", "Notes"}},
      {"asc_rate",
       "CMS ASC Addendum AA (HCPCS Code, Subject to Multiple Procedure Discounting, Payment Indicator, "
       "Payment Weight, Payment Rate)",
       {"HCPCS Code", "Payment Indicator", "Payment Weight", "Payment Rate", "Subject to Multiple Procedure"}},
      // Addendum BB (ancillary services: drugs, devices, imaging) has no discounting column.
      {"asc_rate", "CMS ASC Addendum BB (HCPCS Code, Payment Indicator, Payment Weight, Payment Rate)",
       {"HCPCS Code", "Payment Indicator", "Payment Weight", "Payment Rate"},
       0,
       {Cell::kCode, Cell::kText, Cell::kReal, Cell::kCents},
       {"code", "payment_indicator", "weight", "rate_cents"},
       {"multiple_procedure_discount", "0"}},
      {"hospital", "CMS Hospital General Information (Facility ID, Facility Name, Hospital Type, Hospital Ownership)",
       {"Facility ID", "Facility Name", "Address", "City/Town", "State", "ZIP Code", "County/Parish",
        "Hospital Type", "Hospital Ownership", "Emergency Services"}},
      {"clfs_rate", "CMS Clinical Laboratory Fee Schedule (YEAR, HCPCS, MOD, EFF_DATE, INDICATOR, RATE)",
       {"=HCPCS", "=MOD", "=INDICATOR", "=RATE", "=EFF_DATE"}},
      // The same columns as CMS's, under the names of its CSV extracts.
      {"clfs_rate", "CMS Clinical Laboratory Fee Schedule, CSV extract (hcpcs, modifier, indicator, national_limit_rate)",
       {"=hcpcs", "=modifier", "=indicator", "=national_limit_rate", "=eff_date"}},
      {"dmepos_fee", "CMS DMEPOS fee schedule (HCPCS, Mod, Mod2, JURIS, CATG, then AL (NR), AL (R) ... by state)",
       {"=HCPCS", "=Mod", "=Mod2", "=CATG", "=JURIS", "=AL (NR)"}},
      {"dmepos_fee", "CMS PEN fee schedule (HCPCS, MOD, MOD2, then AL(NR), AL(R) ... by state)",
       {"=HCPCS", "=MOD", "=MOD2", "=AL(NR)"}},
      // CMS's Section 508 text version: tab-separated, the header "CODE / 2022 BASE UNIT"
      // broken over three lines.
      {"anesthesia_base", "CMS anesthesia base units (CODE, then the year: 2022 BASE UNIT)", {"=CODE", "20"}, 2},
      // The PFS relative value file as CMS publishes it (PPRRVU*.csv): a title, notes and a
      // header over five rows, then one row per code and modifier.
      {"pfs_rvu", "CMS PFS relative value file PPRRVU (HCPCS, MOD, STATUS CODE, WORK RVU, NON-FAC PE RVU, ...)",
       {"=HCPCS", "=MOD", "=STATUS CODE", "=WORK RVU", "=NON-FAC PE RVU", "=NON-FAC NA INDICATOR",
        "=FACILITY PE RVU", "=FACILITY NA INDICATOR", "=MP RVU", "=PCTC IND", "=GLOB DAYS", "=MULT PROC",
        "=BILAT SURG"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kReal, Cell::kReal, Cell::kText, Cell::kReal, Cell::kText,
        Cell::kReal, Cell::kInt, Cell::kText, Cell::kInt, Cell::kInt},
       {"code", "modifier", "status", "work", "pe_nonfac", "pe_nonfac_na", "pe_fac", "pe_fac_na", "mp", "pctc",
        "global_days", "mult_proc", "bilat"}},
      // OPPS Addendum B as CMS publishes it (CSV, or the tab-separated text of the final rule).
      {"opps_rate",
       "CMS OPPS Addendum B (HCPCS Code, SI, APC, Relative Weight, Payment Rate, National Unadjusted Copayment, "
       "Minimum Unadjusted Copayment)",
       {"=HCPCS Code", "=SI", "=APC", "=Relative Weight", "=Payment Rate", "=National Unadjusted Copayment",
        "=Minimum Unadjusted Copayment"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kReal, Cell::kReal, Cell::kCents, Cell::kCents},
       {"code", "status", "apc", "weight", "payment_rate", "copay_cents", "min_copay_cents"}},
      // CMS's MUE tables, one file per setting, as published (an AMA notice above the header).
      {"mue", "CMS NCCI MUE table, practitioner (HCPCS/CPT Code, Practitioner Services MUE Values, ...)",
       {"CPT Code", "=Practitioner Services MUE Values", "=MUE Adjudication Indicator", "=MUE Rationale"},
       0,
       {Cell::kCode, Cell::kInt, Cell::kLeadingInt, Cell::kText},
       {"code", "mue_value", "mai", "rationale"},
       {"setting", "practitioner"}},
      {"mue", "CMS NCCI MUE table, hospital outpatient (HCPCS/CPT Code, Outpatient Hospital Services MUE Values, ...)",
       {"CPT Code", "=Outpatient Hospital Services MUE Values", "=MUE Adjudication Indicator", "=MUE Rationale"},
       0,
       {Cell::kCode, Cell::kInt, Cell::kLeadingInt, Cell::kText},
       {"code", "mue_value", "mai", "rationale"},
       {"setting", "outpatient_hospital"}},
      {"mue", "CMS NCCI MUE table, DME supplier (HCPCS/CPT Code, DME Supplier Services MUE Values, ...)",
       {"CPT Code", "=DME Supplier Services MUE Values", "=MUE Adjudication Indicator", "=MUE Rationale"},
       0,
       {Cell::kCode, Cell::kInt, Cell::kLeadingInt, Cell::kText},
       {"code", "mue_value", "mai", "rationale"},
       {"setting", "dme_supplier"}},
      // The PFS relative value file, OPPS Addendum B, the OPPS caps, HCPCS Level II, the ZIP
      // locality file and the NCCI tables, under the column names of their CSV form (CMS's
      // columns in snake_case; data/SOURCES.md).
      {"pfs_rvu", "CMS PFS relative value file (hcpcs, modifier, status_code, work_rvu, pe_rvu_nonfac, ...)",
       {"=hcpcs", "=modifier", "=status_code", "=work_rvu", "=pe_rvu_nonfac", "=pe_nonfac_na_ind", "=pe_rvu_fac",
        "=pe_fac_na_ind", "=mp_rvu", "=pctc_ind", "=global_days", "=mult_proc_ind", "=bilat_surg_ind"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kReal, Cell::kReal, Cell::kText, Cell::kReal, Cell::kText,
        Cell::kReal, Cell::kInt, Cell::kText, Cell::kInt, Cell::kInt},
       {"code", "modifier", "status", "work", "pe_nonfac", "pe_nonfac_na", "pe_fac", "pe_fac_na", "mp", "pctc",
        "global_days", "mult_proc", "bilat"}},
      {"opps_rate", "CMS OPPS Addendum B (hcpcs, status_ind, apc, relative_weight, payment_rate, natl_unadj_copay)",
       {"=hcpcs", "=status_ind", "=apc", "=relative_weight", "=payment_rate", "=natl_unadj_copay", "=min_unadj_copay"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kReal, Cell::kReal, Cell::kCents, Cell::kCents},
       {"code", "status", "apc", "weight", "payment_rate", "copay_cents", "min_copay_cents"}},
      {"opps_cap", "CMS OPPS caps on PFS amounts (hcpcs, modifier, mac, locality, fac_price, nonfac_price)",
       {"=hcpcs", "=modifier", "=mac", "=locality", "=fac_price", "=nonfac_price"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kText, Cell::kCents, Cell::kCents},
       {"code", "modifier", "carrier", "locality", "fac_cents", "nonfac_cents"}},
      {"hcpcs_code", "CMS HCPCS Level II file (code, kind, short_desc, long_desc, term_date)",
       {"=code", "=short_desc", "=long_desc", "=term_date", "=kind"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kText},
       {"code", "short_desc", "long_desc", "term_date"},
       {nullptr, nullptr},
       4,
       "code"},
      {"zip_locality", "CMS ZIP code to carrier locality file (zip5, state, carrier, locality, plus4_flag)",
       {"=zip5", "=state", "=carrier", "=locality", "=plus4_flag"},
       0,
       {Cell::kCode, Cell::kText, Cell::kText, Cell::kText, Cell::kInt},
       {"zip", "state", "carrier", "locality", "plus4"}},
      {"mue", "CMS NCCI MUE tables stacked (hcpcs, setting, mue_value, mai, rationale)",
       {"=hcpcs", "=setting", "=mue_value", "=mai", "=rationale"},
       0,
       {Cell::kCode, Cell::kText, Cell::kInt, Cell::kInt, Cell::kText},
       {"code", "setting", "mue_value", "mai", "rationale"}},
      {"mue", "CMS NCCI practitioner MUE table (hcpcs, mue_value, mai[, rationale])",
       {"=hcpcs", "=mue_value", "=mai"},
       0,
       {Cell::kCode, Cell::kInt, Cell::kInt},
       {"code", "mue_value", "mai"},
       {"setting", "practitioner"}},
      {"ptp", "CMS NCCI PTP active pairs (column1, column2, prac_mod, oph_mod, rationale, oph_rationale)",
       {"=column1", "=column2", "=prac_mod", "=oph_mod", "=rationale", "=oph_rationale"},
       0,
       {Cell::kCode, Cell::kCode, Cell::kInt, Cell::kInt, Cell::kInt, Cell::kInt},
       {"column1", "column2", "prac_mod", "oph_mod", "rationale", "oph_rationale"}},
  };
  return layouts;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Column index of the first header cell matching `name` (see Layout), or -1.
int FindColumn(const std::vector<std::string_view>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view cell = Trim(header[i]);
    bool match = name.starts_with('=') ? EqualsIgnoringCase(cell, name.substr(1)) : cell.find(name) != std::string_view::npos;
    if (match) return static_cast<int>(i);
  }
  return -1;
}

struct Recognised {
  const Layout* layout = nullptr;
  std::vector<int> columns;  // index of each of layout->columns
  std::vector<std::string> header;
};

// The cells of the last `rows` records joined column by column, each trimmed, the non-empty
// ones separated by one space: CMS's header over several rows read as one.
std::vector<std::string> JoinedHeader(const std::deque<std::vector<std::string>>& records, size_t rows) {
  std::vector<std::string> out;
  for (size_t r = records.size() - rows; r < records.size(); ++r) {
    if (out.size() < records[r].size()) out.resize(records[r].size());
    for (size_t c = 0; c < records[r].size(); ++c) {
      std::string_view cell = Trim(records[r][c]);
      if (cell.empty()) continue;
      if (!out[c].empty()) out[c] += ' ';
      out[c] += cell;
    }
  }
  return out;
}

// The layout whose columns all appear in `header`, or nullopt.
std::optional<Recognised> Match(const std::vector<std::string>& header) {
  std::vector<std::string_view> cells(header.begin(), header.end());
  for (const Layout& layout : Layouts()) {
    if (layout.width != 0 && cells.size() != layout.width) continue;
    Recognised found{&layout, {}, {}};
    bool all = true;
    for (const char* name : layout.columns) {
      found.columns.push_back(FindColumn(cells, name));
      all = all && found.columns.back() >= 0;
    }
    if (!all) continue;
    for (std::string_view f : cells) found.header.emplace_back(Trim(f));
    return found;
  }
  return std::nullopt;
}

// Looks for a layout's header among the first 20 records: each record alone, then joined with
// up to four records above it (a header written over several rows); leaves `reader` after the
// header. The cells read on the way (preamble and header) are appended to *seen, one per line.
std::optional<Recognised> Recognise(CsvReader& reader, std::string* seen) {
  constexpr size_t kHeaderRows = 5;
  std::deque<std::vector<std::string>> recent;
  std::vector<std::string_view> fields;
  for (int record = 0; record < 20 && reader.Next(&fields); ++record) {
    for (std::string_view f : fields) {
      if (!Trim(f).empty()) seen->append(Trim(f)).append("\n");
    }
    recent.emplace_back(fields.begin(), fields.end());
    if (recent.size() > kHeaderRows) recent.pop_front();
    for (size_t rows = 1; rows <= recent.size(); ++rows) {
      if (auto found = Match(JoinedHeader(recent, rows))) return found;
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

Expected<void> Bad(const std::string& path, int line, std::string_view what) {
  return std::unexpected(BadRow(path, line, what));
}

std::optional<int64_t> Cents(std::optional<double> dollars) {
  if (!dollars) return std::nullopt;
  return std::llround(*dollars * 100);
}

// The state columns of a DMEPOS or PEN header: "CA (NR)" / "CA(R)" -> state, rural.
struct StateColumn {
  std::string state;
  int nonrural = -1;
  int rural = -1;
};

std::vector<StateColumn> StateColumns(const std::vector<std::string>& header) {
  std::vector<StateColumn> out;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view h = header[i];
    if (h.size() < 5 || !std::isupper(static_cast<unsigned char>(h[0])) ||
        !std::isupper(static_cast<unsigned char>(h[1]))) {
      continue;
    }
    std::string_view rest = Trim(h.substr(2));
    bool rural = rest == "(R)";
    if (!rural && rest != "(NR)") continue;
    std::string state(h.substr(0, 2));
    if (out.empty() || out.back().state != state) out.push_back({state});
    (rural ? out.back().rural : out.back().nonrural) = static_cast<int>(i);
  }
  return out;
}

// Row loaders: each binds one record (already known to have a key) to its INSERT and runs it;
// `rows` counts the rows written.
Expected<void> LoadAsp(sqlite::Statement& insert, const std::vector<std::string_view>& f, const std::vector<int>& col,
                       const std::string& path, int line, const std::string& release, int64_t* rows) {
  bool bad = false;
  // "N/A": CMS sets no limit for the code (the notes say how it is paid).
  std::string_view limit_field = Field(f, col[2]);
  auto limit = limit_field == "N/A" ? std::nullopt : ParseNumber(limit_field, &bad);
  auto coins = ParseNumber(Field(f, col[3]), &bad);
  if (bad || (!limit && limit_field != "N/A")) return Bad(path, line, "bad Payment Limit or Co-insurance");
  std::optional<int64_t> mills;
  if (limit) mills = std::llround(*limit * 1000);
  insert.Reset();
  insert.Bind(1, Field(f, col[0])).Bind(2, release).Bind(3, Field(f, col[1])).Bind(4, mills).Bind(5, coins);
  insert.Bind(6, Field(f, col[4]));
  if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
  ++*rows;
  return {};
}

Expected<void> LoadAsc(sqlite::Statement& insert, const std::vector<std::string_view>& f, const std::vector<int>& col,
                       const std::string& path, int line, const std::string& release, int64_t* rows) {
  bool bad = false;
  auto weight = ParseNumber(Field(f, col[2]), &bad);
  auto rate = ParseNumber(Field(f, col[3]), &bad);
  if (bad) return Bad(path, line, "bad Payment Weight or Payment Rate");
  insert.Reset();
  insert.Bind(1, Field(f, col[0])).Bind(2, release).Bind(3, Field(f, col[1]));
  insert.Bind(4, Field(f, col[4]) == "Y" ? 1 : 0).Bind(5, weight).Bind(6, Cents(rate));
  if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
  ++*rows;
  return {};
}

Expected<void> LoadHospital(sqlite::Statement& insert, const std::vector<std::string_view>& f,
                            const std::vector<int>& col, const std::string& path, int line,
                            const std::string& release, int64_t* rows) {
  std::string_view key = Field(f, col[0]);
  if (key.size() != 6) return Bad(path, line, "Facility ID is not a 6-character CCN");
  insert.Reset();
  insert.Bind(1, key).Bind(2, release);
  for (int i = 1; i <= 8; ++i) insert.Bind(i + 2, Field(f, col[static_cast<size_t>(i)]));
  insert.Bind(11, Field(f, col[9]) == "Yes" ? 1 : 0);
  if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
  ++*rows;
  return {};
}

Expected<void> LoadClfs(sqlite::Statement& insert, const std::vector<std::string_view>& f, const std::vector<int>& col,
                        const std::string& path, int line, const std::string& release, int64_t* rows) {
  bool bad = false;
  auto rate = ParseNumber(Field(f, col[3]), &bad);
  if (bad || !rate) return Bad(path, line, "bad RATE");
  insert.Reset();
  insert.Bind(1, Field(f, col[0])).Bind(2, Field(f, col[1])).Bind(3, release).Bind(4, Field(f, col[2]));
  insert.Bind(5, *Cents(rate));
  if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
  ++*rows;
  return {};
}

// One row per state: the non-rural and rural amounts (CMS writes 0 where an area has none).
// `category` is the CATG column (DMEPOS), or -1 (PEN has none).
Expected<void> LoadDmepos(sqlite::Statement& insert, const std::vector<std::string_view>& f,
                          const std::vector<int>& col, int category_column, const std::vector<StateColumn>& states,
                          const std::string& path, int line, const std::string& release, int64_t* rows) {
  std::string_view category = Field(f, category_column);
  for (const StateColumn& s : states) {
    bool bad = false;
    auto nonrural = Cents(ParseNumber(Field(f, s.nonrural), &bad));
    auto rural = Cents(ParseNumber(Field(f, s.rural), &bad));
    if (bad) return Bad(path, line, "bad fee in column " + s.state);
    if (nonrural == 0) nonrural.reset();
    if (rural == 0) rural.reset();
    if (!nonrural && !rural) continue;
    insert.Reset();
    insert.Bind(1, Field(f, col[0])).Bind(2, Field(f, col[1])).Bind(3, Field(f, col[2])).Bind(4, s.state);
    insert.Bind(5, release).Bind(6, std::string(category)).Bind(7, nonrural).Bind(8, rural);
    if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
    ++*rows;
  }
  return {};
}

Expected<void> LoadAnesthesia(sqlite::Statement& insert, const std::vector<std::string_view>& f,
                              const std::string& path, int line, const std::string& release, int64_t* rows) {
  std::string_view units = Field(f, 1);
  int value = 0;
  auto [end, ec] = std::from_chars(units.data(), units.data() + units.size(), value);
  if (ec != std::errc() || end != units.data() + units.size() || value < 0 || value > 100) {
    return Bad(path, line, "bad BASE UNIT");
  }
  insert.Reset();
  insert.Bind(1, Field(f, 0)).Bind(2, release).Bind(3, value);
  if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
  ++*rows;
  return {};
}

// The INSERT of a generic layout (see Layout).
std::string GenericInsert(const Layout& layout) {
  std::string names, values;
  size_t n = 0;
  auto add = [&](const char* name) {
    if (n > 0) {
      names += ", ";
      values += ", ";
    }
    ++n;
    names += name;
    values += '?';
    values += std::to_string(n);
  };
  for (const char* c : layout.sql_columns) add(c);
  add("release");
  if (layout.constant.first != nullptr) add(layout.constant.first);
  return "INSERT INTO " + std::string(layout.table) + " (" + names + ") VALUES (" + values + ")";
}

// One record of a generic layout: each cell checked and converted (see Cell).
Expected<void> LoadGeneric(sqlite::Statement& insert, const Layout& layout, const std::vector<std::string_view>& f,
                           const std::vector<int>& col, const std::string& path, int line,
                           const std::string& release, int64_t* rows) {
  insert.Reset();
  for (size_t i = 0; i < layout.cells.size(); ++i) {
    std::string_view cell = Field(f, col[i]);
    const int slot = static_cast<int>(i) + 1;
    bool bad = false;
    switch (layout.cells[i]) {
      case Cell::kCode:
        // CMS's Addendum B carries one code with a stray non-ASCII byte after it (A4341\xff).
        while (!cell.empty() && static_cast<unsigned char>(cell.back()) >= 0x80) cell.remove_suffix(1);
        if (!IsHcpcs(cell)) return Bad(path, line, std::string("bad code in ") + (layout.columns[i] + 1));
        insert.Bind(slot, cell);
        break;
      case Cell::kText:
        insert.Bind(slot, cell);
        break;
      case Cell::kReal:
        insert.Bind(slot, ParseNumber(cell, &bad));
        break;
      case Cell::kCents:
        insert.Bind(slot, Cents(ParseNumber(cell, &bad)));
        break;
      case Cell::kInt: {
        auto v = ParseNumber(cell, &bad);
        if (v && *v != std::floor(*v)) bad = true;
        std::optional<int64_t> n;
        if (v) n = static_cast<int64_t>(*v);
        insert.Bind(slot, n);
        break;
      }
      case Cell::kLeadingInt: {
        size_t digits = 0;
        while (digits < cell.size() && cell[digits] >= '0' && cell[digits] <= '9') ++digits;
        int64_t n = 0;
        auto [end, ec] = std::from_chars(cell.data(), cell.data() + digits, n);
        if (digits == 0 || ec != std::errc() || end != cell.data() + digits) bad = true;
        insert.Bind(slot, n);
        break;
      }
    }
    if (bad) return Bad(path, line, std::string("bad number in ") + (layout.columns[i] + 1));
  }
  const int next = static_cast<int>(layout.cells.size()) + 1;
  insert.Bind(next, release);
  if (layout.constant.first != nullptr) insert.Bind(next + 1, layout.constant.second);
  if (auto ok = insert.Run(); !ok) return Bad(path, line, ok.error().message);
  ++*rows;
  return {};
}

// Loads the records after the header into the layout's table; returns the number of rows.
Expected<int64_t> LoadRows(sqlite::Database& db, CsvReader& reader, const Recognised& rec,
                           const std::string& path, const std::string& release) {
  const std::string table = rec.layout->table;
  const auto& col = rec.columns;
  if (!rec.layout->cells.empty()) {
    const Layout& layout = *rec.layout;
    auto insert = db.Prepare(GenericInsert(layout));
    if (!insert) return std::unexpected(insert.error());
    int64_t rows = 0;
    std::vector<std::string_view> f;
    while (reader.Next(&f)) {
      std::string_view key = Field(f, col[0]);
      if (key.empty() || key.starts_with("NOTE") || key.starts_with("Note")) continue;  // blank rows, CMS's notes
      if (layout.only_when >= 0 && Field(f, col[static_cast<size_t>(layout.only_when)]) != layout.only_value) continue;
      if (auto ok = LoadGeneric(*insert, layout, f, col, path, reader.line(), release, &rows); !ok) {
        return std::unexpected(ok.error());
      }
    }
    if (rows == 0) return std::unexpected(Error{ErrorCode::kBadData, path + ": no data rows after the header"});
    return rows;
  }
  const char* sql = table == "asp_limit"    ? "INSERT INTO asp_limit VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                    : table == "asc_rate"   ? "INSERT INTO asc_rate VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                    : table == "clfs_rate"  ? "INSERT INTO clfs_rate VALUES (?1, ?2, ?3, ?4, ?5)"
                    : table == "dmepos_fee" ? "INSERT INTO dmepos_fee VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                    : table == "anesthesia_base"
                        ? "INSERT INTO anesthesia_base VALUES (?1, ?2, ?3)"
                        : "INSERT INTO hospital VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  auto insert = db.Prepare(sql);
  if (!insert) return std::unexpected(insert.error());
  std::vector<StateColumn> states;
  int category_column = -1;
  if (table == "dmepos_fee") {
    for (size_t i = 0; i < rec.header.size(); ++i) {
      if (EqualsIgnoringCase(rec.header[i], "CATG")) category_column = static_cast<int>(i);
    }
    states = StateColumns(rec.header);
    if (states.empty()) return std::unexpected(Error{ErrorCode::kBadData, path + ": no state fee columns"});
  }
  int64_t rows = 0;
  std::vector<std::string_view> f;
  while (reader.Next(&f)) {
    std::string_view key = Field(f, col[0]);
    if (key.empty()) continue;  // blank separator rows
    const int line = reader.line();
    if (table != "hospital" && !IsHcpcs(key)) {
      if (key.starts_with("NOTE") || key.starts_with("Note")) continue;  // CMS's trailing notes
      return std::unexpected(BadRow(path, line, "not a HCPCS code: " + std::string(key)));
    }
    Expected<void> ok;
    if (table == "asp_limit") {
      ok = LoadAsp(*insert, f, col, path, line, release, &rows);
    } else if (table == "asc_rate") {
      ok = LoadAsc(*insert, f, col, path, line, release, &rows);
    } else if (table == "clfs_rate") {
      ok = LoadClfs(*insert, f, col, path, line, release, &rows);
    } else if (table == "dmepos_fee") {
      ok = LoadDmepos(*insert, f, col, category_column, states, path, line, release, &rows);
    } else if (table == "anesthesia_base") {
      ok = LoadAnesthesia(*insert, f, path, line, release, &rows);
    } else {
      ok = LoadHospital(*insert, f, col, path, line, release, &rows);
    }
    if (!ok) return std::unexpected(ok.error());
  }
  if (rows == 0) return std::unexpected(Error{ErrorCode::kBadData, path + ": no data rows after the header"});
  return rows;
}

// "October" -> 10; 0 when not a month name.
int MonthNumber(std::string_view name) {
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[i]) return i + 1;
  }
  return 0;
}

std::string IsoDate(int year, int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// The dates a release file states in its preamble or header, tried in this order:
//   "Effective October 1, 2025 through December 31, 2025" (ASP);
//   the first "<Month> <year>" ("April 2026 Payment Rate", "January 2026 Fee Schedule");
//   "<year> ... <Month> Release" (the PFS relative value file's title);
//   "CY <year>" (OPPS Addendum B's title), as in force from January 1;
// else the date in the file's name as CMS names MUE tables ("..._Eff_07-01-2026.csv").
// A month is in force from its first day.
ReleaseInfo DatesStated(const std::string& seen, const std::string& file_name) {
  static const std::regex kRange(
      R"(Effective ([A-Z][a-z]+) (\d{1,2}), (\d{4}) through ([A-Z][a-z]+) (\d{1,2}), (\d{4}))");
  static const std::regex kMonthYear(R"(\b([A-Z][a-z]+) (\d{4})\b)");
  static const std::regex kYearRelease(R"(\b(\d{4}) [^\n]*\b([A-Z][a-z]+) Release\b)");
  static const std::regex kCalendarYear(R"(\bCY ?(\d{4})\b)");
  static const std::regex kFileEffective(R"(Eff_(\d{2})-(\d{2})-(\d{4}))");
  ReleaseInfo out;
  std::smatch m;
  if (std::regex_search(seen, m, kRange) && MonthNumber(m.str(1)) && MonthNumber(m.str(4))) {
    out.effective_from = IsoDate(std::stoi(m.str(3)), MonthNumber(m.str(1)), std::stoi(m.str(2)));
    out.effective_to = IsoDate(std::stoi(m.str(6)), MonthNumber(m.str(4)), std::stoi(m.str(5)));
    return out;
  }
  for (auto it = std::sregex_iterator(seen.begin(), seen.end(), kMonthYear); it != std::sregex_iterator(); ++it) {
    if (int month = MonthNumber((*it).str(1))) {
      out.effective_from = IsoDate(std::stoi((*it).str(2)), month, 1);
      return out;
    }
  }
  if (std::regex_search(seen, m, kYearRelease) && MonthNumber(m.str(2))) {
    out.effective_from = IsoDate(std::stoi(m.str(1)), MonthNumber(m.str(2)), 1);
  } else if (std::regex_search(seen, m, kCalendarYear)) {
    out.effective_from = IsoDate(std::stoi(m.str(1)), 1, 1);
  } else if (std::regex_search(file_name, m, kFileEffective)) {
    int month = std::stoi(m.str(1)), day = std::stoi(m.str(2));
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) out.effective_from = IsoDate(std::stoi(m.str(3)), month, day);
  }
  return out;
}

// CLFS rows carry their effective date (EFF_DATE, yyyymmdd): the first data row's, or "".
std::string FirstEffDate(CsvReader reader, const Recognised& rec) {
  int column = -1;
  for (size_t i = 0; i < rec.header.size(); ++i) {
    if (EqualsIgnoringCase(rec.header[i], "EFF_DATE")) column = static_cast<int>(i);
  }
  std::vector<std::string_view> f;
  while (column >= 0 && reader.Next(&f)) {
    std::string_view d = Field(f, column);
    if (d.size() == 8 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::string(d.substr(0, 4)) + "-" + std::string(d.substr(4, 2)) + "-" + std::string(d.substr(6, 2));
    }
  }
  return "";
}

}  // namespace

Expected<void> CreateReferenceSchema(sqlite::Database& db) { return db.Exec(kSchema); }

Expected<std::string> ImportReleaseFile(sqlite::Database& db, const std::string& path,
                                        const ReleaseInfo& given, ReleaseInfo* used) {
  auto bytes = ReadFileInflating(path);
  if (!bytes) return std::unexpected(Error{bytes.error().code, path + ": " + bytes.error().message});
  if (bytes->starts_with("PK\x03\x04")) {
    return std::unexpected(Error{ErrorCode::kBadData, path + ": an Excel workbook or zip; save CMS's sheet as CSV "
                                                             "(scripts/cms_xlsx_to_csv.py does it) and import the CSV"});
  }
  return ImportReleaseBytes(db, std::move(*bytes), path, given, used);
}

Expected<std::string> ImportReleaseBytes(sqlite::Database& db, std::string bytes, const std::string& path,
                                         const ReleaseInfo& given, ReleaseInfo* used) {
  std::string text = IsUtf8(bytes) ? std::move(bytes) : Latin1ToUtf8(bytes);
  // CMS's Section 508 text files are tab-separated: read them as CSV (their fields hold no
  // commas or quotes).
  std::string_view first_line = std::string_view(text).substr(0, text.find('\n'));
  if (first_line.find('\t') != std::string_view::npos && first_line.find(',') == std::string_view::npos) {
    std::replace(text.begin(), text.end(), '\t', ',');
  }
  std::deque<std::string> store;
  CsvReader reader(text, &store);
  std::string seen;
  auto recognised = Recognise(reader, &seen);
  if (!recognised) {
    std::string expected;
    for (const Layout& layout : Layouts()) expected += (expected.empty() ? "" : "; ") + std::string(layout.description);
    return std::unexpected(Error{ErrorCode::kUnsupported, path + ": not a CMS file billwise knows; expected one of: " + expected});
  }
  // The release: as given, else as the file states it.
  ReleaseInfo release = given;
  if (release.release.empty()) release.release = path.substr(path.find_last_of('/') + 1);
  if (release.effective_from.empty()) {
    ReleaseInfo stated = DatesStated(seen, path.substr(path.find_last_of('/') + 1));
    release.effective_from = FirstEffDate(reader, *recognised);
    if (release.effective_from.empty()) {
      release.effective_from = stated.effective_from;
      if (release.effective_to.empty()) release.effective_to = stated.effective_to;
    }
  }
  if (release.effective_from.empty()) {
    return std::unexpected(Error{ErrorCode::kUsage, path + ": the file does not say when it takes effect; give the date "
                                                           "it is in force from (yyyy-mm-dd)"});
  }
  if (used != nullptr) *used = release;
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
