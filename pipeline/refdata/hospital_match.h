// Finds the bill's provider among the hospitals of the bundled cash-price slice (data/hpt), so
// a bill from one of them is compared with that hospital's published cash prices without a
// price file. The slice holds each hospital's CCN, name and state; CMS Hospital General
// Information (the reference database) adds its street address, city and ZIP. In order:
//   high    a CCN printed with its label in the provider's block ("CCN 020001");
//   high    the provider's name equals the hospital's (case, punctuation and spacing aside)
//           and the states agree;
//   high    the name's words are all in the hospital's CMS name and the bill's ZIP or street
//           address is the hospital's; or a longer word of the name, the street address and
//           the ZIP are (names printed unlike CMS's: "St." for "Saint", a brand);
//   medium  the names are equal but the bill gives no state; the name's words are all in the
//           CMS name and the city is the hospital's; or every word of a name of at least three
//           words is in exactly one hospital's name in the bill's state.
// Anything less sure (several candidates, short names) is no match.
#ifndef BILLWISE_PIPELINE_REFDATA_HOSPITAL_MATCH_H_
#define BILLWISE_PIPELINE_REFDATA_HOSPITAL_MATCH_H_

#include <optional>
#include <string>

#include "pipeline/model/bill.h"
#include "pipeline/refdata/reference_data.h"

namespace billwise {

struct HospitalMatch {
  const HospitalInfo* hospital = nullptr;
  std::string confidence;  // "high" | "medium"
  std::string how;         // "same name and state", ...
};

std::optional<HospitalMatch> MatchShippedHospital(const ReferenceData& data, const Party& provider);

// The provider found in CMS Hospital General Information (the reference database), which
// makes a bill hospital outpatient:
//   by CCN when one is given;
//   else by name: the provider's name equals one hospital's (case, punctuation and spacing
//   aside) in its state, or, among the hospitals whose names hold every word of the
//   provider's as a whole word, exactly one is in its city and state (city from the last address line,
//   "PALO ALTO, CA 94304").
// Without a state, or with several candidates, there is no match.
struct CmsHospitalMatch {
  HospitalGeneral hospital;
  std::string how;  // "CCN 050441", "same name and state", "name, city and state"
};
std::optional<CmsHospitalMatch> MatchCmsHospital(const ReferenceData& data, const Party& provider,
                                                 std::string_view ccn = "");

// The hospital a bill is from, as CMS Hospital General Information lists it: the provider
// by MatchCmsHospital, else by a high-confidence MatchShippedHospital (its CCN); on a
// collection notice, the same for its original creditor, then its current creditor (in the
// provider's state). nullopt when none is matched: an unlisted provider, a
// physician group, a name found only loosely.
std::optional<CmsHospitalMatch> MatchBillHospital(const ReferenceData& data, const Bill& bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_HOSPITAL_MATCH_H_
