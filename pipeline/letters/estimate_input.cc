#include "pipeline/letters/estimate_input.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace billwise {
namespace {

using nlohmann::json;

std::optional<Money> MoneyOf(const json& j) {
  if (j.is_number()) return RoundDollarsToCents(j.get<double>());
  if (j.is_string()) {
    std::string s;
    for (char c : j.get<std::string>()) {
      if ((c >= '0' && c <= '9') || c == '.' || c == '-') s += c;
    }
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str()) return std::nullopt;
    return RoundDollarsToCents(d);
  }
  return std::nullopt;
}

std::string StringOf(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {  // {"setting": "office", ...}
    auto s = it->find("setting");
    if (s != it->end() && s->is_string()) return s->get<std::string>();
    return "";
  }
  return it->dump();
}

void ReadRange(const json& obj, std::optional<Money>& low, std::optional<Money>& high, std::string* basis) {
  if (!obj.is_object()) return;
  if (auto it = obj.find("low"); it != obj.end()) low = MoneyOf(*it);
  if (auto it = obj.find("high"); it != obj.end()) high = MoneyOf(*it);
  if (basis != nullptr) *basis = StringOf(obj, "basis");
}

}  // namespace

Expected<EstimateInput> ParseEstimateJson(std::string_view text) {
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Fail(ErrorCode::kInvalidInput, "estimate file is not valid JSON");
  if (root.is_array() && !root.empty()) root = root.front();
  if (!root.is_object()) return Fail(ErrorCode::kInvalidInput, "estimate JSON is not an object");
  EstimateInput out;
  auto services = root.find("services");
  if (services == root.end() || !services->is_array() || services->empty()) {
    return Fail(ErrorCode::kInvalidInput, "estimate JSON has no services");
  }
  for (const json& s : *services) {
    if (!s.is_object()) continue;
    EstimateInput::Service svc;
    svc.code = StringOf(s, "code");
    if (svc.code.empty()) continue;
    if (auto q = s.find("quantity"); q != s.end() && q->is_number()) svc.quantity = q->get<double>();
    svc.descriptor = StringOf(s, "descriptor");
    svc.cheapest_setting = StringOf(s, "cheapest_setting");
    if (auto r = s.find("fair_range"); r != s.end()) ReadRange(*r, svc.fair_low, svc.fair_high, &svc.fair_basis);
    out.services.push_back(std::move(svc));
  }
  if (out.services.empty()) return Fail(ErrorCode::kInvalidInput, "estimate JSON has no services with codes");
  if (auto t = root.find("total_fair_range"); t != root.end()) ReadRange(*t, out.total_low, out.total_high, nullptr);
  return out;
}

}  // namespace billwise
