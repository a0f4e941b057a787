#include "pipeline/refdata/hospital_match.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/refdata/reference_db.h"

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

// Canonical() with the usual street abbreviations folded (STREET -> ST, ...), so that
// "701 10th Street SE" and "701 10TH ST SE" compare equal.
std::string Street(std::string_view s) {
  static const std::pair<const char*, const char*> kShort[] = {
      {"STREET", "ST"}, {"AVENUE", "AVE"}, {"DRIVE", "DR"}, {"ROAD", "RD"}, {"BOULEVARD", "BLVD"},
      {"LANE", "LN"}, {"PARKWAY", "PKWY"}, {"HIGHWAY", "HWY"}, {"PLACE", "PL"}, {"COURT", "CT"},
      {"CIRCLE", "CIR"}, {"NORTH", "N"}, {"SOUTH", "S"}, {"EAST", "E"}, {"WEST", "W"},
      {"NORTHEAST", "NE"}, {"NORTHWEST", "NW"}, {"SOUTHEAST", "SE"}, {"SOUTHWEST", "SW"}};
  std::string out;
  std::string canonical = Canonical(s);
  size_t start = 0;
  while (start < canonical.size()) {
    size_t end = canonical.find(' ', start);
    if (end == std::string::npos) end = canonical.size();
    std::string word = canonical.substr(start, end - start);
    for (const auto& [full, abbreviation] : kShort) {
      if (word == full) word = abbreviation;
    }
    if (!out.empty()) out += ' ';
    out += word;
    start = end + 1;
  }
  return out;
}

// True when `words` (canonical) occurs in `text` (canonical) as whole words.
bool HasWords(const std::string& text, const std::string& words) {
  if (words.empty()) return false;
  std::string padded = " " + text + " ";
  return padded.find(" " + words + " ") != std::string::npos;
}

// A CCN printed with its label in the provider's block ("CCN 020001", "CCN: 02-0001").
std::optional<std::string> PrintedCcn(const Party& provider) {
  std::vector<std::string> lines = provider.address;
  if (provider.name) lines.push_back(*provider.name);
  for (const std::string& line : lines) {
    std::string c = Canonical(line);
    size_t at = (" " + c).find(" CCN ");
    if (at == std::string::npos) continue;
    std::string digits;
    for (size_t i = at + 4; i < c.size() && digits.size() < 7; ++i) {
      if (std::isalnum(static_cast<unsigned char>(c[i]))) digits += c[i];
      else if (c[i] != ' ' || !digits.empty()) break;
    }
    // Two hyphen-split groups ("02-0001") arrive as "02 0001".
    if (digits.size() == 2) {
      size_t next = at + 4 + 3;
      for (size_t i = next; i < c.size() && std::isalnum(static_cast<unsigned char>(c[i])); ++i) digits += c[i];
    }
    if (digits.size() == 6) return digits;
  }
  return std::nullopt;
}

// Places the provider by the CMS Hospital General Information list, which gives each
// hospital's street address, city and ZIP, and keeps only hospitals of the shipped slice:
//   high    the provider's name words are all in the hospital's CMS name and its ZIP (or
//           street address) is the hospital's;
//   high    a word of the name, the street address and the ZIP are the hospital's;
//   medium  the name words are all in the name and the city is the hospital's.
// Each only when exactly one hospital of the slice fits.
std::optional<HospitalMatch> MatchByAddress(const ReferenceData& data, const Party& provider,
                                            const std::string& state) {
  std::string zip = provider.zip.value_or("");
  std::vector<std::string> lines;
  for (const std::string& line : provider.address) lines.push_back(Street(line));
  if (zip.empty() && lines.empty()) return std::nullopt;
  auto same_street = [&](const HospitalGeneral& h) {
    std::string street = Street(h.address);
    if (Words(street) < 2) return false;  // "PO BOX", a bare number
    for (const std::string& line : lines) {
      if (line == street || line.starts_with(street + " ")) return true;
    }
    return false;
  };
  auto same_zip = [&](const HospitalGeneral& h) { return !zip.empty() && h.zip.substr(0, 5) == zip; };
  auto same_city = [&](const HospitalGeneral& h) {
    std::string city = Canonical(h.city);
    for (const std::string& line : lines) {
      if (HasWords(line, city)) return true;
    }
    return false;
  };
  // Exactly one hospital of the slice that `fits`, else nullptr.
  auto only = [&](const std::vector<HospitalGeneral>& found, auto fits) -> const HospitalInfo* {
    const HospitalInfo* one = nullptr;
    for (const HospitalGeneral& h : found) {
      if (!fits(h)) continue;
      const HospitalInfo* in_slice = data.FindHospital(h.ccn);
      if (in_slice == nullptr || in_slice == one) continue;
      if (one != nullptr) return nullptr;
      one = in_slice;
    }
    return one;
  };
  std::vector<HospitalGeneral> named = data.FindHospitalsGeneralByName(*provider.name, state);
  if (auto* h = only(named, [&](const HospitalGeneral& g) { return same_zip(g) || same_street(g); })) {
    return HospitalMatch{h, "high", "name and address as CMS lists the hospital"};
  }
  // The name as printed may differ from CMS's ("St." for "Saint", a system's brand): one of
  // its longer words with the street address and ZIP.
  if (!zip.empty() && !lines.empty()) {
    std::string name = Canonical(*provider.name);
    std::string longest;
    size_t start = 0;
    while (start < name.size()) {
      size_t end = name.find(' ', start);
      if (end == std::string::npos) end = name.size();
      if (end - start > longest.size()) longest = name.substr(start, end - start);
      start = end + 1;
    }
    if (longest.size() >= 4) {
      std::vector<HospitalGeneral> near = data.FindHospitalsGeneralByName(longest, state);
      if (auto* h = only(near, [&](const HospitalGeneral& g) { return same_zip(g) && same_street(g); })) {
        return HospitalMatch{h, "high", "street address and ZIP as CMS lists the hospital"};
      }
    }
  }
  if (auto* h = only(named, same_city)) return HospitalMatch{h, "medium", "name and city as CMS lists the hospital"};
  return std::nullopt;
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
  // The database finds names holding each word anywhere ("SHORE" in "NORTHSHORE"): keep the
  // hospitals whose names hold every word whole.
  std::vector<HospitalGeneral> candidates = data.FindHospitalsGeneralByName(name, *provider.state);
  std::erase_if(candidates, [&](const HospitalGeneral& h) {
    std::string hospital = Canonical(h.name);
    for (size_t start = 0; start < name.size();) {
      size_t end = std::min(name.find(' ', start), name.size());
      if (!HasWords(hospital, name.substr(start, end - start))) return true;
      start = end + 1;
    }
    return false;
  });
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
  if (auto ccn = PrintedCcn(provider)) {
    if (const HospitalInfo* h = data.FindHospital(*ccn)) return HospitalMatch{h, "high", "CCN printed on the bill"};
  }
  std::string state = provider.state.value_or("");
  std::vector<const HospitalInfo*> candidates = data.FindHospitalsByName(*provider.name, state);
  std::vector<const HospitalInfo*> exact;
  for (const HospitalInfo* h : candidates) {
    if (Canonical(h->name) == name) exact.push_back(h);
  }
  if (exact.size() == 1) {
    if (!state.empty()) return HospitalMatch{exact[0], "high", "same name and state"};
    if (auto by_address = MatchByAddress(data, provider, state); by_address && by_address->confidence == "high") {
      return by_address;
    }
    return HospitalMatch{exact[0], "medium", "same name; the bill gives no state"};
  }
  if (auto by_address = MatchByAddress(data, provider, state)) return by_address;
  if (exact.empty() && candidates.size() == 1 && !state.empty() && Words(name) >= 3) {
    return HospitalMatch{candidates[0], "medium", "every word of the provider's name, same state"};
  }
  return std::nullopt;
}

std::optional<CmsHospitalMatch> MatchBillHospital(const ReferenceData& data, const Bill& bill) {
  std::vector<Party> parties = {bill.provider};
  if (bill.collector) {
    for (const std::optional<std::string>& creditor : {bill.collector->original_creditor, bill.collector->creditor}) {
      if (!creditor) continue;
      Party p;
      p.name = creditor;
      p.state = bill.provider.state;
      parties.push_back(std::move(p));
    }
  }
  for (const Party& party : parties) {
    if (!party.name) continue;
    if (auto m = MatchCmsHospital(data, party)) return m;
    if (auto m = MatchShippedHospital(data, party); m && m->confidence == "high") {
      if (auto h = data.FindHospitalGeneral(m->hospital->ccn)) return CmsHospitalMatch{std::move(*h), m->how};
    }
  }
  return std::nullopt;
}

}  // namespace billwise
