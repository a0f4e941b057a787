#include "pipeline/refdata/hospital_prices.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

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

std::string UpperTrim(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// A CPT or HCPCS code: five characters, digits or one letter and four digits, or
// four digits and a letter (CPT category II/III and PLA codes).
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

bool IsCodeTypeWanted(std::string_view type) {
  std::string t = UpperTrim(type);
  return t.empty() || t == "CPT" || t == "HCPCS" || t == "CPT/HCPCS" || t == "CPT4" || t == "HCPCS/CPT";
}

void Merge(std::optional<Money>* min, std::optional<Money>* max, std::optional<Money> v) {
  if (!v || v->cents <= 0) return;
  if (!*min || *v < **min) *min = v;
  if (!*max || *v > **max) *max = v;
}

void Add(HospitalPriceList* list, const std::string& code, std::optional<Money> gross, std::optional<Money> cash) {
  if ((!gross || gross->cents <= 0) && (!cash || cash->cents <= 0)) return;
  StandardCharge& c = list->by_code[code];
  Merge(&c.gross_min, &c.gross_max, gross);
  Merge(&c.cash_min, &c.cash_max, cash);
}

std::optional<Money> CellMoney(std::string_view s) {
  auto v = ParseMoneyCell(s);
  if (!v) return std::nullopt;
  return *v;
}

struct CsvColumns {
  std::vector<std::pair<int, int>> codes;  // (code column, type column or -1)
  int gross = -1;
  int cash = -1;
  int modifiers = -1;
};

CsvColumns FindColumns(const std::vector<std::string_view>& header) {
  CsvColumns c;
  std::vector<std::string> names;
  for (std::string_view h : header) names.push_back(Normalize(h));
  auto find = [&](const std::string& n) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == n) return static_cast<int>(i);
    }
    return -1;
  };
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    // CMS template: code|1, code|1|type, code|2, ...
    if (n.starts_with("code|") && n.find('|', 5) == std::string::npos) {
      c.codes.emplace_back(static_cast<int>(i), find(n + "|type"));
      continue;
    }
    static const char* const kCodeNames[] = {"cpt", "hcpcs", "cpt/hcpcs", "hcpcs/cpt", "cpt code", "hcpcs code",
                                             "cpt/hcpcs code", "cpt_code", "hcpcs_code", "cpt/hcpcs_code",
                                             "code", "billing code", "procedure code", "cpt®/hcpcs"};
    for (const char* k : kCodeNames) {
      if (n == k) c.codes.emplace_back(static_cast<int>(i), find(n + " type") >= 0 ? find(n + " type") : find("code type"));
    }
    bool gross = n.find("gross") != std::string::npos;
    bool cash = n.find("cash") != std::string::npos || n.find("self pay") != std::string::npos ||
                n.find("self-pay") != std::string::npos || n.find("selfpay") != std::string::npos;
    bool other = n.find("min") != std::string::npos || n.find("max") != std::string::npos ||
                 n.find("negotiated") != std::string::npos;
    if (gross && !cash && !other && c.gross < 0) c.gross = static_cast<int>(i);
    if (cash && !gross && !other && c.cash < 0) c.cash = static_cast<int>(i);
    if ((n == "modifiers" || n == "modifier") && c.modifiers < 0) c.modifiers = static_cast<int>(i);
  }
  return c;
}

Expected<HospitalPriceList> ParseCsv(std::string_view bytes, const std::string& name) {
  HospitalPriceList list;
  list.source = name;
  CsvReader reader(bytes);
  std::vector<std::string_view> row;
  std::vector<std::string> meta_header;
  CsvColumns cols;
  bool found = false;
  // The header is among the first rows (the CMS template puts two metadata rows first).
  for (int i = 0; i < 10 && reader.Next(&row); ++i) {
    CsvColumns c = FindColumns(row);
    if (!c.codes.empty() && (c.gross >= 0 || c.cash >= 0)) {
      cols = c;
      found = true;
      break;
    }
    if (i == 0) {
      for (std::string_view f : row) meta_header.push_back(Normalize(f));
    } else if (i == 1) {
      for (size_t k = 0; k < meta_header.size() && k < row.size(); ++k) {
        if (meta_header[k] == "hospital_name" || meta_header[k] == "hospital name") list.hospital_name = std::string(row[k]);
        if (meta_header[k] == "last_updated_on") list.last_updated = std::string(row[k]);
      }
    }
  }
  if (!found) {
    return Fail(ErrorCode::kInvalidInput, "no code column with a gross or discounted-cash price column was found");
  }
  while (reader.Next(&row)) {
    auto field = [&](int i) { return i >= 0 && static_cast<size_t>(i) < row.size() ? row[i] : std::string_view(); };
    if (cols.modifiers >= 0 && !UpperTrim(field(cols.modifiers)).empty()) continue;
    std::optional<Money> gross = CellMoney(field(cols.gross));
    std::optional<Money> cash = CellMoney(field(cols.cash));
    for (auto [code_col, type_col] : cols.codes) {
      if (type_col >= 0 && !IsCodeTypeWanted(field(type_col))) continue;
      std::string code = UpperTrim(field(code_col));
      if (!LooksLikeCptOrHcpcs(code)) continue;
      Add(&list, code, gross, cash);
    }
  }
  return list;
}

std::optional<Money> JsonMoney(const nlohmann::json& v) {
  if (v.is_number()) return RoundDollarsToCents(v.get<double>());
  if (v.is_string()) return CellMoney(v.get<std::string>());
  return std::nullopt;
}

std::optional<Money> FirstMoney(const nlohmann::json& obj, std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return std::nullopt;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::string k = Normalize(it.key());
    for (const char* want : keys) {
      if (k == want) {
        if (auto m = JsonMoney(it.value())) return m;
      }
    }
  }
  return std::nullopt;
}

void WalkJson(const nlohmann::json& node, HospitalPriceList* list, int depth) {
  if (depth > 8) return;
  if (node.is_array()) {
    for (const auto& e : node) WalkJson(e, list, depth + 1);
    return;
  }
  if (!node.is_object()) return;
  // Codes of this item: CMS v2 code_information[], or flat keys.
  std::vector<std::string> codes;
  if (auto ci = node.find("code_information"); ci != node.end() && ci->is_array()) {
    for (const auto& c : *ci) {
      if (!c.is_object()) continue;
      std::string code = c.contains("code") && c["code"].is_string() ? UpperTrim(c["code"].get<std::string>()) : "";
      std::string type = c.contains("type") && c["type"].is_string() ? c["type"].get<std::string>() : "";
      if (IsCodeTypeWanted(type) && LooksLikeCptOrHcpcs(code)) codes.push_back(code);
    }
  } else {
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string k = Normalize(it.key());
      if ((k == "code" || k == "cpt" || k == "hcpcs" || k == "cpt_code" || k == "hcpcs_code" || k == "billing_code") &&
          it.value().is_string()) {
        std::string code = UpperTrim(it.value().get<std::string>());
        std::string type = node.contains("code_type") && node["code_type"].is_string()
                               ? node["code_type"].get<std::string>()
                               : (node.contains("type") && node["type"].is_string() ? node["type"].get<std::string>() : "");
        if (IsCodeTypeWanted(type) && LooksLikeCptOrHcpcs(code)) codes.push_back(code);
      }
    }
  }
  if (!codes.empty()) {
    std::vector<const nlohmann::json*> charges;
    if (auto sc = node.find("standard_charges"); sc != node.end() && sc->is_array()) {
      for (const auto& c : *sc) charges.push_back(&c);
    } else {
      charges.push_back(&node);
    }
    for (const nlohmann::json* c : charges) {
      if (c->contains("modifier_code") && (*c)["modifier_code"].is_array() && !(*c)["modifier_code"].empty()) continue;
      auto gross = FirstMoney(*c, {"gross_charge", "gross charge", "gross", "standard_charge|gross"});
      auto cash = FirstMoney(*c, {"discounted_cash", "discounted_cash_price", "cash_price", "cash", "self_pay",
                                  "self pay", "standard_charge|discounted_cash"});
      for (const std::string& code : codes) Add(list, code, gross, cash);
    }
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.value().is_array() || it.value().is_object()) WalkJson(it.value(), list, depth + 1);
  }
}

Expected<HospitalPriceList> ParseJson(std::string_view bytes, const std::string& name) {
  nlohmann::json doc = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Fail(ErrorCode::kInvalidInput, "not valid JSON");
  HospitalPriceList list;
  list.source = name;
  if (doc.is_object()) {
    if (doc.contains("hospital_name") && doc["hospital_name"].is_string()) {
      list.hospital_name = doc["hospital_name"].get<std::string>();
    }
    if (doc.contains("last_updated_on") && doc["last_updated_on"].is_string()) {
      list.last_updated = doc["last_updated_on"].get<std::string>();
    }
  }
  WalkJson(doc, &list, 0);
  if (list.by_code.empty()) {
    return Fail(ErrorCode::kInvalidInput, "no CPT/HCPCS code with a gross or discounted-cash price was found");
  }
  return list;
}

}  // namespace

Expected<HospitalPriceList> ParseHospitalPrices(std::string_view bytes, const std::string& name) {
  size_t i = 0;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  if (i >= bytes.size()) return Fail(ErrorCode::kInvalidInput, "empty price file");
  if (bytes[i] == '{' || bytes[i] == '[') return ParseJson(bytes.substr(i), name);
  return ParseCsv(bytes.substr(i), name);
}

Expected<HospitalPriceList> LoadHospitalPrices(const std::string& path) {
  auto bytes = ReadFileInflating(path);
  if (!bytes) return std::unexpected(bytes.error());
  auto list = ParseHospitalPrices(*bytes, std::filesystem::path(path).filename().string());
  if (!list) return Fail(list.error().code, path + ": " + list.error().message);
  return list;
}

}  // namespace billwise
