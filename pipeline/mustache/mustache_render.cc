#include "pipeline/mustache/mustache_render.h"

#include <algorithm>
#include <exception>

#include <kainjow/mustache.hpp>

#include "pipeline/model/strings.h"

namespace billwise {

const TemplateNode* TemplateNode::Find(std::string_view dotted) const {
  const TemplateNode* node = this;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string part(dotted.substr(0, dot));
    if (node->kind != Kind::kObject) return nullptr;
    auto it = node->fields.find(part);
    if (it == node->fields.end()) return nullptr;
    node = &it->second;
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return node;
}

namespace {

namespace mu = kainjow::mustache;

// A value from a bill or profile must never open a tag of its own.
std::string Defuse(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if ((s[i] == '{' || s[i] == '}') && i + 1 < s.size() && s[i + 1] == s[i]) out += ' ';
  }
  return out;
}

// `defuse`: letter text is checked for a leftover "{{" after rendering, so values are
// defused first; an HTML page prints values as they are.
mu::data ToData(const TemplateNode& node, bool defuse = true) {
  switch (node.kind) {
    case TemplateNode::Kind::kString:
      return mu::data(defuse ? Defuse(node.text) : node.text);
    case TemplateNode::Kind::kBool:
      return mu::data(node.flag);
    case TemplateNode::Kind::kMissing:
      return mu::data(std::string(kBlankLine));
    case TemplateNode::Kind::kList: {
      mu::data list(mu::data::type::list);
      for (const auto& item : node.items) list.push_back(ToData(item, defuse));
      return list;
    }
    case TemplateNode::Kind::kObject: {
      mu::data obj(mu::data::type::object);
      for (const auto& [key, value] : node.fields) obj.set(key, ToData(value, defuse));
      return obj;
    }
  }
  return mu::data(false);
}

// The Mustache rule for standalone lines, applied before parsing: a line holding only a
// section, inverted-section, closing or comment tag (and blanks) leaves no line in the
// output, whether or not the section renders. (kainjow drops such a line only when its
// section renders, so a skipped section would leave an empty line.)
std::string JoinStandaloneTags(std::string_view tmpl) {
  std::string out;
  out.reserve(tmpl.size());
  while (!tmpl.empty()) {
    size_t end = tmpl.find('\n');
    std::string_view line = tmpl.substr(0, end == std::string_view::npos ? tmpl.size() : end + 1);
    tmpl.remove_prefix(line.size());
    std::string_view tag = line;
    while (!tag.empty() && (tag.back() == '\n' || tag.back() == '\r' || tag.back() == ' ' || tag.back() == '\t')) {
      tag.remove_suffix(1);
    }
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    const bool standalone = tag.size() > 4 && tag.starts_with("{{") && tag.ends_with("}}") &&
                            std::string_view("#^/!").find(tag[2]) != std::string_view::npos &&
                            tag.find("{{", 2) == std::string_view::npos;
    out += standalone ? tag : line;
  }
  return out;
}

}  // namespace

bool Truthy(const TemplateNode* node) {
  if (node == nullptr) return false;
  switch (node->kind) {
    case TemplateNode::Kind::kBool: return node->flag;
    case TemplateNode::Kind::kList: return !node->items.empty();
    case TemplateNode::Kind::kString: return !node->text.empty();
    default: return true;
  }
}

std::vector<std::string> MissingKeys(std::string_view tmpl, const TemplateNode& root, bool soft) {
  std::vector<std::string> keys;
  // Sections whose guard is resolved at the root and false are skipped: their variables
  // will not be printed. Sections over lists resolve names per item and are not checked.
  std::vector<bool> skipping;
  auto skipped = [&] { return std::find(skipping.begin(), skipping.end(), true) != skipping.end(); };
  size_t pos = 0;
  while ((pos = tmpl.find("{{", pos)) != std::string_view::npos) {
    size_t end = tmpl.find("}}", pos + 2);
    if (end == std::string_view::npos) break;
    std::string_view tag = tmpl.substr(pos + 2, end - pos - 2);
    pos = end + 2;
    if (!tag.empty() && tag.front() == '{') {  // {{{name}}}
      tag.remove_prefix(1);
      if (pos < tmpl.size() && tmpl[pos] == '}') ++pos;
    }
    std::string name(Trim(tag));
    if (name.empty() || name.front() == '!' || name.front() == '>' || name.front() == '=') continue;
    if (name.front() == '/') {
      if (!skipping.empty()) skipping.pop_back();
      continue;
    }
    if (name.front() == '#' || name.front() == '^') {
      bool inverted = name.front() == '^';
      const TemplateNode* guard = root.Find(Trim(std::string_view(name).substr(1)));
      bool truthy = Truthy(guard);
      skipping.push_back(inverted ? truthy : !truthy);
      continue;
    }
    if (name.front() == '&') name = std::string(Trim(std::string_view(name).substr(1)));
    if (skipped()) continue;
    const TemplateNode* node = root.Find(name);
    if (node != nullptr && node->kind == TemplateNode::Kind::kMissing && node->soft_missing() == soft &&
        std::find(keys.begin(), keys.end(), node->text) == keys.end()) {
      keys.push_back(node->text);
    }
  }
  return keys;
}

Expected<std::string> RenderTemplate(std::string_view tmpl, const TemplateNode& root, bool allow_blanks,
                                     std::string_view name) {
  if (!allow_blanks) {
    std::vector<std::string> missing = MissingKeys(tmpl, root);
    if (!missing.empty()) {
      std::string msg = "missing values needed by " + std::string(name) + ": ";
      for (size_t i = 0; i < missing.size(); ++i) msg += (i ? ", " : "") + missing[i];
      msg += " (add them to the profile, or pass --allow-blanks to leave lines to fill by hand)";
      return Fail(ErrorCode::kUsage, msg);
    }
  }
  try {
    mu::mustache view{std::string(tmpl)};
    if (!view.is_valid()) {
      return Fail(ErrorCode::kBadTemplate, std::string(name) + ": " + view.error_message());
    }
    view.set_custom_escape([](const std::string& s) { return s; });
    std::string out = view.render(ToData(root));
    if (!view.is_valid()) {
      return Fail(ErrorCode::kBadTemplate, std::string(name) + ": " + view.error_message());
    }
    if (out.find("{{") != std::string::npos) {
      return Fail(ErrorCode::kBadTemplate, std::string(name) + ": output still holds an unfilled '{{'");
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string(name) + ": template rendering failed: " + e.what());
  }
}

Expected<std::string> RenderHtmlTemplate(std::string_view tmpl, const TemplateNode& root,
                                         const std::map<std::string, std::string_view>& partials,
                                         std::string_view name) {
  try {
    mu::mustache view{JoinStandaloneTags(tmpl)};
    if (!view.is_valid()) {
      return Fail(ErrorCode::kBadTemplate, std::string(name) + ": " + view.error_message());
    }
    mu::data data = ToData(root, /*defuse=*/false);
    for (const auto& [partial, text] : partials) {
      data.set(partial, mu::partial([text] { return JoinStandaloneTags(text); }));
    }
    std::string out = view.render(data);
    if (!view.is_valid()) {
      return Fail(ErrorCode::kBadTemplate, std::string(name) + ": " + view.error_message());
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string(name) + ": template rendering failed: " + e.what());
  }
}

}  // namespace billwise
