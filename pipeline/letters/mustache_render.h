// The Mustache adapter: renders a template (kainjow/mustache.hpp, Debian's
// libkainjow-mustache-dev) over a TemplateNode tree. This is the only file that includes
// the Mustache header.
//
// Values are inserted verbatim (no HTML escaping: the output is letter text, not HTML).
// Before rendering, every variable the template names ({{a.b}}) is resolved against the
// root; each one that is kMissing is collected. With allow_blanks=false the render fails
// with kUsage listing every missing key; with allow_blanks=true each prints kBlankLine.
// Soft missing values always print kBlankLine.
// The result never contains "{{": a template that leaves one fails with kBadTemplate.
// Thread-safe (no shared state).
#ifndef BILLWISE_PIPELINE_LETTERS_MUSTACHE_RENDER_H_
#define BILLWISE_PIPELINE_LETTERS_MUSTACHE_RENDER_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/letters/template_data.h"
#include "pipeline/model/error.h"

namespace billwise {

// The kMissing keys named by variables in `tmpl` (soft ones when `soft`, else the others),
// in first-use order, without duplicates.
std::vector<std::string> MissingKeys(std::string_view tmpl, const TemplateNode& root, bool soft = false);

// Renders `tmpl` over `root`. `name` labels the template in error messages.
Expected<std::string> RenderTemplate(std::string_view tmpl, const TemplateNode& root, bool allow_blanks,
                                     std::string_view name);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_MUSTACHE_RENDER_H_
