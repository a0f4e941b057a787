// SQLite adapter: the only file in billwise that talks to libsqlite3.
//
// Database owns one connection (RAII, closed on destruction). Open() sets a busy timeout,
// WAL journal mode and foreign keys, so several processes (batch workers, the local web
// page, the CLI) can write one file at once: a writer that finds the file locked waits up
// to the timeout instead of failing. Statement owns one prepared statement. Transaction
// runs BEGIN IMMEDIATE (the write lock is taken at the start, so two writers never both
// read and then both try to upgrade) and rolls back in its destructor unless Commit()
// succeeded, so an early return or an error never leaves a half-written record.
//
// Every failure becomes an Error (kIo for busy/locked/disk, kBadData for constraint and
// corruption errors, kInternal otherwise) whose message carries SQLite's text, never bound
// values. Threads: a Database and its Statements belong to one thread at a time; open one
// Database per thread. Statements must be destroyed before their Database.
#ifndef BILLWISE_PIPELINE_CASES_SQLITE_DB_H_
#define BILLWISE_PIPELINE_CASES_SQLITE_DB_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace billwise::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds parameter `index` (1-based). Failures surface at Step().
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Advances: true when a row is available, false when done.
  Expected<bool> Step();
  // Steps to completion (for INSERT/UPDATE/DELETE).
  Expected<void> Run();
  // Makes the statement reusable; bindings are cleared.
  void Reset();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::optional<int64_t> OptInt(int column) const;
  std::optional<std::string> OptText(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct OpenOptions {
  int busy_timeout_ms = 30000;  // how long a writer waits for another writer's lock
  bool create = true;           // create the file when missing (mode 0600)
  bool wal = true;              // journal_mode=WAL
  // Read-only and immutable (URI immutable=1: no locks, no journal; the file must not change
  // while open) and memory-mapped up to mmap_bytes. Implies create = false and wal = false.
  bool read_only_immutable = false;
  int64_t mmap_bytes = 64 << 20;
};

class Database {
 public:
  // Opens (and by default creates, mode 0600) the database file and applies the pragmas.
  static Expected<Database> Open(const std::string& path, const OpenOptions& options = {});

  Database() = default;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more SQL statements that return no rows needed by the caller.
  Expected<void> Exec(std::string_view sql);
  Expected<Statement> Prepare(std::string_view sql);
  // The first column of the first row of a query, as an integer (nullopt when no row).
  Expected<std::optional<int64_t>> QueryInt(std::string_view sql);
  // The first column of the first row, as text ("" when no row).
  Expected<std::string> QueryText(std::string_view sql);

  int64_t LastInsertRowId() const;
  int Changes() const;
  bool is_open() const { return db_ != nullptr; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  static Expected<Database> OpenImmutable(const std::string& path, const OpenOptions& options);
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed.
class Transaction {
 public:
  static Expected<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Expected<void> Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;
};

}  // namespace billwise::sqlite

#endif  // BILLWISE_PIPELINE_CASES_SQLITE_DB_H_
