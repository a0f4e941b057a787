// Fuzz target: the patient profile loader (ParseProfile in pipeline/audit/profile.h) on
// arbitrary YAML text; what loads is also checked for missing keys, as `billwise letters`
// does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pipeline/audit/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto profile = ParseProfile(yaml, "fuzz.yaml");
  if (profile) (void)MissingProfileKeys(*profile, {"name", "address", "household_size", "annual_income"});
  return 0;
}
