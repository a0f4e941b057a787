// ASCII string helpers shared by every library: trimming, case, prefixes and splitting.
// Only ASCII letters change case and only ASCII white space (" \t\n\v\f\r") is trimmed;
// every other byte, UTF-8 sequences included, is kept as it is. Pure functions;
// thread-safe.
#ifndef BILLWISE_PIPELINE_MODEL_STRINGS_H_
#define BILLWISE_PIPELINE_MODEL_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace billwise {

// `s` without its leading and trailing white space; a view into `s` (never a null
// pointer when `s` has one, so an empty result still binds as text, not NULL).
std::string_view Trim(std::string_view s);

// `s` with a-z upper-cased / A-Z lower-cased.
std::string Upper(std::string_view s);
std::string Lower(std::string_view s);
// `s` upper-cased with every white-space byte dropped, inside too: " cpt 4\t" gives "CPT4".
std::string UpperNoSpace(std::string_view s);

// Whether `s` starts / ends with `affix`, ignoring ASCII case.
bool StartsWithNoCase(std::string_view s, std::string_view affix);
bool EndsWithNoCase(std::string_view s, std::string_view affix);

// The pieces of `s` between each `sep`: "a,,b" gives {"a", "", "b"}; "" gives {""}.
// Views into `s`.
std::vector<std::string_view> Split(std::string_view s, char sep);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_STRINGS_H_
