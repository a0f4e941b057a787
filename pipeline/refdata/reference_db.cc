#include "pipeline/refdata/reference_db.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <utility>

#include "pipeline/model/strings.h"

namespace billwise {

std::string UserReleasesPath() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/billwise/reference-releases.sqlite";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return std::string(home) + "/.local/share/billwise/reference-releases.sqlite";
  }
  return "";
}

namespace {

// The tables a reference database holds (reference_db_build.cc creates them).
constexpr const char* kTables[] = {"releases",  "asp_limit",  "asc_rate",       "hospital",
                                   "clfs_rate", "dmepos_fee", "anesthesia_base"};

}  // namespace

Expected<ReferenceDb> ReferenceDb::Open(const std::string& path, const std::string& user_path) {
  sqlite::OpenOptions options;
  options.read_only_immutable = true;
  auto db = sqlite::Database::Open(path, options);
  if (!db) return std::unexpected(Error{db.error().code, path + ": " + db.error().message});
  auto has = db->QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'releases'");
  if (!has || !*has || **has == 0) {
    return std::unexpected(Error{ErrorCode::kBadData, path + ": not a billwise reference database"});
  }
  std::error_code ec;
  if (!user_path.empty() && std::filesystem::exists(user_path, ec)) {
    // Temporary views named like the tables are found before them: every query reads both.
    auto attach = db->Prepare("ATTACH DATABASE ?1 AS user");
    if (!attach) return std::unexpected(Error{attach.error().code, user_path + ": " + attach.error().message});
    attach->Bind(1, user_path);
    if (auto ok = attach->Run(); !ok) return std::unexpected(Error{ok.error().code, user_path + ": " + ok.error().message});
    for (const char* table : kTables) {
      std::string sql = std::string("CREATE TEMP VIEW ") + table + " AS SELECT * FROM main." + table +
                        " UNION ALL SELECT * FROM user." + table;
      if (auto ok = db->Exec(sql); !ok) {
        return std::unexpected(Error{ErrorCode::kBadData, user_path + ": not a billwise releases file: " + ok.error().message});
      }
    }
  }
  return ReferenceDb(std::move(*db), path);
}

Error ReferenceDb::Named(const Error& e) const { return Error{e.code, path_ + ": " + e.message}; }

Expected<sqlite::Statement*> ReferenceDb::Prepared(const std::string& sql) const {
  auto it = cache_->statements.find(sql);
  if (it == cache_->statements.end()) {
    auto q = db_.Prepare(sql);
    if (!q) return std::unexpected(q.error());
    it = cache_->statements.emplace(sql, std::move(*q)).first;
  }
  cache_->used.push_back(&it->second);
  return &it->second;
}

Expected<std::vector<TableRelease>> ReferenceDb::Releases() const {
  Lock lock(this);
  auto q = Prepared(
      "SELECT table_name, release, effective_from, effective_to, source_file, row_count FROM releases "
      "ORDER BY table_name, effective_from");
  if (!q) return std::unexpected(Named(q.error()));
  std::vector<TableRelease> out;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    out.push_back({(*q)->Text(0), (*q)->Text(1), (*q)->Text(2), (*q)->Text(3), (*q)->Text(4), (*q)->Int(5)});
  }
  return out;
}

Expected<TableRelease> ReferenceDb::ReleaseFor(std::string_view table, std::string_view date) const {
  // In force: the newest release that started on or before the date; a date before every
  // release falls back to the oldest one (the caller's basis names the release used).
  auto q = Prepared(
      "SELECT table_name, release, effective_from, effective_to, source_file, row_count FROM releases "
      "WHERE table_name = ?1 "
      "ORDER BY (?2 = '' OR effective_from <= ?2) DESC, "
      "CASE WHEN ?2 = '' OR effective_from <= ?2 THEN effective_from END DESC, effective_from ASC LIMIT 1");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, table).Bind(2, date);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return TableRelease{};
  return TableRelease{(*q)->Text(0), (*q)->Text(1), (*q)->Text(2), (*q)->Text(3), (*q)->Text(4), (*q)->Int(5)};
}

Expected<std::optional<AspLimit>> ReferenceDb::FindAspLimit(std::string_view code, std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("asp_limit", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT dosage, limit_mills, coinsurance_pct, notes FROM asp_limit WHERE code = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<AspLimit>();
  AspLimit limit{std::string(code), release->release, release->effective_from, release->effective_to,
                 (*q)->Text(0), (*q)->OptInt(1), std::nullopt, (*q)->Text(3)};
  if (!(*q)->IsNull(2)) limit.coinsurance_pct = (*q)->Double(2);
  return std::optional<AspLimit>(std::move(limit));
}

Expected<std::optional<AscRate>> ReferenceDb::FindAscRate(std::string_view code, std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("asc_rate", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT payment_indicator, multiple_procedure_discount, weight, rate_cents FROM asc_rate "
      "WHERE code = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<AscRate>();
  AscRate rate{std::string(code), release->release, release->effective_from, release->effective_to, (*q)->Text(0), (*q)->Int(1) != 0, std::nullopt, std::nullopt};
  if (!(*q)->IsNull(2)) rate.weight = (*q)->Double(2);
  if (!(*q)->IsNull(3)) rate.national_rate = Money::FromCents((*q)->Int(3));
  return std::optional<AscRate>(std::move(rate));
}

Expected<std::optional<ClfsFee>> ReferenceDb::FindClfs(std::string_view code, std::string_view modifier,
                                                       std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("clfs_rate", date);
  if (!release) return std::unexpected(release.error());
  // The modifier's own row first, then the code's unmodified row.
  auto q = Prepared(
      "SELECT modifier, indicator, rate_cents FROM clfs_rate WHERE code = ?1 AND release = ?2 "
      "AND modifier IN (?3, '') ORDER BY modifier = ?3 DESC LIMIT 1");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release).Bind(3, modifier);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<ClfsFee>();
  return std::optional<ClfsFee>(ClfsFee{std::string(code), (*q)->Text(0), release->release, release->effective_from,
                                        release->effective_to, (*q)->Text(1), Money::FromCents((*q)->Int(2))});
}

Expected<std::vector<DmeposFee>> ReferenceDb::FindDmepos(std::string_view code, std::string_view state,
                                                         std::string_view date) const {
  Lock lock(this);
  // DMEPOS and PEN are separate releases of one table: pick among the releases holding the code.
  auto q = Prepared(
      "SELECT d.modifier, d.modifier2, d.release, r.effective_from, r.effective_to, d.category, d.nonrural_cents, "
      "d.rural_cents FROM dmepos_fee d JOIN releases r ON r.table_name = 'dmepos_fee' AND r.release = d.release "
      "WHERE d.code = ?1 AND d.state = ?2 "
      "ORDER BY (?3 = '' OR r.effective_from <= ?3) DESC, "
      "CASE WHEN ?3 = '' OR r.effective_from <= ?3 THEN r.effective_from END DESC, r.effective_from ASC, "
      "d.release, d.modifier, d.modifier2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, state).Bind(3, date);
  std::vector<DmeposFee> out;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    if (!out.empty() && out.front().release != (*q)->Text(2)) break;  // rows of one release only
    DmeposFee fee{std::string(code), (*q)->Text(0), (*q)->Text(1), std::string(state), (*q)->Text(2), (*q)->Text(3),
                  (*q)->Text(4), (*q)->Text(5), std::nullopt, std::nullopt};
    if (auto c = (*q)->OptInt(6)) fee.nonrural = Money::FromCents(*c);
    if (auto c = (*q)->OptInt(7)) fee.rural = Money::FromCents(*c);
    out.push_back(std::move(fee));
  }
  return out;
}

Expected<std::optional<AnesthesiaBase>> ReferenceDb::FindAnesthesiaBase(std::string_view code,
                                                                        std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("anesthesia_base", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared("SELECT base_units FROM anesthesia_base WHERE code = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<AnesthesiaBase>();
  return std::optional<AnesthesiaBase>(AnesthesiaBase{std::string(code), release->release, release->effective_from,
                                                      release->effective_to, static_cast<int>((*q)->Int(0))});
}

namespace {

constexpr char kHospitalColumns[] =
    "ccn, release, name, address, city, state, zip, county, hospital_type, ownership, emergency_services";

HospitalGeneral HospitalFrom(const sqlite::Statement& q) {
  return HospitalGeneral{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5),
                         q.Text(6), q.Text(7), q.Text(8), q.Text(9), q.Int(10) != 0};
}

}  // namespace

Expected<std::optional<HospitalGeneral>> ReferenceDb::FindHospital(std::string_view ccn) const {
  Lock lock(this);
  auto release = ReleaseFor("hospital", "");
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(std::string("SELECT ") + kHospitalColumns + " FROM hospital WHERE ccn = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, ccn).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<HospitalGeneral>();
  return std::optional<HospitalGeneral>(HospitalFrom(**q));
}

Expected<std::vector<HospitalGeneral>> ReferenceDb::FindHospitalsByName(std::string_view name, std::string_view state,
                                                                         std::string_view city, int limit) const {
  Lock lock(this);
  auto release = ReleaseFor("hospital", "");
  if (!release) return std::unexpected(release.error());
  std::string sql = std::string("SELECT ") + kHospitalColumns +
                    " FROM hospital WHERE release = ?1";
  // Plain equalities, so the (state, name) index narrows the scan to one state.
  sql += state.empty() ? " AND ?2 = ''" : " AND state = ?2";
  sql += city.empty() ? " AND ?3 = ''" : " AND city = ?3";
  std::vector<std::string> words;
  std::istringstream split{Upper(name)};
  for (std::string w; split >> w;) words.push_back(w);
  if (words.empty()) return std::vector<HospitalGeneral>();
  for (size_t i = 0; i < words.size(); ++i) {
    sql += " AND instr(upper(name), ?" + std::to_string(i + 5) + ") > 0";
  }
  sql += " ORDER BY name LIMIT ?4";
  auto q = Prepared(sql);
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, release->release).Bind(2, Upper(state)).Bind(3, Upper(city)).Bind(4, limit);
  for (size_t i = 0; i < words.size(); ++i) (*q)->Bind(static_cast<int>(i + 5), words[i]);
  std::vector<HospitalGeneral> out;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    out.push_back(HospitalFrom(**q));
  }
  return out;
}

}  // namespace billwise
