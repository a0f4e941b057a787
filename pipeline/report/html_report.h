// The HTML report: one bill as a self-contained page (report.html beside bill.json and the
// letters). Inline CSS and an inline SVG chart of each priced line's charge against its
// reference price: no scripts, no external fonts, images or links besides the letters
// named in the options. Deterministic: same Bill and options, same bytes. Thread-safe.
//
// Pages are rendered from the Mustache templates of templates/report/ (built into the
// program), which escape every value; this file builds the data they read.
#ifndef BILLWISE_PIPELINE_REPORT_HTML_REPORT_H_
#define BILLWISE_PIPELINE_REPORT_HTML_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/money.h"
#include "pipeline/mustache/template_data.h"

namespace billwise {

struct HtmlReportOptions {
  std::vector<std::string> letter_files;  // letters written beside the report, linked by name
};

std::string HtmlReport(const Bill& bill, const HtmlReportOptions& options = {});

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

// The data of a horizontal bar chart (inline SVG, the partial {{> chart_svg}}) of billed
// against reference amounts, one pair of bars per entry, scaled to the largest amount.
TemplateNode BilledVsReferenceChart(const std::vector<ChartBar>& bars);

// Renders templates/report/<name> ("summary.html.mustache") over `data`, with the shared
// partials {{> style_css}}, {{> kv_row}} and {{> chart_svg}}. The templates are built in
// and rendered by the tests, so rendering does not fail in a built program; if one did,
// the page says so in one line.
std::string RenderHtmlPage(std::string_view name, const TemplateNode& data);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_HTML_REPORT_H_
