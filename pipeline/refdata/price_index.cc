#include "pipeline/refdata/price_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include "pipeline/cases/sqlite_db.h"

namespace billwise {

namespace fs = std::filesystem;

struct PriceIndex::Impl {
  sqlite::Database db;
};

namespace {

constexpr int kSchemaVersion = 1;

uint64_t Fnv1a(uint64_t h, const void* data, size_t n) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

struct FileKey {
  int64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t sample_hash = 0;  // FNV-1a of the first and last MiB
  std::string Hex() const {
    uint64_t h = 14695981039346656037ULL;
    h = Fnv1a(h, &size, sizeof size);
    h = Fnv1a(h, &mtime_ns, sizeof mtime_ns);
    h = Fnv1a(h, &sample_hash, sizeof sample_hash);
    h = Fnv1a(h, &kSchemaVersion, sizeof kSchemaVersion);
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
  }
};

Expected<FileKey> KeyOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return Fail(ErrorCode::kNotFound, path + ": no such file");
  FileKey key;
  key.size = st.st_size;
  key.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kIo, path + ": cannot open");
  constexpr int64_t kMiB = 1 << 20;
  std::string block(static_cast<size_t>(kMiB), '\0');
  uint64_t h = 14695981039346656037ULL;
  for (int64_t at : {int64_t{0}, std::max<int64_t>(0, key.size - kMiB)}) {
    ssize_t n = ::pread(fd, block.data(), block.size(), at);
    if (n > 0) h = Fnv1a(h, block.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  key.sample_hash = h;
  return key;
}

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE plans(id INTEGER PRIMARY KEY, payer TEXT NOT NULL, plan TEXT NOT NULL);
CREATE TABLE charges(id INTEGER PRIMARY KEY, code TEXT NOT NULL, code_type TEXT, setting TEXT, modifiers TEXT,
                     gross INTEGER, cash INTEGER, min INTEGER, max INTEGER);
CREATE TABLE rates(charge INTEGER NOT NULL, plan INTEGER NOT NULL, dollar INTEGER, percentage REAL,
                   algorithm TEXT, estimated INTEGER, methodology TEXT);
)sql";

std::optional<int64_t> Cents(const std::optional<Money>& m) {
  if (!m) return std::nullopt;
  return m->cents;
}

std::optional<Money> OptMoney(const sqlite::Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return Money::FromCents(s.Int(col));
}

// Streams the file into a fresh database at `tmp`.
Expected<PriceFileInfo> Build(const std::string& price_file, const std::string& tmp, const FileKey& key) {
  auto db = sqlite::Database::Open(tmp, sqlite::OpenOptions{.busy_timeout_ms = 1000, .create = true, .wal = false});
  if (!db) return std::unexpected(db.error());
  if (auto ok = db->Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"); !ok) {
    return std::unexpected(ok.error());
  }
  if (auto ok = db->Exec(kSchema); !ok) return std::unexpected(ok.error());
  if (auto ok = db->Exec("BEGIN"); !ok) return std::unexpected(ok.error());
  auto charge = db->Prepare("INSERT INTO charges(code, code_type, setting, modifiers, gross, cash, min, max) VALUES(?,?,?,?,?,?,?,?)");
  auto rate = db->Prepare("INSERT INTO rates VALUES(?,?,?,?,?,?,?)");
  auto plan = db->Prepare("INSERT INTO plans(payer, plan) VALUES(?,?)");
  if (!charge) return std::unexpected(charge.error());
  if (!rate) return std::unexpected(rate.error());
  if (!plan) return std::unexpected(plan.error());
  std::unordered_map<std::string, int64_t> plan_ids;
  std::optional<Error> failure;
  auto sink = [&](const PriceRecord& r) {
    if (failure) return;
    charge->Reset();
    charge->Bind(1, r.code).Bind(2, r.code_type).Bind(3, r.setting).Bind(4, r.modifiers);
    charge->Bind(5, Cents(r.gross)).Bind(6, Cents(r.cash)).Bind(7, Cents(r.min)).Bind(8, Cents(r.max));
    if (auto ok = charge->Run(); !ok) {
      failure = ok.error();
      return;
    }
    int64_t charge_id = db->LastInsertRowId();
    for (const NegotiatedRate& n : r.rates) {
      std::string plan_key = n.payer + '\x1f' + n.plan;
      auto it = plan_ids.find(plan_key);
      if (it == plan_ids.end()) {
        plan->Reset();
        plan->Bind(1, n.payer).Bind(2, n.plan);
        if (auto ok = plan->Run(); !ok) {
          failure = ok.error();
          return;
        }
        it = plan_ids.emplace(std::move(plan_key), db->LastInsertRowId()).first;
      }
      rate->Reset();
      rate->Bind(1, charge_id).Bind(2, it->second).Bind(3, Cents(n.dollar)).Bind(4, n.percentage);
      rate->Bind(5, n.algorithm).Bind(6, Cents(n.estimated)).Bind(7, n.methodology);
      if (auto ok = rate->Run(); !ok) {
        failure = ok.error();
        return;
      }
    }
  };
  auto info = ReadPriceFile(price_file, sink);
  if (!info) return std::unexpected(info.error());
  if (failure) return std::unexpected(*failure);
  if (auto ok = db->Exec("CREATE INDEX charges_code ON charges(code); CREATE INDEX rates_charge ON rates(charge);"); !ok) {
    return std::unexpected(ok.error());
  }
  auto meta = db->Prepare("INSERT INTO meta VALUES(?,?)");
  if (!meta) return std::unexpected(meta.error());
  auto put = [&](std::string_view k, const std::string& v) {
    meta->Reset();
    meta->Bind(1, k).Bind(2, v);
    return meta->Run();
  };
  for (auto ok : {put("source", price_file), put("container", info->container), put("shape", info->shape),
                  put("hospital_name", info->hospital_name), put("last_updated_on", info->last_updated_on),
                  put("version", info->version), put("bytes", std::to_string(info->bytes)),
                  put("records", std::to_string(info->records)), put("partial", info->partial ? "1" : "0"),
                  put("problem", info->problem), put("size", std::to_string(key.size)),
                  put("mtime_ns", std::to_string(key.mtime_ns)), put("sample_hash", std::to_string(key.sample_hash))}) {
    if (!ok) return std::unexpected(ok.error());
  }
  if (auto ok = db->Exec("COMMIT"); !ok) return std::unexpected(ok.error());
  return info;
}

Expected<PriceFileInfo> ReadMeta(sqlite::Database& db, const FileKey& key) {
  auto q = db.Prepare("SELECT key, value FROM meta");
  if (!q) return std::unexpected(q.error());
  std::unordered_map<std::string, std::string> m;
  while (true) {
    auto row = q->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    m[q->Text(0)] = q->Text(1);
  }
  if (m["size"] != std::to_string(key.size) || m["mtime_ns"] != std::to_string(key.mtime_ns) ||
      m["sample_hash"] != std::to_string(key.sample_hash)) {
    return Fail(ErrorCode::kBadData, "index does not match the file");
  }
  PriceFileInfo info;
  info.name = m["source"];
  info.container = m["container"];
  info.shape = m["shape"];
  info.hospital_name = m["hospital_name"];
  info.last_updated_on = m["last_updated_on"];
  info.version = m["version"];
  info.bytes = std::strtoull(m["bytes"].c_str(), nullptr, 10);
  info.records = std::strtoll(m["records"].c_str(), nullptr, 10);
  info.partial = m["partial"] == "1";
  info.problem = m["problem"];
  return info;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void Widen(std::optional<Money>* lo, std::optional<Money>* hi, std::optional<Money> v) {
  if (!v) return;
  if (!*lo || *v < **lo) *lo = v;
  if (!*hi || *v > **hi) *hi = v;
}

}  // namespace

std::string DefaultPriceCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return (fs::path(xdg) / "billwise" / "prices").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : ".") / ".cache" / "billwise" / "prices").string();
}

PriceIndex::PriceIndex(PriceIndex&&) noexcept = default;
PriceIndex& PriceIndex::operator=(PriceIndex&&) noexcept = default;
PriceIndex::~PriceIndex() = default;

Expected<PriceIndex> PriceIndex::OpenOrBuild(const std::string& price_file, const PriceIndexOptions& options) {
  auto key = KeyOf(price_file);
  if (!key) return std::unexpected(key.error());
  fs::path dir = options.cache_dir.empty() ? fs::path(DefaultPriceCacheDir()) : fs::path(options.cache_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, dir.string() + ": cannot create the price cache folder: " + ec.message());
  PriceIndex index;
  index.impl_ = std::make_unique<Impl>();
  index.index_path_ = (dir / (key->Hex() + ".sqlite")).string();
  if (!options.rebuild && fs::is_regular_file(index.index_path_, ec)) {
    auto db = sqlite::Database::Open(index.index_path_, sqlite::OpenOptions{.busy_timeout_ms = 1000, .create = false, .wal = false});
    if (db) {
      auto info = ReadMeta(*db, *key);
      if (info) {
        index.impl_->db = std::move(*db);
        index.info_ = std::move(*info);
        return index;
      }
    }
  }
  std::string tmp = index.index_path_ + ".tmp-" + std::to_string(::getpid());
  fs::remove(tmp, ec);
  auto info = Build(price_file, tmp, *key);
  if (!info) {
    fs::remove(tmp, ec);
    return std::unexpected(info.error());
  }
  fs::rename(tmp, index.index_path_, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Fail(ErrorCode::kIo, index.index_path_ + ": cannot write the price index");
  }
  auto db = sqlite::Database::Open(index.index_path_, sqlite::OpenOptions{.busy_timeout_ms = 1000, .create = false, .wal = false});
  if (!db) return std::unexpected(db.error());
  index.impl_->db = std::move(*db);
  index.info_ = std::move(*info);
  index.info_.name = price_file;
  index.built_now_ = true;
  return index;
}

Expected<PublishedPrices> PriceIndex::Lookup(std::string_view code, std::string_view payer) const {
  PublishedPrices out;
  for (char c : code) {
    if (c == ' ') continue;
    out.code += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  // The gross, cash and band describe the base code: rows with modifiers count only when the
  // code has no row without one.
  auto charges = impl_->db.Prepare(
      "SELECT gross, cash, min, max FROM charges WHERE code = ?1 AND (modifiers = '' OR NOT EXISTS "
      "(SELECT 1 FROM charges WHERE code = ?1 AND modifiers = ''))");
  if (!charges) return std::unexpected(charges.error());
  charges->Bind(1, out.code);
  while (true) {
    auto row = charges->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    ++out.rows;
    auto g = OptMoney(*charges, 0);
    Widen(&out.gross_min, &out.gross_max, g);
    Widen(&out.cash_min, &out.cash_max, OptMoney(*charges, 1));
    auto lo = OptMoney(*charges, 2);
    auto hi = OptMoney(*charges, 3);
    Widen(&out.published_min, &out.published_max, lo);
    Widen(&out.published_min, &out.published_max, hi);
  }
  auto rates = impl_->db.Prepare(
      "SELECT DISTINCT p.payer, p.plan, c.setting, c.modifiers, r.dollar, r.percentage, r.algorithm, r.estimated, "
      "r.methodology FROM charges c JOIN rates r ON r.charge = c.id JOIN plans p ON p.id = r.plan "
      "WHERE c.code = ? ORDER BY p.payer, p.plan, c.setting, c.modifiers");
  if (!rates) return std::unexpected(rates.error());
  rates->Bind(1, out.code);
  std::string filter = LowerAscii(payer);
  std::vector<int64_t> amounts;           // base-code rates
  std::vector<int64_t> modified_amounts;  // rates of the code with modifiers
  while (true) {
    auto row = rates->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    PayerPlanRate r;
    r.payer = rates->Text(0);
    r.plan = rates->Text(1);
    if (!filter.empty() && LowerAscii(r.payer).find(filter) == std::string::npos &&
        LowerAscii(r.plan).find(filter) == std::string::npos) {
      continue;
    }
    r.setting = rates->Text(2);
    r.modifiers = rates->Text(3);
    r.dollar = OptMoney(*rates, 4);
    if (!rates->IsNull(5)) r.percentage = rates->Double(5);
    r.algorithm = rates->Text(6);
    r.estimated = OptMoney(*rates, 7);
    r.methodology = rates->Text(8);
    if (auto a = r.amount(); a && a->cents > 0) (r.modifiers.empty() ? amounts : modified_amounts).push_back(a->cents);
    out.rates.push_back(std::move(r));
  }
  if (amounts.empty()) amounts = std::move(modified_amounts);
  if (!amounts.empty()) {
    std::sort(amounts.begin(), amounts.end());
    out.negotiated_min = Money::FromCents(amounts.front());
    out.negotiated_max = Money::FromCents(amounts.back());
    size_t n = amounts.size();
    int64_t median = n % 2 ? amounts[n / 2] : (amounts[n / 2 - 1] + amounts[n / 2]) / 2;
    out.negotiated_median = Money::FromCents(median);
  }
  return out;
}

}  // namespace billwise
