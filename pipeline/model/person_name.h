// Comparing people's names as printed on bills and typed in profiles: "RIVERA, JORDAN A"
// and "Jordan A. Rivera" are one person; "Jordan Rivera" and "Maya Rivera" are not.
// Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_MODEL_PERSON_NAME_H_
#define BILLWISE_PIPELINE_MODEL_PERSON_NAME_H_

#include <string>
#include <string_view>
#include <vector>

namespace billwise {

// The words of a name that identify a person: lower case (ASCII), punctuation dropped,
// single letters (initials) and suffixes (jr, sr, ii, iii, iv, mr, mrs, ms, dr) left out.
std::vector<std::string> NameWords(std::string_view name);

// True when the names may be the same person: every identifying word of the shorter name
// appears in the longer one, in any order ("Rivera, Jordan" ~ "Jordan A. Rivera"). A name
// without identifying words matches nothing.
bool SamePersonName(std::string_view a, std::string_view b);

// True when both names have identifying words and they do not match (SamePersonName):
// the warning "the profile's name differs from the patient on the bill".
bool NamesDiffer(std::string_view a, std::string_view b);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_PERSON_NAME_H_
