// Fuzz target: letter rendering, the steps RenderLetterPdf chains (pipeline/letters/
// letters.cc): Mustache over escaped values (EscapeMarkupValues, RenderTemplate), the
// markup parser (ParseLetterMarkup) and the PDF layout with the font stack, Arabic shaping
// and bidi order (WriteLetterPdf). The input is split by FuzzedDataProvider into three
// values and a template.
// Contracts: a rendered template never holds "{{"; values are text, never markup: over a
// fixed template, each value yields exactly one sender line, one heading and one table
// cell holding its text (newlines and controls as spaces), whatever it contains.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pipeline/letters/markup.h"
#include "pipeline/mustache/mustache_render.h"
#include "pipeline/letters/pdf_writer.h"

namespace {

using billwise::TemplateNode;

// The text a value should print as: controls to spaces, bidi formatting dropped, ends trimmed.
std::string Shown(const std::string& value) {
  std::string escaped = billwise::EscapeMarkupText(value);
  std::string text = billwise::UnescapeMarkupText(escaped);
  size_t b = text.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = text.find_last_not_of(" \t\r");
  return text.substr(b, e - b + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  FuzzedDataProvider in(data, size);
  std::string a = in.ConsumeRandomLengthString(256);
  std::string b = in.ConsumeRandomLengthString(256);
  std::string c = in.ConsumeRandomLengthString(256);
  std::string tmpl = in.ConsumeRemainingBytesAsString();

  TemplateNode root = TemplateNode::Object();
  TemplateNode sender = TemplateNode::Object();
  sender.Set("name", TemplateNode::Str(a));
  sender.Set("address", TemplateNode::Lines({b, c}));
  root.Set("sender", sender);
  TemplateNode items = TemplateNode::List();
  for (const std::string* v : {&a, &b, &c}) {
    TemplateNode item = TemplateNode::Object();
    item.Set("text", TemplateNode::Str(*v));
    items.items.push_back(item);
  }
  root.Set("items", items);
  root.Set("flag", TemplateNode::Bool(!a.empty()));
  root.Set("missing", TemplateNode::Missing("profile.name"));
  EscapeMarkupValues(root);

  // Values are text: one sender line, one heading and one cell per value, whatever it holds.
  auto fixed = RenderTemplate("@sender\n{{sender.name}}\n\n# {{sender.name}}\n\n| h | {{sender.name}} |\n", root,
                              true, "fixed");
  if (!fixed) std::abort();
  LetterDocument doc = ParseLetterMarkup(*fixed);
  std::string shown = Shown(a);
  if (!shown.empty()) {
    if (doc.sender.size() != 1 || doc.sender[0] != shown) std::abort();
    if (doc.body.size() != 2 || doc.body[0].kind != LetterBlock::Kind::kHeading || doc.body[0].text != shown) {
      std::abort();
    }
    if (doc.body[1].rows.size() != 1 || doc.body[1].rows[0].size() != 2 || doc.body[1].rows[0][1] != shown) {
      std::abort();
    }
  }

  // The fuzzed template over the same values.
  auto text = RenderTemplate(tmpl, root, in.remaining_bytes() % 2 == 0, "fuzz.mustache");
  if (!text) return 0;
  if (text->find("{{") != std::string::npos) std::abort();
  LetterDocument letter = ParseLetterMarkup(*text);
  if (text->size() <= 8192) (void)WriteLetterPdf(letter, PdfLetterStyle{});
  return 0;
}
