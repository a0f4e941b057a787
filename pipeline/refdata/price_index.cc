#include "pipeline/refdata/price_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include "pipeline/cases/sqlite_db.h"
#include "pipeline/model/strings.h"

namespace billwise {

namespace fs = std::filesystem;

struct PriceIndex::Impl {
  sqlite::Database db;
};

namespace {

constexpr int kSchemaVersion = 3;

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

// One row per code, setting and price set; its payer rates packed into one BLOB (see
// RateCodec) against the interned plans and algorithm texts, which keeps the index a small
// fraction of the file. A charge published for several codes (an item's CPT and CDM codes)
// has one rate set, shared by its rows.
constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE plans(id INTEGER PRIMARY KEY, payer TEXT NOT NULL, plan TEXT NOT NULL, methodology TEXT NOT NULL);
CREATE TABLE texts(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE charges(id INTEGER PRIMARY KEY, code TEXT NOT NULL, code_type TEXT, setting TEXT, modifiers TEXT,
                     gross INTEGER, cash INTEGER, min INTEGER, max INTEGER, rates INTEGER NOT NULL);
CREATE TABLE rate_sets(id INTEGER PRIMARY KEY, rates BLOB NOT NULL);
)sql";

// A rate in the BLOB: varint plan id, varint flags (1 dollar, 2 percentage, 4 estimated,
// 8 algorithm), then the present fields in that order: varint cents (zigzag), percentage as
// varint hundredths (zigzag), varint cents (zigzag), varint text id.
namespace RateCodec {
void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
uint64_t Zig(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t Unzig(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }
// False when the BLOB ends inside a number.
bool GetVarint(std::string_view* in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    unsigned char c = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}
}  // namespace RateCodec

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
  auto charge = db->Prepare(
      "INSERT INTO charges(code, code_type, setting, modifiers, gross, cash, min, max, rates) VALUES(?,?,?,?,?,?,?,?,?)");
  auto plan = db->Prepare("INSERT INTO plans(payer, plan, methodology) VALUES(?,?,?)");
  auto text = db->Prepare("INSERT INTO texts(text) VALUES(?)");
  auto rate_set = db->Prepare("INSERT INTO rate_sets(rates) VALUES(?)");
  if (!rate_set) return std::unexpected(rate_set.error());
  if (!charge) return std::unexpected(charge.error());
  if (!plan) return std::unexpected(plan.error());
  if (!text) return std::unexpected(text.error());
  std::unordered_map<std::string, int64_t> plan_ids;
  std::unordered_map<std::string, int64_t> text_ids;
  std::optional<Error> failure;
  std::string id_key;  // reused for every lookup
  auto intern = [&](std::unordered_map<std::string, int64_t>& ids, sqlite::Statement& insert,
                    std::initializer_list<std::string_view> values) -> int64_t {
    id_key.clear();
    for (std::string_view v : values) {
      id_key += v;
      id_key += '\x1f';
    }
    auto it = ids.find(id_key);
    if (it != ids.end()) return it->second;
    insert.Reset();
    int i = 1;
    for (std::string_view v : values) insert.Bind(i++, v);
    if (auto ok = insert.Run(); !ok) failure = ok.error();
    return ids.emplace(id_key, db->LastInsertRowId()).first->second;
  };
  // Files list the same plans in the same order for item after item: the plan id found at
  // each position of the last record is tried first.
  struct Recent {
    std::string payer, plan, methodology;
    int64_t id = 0;
  };
  std::vector<Recent> recent;
  auto plan_id = [&](size_t i, const NegotiatedRate& n) {
    if (i < recent.size() && recent[i].payer == n.payer && recent[i].plan == n.plan &&
        recent[i].methodology == n.methodology) {
      return recent[i].id;
    }
    int64_t id = intern(plan_ids, *plan, {n.payer, n.plan, n.methodology});
    if (i >= recent.size()) recent.resize(i + 1);
    recent[i] = Recent{n.payer, n.plan, n.methodology, id};
    return id;
  };
  auto encode = [&](const PriceRecord& r, std::string* blob) {
    for (size_t i = 0; i < r.rates.size(); ++i) {
      const NegotiatedRate& n = r.rates[i];
      uint64_t flags = (n.dollar ? 1 : 0) | (n.percentage ? 2 : 0) | (n.estimated ? 4 : 0) | (n.algorithm.empty() ? 0 : 8);
      RateCodec::PutVarint(blob, static_cast<uint64_t>(plan_id(i, n)));
      RateCodec::PutVarint(blob, flags);
      if (n.dollar) RateCodec::PutVarint(blob, RateCodec::Zig(n.dollar->cents));
      if (n.percentage) RateCodec::PutVarint(blob, RateCodec::Zig(static_cast<int64_t>(std::llround(*n.percentage * 100))));
      if (n.estimated) RateCodec::PutVarint(blob, RateCodec::Zig(n.estimated->cents));
      if (!n.algorithm.empty()) {
        RateCodec::PutVarint(blob, static_cast<uint64_t>(intern(text_ids, *text, {n.algorithm})));
      }
    }
  };
  // Nearby records with the same code, setting and prices (a tall CSV's rows, one per payer,
  // each giving several code columns) become one row. A pending row keeps the record without
  // its rates, which are encoded at once into its BLOB; slots are reused, so rows cost no
  // allocation once the first few are made.
  constexpr size_t kPending = 8;
  struct Pending {
    PriceRecord charge;  // rates left empty
    std::string blob;
  };
  std::vector<Pending> pending(kPending);
  size_t pending_used = 0;
  auto same_charge = [](const PriceRecord& a, const PriceRecord& b) {
    return a.code == b.code && a.code_type == b.code_type && a.setting == b.setting && a.modifiers == b.modifiers &&
           a.gross == b.gross && a.cash == b.cash && a.min == b.min && a.max == b.max;
  };
  // The rate set last written: a row with the same BLOB (the next code of the same charge)
  // shares it.
  std::string last_set;
  int64_t last_set_id = 0;
  auto flush = [&] {
    for (size_t k = 0; k < pending_used && !failure; ++k) {
      if (last_set_id == 0 || pending[k].blob != last_set) {
        rate_set->Reset();
        rate_set->Bind(1, std::string_view(pending[k].blob));
        if (auto ok = rate_set->Run(); !ok) failure = ok.error();
        last_set_id = db->LastInsertRowId();
        last_set = pending[k].blob;
      }
      const PriceRecord& r = pending[k].charge;
      charge->Reset();
      charge->Bind(1, r.code).Bind(2, r.code_type).Bind(3, r.setting).Bind(4, r.modifiers);
      charge->Bind(5, Cents(r.gross)).Bind(6, Cents(r.cash)).Bind(7, Cents(r.min)).Bind(8, Cents(r.max));
      charge->Bind(9, last_set_id);
      if (auto ok = charge->Run(); !ok) failure = ok.error();
    }
    pending_used = 0;
  };
  auto sink = [&](const PriceRecord& r) {
    if (failure) return;
    for (size_t k = 0; k < pending_used; ++k) {
      if (same_charge(pending[k].charge, r)) {
        encode(r, &pending[k].blob);
        return;
      }
    }
    if (pending_used == kPending) flush();
    Pending& p = pending[pending_used++];
    PriceRecord& c = p.charge;
    c.code = r.code;
    c.code_type = r.code_type;
    c.setting = r.setting;
    c.modifiers = r.modifiers;
    c.gross = r.gross;
    c.cash = r.cash;
    c.min = r.min;
    c.max = r.max;
    p.blob.clear();
    encode(r, &p.blob);
  };
  auto info = ReadPriceFile(price_file, sink);
  if (!info) return std::unexpected(info.error());
  flush();
  if (failure) return std::unexpected(*failure);
  if (auto ok = db->Exec("CREATE INDEX charges_code ON charges(code);"); !ok) {
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
  auto rates = impl_->db.Prepare("SELECT setting, modifiers, rate_sets.rates FROM charges JOIN rate_sets ON rate_sets.id = charges.rates "
      "WHERE code = ?");
  auto plan = impl_->db.Prepare("SELECT payer, plan, methodology FROM plans WHERE id = ?");
  auto text = impl_->db.Prepare("SELECT text FROM texts WHERE id = ?");
  if (!rates) return std::unexpected(rates.error());
  if (!plan) return std::unexpected(plan.error());
  if (!text) return std::unexpected(text.error());
  rates->Bind(1, out.code);
  std::string filter = Lower(payer);
  std::vector<int64_t> amounts;           // base-code rates
  std::vector<int64_t> modified_amounts;  // rates of the code with modifiers
  auto corrupt = [&] { return Fail(ErrorCode::kBadData, index_path_ + ": corrupt rate list for " + out.code); };
  while (true) {
    auto row = rates->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    std::string setting = rates->Text(0);
    std::string modifiers = rates->Text(1);
    std::string packed = rates->Text(2);
    std::string_view in(packed);
    while (!in.empty()) {
      uint64_t plan_id = 0, flags = 0, v = 0;
      if (!RateCodec::GetVarint(&in, &plan_id) || !RateCodec::GetVarint(&in, &flags)) return corrupt();
      PayerPlanRate r;
      r.setting = setting;
      r.modifiers = modifiers;
      if (flags & 1) {
        if (!RateCodec::GetVarint(&in, &v)) return corrupt();
        r.dollar = Money::FromCents(RateCodec::Unzig(v));
      }
      if (flags & 2) {
        if (!RateCodec::GetVarint(&in, &v)) return corrupt();
        r.percentage = static_cast<double>(RateCodec::Unzig(v)) / 100.0;
      }
      if (flags & 4) {
        if (!RateCodec::GetVarint(&in, &v)) return corrupt();
        r.estimated = Money::FromCents(RateCodec::Unzig(v));
      }
      if (flags & 8) {
        if (!RateCodec::GetVarint(&in, &v)) return corrupt();
        text->Reset();
        text->Bind(1, static_cast<int64_t>(v));
        auto t = text->Step();
        if (!t) return std::unexpected(t.error());
        if (*t) r.algorithm = text->Text(0);
      }
      plan->Reset();
      plan->Bind(1, static_cast<int64_t>(plan_id));
      auto p = plan->Step();
      if (!p) return std::unexpected(p.error());
      if (!*p) return corrupt();
      r.payer = plan->Text(0);
      r.plan = plan->Text(1);
      r.methodology = plan->Text(2);
      if (!filter.empty() && Lower(r.payer).find(filter) == std::string::npos &&
          Lower(r.plan).find(filter) == std::string::npos) {
        continue;
      }
      if (auto a = r.amount(); a && a->cents > 0) (r.modifiers.empty() ? amounts : modified_amounts).push_back(a->cents);
      out.rates.push_back(std::move(r));
    }
  }
  std::sort(out.rates.begin(), out.rates.end(), [](const PayerPlanRate& a, const PayerPlanRate& b) {
    return std::tie(a.payer, a.plan, a.setting, a.modifiers) < std::tie(b.payer, b.plan, b.setting, b.modifiers);
  });
  // The same rate published on several rows (a CSV with one row per code column) is shown once.
  out.rates.erase(std::unique(out.rates.begin(), out.rates.end(),
                              [](const PayerPlanRate& a, const PayerPlanRate& b) {
                                return a.payer == b.payer && a.plan == b.plan && a.setting == b.setting &&
                                       a.modifiers == b.modifiers && a.dollar == b.dollar &&
                                       a.percentage == b.percentage && a.estimated == b.estimated &&
                                       a.algorithm == b.algorithm && a.methodology == b.methodology;
                              }),
                  out.rates.end());
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
