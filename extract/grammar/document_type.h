// Document kind from weighed evidence, and the documents a file holds.
//
// DocumentTypeRules are the cues of templates/document_types.yaml: RE2 patterns over the
// whole text or over one line (a table header), each with a weight for the kinds it speaks
// for (a provider's statement, a plan's EOB, a collector's notice). ClassifyDocument sums
// the weights of the cues a text shows; the heaviest kind wins, a statement when nothing
// speaks or on a tie. No one phrase decides: "THIS IS NOT A BILL" weighs for an EOB and,
// less, for a statement, since hospital itemizations print it too.
//
// SplitDocuments cuts the pages of one file into the documents they hold: a page starts a
// document when it prints "page 1 of N", a document (invoice or statement) number other
// than the one of the pages before it, or when its own kind differs from theirs by a clear
// margin (an itemization followed by the insurer's remittance page).
//
// Rules are immutable after loading; the functions are pure and thread-safe.
#ifndef BILLWISE_EXTRACT_GRAMMAR_DOCUMENT_TYPE_H_
#define BILLWISE_EXTRACT_GRAMMAR_DOCUMENT_TYPE_H_

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/page.h"

namespace re2 {
class RE2;
}

namespace billwise {

// The kinds the cues tell apart. A statement is itemized or summary once its items are read.
enum class DocumentKind { kStatement, kEob, kCollectionNotice };
inline constexpr size_t kDocumentKinds = 3;
const char* DocumentKindName(DocumentKind kind);  // "statement" | "eob" | "collection_notice"

// The document type a kind leads to before items are read: kUnknown for a statement.
DocumentType TypeOfKind(DocumentKind kind);

struct DocumentCue {
  std::string name;     // what it is, for diagnostics ("allowed and plan-paid columns")
  bool per_line = false;
  std::shared_ptr<const re2::RE2> pattern;
  std::array<double, kDocumentKinds> weight{};  // indexed by DocumentKind
};

class DocumentTypeRules {
 public:
  // templates/document_types.yaml; kBadTemplate naming the file and the key on a bad
  // pattern, an unknown kind or key, or a negative weight.
  static Expected<DocumentTypeRules> LoadFile(const std::string& path);
  // `name` is used in errors.
  static Expected<DocumentTypeRules> LoadString(const std::string& name, const std::string& yaml);

  const std::vector<DocumentCue>& cues() const { return cues_; }

 private:
  std::vector<DocumentCue> cues_;
  std::shared_ptr<const re2::RE2> first_page_;       // one capture: the page number
  std::shared_ptr<const re2::RE2> document_number_;  // one capture: the number
  std::shared_ptr<const re2::RE2> account_number_;   // one capture: a statement's account
  double kind_margin_ = 5;

  friend std::vector<std::vector<Page>> SplitDocuments(const DocumentTypeRules&, std::vector<Page>);
};

struct KindDecision {
  DocumentKind kind = DocumentKind::kStatement;
  std::array<double, kDocumentKinds> score{};
  std::vector<const DocumentCue*> fired;  // in the rules' order
  // Winner's score minus the runner-up's.
  double Margin() const;
  // "eob (12 against statement 1, collection_notice 0): explanation of benefits +5 eob, ..."
  std::string Explain() const;
};

KindDecision ClassifyDocument(const DocumentTypeRules& rules, const std::vector<Page>& pages);

// After parsing and AssessReading: a statement of which no item was read but which shows
// rows that look like charges (read_quality.unread_rows) is itemized, not a summary or of
// unknown type. Other bills are left as they are.
void SettleStatementType(const KindDecision& kind, Bill* bill);

// The documents in `pages`, in order; each keeps its pages' own numbers. Never empty when
// `pages` is not; pages without text stay with the document before them.
std::vector<std::vector<Page>> SplitDocuments(const DocumentTypeRules& rules, std::vector<Page> pages);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_GRAMMAR_DOCUMENT_TYPE_H_
