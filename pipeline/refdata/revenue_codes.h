// Revenue codes: the plain-English name of a hospital revenue code's category, so a line
// billed by revenue code alone can say what it is ("0762" -> "observation hours").
// The names are billwise's own short words for the NUBC categories. Pure and thread-safe.
#ifndef BILLWISE_PIPELINE_REFDATA_REVENUE_CODES_H_
#define BILLWISE_PIPELINE_REFDATA_REVENUE_CODES_H_

#include <string>
#include <string_view>

namespace billwise {

// The category name of a 3- or 4-digit revenue code ("762" is read as "0762"), or "" when
// billwise does not know it.
std::string RevenueCodeName(std::string_view revenue_code);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_REVENUE_CODES_H_
