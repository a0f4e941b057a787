#include "pipeline/cases/case_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "pipeline/cases/sqlite_db.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/sha256.h"

namespace billwise {
namespace {

using sqlite::Database;
using sqlite::Statement;
using sqlite::Transaction;

// ---------------------------------------------------------------- schema

// Ordered migrations: entry i takes the schema from version i to i + 1. Never edit a
// shipped entry; append a new one and bump kCaseSchemaVersion.
constexpr const char* kMigrations[] = {
    // v1: the first schema.
    R"sql(
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  provider_key TEXT NOT NULL,
  account_number TEXT,
  account_key TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  document_type TEXT NOT NULL,
  statement_date TEXT,
  amount_due_cents INTEGER,
  json TEXT NOT NULL,
  recorded TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE letters (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  written TEXT NOT NULL,
  recipient TEXT NOT NULL DEFAULT '',
  sent TEXT,
  method TEXT,
  tracking TEXT
);
CREATE TABLE replies (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  note TEXT NOT NULL,
  file TEXT
);
CREATE TABLE payment_plans (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  monthly_cents INTEGER NOT NULL,
  start TEXT NOT NULL,
  months INTEGER
);
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  amount_cents INTEGER NOT NULL,
  date TEXT NOT NULL
);
)sql",
    // v2: stored status for other readers, good-faith estimates, indexes.
    R"sql(
ALTER TABLE cases ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
CREATE TABLE estimates (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  amount_cents INTEGER NOT NULL,
  date TEXT NOT NULL
);
CREATE INDEX cases_by_key ON cases(account_key, provider_key);
CREATE INDEX documents_by_case ON documents(case_id);
CREATE INDEX letters_by_case ON letters(case_id);
CREATE INDEX replies_by_case ON replies(case_id);
CREATE INDEX plans_by_case ON payment_plans(case_id);
CREATE INDEX payments_by_case ON payments(case_id);
)sql",
    // v3: phone calls (`billwise call`) with their follow-up dates.
    R"sql(
CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  with_whom TEXT NOT NULL DEFAULT '',
  reference TEXT,
  note TEXT NOT NULL DEFAULT '',
  follow_up TEXT
);
CREATE INDEX calls_by_case ON calls(case_id);
)sql",
};
static_assert(std::size(kMigrations) == kCaseSchemaVersion);

// ---------------------------------------------------------------- helpers

Expected<void> MakeDirs(const std::string& dir, mode_t last_mode) {
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    partial = dir.substr(0, pos);
    if (partial.empty()) continue;
    bool last = pos == std::string::npos;
    if (::mkdir(partial.c_str(), last ? last_mode : 0755) != 0 && errno != EEXIST) {
      return Fail(ErrorCode::kIo, "database: cannot create the folder for the case file");
    }
  }
  return {};
}

std::optional<Date> OptDate(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return Date::FromIso(*text);
}
Date DateOr(const std::string& text) { return Date::FromIso(text).value_or(Date{}); }

template <typename T>
std::unexpected<Error> Err(const Expected<T>& e) {
  return std::unexpected(e.error());
}

Expected<std::vector<StoredDocument>> LoadDocuments(Database& db, int64_t case_id) {
  auto st = db.Prepare("SELECT id, sha256, path, recorded, json FROM documents WHERE case_id = ?1 ORDER BY id");
  if (!st) return Err(st);
  st->Bind(1, case_id);
  std::vector<StoredDocument> docs;
  for (;;) {
    auto row = st->Step();
    if (!row) return Err(row);
    if (!*row) break;
    StoredDocument d;
    d.id = st->Int(0);
    d.sha256 = st->Text(1);
    d.path = st->Text(2);
    d.recorded = st->Text(3);
    auto bill = BillFromJson(st->Text(4));
    if (bill) d.bill = std::move(*bill);  // an unreadable JSON keeps an empty bill
    docs.push_back(std::move(d));
  }
  return docs;
}

Expected<CaseFacts> LoadFacts(Database& db, int64_t case_id) {
  CaseFacts f;
  {
    auto st = db.Prepare("SELECT id, provider, account_number, created FROM cases WHERE id = ?1");
    if (!st) return Err(st);
    st->Bind(1, case_id);
    auto row = st->Step();
    if (!row) return Err(row);
    if (!*row) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
    f.id = st->Int(0);
    f.provider = st->Text(1);
    f.account_number = st->OptText(2);
    f.created = st->Text(3);
  }
  auto docs = LoadDocuments(db, case_id);
  if (!docs) return Err(docs);
  f.documents = std::move(*docs);

  auto each = [&](const char* sql, auto&& fill) -> Expected<void> {
    auto st = db.Prepare(sql);
    if (!st) return Err(st);
    st->Bind(1, case_id);
    for (;;) {
      auto row = st->Step();
      if (!row) return Err(row);
      if (!*row) return {};
      fill(*st);
    }
  };
  Expected<void> ok = each(
      "SELECT id, kind, written, recipient, sent, method, tracking FROM letters WHERE case_id = ?1 ORDER BY id",
      [&](Statement& s) {
        f.letters.push_back(LetterRecord{s.Int(0), case_id, s.Text(1), DateOr(s.Text(2)), s.Text(3),
                                         OptDate(s.OptText(4)), s.OptText(5), s.OptText(6)});
      });
  if (!ok) return Err(ok);
  ok = each("SELECT id, date, note, file FROM replies WHERE case_id = ?1 ORDER BY id", [&](Statement& s) {
    f.replies.push_back(ReplyRecord{s.Int(0), case_id, DateOr(s.Text(1)), s.Text(2), s.OptText(3)});
  });
  if (!ok) return Err(ok);
  ok = each("SELECT id, monthly_cents, start, months FROM payment_plans WHERE case_id = ?1 ORDER BY id",
            [&](Statement& s) {
              auto months = s.OptInt(3);
              f.plans.push_back(PlanRecord{s.Int(0), case_id, Money::FromCents(s.Int(1)), DateOr(s.Text(2)),
                                           months ? std::optional<int>(static_cast<int>(*months)) : std::nullopt});
            });
  if (!ok) return Err(ok);
  ok = each("SELECT id, amount_cents, date FROM payments WHERE case_id = ?1 ORDER BY date, id", [&](Statement& s) {
    f.payments.push_back(PaymentRecord{s.Int(0), case_id, Money::FromCents(s.Int(1)), DateOr(s.Text(2))});
  });
  if (!ok) return Err(ok);
  ok = each("SELECT id, amount_cents, date FROM estimates WHERE case_id = ?1 ORDER BY id", [&](Statement& s) {
    f.estimates.push_back(EstimateRecord{s.Int(0), case_id, Money::FromCents(s.Int(1)), DateOr(s.Text(2))});
  });
  if (!ok) return Err(ok);
  ok = each("SELECT id, date, with_whom, reference, note, follow_up FROM calls WHERE case_id = ?1 ORDER BY date, id",
            [&](Statement& s) {
              f.calls.push_back(CallRecord{s.Int(0), case_id, DateOr(s.Text(1)), s.Text(2), s.OptText(3), s.Text(4),
                                           OptDate(s.OptText(5))});
            });
  if (!ok) return Err(ok);
  return f;
}

Expected<void> RefreshStatus(Database& db, int64_t case_id) {
  auto facts = LoadFacts(db, case_id);
  if (!facts) return Err(facts);
  auto st = db.Prepare("UPDATE cases SET status = ?1 WHERE id = ?2");
  if (!st) return Err(st);
  st->Bind(1, CaseStatus(*facts)).Bind(2, case_id);
  return st->Run();
}

Expected<void> RequireCase(Database& db, int64_t case_id) {
  auto st = db.Prepare("SELECT 1 FROM cases WHERE id = ?1");
  if (!st) return Err(st);
  st->Bind(1, case_id);
  auto row = st->Step();
  if (!row) return Err(row);
  if (!*row) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
  return {};
}

Expected<std::vector<int64_t>> CaseIds(Database& db) {
  auto st = db.Prepare("SELECT id FROM cases ORDER BY id");
  if (!st) return Err(st);
  std::vector<int64_t> ids;
  for (;;) {
    auto row = st->Step();
    if (!row) return Err(row);
    if (!*row) return ids;
    ids.push_back(st->Int(0));
  }
}

Expected<int> Migrate(Database& db) {
  auto tx = Transaction::Begin(db);
  if (!tx) return std::unexpected(tx.error());
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  int v = static_cast<int>(version->value_or(0));
  if (v > kCaseSchemaVersion) {
    return Fail(ErrorCode::kUnsupported, "database: the case file was written by a newer billwise (schema " +
                                             std::to_string(v) + ")");
  }
  if (v == kCaseSchemaVersion) {
    if (auto ok = tx->Commit(); !ok) return std::unexpected(ok.error());
    return v;
  }
  int from = v;
  for (; v < kCaseSchemaVersion; ++v) {
    if (auto ok = db.Exec(kMigrations[v]); !ok) return std::unexpected(ok.error());
  }
  if (from >= 1 && from < 2) {
    // v2 added cases.status: fill it for the cases a v1 file already holds.
    auto ids = CaseIds(db);
    if (!ids) return Err(ids);
    for (int64_t id : *ids) {
      if (auto ok = RefreshStatus(db, id); !ok) return Err(ok);
    }
  }
  if (auto ok = db.Exec("PRAGMA user_version = " + std::to_string(v)); !ok) return std::unexpected(ok.error());
  if (auto ok = tx->Commit(); !ok) return std::unexpected(ok.error());
  return v;
}

// Runs `write` in a transaction on an existing case, refreshes its status, commits.
template <typename Fn>
Expected<int64_t> WriteToCase(Database& db, int64_t case_id, Fn&& write) {
  auto tx = Transaction::Begin(db);
  if (!tx) return Err(tx);
  if (auto ok = RequireCase(db, case_id); !ok) return Err(ok);
  Expected<int64_t> id = write();
  if (!id) return id;
  if (auto ok = RefreshStatus(db, case_id); !ok) return Err(ok);
  if (auto ok = tx->Commit(); !ok) return Err(ok);
  return id;
}

std::vector<Finding> FindingsFor(const CaseFacts& facts, int64_t document_id) {
  std::vector<Finding> out;
  for (auto& f : CrossDocumentChecks(facts)) {
    if (std::find(f.documents.begin(), f.documents.end(), document_id) != f.documents.end()) {
      out.push_back(std::move(f.finding));
    }
  }
  return out;
}

// Service keys (date of service + code) of a bill, for matching an EOB to its bill.
std::set<std::string> ServiceKeys(const Bill& bill) {
  std::set<std::string> keys;
  for (const LineItem& item : bill.line_items) {
    if (item.date_of_service && item.code) keys.insert(item.date_of_service->Iso() + "|" + *item.code);
  }
  return keys;
}

struct CaseKey {
  int64_t id;
  std::string provider_key;
  std::string account_key;
};

// Finds the case a document belongs to (0 = none).
Expected<int64_t> MatchCase(Database& db, const Bill& bill, const std::string& provider_key,
                            const std::string& account_key) {
  std::vector<CaseKey> cases;
  {
    auto st = db.Prepare("SELECT id, provider_key, account_key FROM cases ORDER BY id");
    if (!st) return Err(st);
    for (;;) {
      auto row = st->Step();
      if (!row) return Err(row);
      if (!*row) break;
      cases.push_back(CaseKey{st->Int(0), st->Text(1), st->Text(2)});
    }
  }
  // 1. Same account and a matching provider (or one side's provider unknown).
  if (!account_key.empty()) {
    for (const auto& c : cases) {
      if (c.account_key == account_key &&
          (provider_key.empty() || c.provider_key.empty() || ProviderKeysMatch(c.provider_key, provider_key))) {
        return c.id;
      }
    }
  }
  // 1b. A collection notice that does not name its creditor: the one case with that account.
  bool names_creditor = bill.collector && bill.collector->creditor && !bill.collector->creditor->empty();
  if (bill.document_type == DocumentType::kCollectionNotice && !names_creditor && !account_key.empty()) {
    std::vector<int64_t> same_account;
    for (const auto& c : cases) {
      if (c.account_key == account_key) same_account.push_back(c.id);
    }
    if (same_account.size() == 1) return same_account[0];
  }
  // 2. No account on the document: the one case of that provider.
  std::vector<int64_t> same_provider;
  for (const auto& c : cases) {
    if (ProviderKeysMatch(c.provider_key, provider_key)) same_provider.push_back(c.id);
  }
  if (account_key.empty() && same_provider.size() == 1) return same_provider[0];
  // 3. An EOB (whose account is usually a claim number): the one case whose documents
  //    share a date of service and code with it.
  if (bill.document_type == DocumentType::kEob) {
    auto keys = ServiceKeys(bill);
    if (keys.empty()) return 0;
    std::vector<int64_t> hits;
    for (const auto& c : cases) {
      auto docs = LoadDocuments(db, c.id);
      if (!docs) return Err(docs);
      bool overlap = false;
      for (const auto& d : *docs) {
        for (const auto& k : ServiceKeys(d.bill)) overlap = overlap || keys.count(k) != 0;
      }
      if (overlap) hits.push_back(c.id);
    }
    if (hits.size() == 1) return hits[0];
  }
  return 0;
}

nlohmann::json DateJson(const std::optional<Date>& d) { return d ? nlohmann::json(d->Iso()) : nlohmann::json(nullptr); }
nlohmann::json StrJson(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }
nlohmann::json MoneyJson(Money m) { return nlohmann::json::parse(m.Plain()); }

std::optional<std::string> JStr(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
std::optional<Money> JMoney(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return RoundDollarsToCents(it->get<double>());
}

}  // namespace

// ---------------------------------------------------------------- open

std::string DefaultDatabasePath() {
  std::string base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    base = std::string(home) + "/.local/share";
  } else {
    base = ".";
  }
  return base + "/billwise/cases.db";
}

CaseStore::CaseStore(std::unique_ptr<sqlite::Database> db, int version)
    : db_(std::move(db)), schema_version_(version) {}
CaseStore::CaseStore(CaseStore&&) noexcept = default;
CaseStore& CaseStore::operator=(CaseStore&&) noexcept = default;
CaseStore::~CaseStore() = default;

Expected<CaseStore> CaseStore::Open(const std::string& path) {
  std::string file = path.empty() ? DefaultDatabasePath() : path;
  if (path.empty()) {
    // Health data: the folder is private to the user.
    if (auto ok = MakeDirs(file.substr(0, file.rfind('/')), 0700); !ok) return Err(ok);
  }
  auto db = Database::Open(file);
  if (!db) return Err(db);
  auto owned = std::make_unique<Database>(std::move(*db));
  auto version = Migrate(*owned);
  if (!version) return Err(version);
  return CaseStore(std::move(owned), *version);
}

// ---------------------------------------------------------------- documents

Expected<RecordResult> CaseStore::RecordDocument(const Bill& bill, const std::string& bill_json) {
  std::string json = bill_json.empty() ? BillToJson(bill, -1) : bill_json;
  std::string sha = bill.source.sha256;
  // A file holding several documents records each under its own key.
  if (!sha.empty() && bill.source.document_count > 1) sha += "#" + std::to_string(bill.source.document_index);
  if (sha.empty()) {
    auto digest = Sha256Hex(json);
    if (!digest) return Err(digest);
    sha = std::move(*digest);
  }
  Database& db = *db_;
  auto tx = Transaction::Begin(db);
  if (!tx) return Err(tx);

  RecordResult result;
  {
    auto st = db.Prepare("SELECT id, case_id FROM documents WHERE sha256 = ?1");
    if (!st) return Err(st);
    st->Bind(1, sha);
    auto row = st->Step();
    if (!row) return Err(row);
    if (*row) {
      result.document_id = st->Int(0);
      result.case_id = st->Int(1);
      result.new_document = false;
    }
  }
  if (result.new_document) {
    std::string provider = CaseProviderName(bill);
    std::string provider_key = NormalizeProviderName(provider);
    std::string account_key = NormalizeAccountNumber(bill.account_number.value_or(""));
    auto match = MatchCase(db, bill, provider_key, account_key);
    if (!match) return Err(match);
    result.case_id = *match;
    if (result.case_id == 0) {
      auto st = db.Prepare(
          "INSERT INTO cases (provider, provider_key, account_number, account_key) VALUES (?1, ?2, ?3, ?4)");
      if (!st) return Err(st);
      st->Bind(1, provider).Bind(2, provider_key).Bind(3, bill.account_number).Bind(4, account_key);
      if (auto ok = st->Run(); !ok) return Err(ok);
      result.case_id = db.LastInsertRowId();
      result.new_case = true;
    } else {
      // Fill what the case did not know yet (a provider's name, an account number).
      auto st = db.Prepare(
          "UPDATE cases SET provider = CASE WHEN provider_key = '' THEN ?1 ELSE provider END,"
          " provider_key = CASE WHEN provider_key = '' THEN ?2 ELSE provider_key END,"
          " account_number = CASE WHEN account_key = '' THEN ?3 ELSE account_number END,"
          " account_key = CASE WHEN account_key = '' THEN ?4 ELSE account_key END WHERE id = ?5");
      if (!st) return Err(st);
      st->Bind(1, provider).Bind(2, provider_key).Bind(3, bill.account_number).Bind(4, account_key);
      st->Bind(5, result.case_id);
      if (auto ok = st->Run(); !ok) return Err(ok);
    }
    auto st = db.Prepare(
        "INSERT INTO documents (case_id, sha256, path, document_type, statement_date, amount_due_cents, json)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st) return Err(st);
    st->Bind(1, result.case_id).Bind(2, sha).Bind(3, bill.source.path);
    st->Bind(4, DocumentTypeName(bill.document_type));
    if (auto d = DocumentDate(bill)) st->Bind(5, d->Iso()); else st->BindNull(5);
    if (bill.amount_due) st->Bind(6, bill.amount_due->cents); else st->BindNull(6);
    st->Bind(7, json);
    if (auto ok = st->Run(); !ok) return Err(ok);
    result.document_id = db.LastInsertRowId();
    if (auto ok = RefreshStatus(db, result.case_id); !ok) return Err(ok);
  }
  auto facts = LoadFacts(db, result.case_id);
  if (!facts) return Err(facts);
  result.findings = FindingsFor(*facts, result.document_id);
  if (auto ok = tx->Commit(); !ok) return Err(ok);
  return result;
}

// ---------------------------------------------------------------- letters, replies, money

Expected<int64_t> CaseStore::RecordLetter(int64_t case_id, const std::string& kind, const Date& written,
                                          const std::string& recipient) {
  if (kind.empty()) return Fail(ErrorCode::kUsage, "a letter needs a kind");
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare("INSERT INTO letters (case_id, kind, written, recipient) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return Err(st);
    st->Bind(1, case_id).Bind(2, kind).Bind(3, written.Iso()).Bind(4, recipient);
    if (auto ok = st->Run(); !ok) return Err(ok);
    return db_->LastInsertRowId();
  });
}

Expected<int64_t> CaseStore::MarkSent(int64_t case_id, const std::string& kind, const Date& sent,
                                      const std::string& method, const std::optional<std::string>& tracking) {
  if (kind.empty()) return Fail(ErrorCode::kUsage, "a letter needs a kind");
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    std::optional<int64_t> letter;
    {
      auto st = db_->Prepare(
          "SELECT id FROM letters WHERE case_id = ?1 AND kind = ?2 AND sent IS NULL ORDER BY id DESC LIMIT 1");
      if (!st) return Err(st);
      st->Bind(1, case_id).Bind(2, kind);
      auto row = st->Step();
      if (!row) return Err(row);
      if (*row) letter = st->Int(0);
    }
    if (!letter) {
      auto st = db_->Prepare("INSERT INTO letters (case_id, kind, written) VALUES (?1, ?2, ?3)");
      if (!st) return Err(st);
      st->Bind(1, case_id).Bind(2, kind).Bind(3, sent.Iso());
      if (auto ok = st->Run(); !ok) return Err(ok);
      letter = db_->LastInsertRowId();
    }
    auto st = db_->Prepare("UPDATE letters SET sent = ?1, method = ?2, tracking = ?3 WHERE id = ?4");
    if (!st) return Err(st);
    st->Bind(1, sent.Iso()).Bind(2, method).Bind(3, tracking).Bind(4, *letter);
    if (auto ok = st->Run(); !ok) return Err(ok);
    return *letter;
  });
}

Expected<int64_t> CaseStore::MarkLetterSent(int64_t case_id, int64_t letter_id, const Date& sent,
                                            const std::string& method, const std::optional<std::string>& tracking) {
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare("UPDATE letters SET sent = ?1, method = ?2, tracking = ?3 WHERE id = ?4 AND case_id = ?5");
    if (!st) return Err(st);
    st->Bind(1, sent.Iso()).Bind(2, method).Bind(3, tracking).Bind(4, letter_id).Bind(5, case_id);
    if (auto ok = st->Run(); !ok) return Err(ok);
    if (db_->Changes() == 0) {
      return Fail(ErrorCode::kNotFound, "case " + std::to_string(case_id) + " has no letter " + std::to_string(letter_id));
    }
    return letter_id;
  });
}

Expected<int64_t> CaseStore::RecordCall(int64_t case_id, const Date& date, const std::string& with,
                                        const std::optional<std::string>& reference, const std::string& note,
                                        const std::optional<Date>& follow_up) {
  Date check_back = follow_up.value_or(date.AddDays(kCallFollowUpDays));
  if (check_back < date) return Fail(ErrorCode::kUsage, "the follow-up date is before the call");
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare(
        "INSERT INTO calls (case_id, date, with_whom, reference, note, follow_up) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return Err(st);
    st->Bind(1, case_id).Bind(2, date.Iso()).Bind(3, with).Bind(4, reference).Bind(5, note).Bind(6, check_back.Iso());
    if (auto ok = st->Run(); !ok) return Err(ok);
    return db_->LastInsertRowId();
  });
}

Expected<int64_t> CaseStore::RecordReply(int64_t case_id, const Date& date, const std::string& note,
                                         const std::optional<std::string>& file) {
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare("INSERT INTO replies (case_id, date, note, file) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return Err(st);
    st->Bind(1, case_id).Bind(2, date.Iso()).Bind(3, note).Bind(4, file);
    if (auto ok = st->Run(); !ok) return Err(ok);
    return db_->LastInsertRowId();
  });
}

Expected<int64_t> CaseStore::RecordPlan(int64_t case_id, Money monthly, const Date& start, std::optional<int> months) {
  if (monthly.cents <= 0) return Fail(ErrorCode::kUsage, "the monthly amount must be positive");
  if (months && *months <= 0) return Fail(ErrorCode::kUsage, "the number of months must be positive");
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare("INSERT INTO payment_plans (case_id, monthly_cents, start, months) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return Err(st);
    st->Bind(1, case_id).Bind(2, monthly.cents).Bind(3, start.Iso());
    if (months) st->Bind(4, *months); else st->BindNull(4);
    if (auto ok = st->Run(); !ok) return Err(ok);
    return db_->LastInsertRowId();
  });
}

Expected<int64_t> CaseStore::RecordPayment(int64_t case_id, Money amount, const Date& date) {
  if (amount.cents <= 0) return Fail(ErrorCode::kUsage, "the payment must be positive");
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare("INSERT INTO payments (case_id, amount_cents, date) VALUES (?1, ?2, ?3)");
    if (!st) return Err(st);
    st->Bind(1, case_id).Bind(2, amount.cents).Bind(3, date.Iso());
    if (auto ok = st->Run(); !ok) return Err(ok);
    return db_->LastInsertRowId();
  });
}

Expected<int64_t> CaseStore::RecordEstimate(int64_t case_id, Money amount, const Date& date) {
  if (amount.cents <= 0) return Fail(ErrorCode::kUsage, "the estimate must be positive");
  return WriteToCase(*db_, case_id, [&]() -> Expected<int64_t> {
    auto st = db_->Prepare("INSERT INTO estimates (case_id, amount_cents, date) VALUES (?1, ?2, ?3)");
    if (!st) return Err(st);
    st->Bind(1, case_id).Bind(2, amount.cents).Bind(3, date.Iso());
    if (auto ok = st->Run(); !ok) return Err(ok);
    return db_->LastInsertRowId();
  });
}

// ---------------------------------------------------------------- reading

Expected<int64_t> CaseStore::ResolveCase(std::string_view reference) {
  std::string ref(reference);
  if (!ref.empty() && ref[0] == '#') ref.erase(0, 1);
  if (!ref.empty() && std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      ref.size() < 18) {
    int64_t id = std::stoll(ref);
    if (RequireCase(*db_, id)) return id;
  }
  std::string key = NormalizeAccountNumber(ref);
  if (key.empty()) return Fail(ErrorCode::kNotFound, "no such case");
  auto st = db_->Prepare("SELECT id FROM cases WHERE account_key = ?1");
  if (!st) return Err(st);
  st->Bind(1, key);
  std::vector<int64_t> ids;
  for (;;) {
    auto row = st->Step();
    if (!row) return Err(row);
    if (!*row) break;
    ids.push_back(st->Int(0));
  }
  if (ids.size() == 1) return ids[0];
  if (ids.empty()) return Fail(ErrorCode::kNotFound, "no such case");
  return Fail(ErrorCode::kUsage, "that account number names several cases; use the case number");
}

namespace {

CaseSummary Summarize(const CaseFacts& facts, const Date& today) {
  CaseSummary s;
  s.id = facts.id;
  s.provider = facts.provider;
  s.account_number = facts.account_number;
  s.status = CaseStatus(facts);
  s.balance = CaseBalance(facts);
  for (const auto& d : facts.documents) {
    s.documents.push_back(DocumentSummary{d.id, d.path, d.sha256, DocumentTypeName(d.bill.document_type),
                                          DocumentDate(d.bill), d.bill.amount_due});
  }
  auto deadlines = CaseDeadlines(facts, today);
  if (!deadlines.empty()) s.next_deadline = deadlines.front();
  s.next_payment = NextPlanPayment(facts);
  s.letters = facts.letters;
  s.calls = facts.calls;
  return s;
}

}  // namespace

Expected<std::vector<CaseSummary>> CaseStore::ListCases(const Date& today) {
  auto ids = CaseIds(*db_);
  if (!ids) return Err(ids);
  std::vector<CaseSummary> out;
  for (int64_t id : *ids) {
    auto facts = LoadFacts(*db_, id);
    if (!facts) return Err(facts);
    out.push_back(Summarize(*facts, today));
  }
  return out;
}

Expected<CaseDetail> CaseStore::GetCase(int64_t case_id, const Date& today) {
  auto facts = LoadFacts(*db_, case_id);
  if (!facts) return Err(facts);
  CaseDetail d;
  d.facts = std::move(*facts);
  d.summary = Summarize(d.facts, today);
  d.cross_findings = CrossDocumentChecks(d.facts);
  d.deadlines = CaseDeadlines(d.facts, today);
  for (const auto& doc : d.facts.documents) {
    for (const auto& f : doc.bill.findings) d.document_findings.push_back(f);
    std::string text = std::string(DocumentTypeName(doc.bill.document_type)) + " " + doc.path;
    if (doc.bill.amount_due) text += ", amount due " + doc.bill.amount_due->Display();
    d.timeline.push_back({DocumentDate(doc.bill), "document", text});
  }
  for (const auto& l : d.facts.letters) {
    d.timeline.push_back({l.written, "letter", l.kind + " letter written" +
                                                   (l.recipient.empty() ? "" : " to " + l.recipient)});
    if (l.sent) {
      std::string text = l.kind + " letter sent";
      if (l.method) text += " by " + *l.method;
      if (l.tracking) text += ", tracking " + *l.tracking;
      d.timeline.push_back({l.sent, "sent", text});
    }
  }
  for (const auto& r : d.facts.replies) {
    d.timeline.push_back({r.date, "reply", r.note + (r.file ? " (" + *r.file + ")" : "")});
  }
  for (const auto& c : d.facts.calls) {
    std::string text = "call" + (c.with.empty() ? std::string() : " with " + c.with);
    if (c.reference) text += ", reference " + *c.reference;
    if (!c.note.empty()) text += ": " + c.note;
    if (c.follow_up) text += " (follow up " + c.follow_up->Iso() + ")";
    d.timeline.push_back({c.date, "call", text});
  }
  for (const auto& e : d.facts.estimates) {
    d.timeline.push_back({e.date, "estimate", "good-faith estimate " + e.amount.Display()});
  }
  for (const auto& p : d.facts.plans) {
    d.timeline.push_back({p.start, "plan", "payment plan " + p.monthly.Display() + " a month" +
                                               (p.months ? " for " + std::to_string(*p.months) + " months" : "")});
  }
  for (const auto& p : d.facts.payments) d.timeline.push_back({p.date, "payment", "paid " + p.amount.Display()});
  std::stable_sort(d.timeline.begin(), d.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.date < b.date; });
  return d;
}

Expected<std::vector<CaseDeadline>> CaseStore::Deadlines(const Date& today, std::optional<int> within_days) {
  auto ids = CaseIds(*db_);
  if (!ids) return Err(ids);
  std::vector<CaseDeadline> all;
  for (int64_t id : *ids) {
    auto facts = LoadFacts(*db_, id);
    if (!facts) return Err(facts);
    for (auto& d : CaseDeadlines(*facts, today)) {
      if (within_days && d.date > today.AddDays(*within_days)) continue;
      all.push_back(std::move(d));
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const CaseDeadline& a, const CaseDeadline& b) {
    return a.date != b.date ? a.date < b.date : a.case_id < b.case_id;
  });
  return all;
}

// ---------------------------------------------------------------- backup

Expected<std::string> CaseStore::ExportJson() {
  auto ids = CaseIds(*db_);
  if (!ids) return Err(ids);
  nlohmann::json cases = nlohmann::json::array();
  for (int64_t id : *ids) {
    auto facts = LoadFacts(*db_, id);
    if (!facts) return Err(facts);
    nlohmann::json c;
    c["id"] = facts->id;
    c["provider"] = facts->provider;
    c["account_number"] = StrJson(facts->account_number);
    c["created"] = facts->created;
    c["documents"] = nlohmann::json::array();
    for (const auto& d : facts->documents) {
      auto st = db_->Prepare("SELECT json FROM documents WHERE id = ?1");
      if (!st) return Err(st);
      st->Bind(1, d.id);
      auto row = st->Step();
      if (!row) return Err(row);
      nlohmann::json bill = nlohmann::json::parse(st->Text(0), nullptr, false);
      c["documents"].push_back({{"sha256", d.sha256}, {"path", d.path}, {"recorded", d.recorded},
                                {"bill", bill.is_discarded() ? nlohmann::json(st->Text(0)) : bill}});
    }
    c["letters"] = nlohmann::json::array();
    for (const auto& l : facts->letters) {
      c["letters"].push_back({{"kind", l.kind}, {"written", l.written.Iso()}, {"recipient", l.recipient},
                              {"sent", DateJson(l.sent)}, {"method", StrJson(l.method)},
                              {"tracking", StrJson(l.tracking)}});
    }
    c["replies"] = nlohmann::json::array();
    for (const auto& r : facts->replies) {
      c["replies"].push_back({{"date", r.date.Iso()}, {"note", r.note}, {"file", StrJson(r.file)}});
    }
    c["calls"] = nlohmann::json::array();
    for (const auto& k : facts->calls) {
      c["calls"].push_back({{"date", k.date.Iso()}, {"with", k.with}, {"reference", StrJson(k.reference)},
                            {"note", k.note}, {"follow_up", DateJson(k.follow_up)}});
    }
    c["estimates"] = nlohmann::json::array();
    for (const auto& e : facts->estimates) {
      c["estimates"].push_back({{"amount", MoneyJson(e.amount)}, {"date", e.date.Iso()}});
    }
    c["payment_plans"] = nlohmann::json::array();
    for (const auto& p : facts->plans) {
      c["payment_plans"].push_back({{"monthly", MoneyJson(p.monthly)}, {"start", p.start.Iso()},
                                    {"months", p.months ? nlohmann::json(*p.months) : nlohmann::json(nullptr)}});
    }
    c["payments"] = nlohmann::json::array();
    for (const auto& p : facts->payments) {
      c["payments"].push_back({{"amount", MoneyJson(p.amount)}, {"date", p.date.Iso()}});
    }
    cases.push_back(std::move(c));
  }
  nlohmann::json out = {{"schema", "billwise.cases/1"}, {"cases", std::move(cases)}};
  return out.dump(2) + "\n";
}

Expected<int> CaseStore::ImportJson(std::string_view json) {
  nlohmann::json in = nlohmann::json::parse(json, nullptr, false);
  if (in.is_discarded() || !in.is_object()) return Fail(ErrorCode::kInvalidInput, "import: not a JSON object");
  if (JStr(in, "schema").value_or("") != "billwise.cases/1") {
    return Fail(ErrorCode::kInvalidInput, "import: not a billwise case export (schema billwise.cases/1)");
  }
  auto cases = in.find("cases");
  if (cases == in.end() || !cases->is_array()) return Fail(ErrorCode::kInvalidInput, "import: no cases array");
  Database& db = *db_;
  auto tx = Transaction::Begin(db);
  if (!tx) return Err(tx);
  int added = 0;

  auto exists = [&](const std::string& sql, auto&& bind) -> Expected<bool> {
    auto st = db.Prepare(sql);
    if (!st) return Err(st);
    bind(*st);
    return st->Step();
  };
  auto insert = [&](const std::string& sql, auto&& bind) -> Expected<void> {
    auto st = db.Prepare(sql);
    if (!st) return Err(st);
    bind(*st);
    return st->Run();
  };

  for (const auto& c : *cases) {
    if (!c.is_object()) return Fail(ErrorCode::kInvalidInput, "import: a case is not an object");
    std::string provider = JStr(c, "provider").value_or("");
    std::optional<std::string> account = JStr(c, "account_number");
    std::string provider_key = NormalizeProviderName(provider);
    std::string account_key = NormalizeAccountNumber(account.value_or(""));
    // The case: the one holding any of these documents already, else the same keys, else new.
    int64_t case_id = 0;
    const nlohmann::json docs = c.value("documents", nlohmann::json::array());
    for (const auto& d : docs) {
      auto st = db.Prepare("SELECT case_id FROM documents WHERE sha256 = ?1");
      if (!st) return Err(st);
      st->Bind(1, JStr(d, "sha256").value_or(""));
      auto row = st->Step();
      if (!row) return Err(row);
      if (*row) {
        case_id = st->Int(0);
        break;
      }
    }
    if (case_id == 0) {
      auto st = db.Prepare("SELECT id FROM cases WHERE provider_key = ?1 AND account_key = ?2 ORDER BY id LIMIT 1");
      if (!st) return Err(st);
      st->Bind(1, provider_key).Bind(2, account_key);
      auto row = st->Step();
      if (!row) return Err(row);
      if (*row) case_id = st->Int(0);
    }
    if (case_id == 0) {
      auto ok = insert(
          "INSERT INTO cases (provider, provider_key, account_number, account_key, created)"
          " VALUES (?1, ?2, ?3, ?4, COALESCE(?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
          [&](Statement& s) {
            s.Bind(1, provider).Bind(2, provider_key).Bind(3, account).Bind(4, account_key).Bind(5, JStr(c, "created"));
          });
      if (!ok) return Err(ok);
      case_id = db.LastInsertRowId();
    }
    for (const auto& d : docs) {
      auto sha = JStr(d, "sha256");
      auto bill_it = d.find("bill");
      if (!sha || bill_it == d.end()) return Fail(ErrorCode::kInvalidInput, "import: a document lacks sha256 or bill");
      std::string bill_json = bill_it->is_string() ? bill_it->get<std::string>() : bill_it->dump();
      auto found = exists("SELECT 1 FROM documents WHERE sha256 = ?1", [&](Statement& s) { s.Bind(1, *sha); });
      if (!found) return Err(found);
      if (*found) continue;
      auto bill = BillFromJson(bill_json);
      if (!bill) return Fail(ErrorCode::kInvalidInput, "import: a document's bill JSON is invalid");
      auto ok = insert(
          "INSERT INTO documents (case_id, sha256, path, document_type, statement_date, amount_due_cents, json,"
          " recorded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, COALESCE(?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
          [&](Statement& s) {
            s.Bind(1, case_id).Bind(2, *sha).Bind(3, JStr(d, "path").value_or(bill->source.path));
            s.Bind(4, DocumentTypeName(bill->document_type));
            if (auto date = DocumentDate(*bill)) s.Bind(5, date->Iso()); else s.BindNull(5);
            if (bill->amount_due) s.Bind(6, bill->amount_due->cents); else s.BindNull(6);
            s.Bind(7, bill_json).Bind(8, JStr(d, "recorded"));
          });
      if (!ok) return Err(ok);
      ++added;
    }
    for (const auto& l : c.value("letters", nlohmann::json::array())) {
      auto kind = JStr(l, "kind");
      auto written = JStr(l, "written");
      if (!kind || !written || !Date::FromIso(*written)) return Fail(ErrorCode::kInvalidInput, "import: bad letter");
      auto bind = [&](Statement& s) {
        s.Bind(1, case_id).Bind(2, *kind).Bind(3, *written).Bind(4, JStr(l, "recipient").value_or(""));
        s.Bind(5, JStr(l, "sent")).Bind(6, JStr(l, "method")).Bind(7, JStr(l, "tracking"));
      };
      auto found = exists(
          "SELECT 1 FROM letters WHERE case_id = ?1 AND kind = ?2 AND written = ?3 AND recipient = ?4"
          " AND sent IS ?5 AND method IS ?6 AND tracking IS ?7",
          bind);
      if (!found) return Err(found);
      if (*found) continue;
      auto ok = insert(
          "INSERT INTO letters (case_id, kind, written, recipient, sent, method, tracking)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          bind);
      if (!ok) return Err(ok);
    }
    for (const auto& r : c.value("replies", nlohmann::json::array())) {
      auto date = JStr(r, "date");
      if (!date || !Date::FromIso(*date)) return Fail(ErrorCode::kInvalidInput, "import: bad reply");
      auto bind = [&](Statement& s) {
        s.Bind(1, case_id).Bind(2, *date).Bind(3, JStr(r, "note").value_or("")).Bind(4, JStr(r, "file"));
      };
      auto found = exists("SELECT 1 FROM replies WHERE case_id = ?1 AND date = ?2 AND note = ?3 AND file IS ?4", bind);
      if (!found) return Err(found);
      if (*found) continue;
      if (auto ok = insert("INSERT INTO replies (case_id, date, note, file) VALUES (?1, ?2, ?3, ?4)", bind); !ok) {
        return Err(ok);
      }
    }
    for (const auto& k : c.value("calls", nlohmann::json::array())) {
      auto date = JStr(k, "date");
      auto follow = JStr(k, "follow_up");
      if (!date || !Date::FromIso(*date) || (follow && !Date::FromIso(*follow))) {
        return Fail(ErrorCode::kInvalidInput, "import: bad call");
      }
      auto bind = [&](Statement& s) {
        s.Bind(1, case_id).Bind(2, *date).Bind(3, JStr(k, "with").value_or("")).Bind(4, JStr(k, "reference"));
        s.Bind(5, JStr(k, "note").value_or("")).Bind(6, follow);
      };
      auto found = exists(
          "SELECT 1 FROM calls WHERE case_id = ?1 AND date = ?2 AND with_whom = ?3 AND reference IS ?4 AND note = ?5"
          " AND follow_up IS ?6",
          bind);
      if (!found) return Err(found);
      if (*found) continue;
      auto ok = insert(
          "INSERT INTO calls (case_id, date, with_whom, reference, note, follow_up) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          bind);
      if (!ok) return Err(ok);
    }
    struct AmountTable {
      const char* key;
      const char* table;
    };
    for (const AmountTable& t : {AmountTable{"estimates", "estimates"}, AmountTable{"payments", "payments"}}) {
      for (const auto& p : c.value(t.key, nlohmann::json::array())) {
        auto amount = JMoney(p, "amount");
        auto date = JStr(p, "date");
        if (!amount || !date || !Date::FromIso(*date)) return Fail(ErrorCode::kInvalidInput, "import: bad amount");
        auto bind = [&](Statement& s) { s.Bind(1, case_id).Bind(2, amount->cents).Bind(3, *date); };
        std::string table = t.table;
        auto found = exists("SELECT 1 FROM " + table + " WHERE case_id = ?1 AND amount_cents = ?2 AND date = ?3", bind);
        if (!found) return Err(found);
        if (*found) continue;
        auto ok = insert("INSERT INTO " + table + " (case_id, amount_cents, date) VALUES (?1, ?2, ?3)", bind);
        if (!ok) return Err(ok);
      }
    }
    for (const auto& p : c.value("payment_plans", nlohmann::json::array())) {
      auto monthly = JMoney(p, "monthly");
      auto start = JStr(p, "start");
      if (!monthly || !start || !Date::FromIso(*start)) return Fail(ErrorCode::kInvalidInput, "import: bad plan");
      std::optional<int64_t> months;
      if (auto m = p.find("months"); m != p.end() && m->is_number_integer()) months = m->get<int64_t>();
      auto bind = [&](Statement& s) { s.Bind(1, case_id).Bind(2, monthly->cents).Bind(3, *start).Bind(4, months); };
      auto found = exists(
          "SELECT 1 FROM payment_plans WHERE case_id = ?1 AND monthly_cents = ?2 AND start = ?3 AND months IS ?4",
          bind);
      if (!found) return Err(found);
      if (*found) continue;
      auto ok = insert("INSERT INTO payment_plans (case_id, monthly_cents, start, months) VALUES (?1, ?2, ?3, ?4)", bind);
      if (!ok) return Err(ok);
    }
    if (auto ok = RefreshStatus(db, case_id); !ok) return Err(ok);
  }
  if (auto ok = tx->Commit(); !ok) return Err(ok);
  return added;
}

// ---------------------------------------------------------------- for analyze

Expected<std::vector<Finding>> StoreAnalyzedBill(const std::string& db_path, const Bill& bill) {
  auto store = CaseStore::Open(db_path);
  if (!store) return Err(store);
  auto result = store->RecordDocument(bill, BillToJson(bill, -1));
  if (!result) return Err(result);
  return std::move(result->findings);
}

Expected<void> RecordLettersForBill(const std::string& db_path, const Bill& bill,
                                    const std::vector<std::string>& kinds, const Date& today,
                                    const std::string& recipient) {
  auto store = CaseStore::Open(db_path);
  if (!store) return std::unexpected(store.error());
  auto recorded = store->RecordDocument(bill, "");  // idempotent: finds the bill's case
  if (!recorded) return std::unexpected(recorded.error());
  std::string to = recipient;
  if (to.empty()) {
    to = bill.collector && bill.collector->name ? *bill.collector->name : bill.provider.name.value_or("");
  }
  for (const std::string& kind : kinds) {
    auto letter = store->RecordLetter(recorded->case_id, kind, today, to);
    if (!letter) return std::unexpected(letter.error());
  }
  return {};
}

}  // namespace billwise
