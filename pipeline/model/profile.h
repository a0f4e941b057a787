// Profile: the patient's details that letters, the plan, forms and cases read
// (../shared/profile.md). Loaded from YAML by pipeline/profile/profile_yaml.h.
#ifndef BILLWISE_PIPELINE_MODEL_PROFILE_H_
#define BILLWISE_PIPELINE_MODEL_PROFILE_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/date.h"
#include "pipeline/model/money.h"

namespace billwise {

// How the care is paid for. `insured: yes|no` (the older key) maps to kInsured / kUninsured.
enum class Coverage {
  kInsured,    // a health plan pays part of the bill
  kUninsured,  // no health coverage
  kSelfPay,    // has coverage but is not using it for this care
};

struct Profile {
  std::optional<std::string> name;
  std::vector<std::string> address;  // envelope lines
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<Date> date_of_birth;
  std::optional<int> household_size;
  std::optional<Money> annual_income;
  std::optional<std::string> state;  // two letters
  std::optional<bool> insured;
  std::optional<Coverage> coverage;  // `coverage:` when given, else from `insured`
  std::optional<std::string> insurer;
  std::optional<std::string> member_id;
  // The patient's plan as hospital price files name it (payer_name / plan_name): which
  // negotiated rate applies to them. Matched case-insensitively, by containment.
  std::optional<std::string> plan_payer;
  std::optional<std::string> plan_name;
  std::string language = "en";  // en | es
  std::optional<Money> monthly_budget;
  std::optional<Money> lump_sum_available;
};

// The patient's five-digit ZIP: the last ZIP written at the end of an address line
// ("Springfield, IL 62701" or "... 62701-1234"), or nullopt.
inline std::optional<std::string> PatientZip(const Profile& p) {
  for (auto line = p.address.rbegin(); line != p.address.rend(); ++line) {
    std::string s = *line;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    if (s.size() >= 10 && s[s.size() - 5] == '-') s.resize(s.size() - 5);  // ZIP+4
    if (s.size() < 5) continue;
    std::string zip = s.substr(s.size() - 5);
    bool digits = true;
    for (char c : zip) digits = digits && c >= '0' && c <= '9';
    bool separated = s.size() == 5 || s[s.size() - 6] == ' ';
    if (digits && separated) return zip;
  }
  return std::nullopt;
}

// True when the profile says the patient is uninsured or self-pay for this care (the No
// Surprises Act good-faith-estimate dispute is theirs only); false when it says insured or
// does not say.
inline bool UninsuredOrSelfPay(const Profile& p) {
  if (p.coverage) return *p.coverage != Coverage::kInsured;
  return p.insured.has_value() && !*p.insured;
}

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_PROFILE_H_
