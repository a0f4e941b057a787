// Profile loading: the patient's YAML profile (../shared/profile.md) into model/profile.h.
//
// This file is the only place billwise_audit uses yaml-cpp; its exceptions never leave
// LoadProfile. Every key is optional. Failures: kNotFound (no such file), kIo (unreadable),
// kBadData for a YAML syntax error (with line), an unknown key (a typo must not silently
// drop data) or a value of the wrong type; the message names the key, never its value.
// Limits (kLimitExceeded, naming the key): a text value holds at most kMaxProfileText
// characters, an address at most kMaxAddressLines lines, the file at most kMaxProfileBytes,
// so that no profile (YAML aliases included) can make a letter huge.
// Thread-safe: no shared state.
#ifndef BILLWISE_PIPELINE_AUDIT_PROFILE_H_
#define BILLWISE_PIPELINE_AUDIT_PROFILE_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"

namespace billwise {

inline constexpr size_t kMaxProfileText = 200;      // characters per text value or address line
inline constexpr size_t kMaxAddressLines = 8;
inline constexpr size_t kMaxProfileBytes = 1 << 20;  // 1 MB

// Reads a profile from a YAML file.
Expected<Profile> LoadProfile(const std::string& path);
// Same, from YAML text already in memory (`what` names the source in error messages).
Expected<Profile> ParseProfile(std::string_view yaml, const std::string& what = "profile");

// The keys of `needed` (profile.md spelling: "name", "address", "household_size", ...)
// that `profile` lacks, in the order given. An empty address list counts as missing.
std::vector<std::string> MissingProfileKeys(const Profile& profile,
                                            std::initializer_list<std::string_view> needed);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_PROFILE_H_
