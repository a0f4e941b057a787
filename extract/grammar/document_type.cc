// The yaml-cpp and RE2 adapter of the document-kind cues: YAML exceptions and RE2 errors
// become kBadTemplate errors naming the file and the key.
#include "extract/grammar/document_type.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

namespace billwise {
namespace {

constexpr std::array<DocumentKind, kDocumentKinds> kKinds = {DocumentKind::kStatement, DocumentKind::kEob,
                                                             DocumentKind::kCollectionNotice};

std::optional<DocumentKind> KindFromName(std::string_view name) {
  for (DocumentKind k : kKinds) {
    if (name == DocumentKindName(k)) return k;
  }
  return std::nullopt;
}

Expected<std::shared_ptr<const re2::RE2>> Compile(const std::string& where, const std::string& text,
                                                  int captures) {
  auto re = std::make_shared<re2::RE2>(text, re2::RE2::Quiet);
  if (!re->ok()) return Fail(ErrorCode::kBadTemplate, where + ": bad pattern: " + re->error());
  if (re->NumberOfCapturingGroups() < captures) {
    return Fail(ErrorCode::kBadTemplate, where + ": the pattern needs a capture group");
  }
  return std::shared_ptr<const re2::RE2>(std::move(re));
}

std::string Number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The whole text of some pages, one line per line.
std::string TextOf(const std::vector<Page>& pages) {
  std::string text;
  for (const Page& p : pages) {
    for (const Line& l : p.lines) {
      text += l.text;
      text += '\n';
    }
  }
  return text;
}

bool HasText(const Page& page) {
  return std::any_of(page.lines.begin(), page.lines.end(),
                     [](const Line& l) { return l.text.find_first_not_of(" \t") != std::string::npos; });
}

// The first document number a page prints (with a digit in it), or "".
std::string DocumentNumberOf(const re2::RE2* re, const Page& page) {
  if (re == nullptr) return "";
  for (const Line& l : page.lines) {
    std::string number;
    if (re2::RE2::PartialMatch(l.text, *re, &number) &&
        std::any_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return number;
    }
  }
  return "";
}

// The same for a number printed below its label ("Account No" over "GB550524"): each
// cell without a digit read together with the cell under it on the next line.
std::string BoxedNumberOf(const re2::RE2* re, const Page& page) {
  std::string found = DocumentNumberOf(re, page);
  if (re == nullptr || !found.empty()) return found;
  for (size_t i = 0; i + 1 < page.lines.size(); ++i) {
    for (const Cell& label : page.lines[i].cells) {
      if (std::any_of(label.text.begin(), label.text.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
      for (const Cell& value : page.lines[i + 1].cells) {
        if (value.box.x1 <= label.box.x0 || value.box.x0 >= label.box.x1) continue;
        std::string number;
        const std::string pair = label.text + " " + value.text;
        if (re2::RE2::PartialMatch(pair, *re, &number)) {
          if (std::any_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) return number;
        }
      }
    }
  }
  return "";
}

}  // namespace

const char* DocumentKindName(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kEob: return "eob";
    case DocumentKind::kCollectionNotice: return "collection_notice";
    case DocumentKind::kStatement: break;
  }
  return "statement";
}

DocumentType TypeOfKind(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kEob: return DocumentType::kEob;
    case DocumentKind::kCollectionNotice: return DocumentType::kCollectionNotice;
    case DocumentKind::kStatement: break;
  }
  return DocumentType::kUnknown;
}

Expected<DocumentTypeRules> DocumentTypeRules::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadString(path, text.str());
}

Expected<DocumentTypeRules> DocumentTypeRules::LoadString(const std::string& name, const std::string& yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kBadTemplate, name + ": YAML error at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return Fail(ErrorCode::kBadTemplate, name + ": expected a YAML map");
  DocumentTypeRules rules;
  try {
    for (const auto& top : root) {
      const std::string key = top.first.as<std::string>();
      if (key != "cues" && key != "split") return Fail(ErrorCode::kBadTemplate, name + ": " + key + ": unknown key");
    }
    const YAML::Node cues = root["cues"];
    if (!cues || !cues.IsSequence()) return Fail(ErrorCode::kBadTemplate, name + ": cues: expected a list");
    for (size_t i = 0; i < cues.size(); ++i) {
      const YAML::Node c = cues[i];
      const std::string where = name + ": cues[" + std::to_string(i) + "]";
      if (!c.IsMap()) return Fail(ErrorCode::kBadTemplate, where + ": expected a map");
      DocumentCue cue;
      bool any_weight = false;
      for (const auto& entry : c) {
        const std::string key = entry.first.as<std::string>();
        if (key == "cue") {
          cue.name = entry.second.as<std::string>();
        } else if (key == "pattern") {
          auto re = Compile(where + ".pattern", entry.second.as<std::string>(), 0);
          if (!re) return std::unexpected(re.error());
          cue.pattern = *re;
        } else if (key == "scope") {
          const std::string scope = entry.second.as<std::string>();
          if (scope != "text" && scope != "line") {
            return Fail(ErrorCode::kBadTemplate, where + ".scope: expected text or line, not '" + scope + "'");
          }
          cue.per_line = scope == "line";
        } else if (auto kind = KindFromName(key)) {
          const double w = entry.second.as<double>();
          if (!(w >= 0) || !std::isfinite(w)) {
            return Fail(ErrorCode::kBadTemplate, where + "." + key + ": a weight is a number >= 0");
          }
          cue.weight[static_cast<size_t>(*kind)] = w;
          any_weight = true;
        } else {
          return Fail(ErrorCode::kBadTemplate, where + "." + key + ": unknown key (a kind is statement, eob or collection_notice)");
        }
      }
      if (cue.name.empty() || !cue.pattern || !any_weight) {
        return Fail(ErrorCode::kBadTemplate, where + ": a cue needs cue, pattern and a weight");
      }
      rules.cues_.push_back(std::move(cue));
    }
    if (const YAML::Node split = root["split"]) {
      if (!split.IsMap()) return Fail(ErrorCode::kBadTemplate, name + ": split: expected a map");
      for (const auto& entry : split) {
        const std::string key = entry.first.as<std::string>();
        const std::string where = name + ": split." + key;
        if (key == "first_page" || key == "document_number" || key == "account_number") {
          auto re = Compile(where, entry.second.as<std::string>(), 1);
          if (!re) return std::unexpected(re.error());
          (key == "first_page" ? rules.first_page_
           : key == "document_number" ? rules.document_number_
                                      : rules.account_number_) = *re;
        } else if (key == "kind_margin") {
          rules.kind_margin_ = entry.second.as<double>();
          if (!(rules.kind_margin_ > 0) || !std::isfinite(rules.kind_margin_)) {
            return Fail(ErrorCode::kBadTemplate, where + ": expected a number > 0");
          }
        } else {
          return Fail(ErrorCode::kBadTemplate, where + ": unknown key");
        }
      }
    }
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kBadTemplate, name + ": YAML error at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return rules;
}

double KindDecision::Margin() const {
  double best = score[static_cast<size_t>(kind)], second = 0;
  bool any = false;
  for (DocumentKind k : kKinds) {
    if (k == kind) continue;
    const double s = score[static_cast<size_t>(k)];
    if (!any || s > second) second = s;
    any = true;
  }
  return best - second;
}

std::string KindDecision::Explain() const {
  std::string out = std::string("document kind ") + DocumentKindName(kind) + " (score " +
                    Number(score[static_cast<size_t>(kind)]);
  for (DocumentKind k : kKinds) {
    if (k == kind) continue;
    out += std::string(", ") + DocumentKindName(k) + " " + Number(score[static_cast<size_t>(k)]);
  }
  out += ")";
  if (fired.empty()) return out + ": no cue found; a statement by default";
  out += ": ";
  bool first = true;
  for (const DocumentCue* c : fired) {
    out += first ? "" : "; ";
    first = false;
    out += c->name;
    for (DocumentKind k : kKinds) {
      const double w = c->weight[static_cast<size_t>(k)];
      if (w > 0) out += " +" + Number(w) + " " + DocumentKindName(k);
    }
  }
  return out;
}

KindDecision ClassifyDocument(const DocumentTypeRules& rules, const std::vector<Page>& pages) {
  KindDecision d;
  const std::string text = TextOf(pages);
  for (const DocumentCue& cue : rules.cues()) {
    bool hit = false;
    if (cue.per_line) {
      for (const Page& p : pages) {
        for (const Line& l : p.lines) {
          if (re2::RE2::PartialMatch(l.text, *cue.pattern)) {
            hit = true;
            break;
          }
        }
        if (hit) break;
      }
    } else {
      hit = re2::RE2::PartialMatch(text, *cue.pattern);
    }
    if (!hit) continue;
    d.fired.push_back(&cue);
    for (size_t k = 0; k < kDocumentKinds; ++k) d.score[k] += cue.weight[k];
  }
  // The heaviest kind; a statement on a tie with it.
  for (DocumentKind k : kKinds) {
    if (d.score[static_cast<size_t>(k)] > d.score[static_cast<size_t>(d.kind)]) d.kind = k;
  }
  return d;
}

void SettleStatementType(const KindDecision& kind, Bill* bill) {
  if (kind.kind != DocumentKind::kStatement || !bill->line_items.empty() || !bill->read_quality ||
      bill->read_quality->unread_rows == 0) {
    return;
  }
  if (bill->document_type == DocumentType::kUnknown || bill->document_type == DocumentType::kSummaryStatement) {
    bill->document_type = DocumentType::kItemizedStatement;
  }
}

std::vector<std::vector<Page>> SplitDocuments(const DocumentTypeRules& rules, std::vector<Page> pages) {
  std::vector<std::vector<Page>> docs;
  if (pages.size() == 1) {  // one page is one document: nothing to weigh
    docs.push_back(std::move(pages));
    return docs;
  }
  std::string number;     // the current document's number, "" when none printed yet
  std::string account;    // the current statement's account number, "" when none printed yet
  std::optional<KindDecision> kind;  // the current document's kind, from its pages so far
  for (Page& page : pages) {
    bool starts = false;
    std::optional<KindDecision> own;
    std::string own_number;
    if (!docs.empty() && HasText(page)) {
      std::string first;
      for (const Line& l : page.lines) {
        if (rules.first_page_ && re2::RE2::PartialMatch(l.text, *rules.first_page_, &first)) {
          starts = true;
          break;
        }
      }
      own_number = DocumentNumberOf(rules.document_number_.get(), page);
      if (!own_number.empty() && !number.empty() && own_number != number) starts = true;
      own = ClassifyDocument(rules, std::vector<Page>{page});
      // Another account number on a statement's page: another statement (an EOB lists
      // several patients' accounts in one document, so only statements).
      const std::string own_account = BoxedNumberOf(rules.account_number_.get(), page);
      if (kind && kind->kind == DocumentKind::kStatement && own->kind == DocumentKind::kStatement &&
          !own_account.empty() && !account.empty() && own_account != account) {
        starts = true;
      }
      // A page clearly of another kind than a document with some evidence of its own
      // (an itemization followed by the insurer's EOB for it).
      if (kind && own->kind != kind->kind && own->Margin() >= rules.kind_margin_ &&
          kind->Margin() >= rules.kind_margin_ / 2) {
        starts = true;
      }
    }
    if (docs.empty() || starts) {
      docs.emplace_back();
      number = DocumentNumberOf(rules.document_number_.get(), page);
      account = BoxedNumberOf(rules.account_number_.get(), page);
      docs.back().push_back(std::move(page));
      kind = ClassifyDocument(rules, docs.back());
      continue;
    }
    if (number.empty()) number = own_number;
    if (account.empty()) account = BoxedNumberOf(rules.account_number_.get(), page);
    docs.back().push_back(std::move(page));
    // A document's kind shows on its first pages; later pages only continue it.
    if (own && docs.back().size() <= 3) kind = ClassifyDocument(rules, docs.back());
  }
  return docs;
}

}  // namespace billwise
