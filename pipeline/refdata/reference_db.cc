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
constexpr const char* kTables[] = {"releases", "asp_limit", "asc_rate",  "hospital",   "clfs_rate",
                                   "dmepos_fee", "anesthesia_base", "pfs_rvu", "opps_rate", "opps_cap",
                                   "hcpcs_code", "zip_locality", "mue", "ptp"};

}  // namespace

std::string FindReferenceDbPath(const std::string& data_dir) {
  std::error_code ec;
  if (const char* env = std::getenv("BILLWISE_REFERENCE_DB"); env && *env) return env;
  for (const char* rel : {"/data/reference.sqlite", "/reference.sqlite"}) {
    std::string installed = data_dir + rel;
    if (std::filesystem::exists(installed, ec)) return installed;
  }
#ifdef BILLWISE_BUILT_REFERENCE_DB
  if (std::filesystem::exists(BILLWISE_BUILT_REFERENCE_DB, ec)) return BILLWISE_BUILT_REFERENCE_DB;
#endif
  return "";
}

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
      // A releases file written before a table existed holds none of its rows.
      auto q = db->Prepare("SELECT count(*) FROM user.sqlite_master WHERE type = 'table' AND name = ?1");
      if (!q) return std::unexpected(Error{q.error().code, user_path + ": " + q.error().message});
      q->Bind(1, table);
      if (auto row = q->Step(); !row || !*row || q->Int(0) == 0) continue;
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
  std::string key = std::string(table) + '\n' + std::string(date);
  if (auto known = cache_->releases.find(key); known != cache_->releases.end()) return known->second;
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
  TableRelease release;
  if (*row) release = {(*q)->Text(0), (*q)->Text(1), (*q)->Text(2), (*q)->Text(3), (*q)->Text(4), (*q)->Int(5)};
  cache_->releases.emplace(std::move(key), release);
  return release;
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
  // Addenda AA and BB are separate releases of one table: pick among the releases holding the
  // code, as FindDmepos does.
  auto q = Prepared(
      "SELECT a.payment_indicator, a.multiple_procedure_discount, a.weight, a.rate_cents, a.release, "
      "r.effective_from, r.effective_to FROM asc_rate a "
      "JOIN releases r ON r.table_name = 'asc_rate' AND r.release = a.release WHERE a.code = ?1 "
      "ORDER BY (?2 = '' OR r.effective_from <= ?2) DESC, "
      "CASE WHEN ?2 = '' OR r.effective_from <= ?2 THEN r.effective_from END DESC, r.effective_from ASC, "
      "a.release LIMIT 1");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, date);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<AscRate>();
  AscRate rate{std::string(code), (*q)->Text(4), (*q)->Text(5), (*q)->Text(6), (*q)->Text(0), (*q)->Int(1) != 0,
               std::nullopt, std::nullopt};
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

Expected<TableRelease> ReferenceDb::ReleaseOf(std::string_view table, std::string_view date) const {
  Lock lock(this);
  return ReleaseFor(table, date);
}

Expected<std::vector<PfsRvu>> ReferenceDb::FindRvus(std::string_view code, std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("pfs_rvu", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT modifier, status, work, pe_nonfac, pe_fac, mp, pe_nonfac_na, pe_fac_na, pctc, global_days, mult_proc, "
      "bilat FROM pfs_rvu WHERE code = ?1 AND release = ?2 ORDER BY modifier");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release);
  std::vector<PfsRvu> out;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    const sqlite::Statement& s = **q;
    PfsRvu r;
    r.code = std::string(code);
    r.modifier = s.Text(0);
    std::string status = s.Text(1);
    r.status = status.size() == 1 ? status[0] : ' ';
    r.work = s.Double(2);
    r.pe_nonfacility = s.Double(3);
    r.pe_facility = s.Double(4);
    r.malpractice = s.Double(5);
    r.nonfacility_na = s.Text(6) == "NA";
    r.facility_na = s.Text(7) == "NA";
    r.pctc = static_cast<int>(s.OptInt(8).value_or(9));
    r.global_days = s.Text(9);
    r.multiple_procedure = static_cast<int>(s.OptInt(10).value_or(9));
    r.bilateral = static_cast<int>(s.OptInt(11).value_or(9));
    out.push_back(std::move(r));
  }
  return out;
}

Expected<std::optional<OppsRate>> ReferenceDb::FindOpps(std::string_view code, std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("opps_rate", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT status, apc, weight, payment_rate, copay_cents, min_copay_cents FROM opps_rate "
      "WHERE code = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<OppsRate>();
  const sqlite::Statement& s = **q;
  OppsRate r{std::string(code), s.Text(0), s.Text(1), std::nullopt, std::nullopt, std::nullopt};
  if (!s.IsNull(2)) r.weight = s.Double(2);
  if (!s.IsNull(3)) r.payment_rate = s.Double(3);
  // The national unadjusted copayment, else the minimum one.
  if (auto c = s.OptInt(4)) {
    r.copay = Money::FromCents(*c);
  } else if (auto m = s.OptInt(5)) {
    r.copay = Money::FromCents(*m);
  }
  return std::optional<OppsRate>(std::move(r));
}

Expected<std::optional<OppsCap>> ReferenceDb::FindOppsCap(std::string_view code, std::string_view modifier,
                                                          std::string_view carrier, std::string_view locality,
                                                          std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("opps_cap", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT fac_cents, nonfac_cents FROM opps_cap WHERE code = ?1 AND modifier = ?2 AND carrier = ?3 "
      "AND locality = ?4 AND release = ?5");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, modifier).Bind(3, carrier).Bind(4, locality).Bind(5, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row || (*q)->IsNull(0) || (*q)->IsNull(1)) return std::optional<OppsCap>();
  return std::optional<OppsCap>(OppsCap{Money::FromCents((*q)->Int(0)), Money::FromCents((*q)->Int(1))});
}

Expected<std::optional<HcpcsDescriptor>> ReferenceDb::FindHcpcs(std::string_view code) const {
  Lock lock(this);
  auto release = ReleaseFor("hcpcs_code", "");
  if (!release) return std::unexpected(release.error());
  auto q = Prepared("SELECT short_desc, long_desc, term_date FROM hcpcs_code WHERE code = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<HcpcsDescriptor>();
  return std::optional<HcpcsDescriptor>(HcpcsDescriptor{std::string(code), (*q)->Text(0), (*q)->Text(1), (*q)->Text(2)});
}

Expected<std::vector<HcpcsDescriptor>> ReferenceDb::AllHcpcs() const {
  Lock lock(this);
  auto release = ReleaseFor("hcpcs_code", "");
  if (!release) return std::unexpected(release.error());
  auto q = Prepared("SELECT code, short_desc, long_desc, term_date FROM hcpcs_code WHERE release = ?1 ORDER BY code");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, release->release);
  std::vector<HcpcsDescriptor> out;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    out.push_back(HcpcsDescriptor{(*q)->Text(0), (*q)->Text(1), (*q)->Text(2), (*q)->Text(3)});
  }
  return out;
}

Expected<std::optional<ZipLocality>> ReferenceDb::FindZip(std::string_view zip5) const {
  Lock lock(this);
  auto release = ReleaseFor("zip_locality", "");
  if (!release) return std::unexpected(release.error());
  auto q = Prepared("SELECT state, carrier, locality, plus4 FROM zip_locality WHERE zip = ?1 AND release = ?2");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, zip5).Bind(2, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<ZipLocality>();
  return std::optional<ZipLocality>(
      ZipLocality{std::string(zip5), (*q)->Text(0), (*q)->Text(1), (*q)->Text(2), (*q)->OptInt(3).value_or(0) == 1});
}

Expected<std::vector<std::pair<std::string, int64_t>>> ReferenceDb::ZipCountsByLocality(std::string_view state) const {
  Lock lock(this);
  auto release = ReleaseFor("zip_locality", "");
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT carrier || '/' || locality, count(*) FROM zip_locality WHERE state = ?1 AND release = ?2 "
      "GROUP BY carrier, locality");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, state).Bind(2, release->release);
  std::vector<std::pair<std::string, int64_t>> out;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    out.emplace_back((*q)->Text(0), (*q)->Int(1));
  }
  return out;
}

Expected<std::vector<MueRow>> ReferenceDb::FindMues(std::string_view code, std::string_view setting,
                                                    std::string_view date) const {
  Lock lock(this);
  auto q = Prepared(
      "SELECT m.release, r.effective_from, m.mue_value, m.mai, m.rationale FROM mue m "
      "JOIN releases r ON r.table_name = 'mue' AND r.release = m.release "
      "WHERE m.code = ?1 AND m.setting = ?2 ORDER BY r.effective_from DESC");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, code).Bind(2, setting);
  std::vector<MueRow> all;
  for (;;) {
    auto row = (*q)->Step();
    if (!row) return std::unexpected(Named(row.error()));
    if (!*row) break;
    all.push_back(MueRow{(*q)->Text(0), (*q)->Text(1), static_cast<int>((*q)->Int(2)), static_cast<int>((*q)->Int(3)),
                         (*q)->Text(4)});
  }
  std::vector<MueRow> out;
  for (MueRow& r : all) {
    if (date.empty() || r.effective_from <= date) out.push_back(std::move(r));
  }
  if (out.empty() && !all.empty()) out.push_back(std::move(all.back()));  // before every release: the oldest
  return out;
}

Expected<std::optional<PtpRow>> ReferenceDb::FindPtp(std::string_view column1, std::string_view column2,
                                                     std::string_view date) const {
  Lock lock(this);
  auto release = ReleaseFor("ptp", date);
  if (!release) return std::unexpected(release.error());
  auto q = Prepared(
      "SELECT prac_mod, oph_mod, rationale, oph_rationale FROM ptp WHERE column1 = ?1 AND column2 = ?2 "
      "AND release = ?3");
  if (!q) return std::unexpected(Named(q.error()));
  (*q)->Bind(1, column1).Bind(2, column2).Bind(3, release->release);
  auto row = (*q)->Step();
  if (!row) return std::unexpected(Named(row.error()));
  if (!*row) return std::optional<PtpRow>();
  auto opt = [&](int c) -> std::optional<int> {
    if (auto v = (*q)->OptInt(c)) return static_cast<int>(*v);
    return std::nullopt;
  };
  return std::optional<PtpRow>(PtpRow{release->release, opt(0), opt(1), opt(2).value_or(0), opt(3)});
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
