// CaseStore: the local case file. One SQLite database (WAL mode) that keeps every analyzed
// document by sha256 with its bill JSON, groups documents of one provider (or a collector's
// original creditor) and account number into a case, and records the letters, replies,
// good-faith estimates, payment plans and payments of each case. Findings across documents,
// balances, statuses and deadlines are derived from those records when asked (never stored,
// so they cannot go stale); `cases.status` is refreshed on every write for other readers.
//
// Every write runs in one BEGIN IMMEDIATE transaction: a process killed mid-write leaves
// the database as it was before that write. Many processes may write one file at once
// (a writer waits up to 30 s for the lock). A CaseStore owns one connection: use it from
// one thread at a time, and open one per thread (Open is cheap). Failures are Errors:
// kIo (file, lock), kBadData (corrupt file), kUnsupported (a newer schema), kNotFound (no
// such case), kUsage (bad argument), kInvalidInput (bad import file).
#ifndef BILLWISE_PIPELINE_CASES_CASE_STORE_H_
#define BILLWISE_PIPELINE_CASES_CASE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/cases/case_checks.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

namespace billwise {

namespace sqlite {
class Database;
}

// $XDG_DATA_HOME/billwise/cases.db, else $HOME/.local/share/billwise/cases.db.
std::string DefaultDatabasePath();

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kCaseSchemaVersion = 3;

struct RecordResult {
  int64_t case_id = 0;
  int64_t document_id = 0;
  bool new_document = true;  // false: this sha256 was already stored (nothing written)
  bool new_case = false;
  std::vector<Finding> findings;  // cross-document findings that involve this document
};

struct DocumentSummary {
  int64_t id = 0;
  std::string path;
  std::string sha256;
  std::string document_type;
  std::optional<Date> statement_date;
  std::optional<Money> amount_due;
};

struct CaseSummary {
  int64_t id = 0;
  std::string provider;
  std::optional<std::string> account_number;
  std::string status;
  std::optional<Money> balance;
  std::vector<DocumentSummary> documents;
  std::optional<CaseDeadline> next_deadline;
  std::optional<NextPayment> next_payment;
  std::vector<LetterRecord> letters;  // written and sent, in recorded order
  std::vector<CallRecord> calls;      // in date order
};

struct TimelineEntry {
  std::optional<Date> date;  // undated documents sort first
  std::string kind;          // document | letter | sent | reply | call | plan | payment | estimate
  std::string text;
};

struct CaseDetail {
  CaseSummary summary;
  CaseFacts facts;
  std::vector<Finding> document_findings;  // findings stored in each document's bill JSON
  std::vector<CrossFinding> cross_findings;
  std::vector<CaseDeadline> deadlines;
  std::vector<TimelineEntry> timeline;  // in date order
};

class CaseStore {
 public:
  // Opens or creates the database ("" = DefaultDatabasePath(); the folder is created with
  // mode 0700, the file 0600) and migrates its schema to kCaseSchemaVersion.
  static Expected<CaseStore> Open(const std::string& path);

  CaseStore(CaseStore&&) noexcept;
  CaseStore& operator=(CaseStore&&) noexcept;
  ~CaseStore();

  // Stores a document (idempotent by sha256: source.sha256, else the SHA-256 of the JSON),
  // files it under its case (creating the case when none matches) and runs the
  // cross-document checks. `bill_json` is the bill's JSON ("" = BillToJson(bill)).
  Expected<RecordResult> RecordDocument(const Bill& bill, const std::string& bill_json);

  // Records a letter written for a case; returns the letter id.
  Expected<int64_t> RecordLetter(int64_t case_id, const std::string& kind, const Date& written,
                                 const std::string& recipient);
  // Marks the latest unsent letter of `kind` as sent (recording one when none was written).
  Expected<int64_t> MarkSent(int64_t case_id, const std::string& kind, const Date& sent,
                             const std::string& method, const std::optional<std::string>& tracking);
  // Marks one letter (by its id, which must belong to the case) as sent.
  Expected<int64_t> MarkLetterSent(int64_t case_id, int64_t letter_id, const Date& sent, const std::string& method,
                                   const std::optional<std::string>& tracking);
  // Logs a phone call; `follow_up` defaults to kCallFollowUpDays after the call. Returns its id.
  Expected<int64_t> RecordCall(int64_t case_id, const Date& date, const std::string& with,
                               const std::optional<std::string>& reference, const std::string& note,
                               const std::optional<Date>& follow_up);
  Expected<int64_t> RecordReply(int64_t case_id, const Date& date, const std::string& note,
                                const std::optional<std::string>& file);
  Expected<int64_t> RecordPlan(int64_t case_id, Money monthly, const Date& start, std::optional<int> months);
  Expected<int64_t> RecordPayment(int64_t case_id, Money amount, const Date& date);
  Expected<int64_t> RecordEstimate(int64_t case_id, Money amount, const Date& date);

  // A case id from the command line: the number shown by `billwise cases`, or an account
  // number that names exactly one case.
  Expected<int64_t> ResolveCase(std::string_view reference);

  Expected<std::vector<CaseSummary>> ListCases(const Date& today);
  Expected<CaseDetail> GetCase(int64_t case_id, const Date& today);
  // Open deadlines across cases, soonest first; within_days limits to date <= today + N.
  Expected<std::vector<CaseDeadline>> Deadlines(const Date& today, std::optional<int> within_days);

  // Backup: every case with its documents (bill JSON included), letters, replies, calls,
  // estimates, plans and payments, as JSON (schema "billwise.cases/1").
  Expected<std::string> ExportJson();
  // Merges an export into this database in one transaction: documents already stored (by
  // sha256) are skipped, other records already present are not duplicated. Returns the
  // number of documents added.
  Expected<int> ImportJson(std::string_view json);

  int schema_version() const { return schema_version_; }
  // The underlying connection, for tests and maintenance (integrity checks).
  sqlite::Database& database() { return *db_; }

 private:
  CaseStore(std::unique_ptr<sqlite::Database> db, int version);
  std::unique_ptr<sqlite::Database> db_;
  int schema_version_ = 0;
};

// For `billwise analyze` (unless --no-store): opens the store at db_path ("" = default),
// records the bill and returns the cross-document findings that involve it.
Expected<std::vector<Finding>> StoreAnalyzedBill(const std::string& db_path, const Bill& bill);

// Files `bill` in its case (idempotent) and records each letter kind written on `today` to
// `recipient` ("" = the collector, else the provider named on the bill).
Expected<void> RecordLettersForBill(const std::string& db_path, const Bill& bill,
                                    const std::vector<std::string>& kinds, const Date& today,
                                    const std::string& recipient = "");

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_CASES_CASE_STORE_H_
