// LayoutSet: the bill grammars (layout templates) loaded from templates/layouts/*.yaml.
//
// A Layout says how to read one family of bills: which keywords select it, header-field
// RE2 patterns and label synonyms, and how to find line items (column inference from a
// header row whose synonyms it lists, and/or RE2 row patterns with named groups). The
// file format is documented in templates/layouts/README.md.
//
// Every pattern is compiled at most once. Loading from YAML checks every pattern: a bad
// pattern, a pattern without the named group it must have, an unknown key or an unknown
// field is a kBadTemplate error naming the file and the key. LoadDir reads the folder's
// layout pack instead when the pack was made from exactly the YAML files the folder holds
// (layout_pack.h): no YAML parsing, and patterns compiled on first use. A loaded LayoutSet is immutable: share it by const
// reference between threads. A LayoutSet is movable but not copyable.
#ifndef BILLWISE_EXTRACT_GRAMMAR_LAYOUT_SET_H_
#define BILLWISE_EXTRACT_GRAMMAR_LAYOUT_SET_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "extract/grammar/normalize.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

namespace re2 {
class RE2;
}

namespace billwise {

// Header fields a template may fill (the keys of `fields:` and `labels:`).
enum class Field {
  kProviderName, kProviderAddress, kProviderPhone, kPatientName, kPatientAddress,
  kAccountNumber, kStatementDate, kDueDate, kDateOfService, kAmountDue, kTotalCharges,
  kInsurancePaid, kAdjustments, kPatientPaid, kPatientResponsibility, kCollectorName,
  kCreditor, kItemizationDate, kValidationEndDate, kNoticeDate,
  // EOBs and collection notices (bill-json.md, "What the header fields mean").
  kClaimNumber, kMemberId, kCollectorReference, kOriginalCreditor, kCollectorPhone,
};
enum class FieldKind { kText, kDate, kMoney, kPhone };

// The YAML name of a field ("account_number") and its value kind.
const char* FieldName(Field f);
FieldKind KindOf(Field f);
std::optional<Field> FieldFromName(std::string_view name);

// Table columns a header cell can name (the keys of `items.columns:`).
enum class Column {
  kDate, kRevenue, kCode, kModifiers, kDescription, kQuantity, kUnitPrice, kCharge,
  kAllowed, kInsurancePaid, kAdjustment, kPatientResp, kPatientPaid, kBalance, kNotes,
  kIgnore,
};
const char* ColumnName(Column c);
std::optional<Column> ColumnFromName(std::string_view name);
bool IsMoneyColumn(Column c);

// A layout pattern: RE2 source text, compiled on its first use by the thread that uses it.
// Lock-free: two threads that need it at once may both compile it; one result is kept. Patterns read from YAML are compiled
// and checked at load (LoadStrings); patterns read from a layout pack (layout_pack.h) were
// checked when the pack was made and compile when a document first needs them, so a
// document read with the generic layout never compiles the EOB layout's patterns
// (LayoutSet::CompileAll compiles them all at once).
// A Pattern is a shared handle: copies (a template that extends another) share one
// compilation. A default-constructed Pattern is empty (false).
class LazyRegex;
class Pattern {
 public:
  Pattern() = default;
  // A pattern of this text, not compiled (or checked) until its first use. RE2 syntax
  // errors then make a pattern that matches nothing: give only checked texts.
  static Pattern Deferred(std::string text);
  // REQUIRES: not empty. The compiled RE2 (compiling it when this is its first use).
  const re2::RE2& operator*() const;
  const re2::RE2* operator->() const { return &**this; }
  explicit operator bool() const { return regex_ != nullptr; }
  // REQUIRES: not empty. The pattern's source text.
  const std::string& text() const;
  // REQUIRES: not empty. Whether the pattern matches somewhere in `text` (RE2 PartialMatch).
  bool PartialMatch(std::string_view text) const;
  // Compiles it now if no thread has yet; cheap when compiled.
  void Compile() const { (void)**this; }
  // The shared state; equal for copies of one pattern.
  const LazyRegex* id() const { return regex_.get(); }

 private:
  explicit Pattern(std::shared_ptr<const LazyRegex> regex) : regex_(std::move(regex)) {}
  std::shared_ptr<const LazyRegex> regex_;
};

struct FieldRule {
  Field field;
  std::vector<Pattern> patterns;  // each has a group named after the field
};

struct LabelSynonym {
  Field field;
  int rank = 0;  // position in the field's list: lower wins
};

struct ItemRules {
  Pattern start;  // items are read after the first line matching it
  Pattern end;    // ... and before the next line matching it
  // Row patterns with named groups (date, rev, code, modifiers, description, qty,
  // unit_price, charge, allowed, plan_paid, patient_resp, adjustment, note).
  std::vector<Pattern> rows;
  // A line matching it (and no row pattern) continues the previous item's description;
  // its group `description` (or the whole line) is appended.
  Pattern continuation;
  std::vector<Pattern> skip;       // page headers, "continued", stubs
  std::vector<Pattern> not_items;  // subtotals, section totals, aging
  Pattern grand_total;             // closes the table
  Pattern end_table;               // always closes the table (stubs, aging)
  // Payment/adjustment rows recorded into totals instead of line items.
  std::vector<std::pair<Field, Pattern>> payments;
  // Header synonyms (normalised with NormalizeLabel) -> column.
  std::unordered_map<std::string, Column> columns;
  size_t longest_column_words = 1;
  bool infer_columns = true;  // find header rows and read tables by column position
  bool rows_fallback = true;  // use `rows` when no table was found (generic)
};

struct Layout {
  std::string id;
  std::string file;  // the YAML path it came from
  int priority = 5;
  std::vector<std::string> keywords;          // lower-case; all must appear
  std::vector<std::string> any_keywords;      // lower-case; one must appear (when given)
  std::vector<std::string> exclude_keywords;  // lower-case; none may appear
  std::optional<DocumentType> document_type;  // nullopt: decide from what was found
  DateOrder date_order = DateOrder::kMonthFirst;
  std::vector<FieldRule> fields;
  std::unordered_map<std::string, std::vector<LabelSynonym>> labels;  // normalised label
  std::vector<std::string> title_words;  // lower-case words of document titles
  std::vector<std::string> label_stop_words;
  // Lower-case abbreviations of label words and the word they stand for ("stmt" ->
  // "statement", "dt" -> "date"): a label no synonym names exactly is looked up again
  // with its words written out ("Stmt Dt" as "statement date").
  std::map<std::string, std::string> label_abbreviations;
  // Lower-case nouns that name a document ("statement", "invoice"): a top line holding one
  // is a title ("Laboratory Services Statement"), not the provider's name.
  std::vector<std::string> document_words;
  ItemRules items;
  bool is_fallback = false;  // `fallback: true`: used when nothing else matches
};

// Calls `f(const Pattern&)` on every non-empty pattern of `layout`, in declaration order.
template <typename F>
void ForEachPattern(const Layout& layout, F&& f) {
  for (const auto& rule : layout.fields) {
    for (const auto& p : rule.patterns) f(p);
  }
  const ItemRules& r = layout.items;
  for (const Pattern* p : {&r.start, &r.end, &r.continuation, &r.grand_total, &r.end_table}) {
    if (*p) f(*p);
  }
  for (const auto* list : {&r.rows, &r.skip, &r.not_items}) {
    for (const auto& p : *list) f(p);
  }
  for (const auto& [field, p] : r.payments) f(p);
}

class LayoutSet {
 public:
  // Loads every *.yaml / *.yml file of `dir` (sorted by name), through its pack
  // (kLayoutPackFile) when that is current. One file may `extends:`
  // another by id; the child's keys replace the parent's, and `labels:`/`columns:`/
  // `fields:` maps are merged key by key.
  static Expected<LayoutSet> LoadDir(const std::string& dir);
  static Expected<LayoutSet> LoadFiles(const std::vector<std::string>& files);
  // Loads templates given as (name, YAML text) pairs; `name` is used in errors.
  static Expected<LayoutSet> LoadStrings(
      const std::vector<std::pair<std::string, std::string>>& named_yaml);

  LayoutSet(LayoutSet&&) noexcept;
  LayoutSet& operator=(LayoutSet&&) noexcept;
  ~LayoutSet();

  // Builds a set from layouts made elsewhere (layout_pack.h).
  static LayoutSet FromLayouts(std::vector<std::unique_ptr<Layout>> layouts);

  // Compiles every pattern not compiled yet: for a long-lived process, so that no document
  // pays for a first use.
  void CompileAll() const;

  // The layout for a document whose whole text (lower-cased) is `lower_text`: every
  // keyword present, no exclude keyword, highest priority (then id order); the fallback
  // layout when none matches; nullptr only when the set has no fallback.
  const Layout* Select(std::string_view lower_text) const;
  // The same among the layouts for documents of type `decided` (decided by weighed
  // evidence, document_type.h): kEob or kCollectionNotice take the layouts made for that
  // type (by keywords, else the highest-priority one of that type that requires no
  // keyword); any other type takes the layouts that are for neither. The fallback layout
  // when none fits.
  const Layout* Select(std::string_view lower_text, DocumentType decided) const;
  const Layout* Find(std::string_view id) const;
  const std::vector<std::unique_ptr<Layout>>& layouts() const { return layouts_; }

 private:
  LayoutSet();
  std::vector<std::unique_ptr<Layout>> layouts_;
};

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_GRAMMAR_LAYOUT_SET_H_
