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

// "PALO ALTO, CA 94304" -> "PALO ALTO"; "" when the last address line has no "city, ST".
std::string CityOf(const Party& party) {
  if (party.address.empty()) return "";
  const std::string& last = party.address.back();
  size_t comma = last.rfind(',');
  if (comma == std::string::npos) return "";
  std::string city = Canonical(last.substr(0, comma));
  // A street on the same line ("123 MAIN ST PALO ALTO") cannot be told from the city: give up.
  for (char c : city) {
    if (std::isdigit(static_cast<unsigned char>(c))) return "";
  }
  return city;
}

}  // namespace

std::optional<CmsHospitalMatch> MatchCmsHospital(const ReferenceData& data, const Party& provider,
                                                 std::string_view ccn) {
  if (!ccn.empty()) {
    if (auto h = data.FindHospitalGeneral(ccn)) return CmsHospitalMatch{std::move(*h), "CCN " + std::string(ccn)};
  }
  if (!provider.name || !provider.state) return std::nullopt;
  std::string name = Canonical(*provider.name);
  if (Words(name) < 2) return std::nullopt;
  std::vector<HospitalGeneral> candidates = data.FindHospitalsGeneralByName(name, *provider.state);
  std::vector<const HospitalGeneral*> exact;
  for (const HospitalGeneral& h : candidates) {
    if (Canonical(h.name) == name) exact.push_back(&h);
  }
  if (exact.size() == 1) return CmsHospitalMatch{*exact[0], "same name and state"};
  std::string city = CityOf(provider);
  if (city.empty()) return std::nullopt;
  const HospitalGeneral* in_city = nullptr;
  for (const HospitalGeneral& h : candidates) {
    if (Canonical(h.city) != city) continue;
    if (in_city != nullptr) return std::nullopt;
    in_city = &h;
  }
  if (in_city != nullptr) return CmsHospitalMatch{*in_city, "name, city and state"};
  return std::nullopt;
}

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
