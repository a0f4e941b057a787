#include "pipeline/refdata/hospital_match.h"

#include <cctype>
#include <vector>

namespace billwise {
namespace {

// Upper-case words of letters and digits, joined by one space.
std::string Canonical(std::string_view s) {
  std::string out;
  bool gap = false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      if (gap && !out.empty()) out += ' ';
      out += static_cast<char>(std::toupper(u));
      gap = false;
    } else if (c != '\'') {
      gap = true;
    }
  }
  return out;
}

size_t Words(const std::string& canonical) {
  if (canonical.empty()) return 0;
  size_t n = 1;
  for (char c : canonical) n += c == ' ' ? 1 : 0;
  return n;
}

}  // namespace

std::optional<HospitalMatch> MatchShippedHospital(const ReferenceData& data, const Party& provider) {
  if (!provider.name) return std::nullopt;
  std::string name = Canonical(*provider.name);
  if (name.empty()) return std::nullopt;
  std::string state = provider.state.value_or("");
  std::vector<const HospitalInfo*> candidates = data.FindHospitalsByName(*provider.name, state);
  std::vector<const HospitalInfo*> exact;
  for (const HospitalInfo* h : candidates) {
    if (Canonical(h->name) == name) exact.push_back(h);
  }
  if (exact.size() == 1) {
    if (!state.empty()) return HospitalMatch{exact[0], "high", "same name and state"};
    return HospitalMatch{exact[0], "medium", "same name; the bill gives no state"};
  }
  if (exact.empty() && candidates.size() == 1 && !state.empty() && Words(name) >= 3) {
    return HospitalMatch{candidates[0], "medium", "every word of the provider's name, same state"};
  }
  return std::nullopt;
}

}  // namespace billwise
