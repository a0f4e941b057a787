#include "pipeline/refdata/reference_data.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "pipeline/model/strings.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/blocked_table.h"
#include "pipeline/tables/gzip.h"
#include "pipeline/tables/lazy_blocks.h"

namespace billwise {
namespace {

std::string Key(std::string_view code, std::string_view modifier) {
  std::string k(code);
  if (!modifier.empty()) {
    k += '-';
    k += modifier;
  }
  return k;
}

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

bool ValidCode(std::string_view code) {
  if (code.size() != 5) return false;
  for (char c : code) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

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

  // Parsers of one block of each packed table (see LazyBlocks); rows arrive in key order.
  static Expected<void> ParseRvu(CsvTable& t, std::vector<PfsRvu>* out) {
    if (auto ok = t.Open({"hcpcs", "modifier", "status_code", "work_rvu", "pe_rvu_nonfac", "pe_nonfac_na_ind",
                          "pe_rvu_fac", "pe_fac_na_ind", "mp_rvu", "pctc_ind", "global_days", "mult_proc_ind",
                          "bilat_surg_ind"});
        !ok) {
      return ok;
    }
    int c_code = t.Column("hcpcs"), c_mod = t.Column("modifier"), c_status = t.Column("status_code"),
        c_work = t.Column("work_rvu"), c_penf = t.Column("pe_rvu_nonfac"),
        c_penf_na = t.Column("pe_nonfac_na_ind"), c_pef = t.Column("pe_rvu_fac"),
        c_pef_na = t.Column("pe_fac_na_ind"), c_mp = t.Column("mp_rvu"), c_pctc = t.Column("pctc_ind"),
        c_glob = t.Column("global_days"), c_mult = t.Column("mult_proc_ind"), c_bilat = t.Column("bilat_surg_ind");
    Cells cells{&t};
    while (t.Next()) {
      PfsRvu r;
      r.code = std::string(t.Field(c_code));
      if (!ValidCode(r.code)) return std::unexpected(t.BadRow("bad HCPCS code in hcpcs"));
      r.modifier = std::string(t.Field(c_mod));
      std::string_view status = t.Field(c_status);
      if (status.size() != 1) return std::unexpected(t.BadRow("bad status_code"));
      r.status = status[0];
      BW_ASSIGN(r.work, cells.Decimal(c_work, "work_rvu"));
      BW_ASSIGN(r.pe_nonfacility, cells.Decimal(c_penf, "pe_rvu_nonfac"));
      BW_ASSIGN(r.pe_facility, cells.Decimal(c_pef, "pe_rvu_fac"));
      BW_ASSIGN(r.malpractice, cells.Decimal(c_mp, "mp_rvu"));
      r.nonfacility_na = t.Field(c_penf_na) == "NA";
      r.facility_na = t.Field(c_pef_na) == "NA";
      BW_ASSIGN(r.pctc, cells.Int(c_pctc, "pctc_ind", 9));
      r.global_days = std::string(t.Field(c_glob));
      BW_ASSIGN(r.multiple_procedure, cells.Int(c_mult, "mult_proc_ind", 9));
      BW_ASSIGN(r.bilateral, cells.Int(c_bilat, "bilat_surg_ind", 9));
      out->push_back(std::move(r));
    }
    // Rows come sorted by code; within a code, modifiers in whatever order CMS lists them.
    std::stable_sort(out->begin(), out->end(), [](const PfsRvu& a, const PfsRvu& b) {
      return a.code != b.code ? a.code < b.code : a.modifier < b.modifier;
    });
    return {};
  }

  static Expected<void> ParseZips(CsvTable& t, std::vector<ZipLocality>* out) {
    if (auto ok = t.Open({"zip5", "state", "carrier", "locality", "plus4_flag"}); !ok) return ok;
    int c_zip = t.Column("zip5"), c_state = t.Column("state"), c_car = t.Column("carrier"),
        c_loc = t.Column("locality"), c_plus4 = t.Column("plus4_flag");
    while (t.Next()) {
      ZipLocality z;
      z.zip = std::string(t.Field(c_zip));
      if (z.zip.size() != 5) return std::unexpected(t.BadRow("bad zip5"));
      if (t.Field(c_car).empty()) {
        // Compact form: an empty row repeats the previous ZIP's state, carrier and locality.
        if (out->empty()) return std::unexpected(t.BadRow("first row must name its carrier"));
        const ZipLocality& prev = out->back();
        z.state = prev.state;
        z.mac = prev.mac;
        z.locality = prev.locality;
        z.spans_localities = prev.spans_localities;
      } else {
        z.state = std::string(t.Field(c_state));
        z.mac = std::string(t.Field(c_car));
        z.locality = std::string(t.Field(c_loc));
        z.spans_localities = t.Field(c_plus4) == "1";
        if (z.mac.size() != 5 || z.locality.size() != 2) return std::unexpected(t.BadRow("bad carrier or locality"));
      }
      if (!out->empty() && z.zip <= out->back().zip) return std::unexpected(t.BadRow("ZIP codes out of order"));
      out->push_back(std::move(z));
    }
    return {};
  }

  static Expected<void> ParseOpps(CsvTable& t, std::vector<OppsRate>* out) {
    if (auto ok = t.Open({"hcpcs", "status_ind", "apc", "relative_weight", "payment_rate", "natl_unadj_copay",
                          "min_unadj_copay"});
        !ok) {
      return ok;
    }
    int c_code = t.Column("hcpcs"), c_si = t.Column("status_ind"), c_apc = t.Column("apc"),
        c_w = t.Column("relative_weight"), c_rate = t.Column("payment_rate"),
        c_copay = t.Column("natl_unadj_copay"), c_min = t.Column("min_unadj_copay");
    Cells cells{&t};
    while (t.Next()) {
      OppsRate r;
      r.code = std::string(t.Field(c_code));
      if (!ValidCode(r.code)) return std::unexpected(t.BadRow("bad HCPCS code in hcpcs"));
      r.status = std::string(t.Field(c_si));
      r.apc = std::string(t.Field(c_apc));
      BW_ASSIGN(r.weight, cells.OptDecimal(c_w, "relative_weight"));
      BW_ASSIGN(r.payment_rate, cells.OptDecimal(c_rate, "payment_rate"));
      std::optional<Money> copay, min_copay;
      BW_ASSIGN(copay, cells.OptMoney(c_copay, "natl_unadj_copay"));
      BW_ASSIGN(min_copay, cells.OptMoney(c_min, "min_unadj_copay"));
      r.copay = copay ? copay : min_copay;
      out->push_back(std::move(r));
    }
    return {};
  }


  static Expected<void> ParseHcpcs(CsvTable& t, std::vector<HcpcsDescriptor>* out) {
    if (auto ok = t.Open({"code", "short_desc", "long_desc", "term_date"}); !ok) return ok;
    int c_code = t.Column("code"), c_short = t.Column("short_desc"), c_long = t.Column("long_desc"),
        c_term = t.Column("term_date");
    while (t.Next()) {
      HcpcsDescriptor h{std::string(t.Field(c_code)), std::string(t.Field(c_short)),
                        std::string(t.Field(c_long)), std::string(t.Field(c_term))};
      if (!ValidCode(h.code) || std::isdigit(static_cast<unsigned char>(h.code[0]))) {
        return std::unexpected(t.BadRow("not a HCPCS Level II code"));
      }
      out->push_back(std::move(h));
    }
    return {};
  }

  // Caps by "code" or "code-modifier", one entry per locality (index into localities_).
  using CapRows = std::unordered_map<std::string, std::vector<std::optional<OppsCap>>>;
  static Expected<void> ParseCaps(const ReferenceData& d, CsvTable& t, CapRows* out) {
    if (auto ok = t.Open({"hcpcs", "modifier", "mac", "locality", "fac_price", "nonfac_price"}); !ok) return ok;
    int c_code = t.Column("hcpcs"), c_mod = t.Column("modifier"), c_mac = t.Column("mac"),
        c_loc = t.Column("locality"), c_fac = t.Column("fac_price"), c_nf = t.Column("nonfac_price");
    Cells cells{&t};
    std::vector<std::optional<OppsCap>>* current = nullptr;
    while (t.Next()) {
      if (!t.Field(c_code).empty()) {
        current = &(*out)[Key(t.Field(c_code), t.Field(c_mod))];
        current->assign(d.localities_.size(), std::nullopt);
      }
      if (current == nullptr) return std::unexpected(t.BadRow("first row must name its code"));
      if (t.Field(c_mac).size() != 5 || t.Field(c_loc).size() != 2) {
        return std::unexpected(t.BadRow("bad mac or locality"));
      }
      // CMS lists a few California localities under both California MACs; only the
      // (MAC, locality) pairs of the GPCI file are payment localities.
      auto it = d.locality_index_.find(std::string(t.Field(c_mac)) + std::string(t.Field(c_loc)));
      if (it == d.locality_index_.end()) continue;
      std::optional<Money> fac, nf;
      BW_ASSIGN(fac, cells.OptMoney(c_fac, "fac_price"));
      BW_ASSIGN(nf, cells.OptMoney(c_nf, "nonfac_price"));
      if (!fac || !nf) return std::unexpected(t.BadRow("missing cap price"));
      (*current)[it->second] = OppsCap{*fac, *nf};
    }
    return {};
  }

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
    std::sort(d->hospitals_.begin(), d->hospitals_.end(),
              [](const HospitalInfo& a, const HospitalInfo& b) { return a.ccn < b.ccn; });
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

// The packed tables, each parsed block by block on first use.
struct ReferenceData::Tables {
  LazyBlocks<std::vector<PfsRvu>> rvu;
  LazyBlocks<std::vector<ZipLocality>> zips;
  LazyBlocks<std::vector<OppsRate>> opps;
  LazyBlocks<std::vector<HcpcsDescriptor>> hcpcs;
  LazyBlocks<Loader::CapRows> caps;

  Expected<void> Status() const {
    for (auto ok : {rvu.Status(), zips.Status(), opps.Status(), hcpcs.Status(), caps.Status()}) {
      if (!ok) return ok;
    }
    return {};
  }
  Expected<void> ParseAll() const {
    for (auto ok : {rvu.ParseAll(), zips.ParseAll(), opps.ParseAll(), hcpcs.ParseAll(),
                    caps.ParseAll()}) {
      if (!ok) return ok;
    }
    return {};
  }
};

namespace {

// The reference database to open: $BILLWISE_REFERENCE_DB, <data_dir>/data/reference.sqlite,
// else the one the build tree made; "" when none exists.
std::string FindReferenceDb(const std::string& data_dir) {
  std::error_code ec;
  if (const char* env = std::getenv("BILLWISE_REFERENCE_DB"); env && *env) return env;
  std::string installed = data_dir + "/data/reference.sqlite";
  if (std::filesystem::exists(installed, ec)) return installed;
#ifdef BILLWISE_BUILT_REFERENCE_DB
  if (std::filesystem::exists(BILLWISE_BUILT_REFERENCE_DB, ec)) return BILLWISE_BUILT_REFERENCE_DB;
#endif
  return "";
}

}  // namespace

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

ReferenceData::ReferenceData() = default;
ReferenceData::~ReferenceData() = default;

Expected<void> ReferenceData::Status() const { return tables_->Status(); }

Expected<std::shared_ptr<const ReferenceData>> ReferenceData::Load(const std::string& data_dir,
                                                                   TableLoading loading) {
  std::shared_ptr<ReferenceData> d(new ReferenceData());
  d->data_dir_ = data_dir;
  // The packed tables: opening one reads its block index and checks its checksums.
  auto open = [&data_dir](const char* rel) {
    return BlockedTable::Read(data_dir + "/data/" + rel, std::string("data/") + rel);
  };
  auto rvu = open("cms/pfs_rvu_2025.bwt");
  if (!rvu) return std::unexpected(rvu.error());
  auto zips = open("cms/zip5_locality_2026q1.bwt");
  if (!zips) return std::unexpected(zips.error());
  auto opps = open("cms/opps_addendum_b_2025.bwt");
  if (!opps) return std::unexpected(opps.error());
  auto hcpcs = open("cms/hcpcs_level2_2025.bwt");
  if (!hcpcs) return std::unexpected(hcpcs.error());
  auto caps = open("cms/pfs_opps_cap_2025.bwt");
  if (!caps) return std::unexpected(caps.error());
  if (rvu->row_count() == 0) return Fail(ErrorCode::kBadData, "data/cms/pfs_rvu_2025.bwt: no rows");

  d->reference_db_path_ = FindReferenceDb(data_dir);
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
  const ReferenceData* self = d.get();
  d->tables_.reset(new Tables{
      {std::move(*rvu), Loader::ParseRvu},
      {std::move(*zips), Loader::ParseZips},
      {std::move(*opps), Loader::ParseOpps},
      {std::move(*hcpcs), Loader::ParseHcpcs},
      {std::move(*caps), [self](CsvTable& t, Loader::CapRows* out) { return Loader::ParseCaps(*self, t, out); }},
  });
  if (loading == TableLoading::kEager) {
    if (auto ok = d->tables_->ParseAll(); !ok) return std::unexpected(ok.error());
  }
  return std::shared_ptr<const ReferenceData>(std::move(d));
}

const PfsRvu* ReferenceData::FindRvu(std::string_view code, std::string_view modifier) const {
  const std::vector<PfsRvu>* rows = tables_->rvu.ForKey(code);
  if (rows == nullptr) return nullptr;
  auto it = std::lower_bound(rows->begin(), rows->end(), std::pair(code, modifier),
                             [](const PfsRvu& r, const std::pair<std::string_view, std::string_view>& k) {
                               int c = std::string_view(r.code).compare(k.first);
                               return c != 0 ? c < 0 : std::string_view(r.modifier) < k.second;
                             });
  if (it == rows->end() || it->code != code || it->modifier != modifier) return nullptr;
  return &*it;
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
  const std::vector<ZipLocality>* rows = tables_->zips.ForKey(zip5);
  if (rows == nullptr) return nullptr;
  auto it = std::lower_bound(rows->begin(), rows->end(), zip5,
                             [](const ZipLocality& z, std::string_view v) { return z.zip < v; });
  if (it == rows->end() || it->zip != zip5) return nullptr;
  return &*it;
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
  std::map<std::string, int> counts;
  std::string s = Upper(state);
  for (size_t b = 0; b < tables_->zips.block_count(); ++b) {
    if (const std::vector<ZipLocality>* rows = tables_->zips.Block(b)) {
      for (const ZipLocality& z : *rows) {
        if (z.state == s) ++counts[z.mac + z.locality];
      }
    }
  }
  const Locality* best = in_state[0];
  int best_count = -1;
  for (const Locality* l : in_state) {
    int c = counts[l->mac + l->locality];
    if (c > best_count) {
      best = l;
      best_count = c;
    }
  }
  return best;
}

const OppsRate* ReferenceData::FindOpps(std::string_view code) const {
  const std::vector<OppsRate>* rows = tables_->opps.ForKey(code);
  if (rows == nullptr) return nullptr;
  auto it = std::lower_bound(rows->begin(), rows->end(), code,
                             [](const OppsRate& r, std::string_view v) { return r.code < v; });
  if (it == rows->end() || it->code != code) return nullptr;
  return &*it;
}

const HcpcsDescriptor* ReferenceData::FindHcpcs(std::string_view code) const {
  const std::vector<HcpcsDescriptor>* rows = tables_->hcpcs.ForKey(code);
  if (rows == nullptr) return nullptr;
  auto it = std::lower_bound(rows->begin(), rows->end(), code,
                             [](const HcpcsDescriptor& h, std::string_view v) { return h.code < v; });
  if (it == rows->end() || it->code != code) return nullptr;
  return &*it;
}

std::optional<OppsCap> ReferenceData::FindOppsCap(std::string_view code, std::string_view modifier,
                                                  const Locality& locality) const {
  const Loader::CapRows* rows = tables_->caps.ForKey(code);
  if (rows == nullptr) return std::nullopt;
  auto it = rows->find(Key(code, modifier));
  if (it == rows->end()) return std::nullopt;
  auto li = locality_index_.find(locality.mac + locality.locality);
  if (li == locality_index_.end()) return std::nullopt;
  return it->second[li->second];
}

const std::vector<HcpcsDescriptor>& ReferenceData::hcpcs() const {
  std::call_once(hcpcs_once_, [this] {
    for (size_t b = 0; b < tables_->hcpcs.block_count(); ++b) {
      if (const std::vector<HcpcsDescriptor>* rows = tables_->hcpcs.Block(b)) {
        hcpcs_.insert(hcpcs_.end(), rows->begin(), rows->end());
      }
    }
  });
  return hcpcs_;
}

size_t ReferenceData::rvu_count() const { return tables_->rvu.table().row_count(); }

size_t ReferenceData::zip_count() const { return tables_->zips.table().row_count(); }

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
