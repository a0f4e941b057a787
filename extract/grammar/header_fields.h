// Header fields by template patterns and label synonyms.
//
// FieldFinder reads, for one Layout and the rows of one document:
//   * the layout's `fields:` RE2 patterns over the whole text (first match wins, and a
//     pattern beats any label);
//   * its `labels:` synonyms: the value right of the label on the same line (after a
//     colon, in the same cell, or in the next cell), or below it in the same column
//     (a row of labels has its values on the row below, each under its label; a label
//     box printed over two lines is read as two-line labels, "Blue Cross" over "Paid");
//     on OCR'd rows a label within one edit of a synonym of eight letters or more.
// Lower `FieldValue::score` wins; a value is kept only when it converts to the field's
// kind (a date, an amount, a phone number, text with letters). The finder only reads
// its inputs, which must outlive it.
#ifndef BILLWISE_EXTRACT_GRAMMAR_HEADER_FIELDS_H_
#define BILLWISE_EXTRACT_GRAMMAR_HEADER_FIELDS_H_

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "extract/grammar/rows.h"

namespace re2 {
class RE2;
}

namespace billwise::grammar_internal {

struct FieldValue {
  std::string text;
  std::optional<Date> date;
  std::optional<Money> money;
  int score = std::numeric_limits<int>::max();  // lower wins
  size_t order = 0;
  float confidence = 100.f;
  int row = -1;  // the row the value was read from (-1: a pattern over the whole text)
};


// A US phone number; one capture group: the number.
const re2::RE2& PhoneRe();
// A state and ZIP ("CA 94305", "TX, 75001-1234"); captures state and zip.
const re2::RE2& ZipRe();

// Converts a raw value to the field's kind; false when it is not one.
bool Convert(Field field, std::string_view raw, DateOrder order, FieldValue* out);

struct LabelHit;

class FieldFinder {
 public:
  FieldFinder(const Layout& layout, const std::vector<Row>& rows);

  // Fills `found` with every field the patterns and labels give.
  void Run(std::map<Field, FieldValue>* found);

  // The synonyms `label` (normalised) names exactly, or once its abbreviations are
  // written out.
  std::vector<std::pair<Field, int>> ExactLookup(const std::string& label) const;

  // The synonyms of `label` (normalised) with their rank: exact first, then multi-word
  // synonyms the label contains as whole words (rank + 1000).
  // A label no synonym names exactly is tried again with the layout's
  // `label_abbreviations` written out ("stmt dt" as "statement date").
  std::vector<std::pair<Field, int>> Lookup(const std::string& label) const;

  // `label` (normalised) with each abbreviated word written out.
  std::string ExpandAbbreviations(const std::string& label) const;

  // A label misread by OCR ("statement gate"): the one synonym of eight letters or more
  // within one edit, when all such synonyms name the same field (rank + 2000).
  std::vector<std::pair<Field, int>> FuzzyLookup(const std::string& label) const;

  // The text ends with a colon or is exactly a label synonym.
  bool IsLabel(const std::string& text) const;

  // Row `r` is a row of bare labels ("Statement Date   Account   Amount Due"), whose
  // values are on the row below.
  bool IsLabelRow(size_t r) const { return label_row_at(r); }

 private:
  void RunPatterns(std::map<Field, FieldValue>* found);
  bool bare_label(const CellView& c) const;
  bool label_row_at(size_t r) const;
  bool stacked_words_above(size_t r) const;
  bool column_names_at(size_t r) const;
  std::vector<LabelHit> Hits() const;
  void RunLabels(std::map<Field, FieldValue>* found);

  struct MultiWordSynonym {
    size_t ordinal;  // place in layout_.labels' iteration order
    const std::pair<const std::string, std::vector<LabelSynonym>>* entry;
  };

  const Layout& layout_;
  const std::vector<Row>& rows_;
  std::unordered_map<std::string_view, std::vector<MultiWordSynonym>> by_first_word_;
};

}  // namespace billwise::grammar_internal

#endif  // BILLWISE_EXTRACT_GRAMMAR_HEADER_FIELDS_H_
