// The Mustache adapter: renders a template (kainjow/mustache.hpp, Debian's
// libkainjow-mustache-dev) over a TemplateNode tree. This is the only file that includes
// the Mustache header.
//
// Letters and forms (RenderTemplate): values are inserted verbatim (no HTML escaping: the
// output is letter text, not HTML).
// Before rendering, every variable the template names ({{a.b}}) is resolved against the
// root; each one that is kMissing is collected. With allow_blanks=false the render fails
// with kUsage listing every missing key; with allow_blanks=true each prints kBlankLine.
// Soft missing values always print kBlankLine.
// The result never contains "{{": a template that leaves one fails with kBadTemplate.
// HTML pages (RenderHtmlTemplate): {{name}} is HTML-escaped, {{{name}}} inserted verbatim.
// Thread-safe (no shared state).
#ifndef BILLWISE_PIPELINE_MUSTACHE_MUSTACHE_RENDER_H_
#define BILLWISE_PIPELINE_MUSTACHE_MUSTACHE_RENDER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/mustache/template_data.h"
#include "pipeline/model/error.h"

namespace billwise {

// The kMissing keys named by variables in `tmpl` (soft ones when `soft`, else the others),
// in first-use order, without duplicates.
std::vector<std::string> MissingKeys(std::string_view tmpl, const TemplateNode& root, bool soft = false);

// Renders `tmpl` over `root`. `name` labels the template in error messages.
Expected<std::string> RenderTemplate(std::string_view tmpl, const TemplateNode& root, bool allow_blanks,
                                     std::string_view name);

// Renders the HTML template `tmpl` over `root`: every {{name}} is HTML-escaped (& < > " '),
// {{{name}}} is inserted as it is, and {{> name}} renders partials[name] in the current
// context. A line holding only a section, closing or comment tag leaves no line in the
// output (the Mustache rule for standalone tags), whether or not its section renders. A name absent from the data renders as nothing (no missing-key check: an HTML
// page shows what the data has). Fails with kBadTemplate, naming `name`, when a template
// does not parse.
Expected<std::string> RenderHtmlTemplate(std::string_view tmpl, const TemplateNode& root,
                                         const std::map<std::string, std::string_view>& partials,
                                         std::string_view name);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MUSTACHE_MUSTACHE_RENDER_H_
