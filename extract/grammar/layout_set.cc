// The yaml-cpp and RE2 adapter: turns YAML exceptions and RE2 ok()/error_arg() into
// kBadTemplate errors that name the file and the key.
#include "extract/grammar/layout_set.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <new>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "extract/grammar/layout_pack.h"

namespace billwise {

// A pattern compiled on its first use: a run reads one bill, and most templates' patterns
// are never needed. std::call_once makes the first use safe from several threads.
class LazyRegex {
 public:
  explicit LazyRegex(std::string text) : text_(std::move(text)) {}
  LazyRegex(const LazyRegex&) = delete;
  LazyRegex& operator=(const LazyRegex&) = delete;

  const re2::RE2& Get() const {
    std::call_once(compiled_, [this] {
      re2::RE2::Options opts;
      opts.set_log_errors(false);
      re_ = std::make_unique<const re2::RE2>(text_, opts);
    });
    return *re_;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  mutable std::once_flag compiled_;
  mutable std::unique_ptr<const re2::RE2> re_;
};

Pattern Pattern::Deferred(std::string text) { return Pattern(std::make_shared<const LazyRegex>(std::move(text))); }
const re2::RE2& Pattern::operator*() const { return regex_->Get(); }
const std::string& Pattern::text() const { return regex_->text(); }
bool Pattern::PartialMatch(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), regex_->Get());
}

namespace {

struct FieldInfo {
  Field field;
  const char* name;
  FieldKind kind;
};
constexpr std::array<FieldInfo, 25> kFields = {{
    {Field::kProviderName, "provider_name", FieldKind::kText},
    {Field::kProviderAddress, "provider_address", FieldKind::kText},
    {Field::kProviderPhone, "provider_phone", FieldKind::kPhone},
    {Field::kPatientName, "patient_name", FieldKind::kText},
    {Field::kPatientAddress, "patient_address", FieldKind::kText},
    {Field::kAccountNumber, "account_number", FieldKind::kText},
    {Field::kStatementDate, "statement_date", FieldKind::kDate},
    {Field::kDueDate, "due_date", FieldKind::kDate},
    {Field::kDateOfService, "date_of_service", FieldKind::kDate},
    {Field::kAmountDue, "amount_due", FieldKind::kMoney},
    {Field::kTotalCharges, "total_charges", FieldKind::kMoney},
    {Field::kInsurancePaid, "insurance_paid", FieldKind::kMoney},
    {Field::kAdjustments, "adjustments", FieldKind::kMoney},
    {Field::kPatientPaid, "patient_paid", FieldKind::kMoney},
    {Field::kPatientResponsibility, "patient_responsibility", FieldKind::kMoney},
    {Field::kCollectorName, "collector_name", FieldKind::kText},
    {Field::kCreditor, "creditor", FieldKind::kText},
    {Field::kItemizationDate, "itemization_date", FieldKind::kDate},
    {Field::kValidationEndDate, "validation_end_date", FieldKind::kDate},
    {Field::kNoticeDate, "notice_date", FieldKind::kDate},
    {Field::kClaimNumber, "claim_number", FieldKind::kText},
    {Field::kMemberId, "member_id", FieldKind::kText},
    {Field::kCollectorReference, "collector_reference", FieldKind::kText},
    {Field::kOriginalCreditor, "original_creditor", FieldKind::kText},
    {Field::kCollectorPhone, "collector_phone", FieldKind::kPhone},
}};

struct ColumnInfo {
  Column column;
  const char* name;
};
constexpr std::array<ColumnInfo, 16> kColumns = {{
    {Column::kDate, "date"},
    {Column::kRevenue, "rev"},
    {Column::kCode, "code"},
    {Column::kModifiers, "modifiers"},
    {Column::kDescription, "description"},
    {Column::kQuantity, "qty"},
    {Column::kUnitPrice, "unit_price"},
    {Column::kCharge, "charge"},
    {Column::kAllowed, "allowed"},
    {Column::kInsurancePaid, "plan_paid"},
    {Column::kAdjustment, "adjustment"},
    {Column::kPatientResp, "patient_resp"},
    {Column::kPatientPaid, "patient_paid"},
    {Column::kBalance, "balance"},
    {Column::kNotes, "note"},
    {Column::kIgnore, "ignore"},
}};

const std::set<std::string> kTopKeys = {
    "id", "description", "extends", "priority", "keywords", "any_keywords", "exclude_keywords",
    "document_type", "date_order", "fields", "labels", "title_words", "label_stop_words",
    "document_words", "label_abbreviations", "items", "fallback"};
const std::set<std::string> kItemKeys = {
    "start", "end", "rows", "continuation", "skip", "not_items", "grand_total", "end_table",
    "payments", "columns", "infer_columns", "rows_fallback"};

struct LoadError {
  std::string message;
};

// A YAML text with the name it is reported under.
struct Source {
  std::string name;
  YAML::Node node;
};

std::string Where(const std::string& file, const std::string& key) {
  return file + ": " + key;
}

std::vector<std::string> StringList(const YAML::Node& n, const std::string& file,
                                    const std::string& key) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return out;
  }
  if (!n.IsSequence()) throw LoadError{Where(file, key) + ": expected a string or a list"};
  for (const auto& e : n) {
    if (!e.IsScalar()) throw LoadError{Where(file, key) + ": expected strings"};
    out.push_back(e.as<std::string>());
  }
  return out;
}

// The patterns compiled so far by the LoadStrings call running on this thread, by text:
// templates that extend another inherit its patterns, which are then compiled once.
thread_local std::unordered_map<std::string, Pattern>* compiled_patterns = nullptr;

Pattern Compile(const std::string& pattern, const std::string& file, const std::string& key) {
  if (compiled_patterns != nullptr) {
    if (auto it = compiled_patterns->find(pattern); it != compiled_patterns->end()) return it->second;
  }
  Pattern re = Pattern::Deferred(pattern);
  if (!re->ok()) {
    throw LoadError{Where(file, key) + ": bad pattern: " + re->error() +
                    (re->error_arg().empty() ? "" : " at '" + re->error_arg() + "'")};
  }
  if (compiled_patterns != nullptr) compiled_patterns->emplace(pattern, re);
  return re;
}

std::vector<std::string> Lowered(std::vector<std::string> v) {
  for (auto& s : v) s = Lower(s);
  return v;
}

YAML::Node MergeMaps(const YAML::Node& parent, const YAML::Node& child) {
  YAML::Node out = YAML::Clone(parent);
  for (const auto& kv : child) out[kv.first.as<std::string>()] = YAML::Clone(kv.second);
  return out;
}

// The child's keys replace the parent's; labels/fields and items.columns merge per key.
YAML::Node Merge(const YAML::Node& parent, const YAML::Node& child) {
  YAML::Node out = YAML::Clone(parent);
  out.remove("fallback");
  out.remove("id");
  out.remove("description");
  for (const auto& kv : child) {
    std::string key = kv.first.as<std::string>();
    if ((key == "labels" || key == "fields") && parent[key] && parent[key].IsMap() &&
        kv.second.IsMap()) {
      out[key] = MergeMaps(parent[key], kv.second);
    } else if (key == "items" && parent[key] && parent[key].IsMap() && kv.second.IsMap()) {
      YAML::Node items = YAML::Clone(parent[key]);
      for (const auto& ikv : kv.second) {
        std::string ikey = ikv.first.as<std::string>();
        if (ikey == "columns" && items["columns"] && items["columns"].IsMap() &&
            ikv.second.IsMap()) {
          items["columns"] = MergeMaps(items["columns"], ikv.second);
        } else {
          items[ikey] = YAML::Clone(ikv.second);
        }
      }
      out[key] = items;
    } else {
      out[key] = YAML::Clone(kv.second);
    }
  }
  return out;
}

std::optional<DocumentType> ParseDocumentType(const std::string& s, const std::string& file) {
  if (s == "auto") return std::nullopt;
  if (s == "itemized_statement") return DocumentType::kItemizedStatement;
  if (s == "summary_statement") return DocumentType::kSummaryStatement;
  if (s == "eob") return DocumentType::kEob;
  if (s == "collection_notice") return DocumentType::kCollectionNotice;
  if (s == "unknown") return DocumentType::kUnknown;
  throw LoadError{Where(file, "document_type") + ": unknown type '" + s + "'"};
}

const std::set<std::string> kRowGroups = {
    "date", "rev", "code", "modifiers", "description", "qty", "unit_price", "charge",
    "allowed", "plan_paid", "patient_resp", "adjustment", "note"};

std::unique_ptr<Layout> Build(const YAML::Node& n, const std::string& file) {
  auto layout = std::make_unique<Layout>();
  layout->file = file;
  for (const auto& kv : n) {
    std::string key = kv.first.as<std::string>();
    if (!kTopKeys.count(key)) throw LoadError{Where(file, key) + ": unknown key"};
  }
  if (!n["id"] || !n["id"].IsScalar()) throw LoadError{Where(file, "id") + ": missing"};
  layout->id = n["id"].as<std::string>();
  if (n["priority"]) {
    try {
      layout->priority = n["priority"].as<int>();
    } catch (const YAML::Exception&) {
      throw LoadError{Where(file, "priority") + ": expected an integer"};
    }
  }
  layout->keywords = Lowered(StringList(n["keywords"], file, "keywords"));
  layout->any_keywords = Lowered(StringList(n["any_keywords"], file, "any_keywords"));
  layout->exclude_keywords = Lowered(StringList(n["exclude_keywords"], file, "exclude_keywords"));
  layout->title_words = Lowered(StringList(n["title_words"], file, "title_words"));
  layout->label_stop_words = Lowered(StringList(n["label_stop_words"], file, "label_stop_words"));
  layout->document_words = Lowered(StringList(n["document_words"], file, "document_words"));
  if (const auto& abbr = n["label_abbreviations"]; abbr && !abbr.IsNull()) {
    if (!abbr.IsMap()) throw LoadError{Where(file, "label_abbreviations") + ": expected a map"};
    for (const auto& kv : abbr) {
      if (!kv.second.IsScalar()) throw LoadError{Where(file, "label_abbreviations") + ": expected a word"};
      std::string shortened = NormalizeLabel(kv.first.as<std::string>());
      std::string full = NormalizeLabel(kv.second.as<std::string>());
      if (shortened.empty() || full.empty() || shortened.find(' ') != std::string::npos)
        throw LoadError{Where(file, "label_abbreviations." + kv.first.as<std::string>()) + ": expected one word"};
      layout->label_abbreviations[shortened] = full;
    }
  }
  if (n["document_type"]) {
    layout->document_type = ParseDocumentType(n["document_type"].as<std::string>(), file);
  }
  if (n["date_order"]) {
    std::string o = n["date_order"].as<std::string>();
    if (o == "month_first") layout->date_order = DateOrder::kMonthFirst;
    else if (o == "day_first") layout->date_order = DateOrder::kDayFirst;
    else throw LoadError{Where(file, "date_order") + ": expected month_first or day_first"};
  }
  if (n["fallback"]) layout->is_fallback = n["fallback"].as<bool>();

  if (const auto& fields = n["fields"]; fields && !fields.IsNull()) {
    if (!fields.IsMap()) throw LoadError{Where(file, "fields") + ": expected a map"};
    for (const auto& kv : fields) {
      std::string name = kv.first.as<std::string>();
      auto field = FieldFromName(name);
      if (!field) throw LoadError{Where(file, "fields." + name) + ": unknown field"};
      FieldRule rule{*field, {}};
      for (const auto& p : StringList(kv.second, file, "fields." + name)) {
        auto re = Compile(p, file, "fields." + name);
        if (!re->NamedCapturingGroups().count(name)) {
          throw LoadError{Where(file, "fields." + name) + ": pattern has no group (?P<" + name +
                          ">...)"};
        }
        rule.patterns.push_back(std::move(re));
      }
      layout->fields.push_back(std::move(rule));
    }
  }
  if (const auto& labels = n["labels"]; labels && !labels.IsNull()) {
    if (!labels.IsMap()) throw LoadError{Where(file, "labels") + ": expected a map"};
    for (const auto& kv : labels) {
      std::string name = kv.first.as<std::string>();
      auto field = FieldFromName(name);
      if (!field) throw LoadError{Where(file, "labels." + name) + ": unknown field"};
      int rank = 0;
      for (const auto& l : StringList(kv.second, file, "labels." + name)) {
        std::string norm = NormalizeLabel(l);
        if (norm.empty()) throw LoadError{Where(file, "labels." + name) + ": empty label"};
        layout->labels[norm].push_back(LabelSynonym{*field, rank++});
      }
    }
  }
  if (const auto& items = n["items"]; items && !items.IsNull()) {
    if (!items.IsMap()) throw LoadError{Where(file, "items") + ": expected a map"};
    ItemRules& r = layout->items;
    for (const auto& kv : items) {
      std::string key = kv.first.as<std::string>();
      if (!kItemKeys.count(key)) throw LoadError{Where(file, "items." + key) + ": unknown key"};
    }
    auto one = [&](const char* key) -> Pattern {
      if (!items[key] || items[key].IsNull()) return Pattern();
      return Compile(items[key].as<std::string>(), file, std::string("items.") + key);
    };
    auto many = [&](const char* key) {
      std::vector<Pattern> out;
      for (const auto& p : StringList(items[key], file, std::string("items.") + key))
        out.push_back(Compile(p, file, std::string("items.") + key));
      return out;
    };
    r.start = one("start");
    r.end = one("end");
    r.continuation = one("continuation");
    r.grand_total = one("grand_total");
    r.end_table = one("end_table");
    r.skip = many("skip");
    r.not_items = many("not_items");
    r.rows = many("rows");
    for (const auto& re : r.rows) {
      for (const auto& [group, index] : re->NamedCapturingGroups()) {
        (void)index;
        if (!kRowGroups.count(group)) {
          throw LoadError{Where(file, "items.rows") + ": unknown group (?P<" + group + ">...)"};
        }
      }
    }
    if (items["infer_columns"]) r.infer_columns = items["infer_columns"].as<bool>();
    if (items["rows_fallback"]) r.rows_fallback = items["rows_fallback"].as<bool>();
    if (const auto& pay = items["payments"]; pay && !pay.IsNull()) {
      if (!pay.IsMap()) throw LoadError{Where(file, "items.payments") + ": expected a map"};
      for (const auto& kv : pay) {
        std::string name = kv.first.as<std::string>();
        auto field = FieldFromName(name);
        if (!field || (*field != Field::kInsurancePaid && *field != Field::kPatientPaid &&
                       *field != Field::kAdjustments)) {
          throw LoadError{Where(file, "items.payments." + name) +
                          ": expected insurance_paid, patient_paid or adjustments"};
        }
        for (const auto& p : StringList(kv.second, file, "items.payments." + name))
          r.payments.emplace_back(*field, Compile(p, file, "items.payments." + name));
      }
    }
    if (const auto& cols = items["columns"]; cols && !cols.IsNull()) {
      if (!cols.IsMap()) throw LoadError{Where(file, "items.columns") + ": expected a map"};
      for (const auto& kv : cols) {
        std::string name = kv.first.as<std::string>();
        auto col = ColumnFromName(name);
        if (!col) throw LoadError{Where(file, "items.columns." + name) + ": unknown column"};
        for (const auto& s : StringList(kv.second, file, "items.columns." + name)) {
          std::string norm = NormalizeLabel(s);
          if (norm.empty()) continue;
          r.columns[norm] = *col;
          size_t words = 1 + static_cast<size_t>(std::count(norm.begin(), norm.end(), ' '));
          r.longest_column_words = std::max(r.longest_column_words, words);
        }
      }
    }
  }
  return layout;
}

}  // namespace

const char* FieldName(Field f) {
  for (const auto& i : kFields) {
    if (i.field == f) return i.name;
  }
  return "?";
}
FieldKind KindOf(Field f) {
  for (const auto& i : kFields) {
    if (i.field == f) return i.kind;
  }
  return FieldKind::kText;
}
std::optional<Field> FieldFromName(std::string_view name) {
  for (const auto& i : kFields) {
    if (name == i.name) return i.field;
  }
  return std::nullopt;
}
const char* ColumnName(Column c) {
  for (const auto& i : kColumns) {
    if (i.column == c) return i.name;
  }
  return "?";
}
std::optional<Column> ColumnFromName(std::string_view name) {
  for (const auto& i : kColumns) {
    if (name == i.name) return i.column;
  }
  return std::nullopt;
}
bool IsMoneyColumn(Column c) {
  switch (c) {
    case Column::kUnitPrice: case Column::kCharge: case Column::kAllowed:
    case Column::kInsurancePaid: case Column::kAdjustment: case Column::kPatientResp:
    case Column::kPatientPaid: case Column::kBalance:
      return true;
    default:
      return false;
  }
}

LayoutSet::LayoutSet() = default;
LayoutSet::LayoutSet(LayoutSet&&) noexcept = default;
LayoutSet& LayoutSet::operator=(LayoutSet&&) noexcept = default;
LayoutSet::~LayoutSet() = default;

Expected<LayoutSet> LayoutSet::LoadStrings(
    const std::vector<std::pair<std::string, std::string>>& named_yaml) {
  std::unordered_map<std::string, Pattern> compiled;
  compiled_patterns = &compiled;
  struct Reset {
    ~Reset() { compiled_patterns = nullptr; }
  } reset;
  std::vector<Source> sources;
  try {
    for (const auto& [name, text] : named_yaml) {
      YAML::Node node;
      try {
        node = YAML::Load(text);
      } catch (const YAML::Exception& e) {
        return Fail(ErrorCode::kBadTemplate, name + ": YAML error at line " +
                                                 std::to_string(e.mark.line + 1) + ": " + e.msg);
      }
      if (!node.IsMap()) return Fail(ErrorCode::kBadTemplate, name + ": expected a YAML map");
      if (!node["id"] || !node["id"].IsScalar())
        return Fail(ErrorCode::kBadTemplate, name + ": id: missing");
      sources.push_back(Source{name, node});
    }
    std::map<std::string, size_t> by_id;
    for (size_t i = 0; i < sources.size(); ++i) {
      std::string id = sources[i].node["id"].as<std::string>();
      if (!by_id.emplace(id, i).second)
        return Fail(ErrorCode::kBadTemplate, sources[i].name + ": id: duplicate id '" + id + "'");
    }
    // Resolve `extends:` chains.
    std::vector<YAML::Node> resolved(sources.size());
    std::vector<int> state(sources.size(), 0);  // 0 new, 1 in progress, 2 done
    std::function<void(size_t)> resolve = [&](size_t i) {
      if (state[i] == 2) return;
      if (state[i] == 1) throw LoadError{Where(sources[i].name, "extends") + ": cycle"};
      state[i] = 1;
      const YAML::Node& n = sources[i].node;
      if (n["extends"]) {
        std::string parent = n["extends"].as<std::string>();
        auto it = by_id.find(parent);
        if (it == by_id.end())
          throw LoadError{Where(sources[i].name, "extends") + ": no template '" + parent + "'"};
        resolve(it->second);
        resolved[i] = Merge(resolved[it->second], n);
        resolved[i].remove("extends");
      } else {
        resolved[i] = n;
      }
      state[i] = 2;
    };
    LayoutSet set;
    for (size_t i = 0; i < sources.size(); ++i) {
      resolve(i);
      set.layouts_.push_back(Build(resolved[i], sources[i].name));
    }
    return set;
  } catch (const LoadError& e) {
    return Fail(ErrorCode::kBadTemplate, e.message);
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kBadTemplate, "template: YAML error: " + e.msg);
  }
}

namespace {

Expected<std::string> ReadTemplate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path + ": cannot read layout template");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Expected<NamedTemplates> ReadTemplateFolder(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path().string());
  }
  // Listing a folder allocates: without memory (a --max-memory cap) that is an allocation
  // failure, which the callers report as such, not a missing folder.
  if (ec == std::errc::not_enough_memory) throw std::bad_alloc();
  if (ec) return Fail(ErrorCode::kNotFound, dir + ": cannot list layout templates: " + ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty()) return Fail(ErrorCode::kNotFound, dir + ": no layout templates");
  NamedTemplates named;
  for (const auto& f : files) {
    auto text = ReadTemplate(f);
    if (!text) return std::unexpected(text.error());
    named.emplace_back(f, std::move(*text));
  }
  return named;
}

Expected<LayoutSet> LayoutSet::LoadFiles(const std::vector<std::string>& files) {
  std::vector<std::pair<std::string, std::string>> named;
  for (const auto& f : files) {
    auto text = ReadTemplate(f);
    if (!text) return std::unexpected(text.error());
    named.emplace_back(f, std::move(*text));
  }
  return LoadStrings(named);
}

Expected<LayoutSet> LayoutSet::LoadDir(const std::string& dir) {
  auto named = ReadTemplateFolder(dir);
  if (!named) return std::unexpected(named.error());
  // The pack, when it was made from exactly these files; else (missing, stale, damaged)
  // the YAML itself, which also reports what is wrong with a template.
  if (auto pack = ReadTemplate(dir + "/" + kLayoutPackFile)) {
    if (auto set = UnpackLayouts(*pack, dir, *named)) return set;
  }
  return LoadStrings(*named);
}

LayoutSet LayoutSet::FromLayouts(std::vector<std::unique_ptr<Layout>> layouts) {
  LayoutSet set;
  set.layouts_ = std::move(layouts);
  return set;
}

void LayoutSet::CompileAll() const {
  for (const auto& l : layouts_) ForEachPattern(*l, [](const Pattern& p) { p.Compile(); });
}

namespace {

// Every keyword, one of any_keywords (when given), no exclude keyword; a layout with no
// keywords at all is never selected by them.
bool KeywordsMatch(const Layout& l, std::string_view lower_text) {
  auto found = [&](const std::string& k) { return lower_text.find(k) != std::string_view::npos; };
  if (l.keywords.empty() && l.any_keywords.empty()) return false;
  if (!std::all_of(l.keywords.begin(), l.keywords.end(), found)) return false;
  if (!l.any_keywords.empty() && !std::any_of(l.any_keywords.begin(), l.any_keywords.end(), found)) return false;
  return !std::any_of(l.exclude_keywords.begin(), l.exclude_keywords.end(), found);
}

// EOB and collection-notice layouts are families of their own; every other layout reads
// statements (kUnknown here).
DocumentType Family(std::optional<DocumentType> t) {
  return t == DocumentType::kEob || t == DocumentType::kCollectionNotice ? *t : DocumentType::kUnknown;
}

}  // namespace

const Layout* LayoutSet::Select(std::string_view lower_text) const {
  const Layout* best = nullptr;
  const Layout* fallback = nullptr;
  for (const auto& l : layouts_) {
    if (l->is_fallback) {
      if (!fallback) fallback = l.get();
      continue;
    }
    if (!KeywordsMatch(*l, lower_text)) continue;
    if (!best || l->priority > best->priority) best = l.get();
  }
  return best ? best : fallback;
}

const Layout* LayoutSet::Select(std::string_view lower_text, DocumentType decided) const {
  const DocumentType wanted = Family(decided);
  const Layout* best = nullptr;       // of the family, selected by its keywords
  const Layout* family = nullptr;     // of the family, requiring no keyword
  const Layout* fallback = nullptr;
  for (const auto& l : layouts_) {
    if (l->is_fallback) {
      if (!fallback) fallback = l.get();
      continue;
    }
    if (Family(l->document_type) != wanted) continue;
    if (KeywordsMatch(*l, lower_text)) {
      if (!best || l->priority > best->priority) best = l.get();
    } else if (wanted != DocumentType::kUnknown && l->keywords.empty() &&
               !std::any_of(l->exclude_keywords.begin(), l->exclude_keywords.end(),
                            [&](const std::string& k) { return lower_text.find(k) != std::string_view::npos; })) {
      if (!family || l->priority > family->priority) family = l.get();
    }
  }
  if (best) return best;
  if (family) return family;
  return fallback;
}

const Layout* LayoutSet::Find(std::string_view id) const {
  for (const auto& l : layouts_) {
    if (l->id == id) return l.get();
  }
  return nullptr;
}

}  // namespace billwise
