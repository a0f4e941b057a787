// TemplateNode: the plain data tree a letter, form or HTML page template is rendered from.
//
// Built in one place per output (letter_data.cc for letters, form_fill.cc for forms,
// html_report.cc for the HTML pages) and handed to the Mustache adapter
// (mustache_render.h). A kMissing node stands for a value the user
// must supply (a profile key, a bill field): rendering either fails naming every missing
// key used by the template, or prints a visible blank line to fill by hand. Plain value
// type; no third-party types; safe to copy and share read-only between threads.
#ifndef BILLWISE_PIPELINE_MUSTACHE_TEMPLATE_DATA_H_
#define BILLWISE_PIPELINE_MUSTACHE_TEMPLATE_DATA_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace billwise {

struct TemplateNode {
  enum class Kind { kString, kBool, kList, kObject, kMissing };
  Kind kind = Kind::kObject;
  std::string text;  // kString: the value; kMissing: the key the user must supply
  bool flag = false;  // kBool
  bool multiline = false;  // kString: '\n' separates lines that stay lines (an address)
  std::vector<TemplateNode> items;              // kList
  std::map<std::string, TemplateNode> fields;   // kObject

  static TemplateNode Str(std::string s) {
    TemplateNode n;
    n.kind = Kind::kString;
    n.text = std::move(s);
    return n;
  }
  static TemplateNode Bool(bool b) {
    TemplateNode n;
    n.kind = Kind::kBool;
    n.flag = b;
    return n;
  }
  // Lines that stay lines when printed (an address); blank lines are dropped. Every other
  // string is one line of text: a newline in it is a character like any other.
  static TemplateNode Lines(const std::vector<std::string>& lines) {
    TemplateNode n = Str("");
    n.multiline = true;
    for (const auto& line : lines) {
      if (line.empty()) continue;
      if (!n.text.empty()) n.text += '\n';
      n.text += line;
    }
    return n;
  }
  static TemplateNode List() {
    TemplateNode n;
    n.kind = Kind::kList;
    return n;
  }
  static TemplateNode Object() { return TemplateNode(); }
  static TemplateNode Missing(std::string key) {
    TemplateNode n;
    n.kind = Kind::kMissing;
    n.text = std::move(key);
    return n;
  }
  // A missing value read from the document (not the profile): always printed as a
  // visible blank to fill by hand, and reported as a warning rather than an error.
  static TemplateNode SoftMissing(std::string key) {
    TemplateNode n = Missing(std::move(key));
    n.flag = true;
    return n;
  }
  bool soft_missing() const { return kind == Kind::kMissing && flag; }

  // Sets fields[key] (a plain key, no dots) and returns the stored node.
  TemplateNode& Set(const std::string& key, TemplateNode value) {
    return fields[key] = std::move(value);
  }
  // Looks up a dotted name ("sender.name"); nullptr when any part is absent.
  const TemplateNode* Find(std::string_view dotted) const;
};

// The visible blank printed for a missing value under allow_blanks.
inline constexpr const char* kBlankLine = "________________";

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MUSTACHE_TEMPLATE_DATA_H_
