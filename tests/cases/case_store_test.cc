#include "pipeline/cases/case_store.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/cases/case_format.h"
#include "pipeline/cases/sqlite_db.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/sha256.h"
#include "tests/cases/fixtures.h"

namespace billwise {
namespace {

using testing_cases::CollectionNotice;
using testing_cases::D;
using testing_cases::Eob;
using testing_cases::Statement;
using testing_cases::TempDir;
using testing_cases::Usd;

int64_t Count(CaseStore& store, const std::string& sql) {
  auto n = store.database().QueryInt(sql);
  EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().message);
  return n && *n ? **n : -1;
}

std::string IntegrityCheck(const std::string& path) {
  auto db = sqlite::Database::Open(path);
  if (!db) return db.error().message;
  auto ok = db->QueryText("PRAGMA integrity_check");
  return ok ? *ok : ok.error().message;
}

bool HasKind(const std::vector<Finding>& findings, const std::string& kind) {
  for (const auto& f : findings) {
    if (FindingKindName(f.kind) == kind) return true;
  }
  return false;
}

// A statement of another account, numbered so each one is a distinct document.
Bill Numbered(int writer, int i, int accounts) {
  Bill b = Statement("2026-01-12", 100 + i, 200 + i, "");
  b.source.sha256 = "w" + std::to_string(writer) + "-d" + std::to_string(i);
  b.account_number = "ACC-" + std::to_string(i % accounts);
  return b;
}

TEST(CaseStoreTest, GroupsBillEobAndCollectionNoticeIntoOneCase) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->schema_version(), kCaseSchemaVersion);

  auto bill = store->RecordDocument(Statement(), "");
  ASSERT_TRUE(bill) << bill.error().message;
  EXPECT_TRUE(bill->new_case);
  auto eob = store->RecordDocument(Eob(), "");
  ASSERT_TRUE(eob) << eob.error().message;
  auto notice = store->RecordDocument(CollectionNotice(), "");
  ASSERT_TRUE(notice) << notice.error().message;
  EXPECT_FALSE(eob->new_case);
  EXPECT_FALSE(notice->new_case);
  EXPECT_EQ(eob->case_id, bill->case_id);
  EXPECT_EQ(notice->case_id, bill->case_id);
  // The collector asks $1,975.00 where the statement left $1,850.00; the EOB says $350.00.
  EXPECT_TRUE(HasKind(notice->findings, "collection_amount_mismatch"));
  EXPECT_TRUE(HasKind(notice->findings, "exceeds_eob"));

  // Another provider's bill opens a second case.
  Bill other = Statement("2026-02-01", 90, 90, "other-1");
  other.provider.name = "Lakeside Radiology PC";
  auto second = store->RecordDocument(other, "");
  ASSERT_TRUE(second);
  EXPECT_NE(second->case_id, bill->case_id);

  // Recording the same file again changes nothing.
  auto again = store->RecordDocument(CollectionNotice(), "");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->new_document);
  EXPECT_EQ(again->document_id, notice->document_id);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents"), 4);

  auto cases = store->ListCases(D("2026-03-05"));
  ASSERT_TRUE(cases);
  ASSERT_EQ(cases->size(), 2u);
  const CaseSummary& c = (*cases)[0];
  EXPECT_EQ(c.documents.size(), 3u);
  EXPECT_EQ(c.status, "in collections");
  EXPECT_EQ(*c.balance, Usd(1975));
  ASSERT_TRUE(c.next_deadline);
  EXPECT_EQ(c.next_deadline->date.Iso(), "2026-04-10");

  // The collector's validation end date is listed by `due`.
  auto due = store->Deadlines(D("2026-03-05"), 60);
  ASSERT_TRUE(due);
  ASSERT_FALSE(due->empty());
  EXPECT_EQ((*due)[0].what.find("debt validation"), 0u);
  EXPECT_EQ((*due)[0].date.Iso(), "2026-04-10");
  for (const auto& d : *due) EXPECT_LE(d.date, D("2026-05-04"));
}

TEST(CaseStoreTest, CollectionNoticeWithoutCreditorJoinsByAccount) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  auto bill = store->RecordDocument(Statement(), "");
  ASSERT_TRUE(bill);
  Bill notice = CollectionNotice();
  notice.collector->creditor.reset();  // only the collector's own name is printed
  auto joined = store->RecordDocument(notice, "");
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->case_id, bill->case_id);
  // A different account of the same collector opens its own case.
  Bill other = CollectionNotice();
  other.source.sha256 = "coll-2";
  other.account_number = "555-1";
  other.collector->creditor.reset();
  auto separate = store->RecordDocument(other, "");
  ASSERT_TRUE(separate);
  EXPECT_TRUE(separate->new_case);
  EXPECT_EQ(Sha256Hex("abc").value(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CaseStoreTest, JsonShapesOfCasesAndDeadlines) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->RecordDocument(Statement(), ""));
  ASSERT_TRUE(store->RecordDocument(CollectionNotice(), ""));
  auto cases = store->ListCases(D("2026-03-05"));
  ASSERT_TRUE(cases);
  std::string json = CasesToJson(*cases);
  for (const char* key : {"\"cases\"", "\"id\"", "\"provider\"", "\"account_number\"", "\"status\"",
                          "\"balance\"", "\"documents\"", "\"path\"", "\"sha256\"", "\"document_type\"",
                          "\"statement_date\"", "\"next_deadline\"", "\"what\"", "\"date\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
  EXPECT_NE(json.find("\"balance\": 1975.0"), std::string::npos) << json;
  auto due = store->Deadlines(D("2026-03-05"), std::nullopt);
  ASSERT_TRUE(due);
  std::string djson = DeadlinesToJson(*due);
  EXPECT_NE(djson.find("\"deadlines\""), std::string::npos);
  EXPECT_NE(djson.find("\"case\": 1"), std::string::npos) << djson;
  EXPECT_NE(djson.find("\"date\": \"2026-04-10\""), std::string::npos) << djson;
}

TEST(CaseStoreTest, LettersRepliesPlansAndPayments) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  auto r = store->RecordDocument(Statement(), "");
  ASSERT_TRUE(r);
  ASSERT_TRUE(store->RecordDocument(CollectionNotice(), ""));
  int64_t id = r->case_id;
  auto letter = store->RecordLetter(id, "debt_validation", D("2026-03-05"), "Apex Recovery LLC");
  ASSERT_TRUE(letter);
  auto sent = store->MarkSent(id, "debt_validation", D("2026-03-06"), "certified", "9400 1000");
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, *letter);  // the written letter is the one marked sent
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM letters"), 1);
  auto detail = store->GetCase(id, D("2026-03-07"));
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->summary.status, "disputed");
  ASSERT_FALSE(detail->deadlines.empty());
  EXPECT_EQ(detail->deadlines[0].kind, "follow_up");
  EXPECT_EQ(detail->deadlines[0].date.Iso(), "2026-04-05");

  ASSERT_TRUE(store->RecordReply(id, D("2026-03-20"), "verification received", "reply.pdf"));
  ASSERT_TRUE(store->RecordPlan(id, Usd(100), D("2026-04-01"), 20));
  ASSERT_TRUE(store->RecordPayment(id, Usd(100), D("2026-04-01")));
  detail = store->GetCase(id, D("2026-04-02"));
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->summary.status, "in plan");
  EXPECT_EQ(*detail->summary.balance, Usd(1875));
  ASSERT_TRUE(detail->summary.next_payment);
  EXPECT_EQ(detail->summary.next_payment->date.Iso(), "2026-05-01");
  // Timeline: documents, letter, sent, reply, plan, payment in date order.
  ASSERT_GE(detail->timeline.size(), 7u);
  for (size_t i = 1; i < detail->timeline.size(); ++i) {
    EXPECT_LE(detail->timeline[i - 1].date, detail->timeline[i].date);
  }
  std::string text = CaseText(*detail);
  EXPECT_NE(text.find("certified"), std::string::npos);
  EXPECT_NE(text.find("verification received"), std::string::npos);
  EXPECT_EQ(store->database().QueryText("SELECT status FROM cases WHERE id = 1").value_or(""), "in plan");

  // Errors: unknown case, bad amounts.
  EXPECT_EQ(store->RecordPayment(99, Usd(1), D("2026-04-01")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->RecordPayment(id, Usd(0), D("2026-04-01")).error().code, ErrorCode::kUsage);
  EXPECT_EQ(*store->ResolveCase("1"), 1);
  EXPECT_EQ(*store->ResolveCase("00-4417-2209"), 1);
  EXPECT_FALSE(store->ResolveCase("nope"));
}

TEST(CaseStoreTest, CallsAreLoggedWithAFollowUpInCaseDueAndJson) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  auto r = store->RecordDocument(Statement(), "");
  ASSERT_TRUE(r);
  int64_t id = r->case_id;
  // Default follow-up: 14 days after the call.
  auto call = store->RecordCall(id, D("2026-03-02"), "Dana (billing)", "REF-1234", "itemized bill promised",
                                std::nullopt);
  ASSERT_TRUE(call) << call.error().message;
  auto detail = store->GetCase(id, D("2026-03-05"));
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->facts.calls.size(), 1u);
  EXPECT_EQ(detail->facts.calls[0].follow_up, D("2026-03-16"));
  auto follow = std::find_if(detail->deadlines.begin(), detail->deadlines.end(),
                             [](const CaseDeadline& d) { return d.kind == "call_follow_up"; });
  ASSERT_NE(follow, detail->deadlines.end());
  EXPECT_EQ(follow->date, D("2026-03-16"));
  EXPECT_NE(follow->what.find("Dana (billing)"), std::string::npos);
  EXPECT_NE(follow->what.find("REF-1234"), std::string::npos);
  std::string text = CaseText(*detail);
  EXPECT_NE(text.find("call with Dana (billing), reference REF-1234: itemized bill promised (follow up 2026-03-16)"),
            std::string::npos)
      << text;
  auto due = store->Deadlines(D("2026-03-05"), 30);
  ASSERT_TRUE(due);
  EXPECT_TRUE(std::any_of(due->begin(), due->end(), [](const CaseDeadline& d) { return d.kind == "call_follow_up"; }));
  std::string json = CasesToJson(*store->ListCases(D("2026-03-05")));
  EXPECT_NE(json.find("\"follow_up\": \"2026-03-16\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"with\": \"Dana (billing)\""), std::string::npos);

  // A reply after the call closes its follow-up; a follow-up before the call is refused.
  ASSERT_TRUE(store->RecordReply(id, D("2026-03-04"), "itemized bill received", std::nullopt));
  detail = store->GetCase(id, D("2026-03-05"));
  EXPECT_TRUE(std::none_of(detail->deadlines.begin(), detail->deadlines.end(),
                           [](const CaseDeadline& d) { return d.kind == "call_follow_up"; }));
  EXPECT_EQ(store->RecordCall(id, D("2026-03-05"), "x", std::nullopt, "y", D("2026-03-01")).error().code,
            ErrorCode::kUsage);
  EXPECT_EQ(store->RecordCall(99, D("2026-03-05"), "x", std::nullopt, "y", std::nullopt).error().code,
            ErrorCode::kNotFound);
}

TEST(CaseStoreTest, OneLetterIsMarkedSentByItsId) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  auto r = store->RecordDocument(Statement(), "");
  ASSERT_TRUE(r);
  auto first = store->RecordLetter(r->case_id, "dispute", D("2026-03-01"), "Springfield Memorial");
  auto second = store->RecordLetter(r->case_id, "dispute", D("2026-03-02"), "Springfield Memorial");
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(store->MarkLetterSent(r->case_id, *first, D("2026-03-03"), "certified", "9400 1111"));
  auto cases = store->ListCases(D("2026-03-04"));
  ASSERT_TRUE(cases);
  const auto& letters = cases->front().letters;
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[0].sent, D("2026-03-03"));
  EXPECT_EQ(letters[0].tracking, "9400 1111");
  EXPECT_FALSE(letters[1].sent);  // the other letter of the same kind is untouched
  EXPECT_EQ(store->MarkLetterSent(r->case_id, 999, D("2026-03-03"), "mail", std::nullopt).error().code,
            ErrorCode::kNotFound);
  Bill other = Statement("2026-02-01", 90, 90, "other-1");
  other.provider.name = "Lakeside Radiology";
  auto o = store->RecordDocument(other, "");
  ASSERT_TRUE(o);
  // A letter of another case is not found through this one.
  EXPECT_EQ(store->MarkLetterSent(o->case_id, *second, D("2026-03-03"), "mail", std::nullopt).error().code,
            ErrorCode::kNotFound);
}

TEST(CaseStoreTest, DefaultPathIsPrivate) {
  TempDir tmp;
  std::string old = std::getenv("XDG_DATA_HOME") != nullptr ? std::getenv("XDG_DATA_HOME") : "";
  setenv("XDG_DATA_HOME", tmp.path().c_str(), 1);
  EXPECT_EQ(DefaultDatabasePath(), tmp.path() + "/billwise/cases.db");
  {
    auto store = CaseStore::Open("");
    ASSERT_TRUE(store) << store.error().message;
  }
  struct stat st {};
  ASSERT_EQ(stat((tmp.path() + "/billwise").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(DefaultDatabasePath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  if (old.empty()) unsetenv("XDG_DATA_HOME"); else setenv("XDG_DATA_HOME", old.c_str(), 1);
}

// The first shipped schema, written by hand as a v1 build would have left it.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE cases (id INTEGER PRIMARY KEY, provider TEXT NOT NULL, provider_key TEXT NOT NULL,
  account_number TEXT, account_key TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE TABLE documents (id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, sha256 TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL, document_type TEXT NOT NULL, statement_date TEXT, amount_due_cents INTEGER,
  json TEXT NOT NULL, recorded TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE TABLE letters (id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, kind TEXT NOT NULL,
  written TEXT NOT NULL, recipient TEXT NOT NULL DEFAULT '', sent TEXT, method TEXT, tracking TEXT);
CREATE TABLE replies (id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, date TEXT NOT NULL,
  note TEXT NOT NULL, file TEXT);
CREATE TABLE payment_plans (id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, monthly_cents INTEGER NOT NULL,
  start TEXT NOT NULL, months INTEGER);
CREATE TABLE payments (id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, amount_cents INTEGER NOT NULL,
  date TEXT NOT NULL);
PRAGMA user_version = 1;
)sql";

TEST(CaseStoreTest, MigratesFromTheFirstSchema) {
  TempDir tmp;
  std::string path = tmp / "v1.db";
  {
    auto db = sqlite::Database::Open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Exec(kSchemaV1));
    ASSERT_TRUE(db->Exec(
        "INSERT INTO cases (provider, provider_key, account_number, account_key)"
        " VALUES ('Springfield Memorial Hospital, Inc.', 'springfield memorial hospital', '00-4417-2209', '44172209')"));
    auto st = db->Prepare(
        "INSERT INTO documents (case_id, sha256, path, document_type, statement_date, amount_due_cents, json)"
        " VALUES (1, 'coll-1', 'collector.pdf', 'collection_notice', '2026-03-02', 197500, ?1)");
    ASSERT_TRUE(st);
    st->Bind(1, BillToJson(CollectionNotice(), -1));
    ASSERT_TRUE(st->Run());
    ASSERT_TRUE(db->Exec("INSERT INTO letters (case_id, kind, written) VALUES (1, 'dispute', '2026-03-03')"));
    EXPECT_EQ(db->QueryInt("PRAGMA user_version").value().value_or(-1), 1);
  }
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->schema_version(), kCaseSchemaVersion);
  EXPECT_EQ(Count(*store, "PRAGMA user_version"), kCaseSchemaVersion);
  // The v1 rows survive, the new column is filled, the new table works.
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents"), 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM letters"), 1);
  EXPECT_EQ(store->database().QueryText("SELECT status FROM cases WHERE id = 1").value_or(""), "in collections");
  ASSERT_TRUE(store->RecordEstimate(1, Usd(900), D("2025-12-01")));
  ASSERT_TRUE(store->RecordCall(1, D("2026-03-04"), "billing office", std::nullopt, "hold asked", std::nullopt));
  // New documents still join the migrated case.
  auto r = store->RecordDocument(Statement(), "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->case_id, 1);
  EXPECT_TRUE(HasKind(r->findings, "collection_amount_mismatch"));
  EXPECT_EQ(IntegrityCheck(path), "ok");

  // A newer file is refused, not damaged.
  ASSERT_TRUE(store->database().Exec("PRAGMA user_version = 99"));
  auto newer = CaseStore::Open(path);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::kUnsupported);
}

TEST(CaseStoreTest, ExportImportRoundTrip) {
  TempDir tmp;
  auto a = CaseStore::Open(tmp / "a.db");
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->RecordDocument(Statement(), ""));
  ASSERT_TRUE(a->RecordDocument(Eob(), ""));
  ASSERT_TRUE(a->RecordDocument(CollectionNotice(), ""));
  Bill other = Statement("2026-02-01", 90, 90, "other-1");
  other.provider.name = "Lakeside Radiology";
  ASSERT_TRUE(a->RecordDocument(other, ""));
  ASSERT_TRUE(a->RecordLetter(1, "dispute", D("2026-03-05"), "Apex Recovery LLC, Dept. 4; PO Box 9"));
  ASSERT_TRUE(a->MarkSent(1, "dispute", D("2026-03-06"), "certified", "9400 1000"));
  ASSERT_TRUE(a->RecordReply(1, D("2026-03-20"), "they answered \"paid in full\"", std::nullopt));
  ASSERT_TRUE(a->RecordEstimate(2, Usd(80), D("2026-01-10")));
  ASSERT_TRUE(a->RecordPlan(1, Usd(85.5), D("2026-04-01"), std::nullopt));
  ASSERT_TRUE(a->RecordPayment(1, Usd(85.5), D("2026-04-01")));
  ASSERT_TRUE(a->RecordCall(1, D("2026-03-10"), "Dana, billing", "A-17", "hold for 30 days", D("2026-04-09")));
  ASSERT_TRUE(a->RecordCall(2, D("2026-03-11"), "front desk", std::nullopt, "sent the form", std::nullopt));
  auto exported = a->ExportJson();
  ASSERT_TRUE(exported);
  EXPECT_NE(exported->find("\"reference\": \"A-17\""), std::string::npos);
  ASSERT_TRUE(exported);

  auto b = CaseStore::Open(tmp / "b.db");
  ASSERT_TRUE(b);
  auto added = b->ImportJson(*exported);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, 4);
  auto again = b->ExportJson();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *exported);
  // Importing twice duplicates nothing.
  auto twice = b->ImportJson(*exported);
  ASSERT_TRUE(twice);
  EXPECT_EQ(*twice, 0);
  EXPECT_EQ(*b->ExportJson(), *exported);
  // Derived state agrees too.
  auto ca = a->ListCases(D("2026-04-02"));
  auto cb = b->ListCases(D("2026-04-02"));
  EXPECT_EQ(CasesToJson(*ca), CasesToJson(*cb));
  // Malformed input is refused and leaves the file untouched.
  EXPECT_EQ(b->ImportJson("{\"schema\": \"other\"}").error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(b->ImportJson(R"({"schema": "billwise.cases/1", "cases": [{"provider": "X",
      "documents": [{"sha256": "zz"}]}]})"));
  EXPECT_EQ(Count(*b, "SELECT COUNT(*) FROM cases"), 2);
}

TEST(CaseStoreTest, ConcurrentWriterThreads) {
  TempDir tmp;
  std::string path = tmp / "cases.db";
  ASSERT_TRUE(CaseStore::Open(path));
  constexpr int kThreads = 4;
  constexpr int kDocs = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = CaseStore::Open(path);  // one connection per thread
      if (!store) {
        ++failures;
        return;
      }
      for (int i = 0; i < kDocs; ++i) {
        if (!store->RecordDocument(Numbered(t, i, 5), "")) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents"), kThreads * kDocs);
  // Every writer raced to create the same 5 accounts' cases: exactly 5 exist.
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM cases"), 5);
  EXPECT_EQ(IntegrityCheck(path), "ok");
}

TEST(CaseStoreTest, ConcurrentWriterProcesses) {
  TempDir tmp;
  std::string path = tmp / "cases.db";
  constexpr int kProcesses = 4;
  constexpr int kDocs = 40;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Each process opens the (possibly not yet created) file itself.
      auto store = CaseStore::Open(path);
      if (!store) _exit(3);
      for (int i = 0; i < kDocs; ++i) {
        if (!store->RecordDocument(Numbered(100 + p, i, 3), "")) _exit(4);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents"), kProcesses * kDocs);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM cases"), 3);
  EXPECT_EQ(IntegrityCheck(path), "ok");
}

TEST(CaseStoreTest, ProcessKilledInsideATransactionLeavesNothingHalfDone) {
  TempDir tmp;
  std::string path = tmp / "cases.db";
  {
    auto store = CaseStore::Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->RecordDocument(Statement(), ""));
  }
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    auto db = sqlite::Database::Open(path);
    if (!db) _exit(3);
    auto tx = sqlite::Transaction::Begin(*db);
    if (!tx) _exit(4);
    if (!db->Exec("INSERT INTO cases (provider, provider_key) VALUES ('Half', 'half')")) _exit(5);
    int64_t case_id = db->LastInsertRowId();
    auto st = db->Prepare(
        "INSERT INTO documents (case_id, sha256, path, document_type, json) VALUES (?1, ?2, 'p', 'unknown', '{}')");
    if (!st) _exit(6);
    for (int i = 0; i < 20000; ++i) {  // enough to spill pages into the WAL file
      st->Reset();
      st->Bind(1, case_id).Bind(2, "half-" + std::to_string(i));
      if (!st->Run()) _exit(7);
    }
    char ready = 'r';
    if (write(pipe_fds[1], &ready, 1) != 1) _exit(8);
    pause();  // killed here, mid-transaction
    _exit(0);
  }
  close(pipe_fds[1]);
  char ready = 0;
  ASSERT_EQ(read(pipe_fds[0], &ready, 1), 1);
  close(pipe_fds[0]);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(IntegrityCheck(path), "ok");
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents"), 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM cases"), 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents WHERE sha256 LIKE 'half-%'"), 0);
  // The database takes writes again.
  EXPECT_TRUE(store->RecordDocument(CollectionNotice(), ""));
}

TEST(CaseStoreTest, ProcessKilledAtRandomMomentsWhileRecording) {
  TempDir tmp;
  std::string path = tmp / "cases.db";
  ASSERT_TRUE(CaseStore::Open(path));
  // Kill a writer after 50, 90, 130, 170 and 210 ms: each time the file is intact, every
  // document has its case and every case has a document (cases are created only together
  // with their first document, in one transaction).
  for (int round = 0; round < 5; ++round) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = CaseStore::Open(path);
      if (!store) _exit(3);
      for (int i = 0;; ++i) (void)store->RecordDocument(Numbered(1000 + round, i, 1000000), "");
    }
    usleep(static_cast<useconds_t>((50 + 40 * round) * 1000));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_EQ(IntegrityCheck(path), "ok");
    auto store = CaseStore::Open(path);
    ASSERT_TRUE(store);
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM cases WHERE id NOT IN (SELECT case_id FROM documents)"), 0);
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM documents WHERE case_id NOT IN (SELECT id FROM cases)"), 0);
    auto fk = store->database().QueryText("PRAGMA foreign_key_check");
    ASSERT_TRUE(fk);
    EXPECT_EQ(*fk, "");
  }
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store);
  EXPECT_GT(Count(*store, "SELECT COUNT(*) FROM documents"), 0);  // the writers did get work done
  std::printf("documents committed before the kills: %lld\n",
              static_cast<long long>(Count(*store, "SELECT COUNT(*) FROM documents")));
}

}  // namespace
}  // namespace billwise
