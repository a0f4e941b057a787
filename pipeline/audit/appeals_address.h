// The health plan's appeals address as an EOB prints it: a block introduced by "Send
// appeals to", "Appeals address", "Mail your appeal to", or headed by the department that
// takes them ("Grievance and Appeals Department", "Appeals Unit"), either on the same line
// ("Send appeals to: Appeals Unit, PO Box 90811, Dunmore, PA 18512") or on the lines below,
// in the same column. The block ends with a "City, ST 12345" line; a block without one is not
// taken (no guessed address: the letter then prints a visible blank).
//
// Pure function of the positioned text; linear in its size; thread-safe.
#ifndef BILLWISE_PIPELINE_AUDIT_APPEALS_ADDRESS_H_
#define BILLWISE_PIPELINE_AUDIT_APPEALS_ADDRESS_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/page.h"

namespace billwise {

// The envelope lines of the first appeals address on `pages` (the department or plan name
// when printed, the street or PO box, "City, ST 12345"), or empty when none is printed.
std::vector<std::string> FindAppealsAddress(const std::vector<Page>& pages);

// True when `line` ends with a state and ZIP code ("Dunmore, PA 18512", "PA 18512-0811").
bool EndsWithStateZip(std::string_view line);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_APPEALS_ADDRESS_H_
