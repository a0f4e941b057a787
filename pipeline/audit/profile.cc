#include "pipeline/audit/profile.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "pipeline/model/strings.h"

namespace billwise {
namespace {

std::unexpected<Error> Bad(const std::string& what, const std::string& key, const std::string& why) {
  return Fail(ErrorCode::kBadData, what + ": key '" + key + "' " + why);
}

// Characters (UTF-8 code points; a stray byte counts as one).
size_t Characters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::unexpected<Error> TooLong(const std::string& what, const std::string& key, size_t chars) {
  return Fail(ErrorCode::kLimitExceeded, what + ": key '" + key + "' is " + std::to_string(chars) +
                                             " characters long; at most " + std::to_string(kMaxProfileText) +
                                             " are allowed");
}

bool IsEmptyValue(const YAML::Node& n) { return !n.IsDefined() || n.IsNull() || (n.IsScalar() && n.Scalar() == "~"); }

// A scalar as text (member_id: 12345 is a number in YAML but an identifier to us).
std::optional<std::string> Text(const YAML::Node& n) {
  if (!n.IsScalar()) return std::nullopt;
  return n.Scalar();
}

// Dollars: a YAML number or a string like "$41,000.50".
std::optional<Money> Dollars(const YAML::Node& n) {
  if (!n.IsScalar()) return std::nullopt;
  std::string s;
  for (char c : n.Scalar()) {
    if (c == '$' || c == ',' || c == ' ') continue;
    s += c;
  }
  if (s.empty()) return std::nullopt;
  size_t dot = s.find('.');
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == dot) continue;
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  if (dot != std::string::npos && (dot == 0 || s.size() - dot - 1 > 2 || s.find('.', dot + 1) != std::string::npos)) {
    return std::nullopt;
  }
  std::string whole = dot == std::string::npos ? s : s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  while (frac.size() < 2) frac += '0';
  if (whole.size() > 12) return std::nullopt;
  return Money{std::stoll(whole) * 100 + std::stoll(frac)};
}

Expected<Profile> Convert(const YAML::Node& root, const std::string& what) {
  Profile p;
  if (IsEmptyValue(root)) return p;  // an empty file is an empty profile
  if (!root.IsMap()) return Fail(ErrorCode::kBadData, what + ": the profile must be a mapping of keys to values");
  for (const auto& kv : root) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    const YAML::Node& v = kv.second;
    if (IsEmptyValue(v)) {
      static const char* kKnown[] = {"name", "address", "phone", "email", "date_of_birth", "household_size",
                                     "annual_income", "state", "insured", "coverage", "insurer", "member_id", "plan_payer", "plan_name", "language",
                                     "monthly_budget", "lump_sum_available"};
      bool known = false;
      for (const char* k : kKnown) known = known || key == k;
      if (!known) return Bad(what, key, "is not a profile key (see profile.md)");
      continue;
    }
    auto text = [&](std::optional<std::string>* out) -> Expected<void> {
      auto t = Text(v);
      if (!t) return Bad(what, key, "must be text");
      if (size_t n = Characters(*t); n > kMaxProfileText) return TooLong(what, key, n);
      *out = *t;
      return {};
    };
    auto money = [&](std::optional<Money>* out) -> Expected<void> {
      auto m = Dollars(v);
      if (!m) return Bad(what, key, "must be an amount in dollars, e.g. 150 or 150.00");
      *out = *m;
      return {};
    };
    Expected<void> ok;
    if (key == "name") {
      ok = text(&p.name);
    } else if (key == "address") {
      if (v.IsScalar()) {  // one line, or a block of lines ("address: |")
        std::istringstream lines(v.Scalar());
        for (std::string line; std::getline(lines, line);) {
          if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
          if (p.address.size() == kMaxAddressLines) {
            return Fail(ErrorCode::kLimitExceeded, what + ": key 'address' has more than " +
                                                       std::to_string(kMaxAddressLines) + " lines");
          }
          p.address.push_back(line);
        }
      } else if (v.IsSequence()) {
        for (const auto& line : v) {
          if (!line.IsScalar()) return Bad(what, key, "must be a list of text lines");
          if (p.address.size() == kMaxAddressLines) {
            return Fail(ErrorCode::kLimitExceeded, what + ": key 'address' has more than " +
                                                       std::to_string(kMaxAddressLines) + " lines");
          }
          p.address.push_back(line.Scalar());
        }
      } else {
        return Bad(what, key, "must be a list of text lines");
      }
      for (const auto& line : p.address) {
        if (size_t n = Characters(line); n > kMaxProfileText) return TooLong(what, key, n);
      }
    } else if (key == "phone") {
      ok = text(&p.phone);
    } else if (key == "email") {
      ok = text(&p.email);
    } else if (key == "date_of_birth") {
      auto t = Text(v);
      auto d = t ? Date::FromIso(*t) : std::nullopt;
      if (!d) return Bad(what, key, "must be a date written YYYY-MM-DD");
      p.date_of_birth = d;
    } else if (key == "household_size") {
      auto t = Text(v);
      int n = 0;
      bool digits = t && !t->empty() && t->size() <= 3;
      for (char c : t.value_or("")) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      if (digits) n = std::stoi(*t);
      if (!digits || n < 1) return Bad(what, key, "must be a whole number of people, at least 1");
      p.household_size = n;
    } else if (key == "annual_income") {
      ok = money(&p.annual_income);
    } else if (key == "state") {
      auto t = Text(v);
      if (!t || t->size() != 2 || !std::isalpha(static_cast<unsigned char>((*t)[0])) ||
          !std::isalpha(static_cast<unsigned char>((*t)[1]))) {
        return Bad(what, key, "must be a two-letter state code such as IL");
      }
      p.state = Upper(*t);
    } else if (key == "insured") {
      bool b = false;
      if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b)) return Bad(what, key, "must be yes or no");
      p.insured = b;
    } else if (key == "coverage") {
      auto t = Text(v);
      if (t && *t == "insured") p.coverage = Coverage::kInsured;
      else if (t && *t == "uninsured") p.coverage = Coverage::kUninsured;
      else if (t && *t == "self-pay") p.coverage = Coverage::kSelfPay;
      else return Bad(what, key, "must be insured, uninsured or self-pay");
    } else if (key == "insurer") {
      ok = text(&p.insurer);
    } else if (key == "member_id") {
      ok = text(&p.member_id);
    } else if (key == "plan_payer") {
      ok = text(&p.plan_payer);
    } else if (key == "plan_name") {
      ok = text(&p.plan_name);
    } else if (key == "language") {
      auto t = Text(v);
      if (!t || (*t != "en" && *t != "es")) return Bad(what, key, "must be en or es");
      p.language = *t;
    } else if (key == "monthly_budget") {
      ok = money(&p.monthly_budget);
    } else if (key == "lump_sum_available") {
      ok = money(&p.lump_sum_available);
    } else {
      return Bad(what, key, "is not a profile key (see profile.md)");
    }
    if (!ok) return std::unexpected(ok.error());
  }
  // `insured` and `coverage` describe the same thing; they must agree (self-pay patients
  // may be insured), and each fills the other.
  if (p.coverage && p.insured) {
    bool uninsured = *p.coverage == Coverage::kUninsured;
    if (uninsured == *p.insured) return Bad(what, "coverage", "contradicts 'insured'");
  }
  if (!p.coverage && p.insured) p.coverage = *p.insured ? Coverage::kInsured : Coverage::kUninsured;
  if (p.coverage && !p.insured && *p.coverage != Coverage::kSelfPay) p.insured = *p.coverage == Coverage::kInsured;
  return p;
}

}  // namespace

Expected<Profile> ParseProfile(std::string_view yaml, const std::string& what) {
  if (yaml.size() > kMaxProfileBytes) {
    return Fail(ErrorCode::kLimitExceeded, what + ": the profile is larger than " +
                                               std::to_string(kMaxProfileBytes / 1024) + " KB");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kBadData, what + ": YAML syntax error at line " + std::to_string(e.mark.line + 1));
  }
  try {
    return Convert(root, what);
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kBadData, what + ": invalid profile (" + std::string(e.msg) + ")");
  } catch (const std::exception&) {
    return Fail(ErrorCode::kBadData, what + ": invalid profile value");
  }
}

Expected<Profile> LoadProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "profile not found: " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kIo, "cannot read profile " + path);
  return ParseProfile(ss.str(), path);
}

std::vector<std::string> MissingProfileKeys(const Profile& p, std::initializer_list<std::string_view> needed) {
  std::vector<std::string> missing;
  for (std::string_view key : needed) {
    bool has = true;
    if (key == "name") has = p.name.has_value();
    else if (key == "address") has = !p.address.empty();
    else if (key == "phone") has = p.phone.has_value();
    else if (key == "email") has = p.email.has_value();
    else if (key == "date_of_birth") has = p.date_of_birth.has_value();
    else if (key == "household_size") has = p.household_size.has_value();
    else if (key == "annual_income") has = p.annual_income.has_value();
    else if (key == "state") has = p.state.has_value();
    else if (key == "insured") has = p.insured.has_value();
    else if (key == "coverage") has = p.coverage.has_value();
    else if (key == "insurer") has = p.insurer.has_value();
    else if (key == "member_id") has = p.member_id.has_value();
    else if (key == "plan_payer") has = p.plan_payer.has_value();
    else if (key == "plan_name") has = p.plan_name.has_value();
    else if (key == "language") has = !p.language.empty();
    else if (key == "monthly_budget") has = p.monthly_budget.has_value();
    else if (key == "lump_sum_available") has = p.lump_sum_available.has_value();
    else has = false;  // an unknown key can never be satisfied
    if (!has) missing.emplace_back(key);
  }
  return missing;
}

}  // namespace billwise
