#include "pipeline/cases/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

namespace billwise::sqlite {
namespace {

ErrorCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return ErrorCode::kIo;
    case SQLITE_CONSTRAINT:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_MISMATCH:
      return ErrorCode::kBadData;
    default:
      return ErrorCode::kInternal;
  }
}

std::unexpected<Error> FailFrom(sqlite3* db, int rc, std::string_view what) {
  std::string message = "database: ";
  message += what;
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Fail(CodeFor(rc), std::move(message));
}

}  // namespace

// ---------------------------------------------------------------- Statement

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Expected<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return FailFrom(db_, rc, "step");
}

Expected<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<std::string> Statement::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

// ---------------------------------------------------------------- Database

namespace {

// Mode 0600 for `path` when it is a regular file (not a link) that others may read or write.
// A file of another owner (which chmod refuses) is left as it is. The file is never opened:
// closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's
// included, and another connection of this process may hold them (SQLite would then let a
// second process reset the shared WAL index under the first: SIGBUS).
void MakePrivate(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
    ::chmod(path.c_str(), 0600);
  }
}

// "file:<path>?immutable=1", percent-encoding the characters a URI path may not hold.
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?immutable=1";
}

}  // namespace

Expected<Database> Database::Open(const std::string& path, const OpenOptions& options) {
  if (options.read_only_immutable) return OpenImmutable(path, options);
  if (path != ":memory:") {
    // Create the file ourselves so it is private (0600) from the first byte; SQLite gives
    // the -wal and -shm files the same permissions as the database file. A file that
    // already exists readable by others (an older version, a copy) is tightened to 0600.
    if (options.create) {
      int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_CREAT | O_EXCL, 0600);
      if (fd >= 0) {
        ::close(fd);  // a new file: no connection of this process holds locks on it
      } else if (errno != EEXIST) {
        return std::unexpected(ErrorFromErrno(errno, "database: cannot create the database file"));
      }
    }
    for (const char* suffix : {"", "-wal", "-shm"}) MakePrivate(path + suffix);
  }
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (options.create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);  // owns the handle even when open failed
  if (rc != SQLITE_OK) {
    if (raw == nullptr) return FailFrom(nullptr, rc, "open");
    return FailFrom(raw, rc, "open");
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (auto ok = db.Exec("PRAGMA foreign_keys = ON"); !ok) return std::unexpected(ok.error());
  if (options.wal) {
    // journal_mode returns a row; it needs the lock briefly on a new file, and the busy
    // timeout covers a concurrent opener.
    // SQLite does not call the busy handler for this pragma, so retry by hand.
    auto mode = db.QueryText("PRAGMA journal_mode = WAL");
    for (int waited_ms = 0; !mode && mode.error().code == ErrorCode::kIo &&
                            waited_ms < options.busy_timeout_ms;
         waited_ms += 10) {
      ::usleep(10 * 1000);
      mode = db.QueryText("PRAGMA journal_mode = WAL");
    }
    if (!mode) return std::unexpected(mode.error());
    if (*mode != "wal" && path != ":memory:") {
      return Fail(ErrorCode::kIo, "database: the file system does not support WAL mode");
    }
    if (auto ok = db.Exec("PRAGMA synchronous = NORMAL"); !ok) return std::unexpected(ok.error());
  }
  return db;
}

Expected<Database> Database::OpenImmutable(const std::string& path, const OpenOptions& options) {
  if (::access(path.c_str(), R_OK) != 0) return Fail(ErrorCode::kNotFound, "database: cannot read " + path);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(ImmutableUri(path).c_str(), &raw,
                           SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, nullptr);
  Database db(raw);  // owns the handle even when open failed
  if (rc != SQLITE_OK) return FailFrom(raw, rc, "open");
  sqlite3_extended_result_codes(raw, 1);
  if (auto ok = db.Exec("PRAGMA mmap_size = " + std::to_string(options.mmap_bytes)); !ok) {
    return std::unexpected(ok.error());
  }
  // Reading the schema proves the file is a database (open itself does not read it).
  if (auto ok = db.QueryInt("SELECT count(*) FROM sqlite_master"); !ok) return std::unexpected(ok.error());
  return db;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Expected<void> Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = "database: exec: ";
    message += err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Fail(CodeFor(rc), std::move(message));
  }
  return {};
}

Expected<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return FailFrom(db_, rc, "prepare");
  }
  return Statement(db_, stmt);
}

Expected<std::optional<int64_t>> Database::QueryInt(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<int64_t>();
  return stmt->OptInt(0);
}

Expected<std::string> Database::QueryText(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::string();
  return stmt->Text(0);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

// ---------------------------------------------------------------- Transaction

Expected<Transaction> Transaction::Begin(Database& db) {
  if (auto ok = db.Exec("BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Expected<void> Transaction::Commit() {
  if (db_ == nullptr) return Fail(ErrorCode::kInternal, "database: transaction already finished");
  auto ok = db_->Exec("COMMIT");
  if (!ok) return ok;  // the destructor rolls back
  db_ = nullptr;
  return {};
}

}  // namespace billwise::sqlite
