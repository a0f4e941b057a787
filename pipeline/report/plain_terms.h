// Plain-words explanations of the terms billwise's reports use (Medicare reference, NCCI,
// MUE, packaged, EOB, 501(r), ...), so a report never leaves a term unexplained. The text
// and HTML reports list the terms their own text uses; the web page keeps the same list.
// Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_REPORT_PLAIN_TERMS_H_
#define BILLWISE_PIPELINE_REPORT_PLAIN_TERMS_H_

#include <string>
#include <string_view>
#include <vector>

namespace billwise {

struct PlainTerm {
  const char* term;     // as the report shows it: "Medicare reference"
  const char* meaning;  // one or two sentences in plain words
};

// Every term billwise explains, in a fixed order.
const std::vector<PlainTerm>& AllPlainTerms();

// The terms whose key words appear in `text` (case-insensitive), in AllPlainTerms() order.
std::vector<PlainTerm> TermsUsedIn(std::string_view text);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_PLAIN_TERMS_H_
