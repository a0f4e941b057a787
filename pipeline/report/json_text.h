// Text in billwise's JSON files: names of any bytes carried losslessly, and output that
// never fails on text that is not UTF-8.
//
// - PutName/GetName write and read a name field as pipeline/model/utf8.h describes
//   ("path" always valid UTF-8, plus "path_bytes" with the exact bytes escaped when the
//   name is not UTF-8).
// - DumpJson serialises with invalid UTF-8 in any other string (a Latin-1 provider name)
//   replaced by U+FFFD, where nlohmann's default would throw.
// Header-only over nlohmann::json and nlohmann::ordered_json.
#ifndef BILLWISE_PIPELINE_REPORT_JSON_TEXT_H_
#define BILLWISE_PIPELINE_REPORT_JSON_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pipeline/model/utf8.h"

namespace billwise {

inline constexpr const char* kBytesSuffix = "_bytes";

template <typename Json>
void PutName(Json& object, const std::string& key, std::string_view name) {
  if (IsValidUtf8(name)) {
    object[key] = std::string(name);
    return;
  }
  object[key] = ToValidUtf8(name);
  object[key + kBytesSuffix] = EscapeBytes(name);
}

// The exact bytes of a name written by PutName; nullopt when the field is absent or not
// a string (a malformed "<key>_bytes" falls back to "<key>").
template <typename Json>
std::optional<std::string> GetName(const Json& object, const std::string& key) {
  if (!object.is_object()) return std::nullopt;
  if (auto bytes = object.find(key + kBytesSuffix); bytes != object.end() && bytes->is_string()) {
    if (auto raw = UnescapeBytes(bytes->template get_ref<const std::string&>())) return raw;
  }
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->template get<std::string>();
}

template <typename Json>
std::string DumpJson(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_JSON_TEXT_H_
