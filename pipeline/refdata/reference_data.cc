#include "pipeline/refdata/reference_data.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "pipeline/model/strings.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

// Opens data_dir/data/<rel> into *text and a CsvTable over it.
Expected<CsvTable> OpenTable(const std::string& data_dir, const std::string& rel, std::string* text,
                             const std::vector<std::string>& required) {
  std::string path = data_dir + "/data/" + rel;
  auto bytes = ReadFileInflating(path);
  if (!bytes) return std::unexpected(bytes.error());
  *text = std::move(*bytes);
  CsvTable table(*text, "data/" + rel);
  if (auto ok = table.Open(required); !ok) return std::unexpected(ok.error());
  return table;
}

// Cell parsers that turn a malformed cell into an error naming file, line and column.
struct Cells {
  CsvTable* t;
  Expected<double> Decimal(int col, std::string_view name, double if_empty = 0) const {
    auto v = ParseDecimal(t->Field(col));
    if (!v) return std::unexpected(t->BadRow(v.error().message + " in " + std::string(name)));
    return v->value_or(if_empty);
  }
  Expected<std::optional<double>> OptDecimal(int col, std::string_view name) const {
    auto v = ParseDecimal(t->Field(col));
    if (!v) return std::unexpected(t->BadRow(v.error().message + " in " + std::string(name)));
    return *v;
  }
  Expected<int> Int(int col, std::string_view name, int if_empty) const {
    auto v = ParseInt(t->Field(col));
    if (!v) return std::unexpected(t->BadRow(v.error().message + " in " + std::string(name)));
    return v->value_or(if_empty);
  }
  Expected<std::optional<Money>> OptMoney(int col, std::string_view name) const {
    auto v = ParseMoneyCell(t->Field(col));
    if (!v) return std::unexpected(t->BadRow(v.error().message + " in " + std::string(name)));
    return *v;
  }
};

#define BW_CONCAT_INNER(a, b) a##b
#define BW_CONCAT(a, b) BW_CONCAT_INNER(a, b)
// Assigns the value of an Expected to lhs, or returns its error from the enclosing function.
#define BW_ASSIGN(lhs, expr) BW_ASSIGN_IMPL(lhs, expr, BW_CONCAT(bw_result_, __LINE__))
#define BW_ASSIGN_IMPL(lhs, expr, tmp)                    \
  auto tmp = (expr);                                      \
  if (!tmp) return std::unexpected(tmp.error());          \
  lhs = *tmp

}  // namespace

std::string LocalityDisplayName(std::string_view cms_name) {
  std::string name(cms_name);
  while (!name.empty() && (name.back() == '*' || name.back() == ' ')) name.pop_back();
  static const char* const kKeepUpper[] = {"NYC", "DC", "LA", "II", "III"};
  static const char* const kLower[] = {"OF", "AND", "THE"};
  std::string out;
  size_t i = 0;
  bool first_word = true;
  while (i < name.size()) {
    if (!std::isalpha(static_cast<unsigned char>(name[i]))) {
      out += name[i++];
      continue;
    }
    size_t j = i;
    while (j < name.size() && std::isalpha(static_cast<unsigned char>(name[j]))) ++j;
    std::string word = Upper(name.substr(i, j - i));
    bool keep = false;
    for (const char* k : kKeepUpper) keep = keep || word == k;
    bool lower = false;
    for (const char* k : kLower) lower = lower || word == k;
    if (keep) {
      out += word;
    } else {
      for (size_t k = 0; k < word.size(); ++k) {
        char c = word[k];
        out += (k == 0 && !(lower && !first_word)) ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    first_word = false;
    i = j;
  }
  return out;
}

struct ReferenceData::Loader {
  ReferenceData* d;
  const std::string& dir;

  Expected<void> ConversionFactors() {
    std::string text;
    auto t = OpenTable(dir, "cms/pfs_conversion_factors.csv", &text,
                       {"year", "schedule", "applies_to", "conversion_factor"});
    if (!t) return std::unexpected(t.error());
    int c_year = t->Column("year"), c_sched = t->Column("schedule"), c_app = t->Column("applies_to"),
        c_cf = t->Column("conversion_factor");
    Cells cells{&*t};
    while (t->Next()) {
      int year = 0;
      double cf = 0;
      BW_ASSIGN(year, cells.Int(c_year, "year", 0));
      BW_ASSIGN(cf, cells.Decimal(c_cf, "conversion_factor"));
      std::string sched = Upper(t->Field(c_sched));
      std::string applies(t->Field(c_app));
      if (sched == "PFS") {
        // One CF per year: "all", else the non-qualifying-APM figure most clinicians get.
        // 2024 had two CFs in the year; the later one (from 03-09) is kept.
        if (applies == "all" || applies.starts_with("non-qualifying")) d->pfs_cf_[year] = cf;
      } else if (sched.starts_with("ANESTHESIA")) {
        d->anes_cf_[year] = cf;
      }
    }
    return {};
  }

  Expected<void> Localities() {
    std::string text;
    auto t = OpenTable(dir, "cms/pfs_gpci_2025.csv", &text,
                       {"mac", "state", "locality", "locality_name", "pw_gpci", "pe_gpci", "mp_gpci"});
    if (!t) return std::unexpected(t.error());
    int c_mac = t->Column("mac"), c_state = t->Column("state"), c_loc = t->Column("locality"),
        c_name = t->Column("locality_name");
    while (t->Next()) {
      Locality l;
      l.mac = std::string(t->Field(c_mac));
      l.locality = std::string(t->Field(c_loc));
      l.state = std::string(t->Field(c_state));
      if (l.mac.size() != 5 || l.locality.size() != 2) return std::unexpected(t->BadRow("bad mac or locality"));
      l.name = LocalityDisplayName(t->Field(c_name));
      d->locality_index_[l.mac + l.locality] = d->localities_.size();
      d->localities_.push_back(std::move(l));
    }
    // Counties, from the CMS localities file.
    std::string text2;
    auto c = OpenTable(dir, "cms/pfs_localities_2025.csv", &text2, {"mac", "locality", "counties"});
    if (!c) return std::unexpected(c.error());
    int k_mac = c->Column("mac"), k_loc = c->Column("locality"), k_cty = c->Column("counties");
    while (c->Next()) {
      auto it = d->locality_index_.find(std::string(c->Field(k_mac)) + std::string(c->Field(k_loc)));
      if (it != d->locality_index_.end()) d->localities_[it->second].counties = std::string(c->Field(k_cty));
    }
    // Locality anesthesia conversion factors.
    std::string text3;
    auto a = OpenTable(dir, "cms/pfs_anesthesia_cf_2025.csv", &text3, {"mac", "locality", "anes_cf"});
    if (!a) return std::unexpected(a.error());
    int a_mac = a->Column("mac"), a_loc = a->Column("locality"), a_cf = a->Column("anes_cf");
    Cells cells{&*a};
    while (a->Next()) {
      double cf = 0;
      BW_ASSIGN(cf, cells.Decimal(a_cf, "anes_cf"));
      auto it = d->locality_index_.find(std::string(a->Field(a_mac)) + std::string(a->Field(a_loc)));
      if (it != d->locality_index_.end()) d->localities_[it->second].anesthesia_cf = cf;
    }
    return {};
  }

  Expected<void> Gpcis(int year) {
    std::string text;
    std::string rel = "cms/pfs_gpci_" + std::to_string(year) + ".csv";
    auto t = OpenTable(dir, rel, &text, {"mac", "locality", "pw_gpci", "pe_gpci", "mp_gpci"});
    if (!t) return std::unexpected(t.error());
    int c_mac = t->Column("mac"), c_loc = t->Column("locality"), c_pw = t->Column("pw_gpci"),
        c_pe = t->Column("pe_gpci"), c_mp = t->Column("mp_gpci");
    Cells cells{&*t};
    auto& table = d->gpci_[year];
    auto& present = d->gpci_present_[year];
    table.assign(d->localities_.size(), Gpci{});
    present.assign(d->localities_.size(), false);
    while (t->Next()) {
      auto it = d->locality_index_.find(std::string(t->Field(c_mac)) + std::string(t->Field(c_loc)));
      if (it == d->locality_index_.end()) return std::unexpected(t->BadRow("locality not in pfs_gpci_2025.csv"));
      Gpci g;
      BW_ASSIGN(g.work, cells.Decimal(c_pw, "pw_gpci"));
      BW_ASSIGN(g.pe, cells.Decimal(c_pe, "pe_gpci"));
      BW_ASSIGN(g.mp, cells.Decimal(c_mp, "mp_gpci"));
      table[it->second] = g;
      present[it->second] = true;
    }
    return {};
  }

  Expected<void> HospitalList() {
    std::string text;
    auto t = OpenTable(dir, "hpt/hpt_hospitals.csv.gz", &text, {"ccn", "state", "hospital_name", "mrf_url"});
    if (!t) return std::unexpected(t.error());
    int c_ccn = t->Column("ccn"), c_state = t->Column("state"), c_name = t->Column("hospital_name"),
        c_url = t->Column("mrf_url");
    while (t->Next()) {
      d->hospitals_.push_back(HospitalInfo{std::string(t->Field(c_ccn)), std::string(t->Field(c_state)),
                                           std::string(t->Field(c_name)), std::string(t->Field(c_url))});
    }
    // Looked up by CCN (FindHospital); the shipped file is already in that order.
    const auto by_ccn = [](const HospitalInfo& a, const HospitalInfo& b) { return a.ccn < b.ccn; };
    if (!std::is_sorted(d->hospitals_.begin(), d->hospitals_.end(), by_ccn)) {
      std::sort(d->hospitals_.begin(), d->hospitals_.end(), by_ccn);
    }
    return {};
  }

  Expected<void> CashSlice() {
    std::string text2;
    auto s = OpenTable(dir, "hpt/hpt_cash_slice.csv.gz", &text2,
                       {"ccn", "code", "gross_min", "gross_max", "cash_min", "cash_max"});
    if (!s) return std::unexpected(s.error());
    int k_ccn = s->Column("ccn"), k_code = s->Column("code"), k_gmin = s->Column("gross_min"),
        k_gmax = s->Column("gross_max"), k_cmin = s->Column("cash_min"), k_cmax = s->Column("cash_max");
    Cells cells{&*s};
    std::vector<std::pair<std::string, StandardCharge>>* current = nullptr;
    while (s->Next()) {
      if (!s->Field(k_ccn).empty()) current = &d->cash_[std::string(s->Field(k_ccn))];
      if (current == nullptr) return std::unexpected(s->BadRow("first row must name its ccn"));
      StandardCharge c;
      BW_ASSIGN(c.gross_min, cells.OptMoney(k_gmin, "gross_min"));
      BW_ASSIGN(c.gross_max, cells.OptMoney(k_gmax, "gross_max"));
      BW_ASSIGN(c.cash_min, cells.OptMoney(k_cmin, "cash_min"));
      BW_ASSIGN(c.cash_max, cells.OptMoney(k_cmax, "cash_max"));
      // Compact form: an empty max repeats the min.
      if (!c.gross_max) c.gross_max = c.gross_min;
      if (!c.cash_max) c.cash_max = c.cash_min;
      current->emplace_back(std::string(s->Field(k_code)), c);
      ++d->cash_count_;
    }
    return {};
  }
};

std::optional<AspLimit> ReferenceData::FindAspLimit(std::string_view code, std::string_view date_of_service) const {
  auto found = db_->FindAspLimit(code, date_of_service);
  return found ? *found : std::nullopt;
}

std::optional<AscRate> ReferenceData::FindAscRate(std::string_view code, std::string_view date_of_service) const {
  auto found = db_->FindAscRate(code, date_of_service);
  return found ? *found : std::nullopt;
}

std::optional<ClfsFee> ReferenceData::FindClfsFee(std::string_view code, std::string_view modifier,
                                                  std::string_view date_of_service) const {
  auto found = db_->FindClfs(code, modifier, date_of_service);
  return found ? *found : std::nullopt;
}

std::vector<DmeposFee> ReferenceData::FindDmepos(std::string_view code, std::string_view state,
                                                 std::string_view date_of_service) const {
  auto found = db_->FindDmepos(code, state, date_of_service);
  return found ? std::move(*found) : std::vector<DmeposFee>();
}

std::optional<AnesthesiaBase> ReferenceData::FindAnesthesiaBase(std::string_view code,
                                                                std::string_view date_of_service) const {
  auto found = db_->FindAnesthesiaBase(code, date_of_service);
  return found ? *found : std::nullopt;
}

std::optional<HospitalGeneral> ReferenceData::FindHospitalGeneral(std::string_view ccn) const {
  auto found = db_->FindHospital(ccn);
  return found ? *found : std::nullopt;
}

std::vector<HospitalGeneral> ReferenceData::FindHospitalsGeneralByName(std::string_view name, std::string_view state,
                                                                       std::string_view city) const {
  auto found = db_->FindHospitalsByName(name, state, city);
  return found ? std::move(*found) : std::vector<HospitalGeneral>();
}

std::optional<bool> ReferenceData::IsNonProfitHospital(std::string_view ccn, std::string_view name,
                                                       std::string_view city, std::string_view state) const {
  if (!ccn.empty()) {
    if (auto h = FindHospitalGeneral(ccn)) return h->NonProfit();
  }
  if (name.empty() || state.empty()) return std::nullopt;
  auto matches = FindHospitalsGeneralByName(name, state, city);
  if (matches.size() != 1) return std::nullopt;
  return matches.front().NonProfit();
}

std::vector<TableRelease> ReferenceData::ReferenceReleases() const {
  auto releases = db_->Releases();
  return releases ? std::move(*releases) : std::vector<TableRelease>();
}

TableRelease ReferenceData::NewestRelease(std::string_view table) const {
  auto release = db_->ReleaseOf(table);
  return release ? std::move(*release) : TableRelease{};
}

ReferenceData::ReferenceData() = default;
ReferenceData::~ReferenceData() = default;

Expected<void> ReferenceData::Status() const {
  std::lock_guard lock(error_mu_);
  if (db_error_) return std::unexpected(*db_error_);
  return {};
}

void ReferenceData::KeepError(const Error& error) const {
  std::lock_guard lock(error_mu_);
  if (!db_error_) db_error_ = error;
}

template <typename T, typename Fetch>
const T* ReferenceData::Remember(Memo<T>& memo, std::string key, Fetch fetch) const {
  std::lock_guard lock(memo.mu);
  auto it = memo.rows.find(key);
  if (it == memo.rows.end()) {
    std::unique_ptr<const T> row;
    auto found = fetch();
    if (!found) {
      KeepError(found.error());
    } else if (*found) {
      row = std::make_unique<const T>(std::move(**found));
    }
    it = memo.rows.emplace(std::move(key), std::move(row)).first;
  }
  return it->second.get();
}

Expected<std::shared_ptr<const ReferenceData>> ReferenceData::Load(const std::string& data_dir,
                                                                   TableLoading loading) {
  std::shared_ptr<ReferenceData> d(new ReferenceData());
  d->data_dir_ = data_dir;
  d->reference_db_path_ = FindReferenceDbPath(data_dir);
  if (d->reference_db_path_.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no reference database: build it (target reference_db) or set BILLWISE_REFERENCE_DB");
  }
  auto db = ReferenceDb::Open(d->reference_db_path_, UserReleasesPath());
  if (!db) return std::unexpected(db.error());
  d->db_ = std::make_unique<ReferenceDb>(std::move(*db));

  Loader l{d.get(), data_dir};
  for (auto step : {&Loader::ConversionFactors, &Loader::Localities}) {
    if (auto ok = (l.*step)(); !ok) return std::unexpected(ok.error());
  }
  for (int year : {2025, 2026}) {
    if (auto ok = l.Gpcis(year); !ok) return std::unexpected(ok.error());
  }
  if (!d->pfs_cf_.contains(2025)) return Fail(ErrorCode::kBadData, "data/cms/pfs_conversion_factors.csv: no 2025 PFS row");
  (void)loading;  // the database needs no parsing: both modes read it by lookup
  return std::shared_ptr<const ReferenceData>(std::move(d));
}

const PfsRvu* ReferenceData::FindRvu(std::string_view code, std::string_view modifier) const {
  const std::vector<PfsRvu>* rows = Remember(rvus_, std::string(code), [&]() -> Expected<std::optional<std::vector<PfsRvu>>> {
    auto found = db_->FindRvus(code);
    if (!found) return std::unexpected(found.error());
    if (found->empty()) return std::nullopt;
    return std::move(*found);
  });
  if (rows == nullptr) return nullptr;
  for (const PfsRvu& r : *rows) {
    if (r.modifier == modifier) return &r;
  }
  return nullptr;
}

std::optional<double> ReferenceData::PfsConversionFactor(int year) const {
  auto it = pfs_cf_.find(year);
  if (it == pfs_cf_.end()) return std::nullopt;
  return it->second;
}

std::optional<double> ReferenceData::AnesthesiaConversionFactor(int year) const {
  auto it = anes_cf_.find(year);
  if (it == anes_cf_.end()) return std::nullopt;
  return it->second;
}

const Gpci* ReferenceData::FindGpci(int year, const Locality& locality) const {
  auto t = gpci_.find(year);
  if (t == gpci_.end()) return nullptr;
  auto it = locality_index_.find(locality.mac + locality.locality);
  if (it == locality_index_.end() || !gpci_present_.at(year)[it->second]) return nullptr;
  return &t->second[it->second];
}

std::vector<int> ReferenceData::GpciYears() const {
  std::vector<int> years;
  for (const auto& [y, unused] : gpci_) years.push_back(y);
  return years;
}

const Locality* ReferenceData::FindLocality(std::string_view mac, std::string_view locality) const {
  auto it = locality_index_.find(std::string(mac) + std::string(locality));
  return it == locality_index_.end() ? nullptr : &localities_[it->second];
}

const ZipLocality* ReferenceData::FindZip(std::string_view zip5) const {
  return Remember(zips_, std::string(zip5), [&] { return db_->FindZip(zip5); });
}

std::vector<const Locality*> ReferenceData::LocalitiesInState(std::string_view state) const {
  std::string s = Upper(state);
  std::vector<const Locality*> out;
  for (const Locality& l : localities_) {
    if (l.state == s) out.push_back(&l);
  }
  return out;
}

const Locality* ReferenceData::StateDefaultLocality(std::string_view state) const {
  auto in_state = LocalitiesInState(state);
  if (in_state.empty()) return nullptr;
  if (in_state.size() == 1) return in_state[0];
  for (const Locality* l : in_state) {
    if (Upper(l->name).starts_with("REST OF")) return l;
  }
  // No "rest of state" locality: the one holding the most ZIP codes of that state.
  std::map<std::string, int64_t> counts;
  if (auto rows = db_->ZipCountsByLocality(Upper(state))) {
    counts.insert(rows->begin(), rows->end());
  } else {
    KeepError(rows.error());
  }
  const Locality* best = in_state[0];
  int64_t best_count = -1;
  for (const Locality* l : in_state) {
    int64_t c = counts[l->Id()];
    if (c > best_count) {
      best = l;
      best_count = c;
    }
  }
  return best;
}

const OppsRate* ReferenceData::FindOpps(std::string_view code) const {
  return Remember(opps_, std::string(code), [&] { return db_->FindOpps(code); });
}

const HcpcsDescriptor* ReferenceData::FindHcpcs(std::string_view code) const {
  return Remember(hcpcs_rows_, std::string(code), [&] { return db_->FindHcpcs(code); });
}

std::optional<OppsCap> ReferenceData::FindOppsCap(std::string_view code, std::string_view modifier,
                                                  const Locality& locality) const {
  auto found = db_->FindOppsCap(code, modifier, locality.mac, locality.locality);
  if (!found) {
    KeepError(found.error());
    return std::nullopt;
  }
  return *found;
}

const std::vector<HcpcsDescriptor>& ReferenceData::hcpcs() const {
  std::call_once(hcpcs_once_, [this] {
    if (auto all = db_->AllHcpcs()) {
      hcpcs_ = std::move(*all);
    } else {
      KeepError(all.error());
    }
  });
  return hcpcs_;
}

size_t ReferenceData::rvu_count() const {
  auto release = db_->ReleaseOf("pfs_rvu");
  return release ? static_cast<size_t>(release->rows) : 0;
}

size_t ReferenceData::zip_count() const {
  auto release = db_->ReleaseOf("zip_locality");
  return release ? static_cast<size_t>(release->rows) : 0;
}

void ReferenceData::EnsureHospitalList() const {
  std::call_once(hpt_list_once_, [this] {
    // The object was created non-const by Load; the list is filled exactly once, before any
    // reader can see it (call_once synchronises).
    auto* self = const_cast<ReferenceData*>(this);
    Loader l{self, data_dir_};
    if (auto ok = l.HospitalList(); !ok) {
      self->hpt_list_error_ = ok.error();
      self->hospitals_.clear();
    }
  });
}

void ReferenceData::EnsureHospitalSlice() const {
  EnsureHospitalList();
  std::call_once(hpt_once_, [this] {
    auto* self = const_cast<ReferenceData*>(this);
    if (hpt_list_error_) {
      self->hpt_error_ = hpt_list_error_;
      return;
    }
    Loader l{self, data_dir_};
    if (auto ok = l.CashSlice(); !ok) {
      self->hpt_error_ = ok.error();
      self->cash_.clear();
      self->cash_count_ = 0;
    }
  });
}

Expected<void> ReferenceData::HospitalSliceStatus() const {
  EnsureHospitalSlice();
  if (hpt_error_) return std::unexpected(*hpt_error_);
  return {};
}

size_t ReferenceData::cash_price_count() const {
  EnsureHospitalSlice();
  return cash_count_;
}

const HospitalInfo* ReferenceData::FindHospital(std::string_view ccn) const {
  EnsureHospitalList();
  auto it = std::lower_bound(hospitals_.begin(), hospitals_.end(), ccn,
                             [](const HospitalInfo& h, std::string_view v) { return h.ccn < v; });
  if (it == hospitals_.end() || it->ccn != ccn) return nullptr;
  return &*it;
}

std::vector<const HospitalInfo*> ReferenceData::FindHospitalsByName(std::string_view name,
                                                                    std::string_view state) const {
  std::vector<std::string> words;
  std::string upper = Upper(name);
  size_t i = 0;
  while (i < upper.size()) {
    while (i < upper.size() && !std::isalnum(static_cast<unsigned char>(upper[i]))) ++i;
    size_t j = i;
    while (j < upper.size() && std::isalnum(static_cast<unsigned char>(upper[j]))) ++j;
    if (j > i) words.push_back(upper.substr(i, j - i));
    i = j;
  }
  std::vector<const HospitalInfo*> out;
  if (words.empty()) return out;
  EnsureHospitalList();
  std::string st = Upper(state);
  for (const HospitalInfo& h : hospitals_) {
    if (!st.empty() && h.state != st) continue;
    std::string hn = Upper(h.name);
    bool all = true;
    for (const std::string& w : words) {
      // Whole-word match.
      size_t pos = 0;
      bool found = false;
      while ((pos = hn.find(w, pos)) != std::string::npos) {
        bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(hn[pos - 1]));
        size_t end = pos + w.size();
        bool right = end >= hn.size() || !std::isalnum(static_cast<unsigned char>(hn[end]));
        if (left && right) {
          found = true;
          break;
        }
        ++pos;
      }
      if (!found) {
        all = false;
        break;
      }
    }
    if (all) out.push_back(&h);
  }
  return out;
}

HospitalPriceList ReferenceData::CashSlice(const HospitalInfo& hospital) const {
  HospitalPriceList list;
  EnsureHospitalSlice();
  list.hospital_name = hospital.name;
  list.source = std::string("bundled cash-price slice (") + kCashSliceVersion + "; hospital file " +
                hospital.mrf_url + ")";
  auto it = cash_.find(hospital.ccn);
  if (it != cash_.end()) {
    for (const auto& [code, charge] : it->second) list.by_code[code] = charge;
  }
  return list;
}

}  // namespace billwise
