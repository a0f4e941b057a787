// The HTML report: one bill as a self-contained page (report.html beside bill.json and the
// letters). Inline CSS and an inline SVG chart of each priced line's charge against its
// reference price: no scripts, no external fonts, images or links besides the letters
// named in the options. Deterministic: same Bill and options, same bytes. Thread-safe.
#ifndef BILLWISE_PIPELINE_REPORT_HTML_REPORT_H_
#define BILLWISE_PIPELINE_REPORT_HTML_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/money.h"

namespace billwise {

struct HtmlReportOptions {
  std::vector<std::string> letter_files;  // letters written beside the report, linked by name
};

std::string HtmlReport(const Bill& bill, const HtmlReportOptions& options = {});

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

// An href for a file at `relative_path` ('/'-separated, relative to the page): "./" then
// the path with every byte other than A-Z a-z 0-9 - . _ ~ / percent-encoded. The result is
// always a relative reference, so no name (a folder called "javascript:alert(1)") can
// make it a link with a scheme; it is safe in an attribute without further escaping.
std::string RelativeHref(std::string_view relative_path);

// One bar pair of a charge-against-reference chart.
struct ChartBar {
  std::string label;
  Money billed;
  Money reference;
};

// A horizontal bar chart (inline SVG) of billed against reference amounts, one pair of
// bars per entry, scaled to the largest amount. "" when `bars` is empty.
std::string BilledVsReferenceSvg(const std::vector<ChartBar>& bars);

// The shared stylesheet of billwise's HTML pages (for a <style> element).
const char* HtmlReportCss();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_HTML_REPORT_H_
