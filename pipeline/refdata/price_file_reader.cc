#include "pipeline/refdata/price_file_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>

#include <simdjson.h>

#include "pipeline/model/strings.h"
#include "pipeline/tables/csv.h"

namespace billwise {
namespace {

constexpr size_t kBlock = 1 << 20;              // bytes read at a time
constexpr size_t kMaxItem = size_t{256} << 20;  // a single JSON item larger than this is an error
constexpr size_t kMaxSkeleton = size_t{4} << 20;

std::string UpperNoSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<Money> CellMoney(std::string_view s) {
  auto v = ParseMoneyCell(Trim(s));
  if (!v || !*v) return std::nullopt;
  return **v;
}

std::optional<double> CellNumber(std::string_view s) {
  std::string t(Trim(s));
  if (!t.empty() && t.back() == '%') t.pop_back();
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0') return std::nullopt;
  return v;
}

// ---------------------------------------------------------------- JSON

namespace sj = simdjson::dom;

std::string JsonText(sj::element e) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return "";
}

std::string Field(sj::object o, std::string_view key) {
  sj::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return "";
  return JsonText(e);
}

// One item (an element of a top-level array), read with simdjson's On-Demand API: one pass
// over its fields in file order, nothing built but the records (the DOM API measured slower). Fields arrive in any order, so charges are collected
// first and delivered for every code at the end. kInvalidInput-worthy errors come back as
// the simdjson error code.
namespace od = simdjson::ondemand;

simdjson::error_code OdText(od::value v, std::string* out) {
  out->clear();
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t != od::json_type::string) return simdjson::SUCCESS;
  std::string_view sv;
  if (auto e = v.get_string().get(sv)) return e;
  out->assign(sv);
  return simdjson::SUCCESS;
}

simdjson::error_code OdMoney(od::value v, std::optional<Money>* out) {
  *out = std::nullopt;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::number) {
    double d = 0;
    if (auto e = v.get_double().get(d)) return e;
    if (std::fabs(d) < 1e13) *out = RoundDollarsToCents(d);  // beyond that it is not a price
  } else if (t == od::json_type::string) {
    std::string_view sv;
    if (auto e = v.get_string().get(sv)) return e;
    *out = CellMoney(sv);
  }
  return simdjson::SUCCESS;
}

simdjson::error_code OdNumber(od::value v, std::optional<double>* out) {
  *out = std::nullopt;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::number) {
    double d = 0;
    if (auto e = v.get_double().get(d)) return e;
    *out = d;
  } else if (t == od::json_type::string) {
    std::string_view sv;
    if (auto e = v.get_string().get(sv)) return e;
    *out = CellNumber(sv);
  }
  return simdjson::SUCCESS;
}

#define BW_TRY(expr)                       \
  do {                                     \
    if (auto bw_e = (expr)) return bw_e;   \
  } while (false)

simdjson::error_code OdPayer(od::object o, NegotiatedRate* r) {
  std::string contracting;
  for (auto field : o) {
    std::string_view key;
    BW_TRY(field.unescaped_key().get(key));
    od::value v;
    BW_TRY(field.value().get(v));
    if (key == "payer_name") BW_TRY(OdText(v, &r->payer));
    else if (key == "plan_name") BW_TRY(OdText(v, &r->plan));
    else if (key == "standard_charge_dollar" || key == "standard_charge") BW_TRY(OdMoney(v, &r->dollar));
    else if (key == "standard_charge_percentage") BW_TRY(OdNumber(v, &r->percentage));
    else if (key == "standard_charge_algorithm") BW_TRY(OdText(v, &r->algorithm));
    else if (key == "estimated_amount") BW_TRY(OdMoney(v, &r->estimated));
    else if (key == "methodology") BW_TRY(OdText(v, &r->methodology));
    else if (key == "contracting_method") BW_TRY(OdText(v, &contracting));
  }
  if (r->methodology.empty()) r->methodology = std::move(contracting);
  return simdjson::SUCCESS;
}

// Reads one charge object's fields (standard_charges[] entry, or a flat item) into *rec.
simdjson::error_code OdChargeField(std::string_view key, od::value v, PriceRecord* rec) {
  if (key == "setting") {
    BW_TRY(OdText(v, &rec->setting));
    rec->setting = Lower(rec->setting);
  } else if (key == "gross_charge" || key == "gross") {
    BW_TRY(OdMoney(v, &rec->gross));
  } else if (key == "discounted_cash" || key == "discounted_cash_price" || key == "cash_price" || key == "cash" ||
             key == "self_pay") {
    BW_TRY(OdMoney(v, &rec->cash));
  } else if (key == "minimum" || key == "min") {
    BW_TRY(OdMoney(v, &rec->min));
  } else if (key == "maximum" || key == "max") {
    BW_TRY(OdMoney(v, &rec->max));
  } else if (key == "modifier_code") {
    od::json_type t;
    BW_TRY(v.type().get(t));
    if (t == od::json_type::array) {
      od::array mods;
      BW_TRY(v.get_array().get(mods));
      for (auto m : mods) {
        od::value mv;
        BW_TRY(m.get(mv));
        std::string text;
        BW_TRY(OdText(mv, &text));
        if (text.empty()) continue;
        if (!rec->modifiers.empty()) rec->modifiers += '|';
        rec->modifiers += text;
      }
    } else {
      BW_TRY(OdText(v, &rec->modifiers));
    }
  } else if (key == "payers_information") {
    od::array payers;
    BW_TRY(v.get_array().get(payers));
    for (auto pe : payers) {
      od::object po;
      BW_TRY(pe.get_object().get(po));
      NegotiatedRate r;
      BW_TRY(OdPayer(po, &r));
      rec->rates.push_back(std::move(r));
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code OdItem(od::object item, const PriceRecordSink& sink, int64_t* delivered) {
  std::vector<std::pair<std::string, std::string>> codes;  // (code, type)
  std::vector<PriceRecord> charges;
  PriceRecord flat;
  std::string flat_code, flat_type;
  bool has_charge_list = false;
  for (auto field : item) {
    std::string_view key;
    BW_TRY(field.unescaped_key().get(key));
    od::value v;
    BW_TRY(field.value().get(v));
    if (key == "code_information") {
      od::array infos;
      BW_TRY(v.get_array().get(infos));
      for (auto ci : infos) {
        od::object c;
        BW_TRY(ci.get_object().get(c));
        std::string code, type;
        for (auto cf : c) {
          std::string_view ck;
          BW_TRY(cf.unescaped_key().get(ck));
          od::value cv;
          BW_TRY(cf.value().get(cv));
          if (ck == "code") BW_TRY(OdText(cv, &code));
          else if (ck == "type") BW_TRY(OdText(cv, &type));
        }
        code = UpperNoSpace(code);
        if (!code.empty()) codes.emplace_back(std::move(code), UpperNoSpace(type));
      }
    } else if (key == "standard_charges") {
      has_charge_list = true;
      od::array list;
      BW_TRY(v.get_array().get(list));
      for (auto ce : list) {
        od::object c;
        BW_TRY(ce.get_object().get(c));
        PriceRecord rec;
        for (auto cf : c) {
          std::string_view ck;
          BW_TRY(cf.unescaped_key().get(ck));
          od::value cv;
          BW_TRY(cf.value().get(cv));
          BW_TRY(OdChargeField(ck, cv, &rec));
        }
        charges.push_back(std::move(rec));
      }
    } else if (flat_code.empty() && (key == "code" || key == "cpt" || key == "hcpcs" || key == "cpt_code" ||
                                     key == "hcpcs_code" || key == "billing_code")) {
      BW_TRY(OdText(v, &flat_code));
    } else if (key == "code_type" || key == "type") {
      BW_TRY(OdText(v, &flat_type));
    } else {
      BW_TRY(OdChargeField(key, v, &flat));
    }
  }
  if (codes.empty() && !flat_code.empty()) codes.emplace_back(UpperNoSpace(flat_code), UpperNoSpace(flat_type));
  if (!has_charge_list) charges.push_back(std::move(flat));
  for (PriceRecord& rec : charges) {
    for (const auto& [code, type] : codes) {
      rec.code = code;
      rec.code_type = type;
      sink(rec);
      ++*delivered;
    }
  }
  return simdjson::SUCCESS;
}

#undef BW_TRY

// Cuts the JSON text into the elements of its top-level arrays (the items) and a skeleton
// holding everything else (the metadata), scanning strings and brackets only.
class JsonStream {
 public:
  JsonStream(PriceFileSource& src, const PriceRecordSink& sink, PriceFileInfo* info)
      : src_(src), sink_(sink), info_(info) {}

  Expected<void> Run() {
    buf_.resize(kBlock + simdjson::SIMDJSON_PADDING);
    size_t pos = 0;  // scan position in buf_
    while (true) {
      if (buf_.size() < used_ + kBlock + simdjson::SIMDJSON_PADDING) buf_.resize(used_ + kBlock + simdjson::SIMDJSON_PADDING);
      auto n = src_.Read(buf_.data() + used_, kBlock);
      if (!n) return Stop(n.error().message);
      if (*n == 0) break;
      used_ += *n;
      if (auto ok = Scan(&pos); !ok) return ok;
      // Keep only what an unfinished item or string still needs.
      size_t keep = in_item_ ? item_start_ : pos;
      if (in_string_ && !in_item_) keep = std::min(keep, string_start_);
      if (keep > 0) {
        std::memmove(buf_.data(), buf_.data() + keep, used_ - keep);
        used_ -= keep;
        pos -= keep;
        base_ += keep;
        if (in_item_) item_start_ -= keep;
        if (in_string_) string_start_ -= keep;
      }
      if (in_item_ && used_ - item_start_ > kMaxItem) return Stop("an item larger than 256 MB");
    }
    if (stack_.size() > 0 || in_string_ || !seen_root_) {
      return Stop(seen_root_ ? "the JSON text ends early (truncated file)" : "empty file");
    }
    ParseSkeleton();
    return {};
  }

 private:
  // Records the error: partial when items were already delivered, fatal otherwise.
  std::unexpected<Error> Stop(const std::string& why, uint64_t at = UINT64_MAX) {
    if (at == UINT64_MAX) at = base_ + used_;
    ParseSkeleton();
    return Fail(ErrorCode::kInvalidInput, info_->name + ": byte " + std::to_string(at) + ": " + why);
  }

  void Keep(char c) {
    if (skeleton_.size() < kMaxSkeleton) skeleton_ += c;
  }
  // True while inside an array that is a direct child of the root object.
  bool InTopArray() const {
    return root_object_ ? stack_.size() >= 2 && stack_[1] == '[' : stack_.size() >= 1;
  }
  size_t ItemDepth() const { return root_object_ ? 2 : 1; }

  Expected<void> Scan(size_t* pos_io) {
    size_t pos = *pos_io;
    const char* b = buf_.data();
    while (pos < used_) {
      if (in_string_) {
        const char* q = static_cast<const char*>(std::memchr(b + pos, '"', used_ - pos));
        size_t stop = q ? static_cast<size_t>(q - b) + 1 : used_;
        if (!top_) KeepRange(b + pos, stop - pos);
        if (q == nullptr) {
          pos = used_;
          break;
        }
        size_t qpos = stop - 1;
        size_t back = 0;
        while (qpos - back > string_start_ + 1 && b[qpos - back - 1] == '\\') ++back;
        pos = stop;
        if (back % 2 == 0) in_string_ = false;
        continue;
      }
      if (top_) {
        // Inside the item arrays only brackets and quotes matter: skip everything else.
        while (pos < used_ && !kStructural[static_cast<unsigned char>(b[pos])]) ++pos;
        if (pos == used_) break;
      }
      char c = b[pos];
      bool was_top = top_;
      switch (c) {
        case '"':
          in_string_ = true;
          string_start_ = pos;
          break;
        case '{':
        case '[':
          if (!seen_root_) {
            seen_root_ = true;
            root_object_ = c == '{';
          }
          if (c == '{' && !stack_.empty() && stack_.back() == '[' && stack_.size() == ItemDepth()) {
            in_item_ = true;
            item_start_ = pos;
          }
          if (stack_.size() > 512) return Stop("nesting deeper than 512", base_ + pos);
          stack_.push_back(c);
          top_ = InTopArray();
          break;
        case '}':
        case ']': {
          if (stack_.empty() || (c == '}') != (stack_.back() == '{')) return Stop("unbalanced bracket", base_ + pos);
          stack_.pop_back();
          top_ = InTopArray();
          if (in_item_ && c == '}' && stack_.size() == ItemDepth()) {
            in_item_ = false;
            if (auto ok = ParseItem(item_start_, pos + 1); !ok) return ok;
          }
          break;
        }
        default:
          if (!seen_root_ && !std::isspace(static_cast<unsigned char>(c)) && !(base_ + pos < 3 && (c & 0x80))) {
            return Stop("not JSON: the text does not start with { or [", base_ + pos);
          }
          break;
      }
      if (!was_top || !top_) Keep(c);
      ++pos;
    }
    *pos_io = pos;
    return {};
  }

  void KeepRange(const char* p, size_t n) {
    skeleton_.append(p, std::min(n, kMaxSkeleton - std::min(kMaxSkeleton, skeleton_.size())));
  }

  static constexpr auto kStructural = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {'"', '{', '}', '[', ']'}) t[c] = true;
    return t;
  }();

  Expected<void> ParseItem(size_t start, size_t end) {
    od::document doc;
    od::object item;
    auto err = od_parser_.iterate(buf_.data() + start, end - start, buf_.size() - start).get(doc);
    if (!err) err = doc.get_object().get(item);
    if (!err) err = OdItem(item, sink_, &info_->records);
    if (err) return Stop(std::string("bad JSON in the item starting here: ") + simdjson::error_message(err), base_ + start);
    return {};
  }

  void ParseSkeleton() {
    if (skeleton_parsed_) return;
    skeleton_parsed_ = true;
    // A file that ends early leaves the skeleton open: close what it holds, best effort.
    if (in_string_ && !top_) skeleton_ += '"';
    for (size_t i = stack_.size(); i-- > 0;) {
      bool kept = root_object_ ? !(i >= 2 && stack_[1] == '[') : i == 0;
      if (kept) skeleton_ += stack_[i] == '{' ? '}' : ']';
    }
    simdjson::padded_string text(skeleton_);
    sj::element root;
    if (parser_.parse(text).get(root) != simdjson::SUCCESS) return;
    sj::object o;
    if (root.get_object().get(o) != simdjson::SUCCESS) return;
    info_->hospital_name = Field(o, "hospital_name");
    info_->last_updated_on = Field(o, "last_updated_on");
    info_->version = Field(o, "version");
  }

  PriceFileSource& src_;
  const PriceRecordSink& sink_;
  PriceFileInfo* info_;
  sj::parser parser_;      // the metadata skeleton
  od::parser od_parser_;  // the items
  std::vector<char> buf_;
  size_t used_ = 0;
  uint64_t base_ = 0;  // file offset of buf_[0]
  std::string stack_;
  bool seen_root_ = false;
  bool root_object_ = false;
  bool in_string_ = false;
  bool top_ = false;  // InTopArray(), kept up to date at every bracket
  size_t string_start_ = 0;
  bool in_item_ = false;
  size_t item_start_ = 0;
  std::string skeleton_;
  bool skeleton_parsed_ = false;
};

// ---------------------------------------------------------------- CSV

std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    if (u >= 0x80) continue;  // BOM and other non-ASCII bytes
    out += static_cast<char>(std::tolower(u));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct WideRate {
  std::string payer, plan;
  int dollar = -1, percentage = -1, algorithm = -1, estimated = -1, methodology = -1;
};

struct CsvLayout {
  std::vector<std::pair<int, int>> codes;  // (code column, type column or -1)
  int setting = -1, modifiers = -1, gross = -1, cash = -1, min = -1, max = -1;
  // Tall: one payer per row.
  int payer = -1, plan = -1, dollar = -1, percentage = -1, algorithm = -1, estimated = -1, methodology = -1;
  std::vector<WideRate> wide;
  bool usable() const { return !codes.empty() && (gross >= 0 || cash >= 0 || dollar >= 0 || !wide.empty()); }
};

CsvLayout FindLayout(const std::vector<std::string_view>& header) {
  CsvLayout l;
  std::vector<std::string> names;
  for (std::string_view h : header) names.push_back(Normalize(h));
  auto find = [&](std::string_view n) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == n) return static_cast<int>(i);
    }
    return -1;
  };
  std::map<std::pair<std::string, std::string>, size_t> wide_index;
  auto wide = [&](const std::string& payer, const std::string& plan) -> WideRate& {
    auto key = std::make_pair(Lower(payer), Lower(plan));
    auto it = wide_index.find(key);
    if (it == wide_index.end()) {
      it = wide_index.emplace(key, l.wide.size()).first;
      l.wide.push_back(WideRate{payer, plan});
    }
    return l.wide[it->second];
  };
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    int col = static_cast<int>(i);
    std::vector<std::string_view> parts = Split(n, '|');
    if (parts.size() == 2 && parts[0] == "code" && !parts[1].empty()) {
      l.codes.emplace_back(col, find(n + "|type"));
      continue;
    }
    if (parts.size() >= 4 && (parts[0] == "standard_charge" || parts[0] == "estimated_amount")) {
      // Wide: standard_charge|PAYER|PLAN|negotiated_dollar, estimated_amount|PAYER|PLAN.
      // Payer and plan names keep the header's case.
      std::vector<std::string_view> raw = Split(Trim(header[i]), '|');
      if (raw.size() != parts.size()) continue;
      WideRate& w = wide(std::string(Trim(raw[1])), std::string(Trim(raw[2])));
      std::string_view what = parts[3];
      if (what == "negotiated_dollar") w.dollar = col;
      else if (what == "negotiated_percentage") w.percentage = col;
      else if (what == "negotiated_algorithm") w.algorithm = col;
      else if (what == "methodology" || what == "contracting_method") w.methodology = col;
      continue;
    }
    if (parts.size() == 3 && parts[0] == "estimated_amount") {
      std::vector<std::string_view> raw = Split(Trim(header[i]), '|');
      if (raw.size() == 3) wide(std::string(Trim(raw[1])), std::string(Trim(raw[2]))).estimated = col;
      continue;
    }
    if (n == "setting") l.setting = col;
    else if (n == "modifiers" || n == "modifier") l.modifiers = col;
    else if (n == "payer_name") l.payer = col;
    else if (n == "plan_name") l.plan = col;
    else if (n == "standard_charge|negotiated_dollar") l.dollar = col;
    else if (n == "standard_charge|negotiated_percentage") l.percentage = col;
    else if (n == "standard_charge|negotiated_algorithm") l.algorithm = col;
    else if (n == "estimated_amount" || n == "standard_charge|estimated_amount") l.estimated = col;
    else if (n == "standard_charge|methodology" || n == "standard_charge|contracting_method") l.methodology = col;
    else if (n == "standard_charge|min" || n == "standard_charge|minimum" || n == "de-identified minimum") l.min = col;
    else if (n == "standard_charge|max" || n == "standard_charge|maximum" || n == "de-identified maximum") l.max = col;
    else if (n == "standard_charge|gross" && l.gross < 0) l.gross = col;
    else if (n == "standard_charge|discounted_cash" && l.cash < 0) l.cash = col;
    else {
      // Plain CSVs.
      static const char* const kCodeNames[] = {"cpt", "hcpcs", "cpt/hcpcs", "hcpcs/cpt", "cpt code", "hcpcs code",
                                               "cpt/hcpcs code", "cpt_code", "hcpcs_code", "cpt/hcpcs_code",
                                               "code", "billing code", "procedure code", "cpt®/hcpcs"};
      bool is_code = false;
      for (const char* k : kCodeNames) is_code = is_code || n == k;
      if (is_code) {
        int type = find(n + " type");
        l.codes.emplace_back(col, type >= 0 ? type : find("code type"));
        continue;
      }
      bool gross = n.find("gross") != std::string::npos;
      bool cash = n.find("cash") != std::string::npos || n.find("self pay") != std::string::npos ||
                  n.find("self-pay") != std::string::npos;
      bool other = n.find("min") != std::string::npos || n.find("max") != std::string::npos ||
                   n.find("negotiated") != std::string::npos;
      if (gross && !cash && !other && l.gross < 0) l.gross = col;
      if (cash && !gross && !other && l.cash < 0) l.cash = col;
    }
  }
  return l;
}

class CsvStream {
 public:
  CsvStream(PriceFileSource& src, const PriceRecordSink& sink, PriceFileInfo* info)
      : src_(src), sink_(sink), info_(info) {}

  Expected<void> Run() {
    std::string buf;
    size_t scanned = 0;  // bytes of buf already scanned for quotes
    bool in_quote = false;
    bool eof = false;
    while (!eof) {
      size_t old = buf.size();
      buf.resize(old + kBlock);
      auto n = src_.Read(buf.data() + old, kBlock);
      if (!n) return Fail(n.error().code, n.error().message + Where());
      buf.resize(old + *n);
      eof = *n == 0;
      // The end of the last whole record: the last newline outside quotes.
      size_t cut = std::string::npos;
      for (size_t i = scanned; i < buf.size(); ++i) {
        char c = buf[i];
        if (c == '"') in_quote = !in_quote;
        else if (c == '\n' && !in_quote) cut = i + 1;
      }
      scanned = buf.size();
      if (eof) cut = buf.size();
      if (cut == std::string::npos) {
        if (buf.size() > kMaxItem) return Fail(ErrorCode::kInvalidInput, info_->name + ": line " + std::to_string(line_) + ": a record longer than 256 MB (unclosed quote?)");
        continue;
      }
      if (auto ok = Records(std::string_view(buf).substr(0, cut)); !ok) return ok;
      buf.erase(0, cut);
      scanned = buf.size();
    }
    if (!found_) return Fail(ErrorCode::kInvalidInput, info_->name + ": no header row with code and price columns in the first 10 rows");
    return {};
  }

 private:
  std::string Where() const { return " (line " + std::to_string(line_) + ")"; }

  Expected<void> Records(std::string_view text) {
    CsvReader reader(text, nullptr, line_);
    std::vector<std::string_view> row;
    while (reader.Next(&row)) {
      if (!found_) {
        if (auto ok = Header(row, reader.line()); !ok) return ok;
        continue;
      }
      if (row.size() < width_ / 2 && row.size() <= 1) continue;
      Emit(row);
    }
    line_ += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    return {};
  }

  Expected<void> Header(const std::vector<std::string_view>& row, int line) {
    ++rows_before_header_;
    CsvLayout l = FindLayout(row);
    if (l.usable()) {
      layout_ = std::move(l);
      found_ = true;
      width_ = row.size();
      info_->shape = !layout_.wide.empty() ? "csv-wide" : layout_.payer >= 0 ? "csv-tall" : "csv";
      return {};
    }
    if (rows_before_header_ == 1) {
      for (std::string_view f : row) meta_header_.push_back(Normalize(f));
    } else if (rows_before_header_ == 2) {
      for (size_t k = 0; k < meta_header_.size() && k < row.size(); ++k) {
        if (meta_header_[k] == "hospital_name" || meta_header_[k] == "hospital name") info_->hospital_name = Trim(row[k]);
        if (meta_header_[k] == "last_updated_on") info_->last_updated_on = Trim(row[k]);
        if (meta_header_[k] == "version") info_->version = Trim(row[k]);
      }
    }
    if (rows_before_header_ >= 10) {
      return Fail(ErrorCode::kInvalidInput, info_->name + ": line " + std::to_string(line) +
                                                ": no header row with code and price columns in the first 10 rows");
    }
    return {};
  }

  void Emit(const std::vector<std::string_view>& row) {
    auto field = [&](int i) { return i >= 0 && static_cast<size_t>(i) < row.size() ? row[i] : std::string_view(); };
    rec_.setting = Lower(Trim(field(layout_.setting)));
    rec_.modifiers = Trim(field(layout_.modifiers));
    rec_.gross = CellMoney(field(layout_.gross));
    rec_.cash = CellMoney(field(layout_.cash));
    rec_.min = CellMoney(field(layout_.min));
    rec_.max = CellMoney(field(layout_.max));
    rec_.rates.clear();
    auto add = [&](std::string payer, std::string plan, int dollar, int pct, int algo, int est, int method) {
      NegotiatedRate r;
      r.dollar = CellMoney(field(dollar));
      r.percentage = CellNumber(field(pct));
      r.algorithm = std::string(Trim(field(algo)));
      r.estimated = CellMoney(field(est));
      if (!r.dollar && !r.percentage && r.algorithm.empty() && !r.estimated) return;
      r.payer = std::move(payer);
      r.plan = std::move(plan);
      r.methodology = std::string(Trim(field(method)));
      rec_.rates.push_back(std::move(r));
    };
    if (layout_.payer >= 0) {
      add(std::string(Trim(field(layout_.payer))), std::string(Trim(field(layout_.plan))), layout_.dollar, layout_.percentage, layout_.algorithm,
          layout_.estimated, layout_.methodology);
    }
    for (const WideRate& w : layout_.wide) add(w.payer, w.plan, w.dollar, w.percentage, w.algorithm, w.estimated, w.methodology);
    for (auto [code_col, type_col] : layout_.codes) {
      rec_.code = UpperNoSpace(field(code_col));
      if (rec_.code.empty()) continue;
      rec_.code_type = UpperNoSpace(field(type_col));
      sink_(rec_);
      ++info_->records;
    }
  }

  PriceFileSource& src_;
  const PriceRecordSink& sink_;
  PriceFileInfo* info_;
  int line_ = 1;
  bool found_ = false;
  size_t width_ = 0;
  int rows_before_header_ = 0;
  std::vector<std::string> meta_header_;
  CsvLayout layout_;
  PriceRecord rec_;
};

}  // namespace

bool LooksLikeCptOrHcpcs(std::string_view code) {
  if (code.size() != 5) return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  int digits = 0;
  for (char c : code) digits += digit(c) ? 1 : 0;
  if (digits == 5) return true;
  if (digits == 4 && letter(code[0])) return true;
  if (digits == 4 && letter(code[4])) return true;
  return false;
}

Expected<PriceFileInfo> ReadPriceSource(PriceFileSource& source, const PriceRecordSink& sink) {
  PriceFileInfo info;
  info.name = source.name();
  info.container = ContainerName(source.container());
  // The first non-blank byte tells JSON from CSV.
  auto head = source.Peek(4096);
  if (!head) return std::unexpected(head.error());
  size_t i = head->starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < head->size() && std::isspace(static_cast<unsigned char>((*head)[i]))) ++i;
  if (i >= head->size()) return Fail(ErrorCode::kInvalidInput, info.name + ": empty price file");
  bool json = (*head)[i] == '{' || (*head)[i] == '[';
  Expected<void> ok = json ? JsonStream(source, sink, &info).Run() : CsvStream(source, sink, &info).Run();
  if (json) info.shape = "json";
  info.bytes = source.offset();
  if (!ok) {
    if (info.records == 0) return std::unexpected(ok.error());
    info.partial = true;
    info.problem = ok.error().message;
  }
  if (info.records == 0) return Fail(ErrorCode::kInvalidInput, info.name + ": no priced code found");
  return info;
}

Expected<PriceFileInfo> ReadPriceFile(const std::string& path, const PriceRecordSink& sink) {
  auto src = PriceFileSource::Open(path);
  if (!src) return std::unexpected(src.error());
  return ReadPriceSource(*src, sink);
}

}  // namespace billwise
