// The templates of billwise's HTML pages (templates/report/), built into the program by
// CMake, keyed by file name ("report.html.mustache", "style.css"). Immutable; thread-safe.
#ifndef BILLWISE_PIPELINE_REPORT_PAGE_TEMPLATES_H_
#define BILLWISE_PIPELINE_REPORT_PAGE_TEMPLATES_H_

#include <map>
#include <string>
#include <string_view>

namespace billwise {

const std::map<std::string, std::string_view>& PageTemplates();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_PAGE_TEMPLATES_H_
