#include "extract/grammar/layout_pack.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "pipeline/tables/byte_codec.h"
#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

constexpr std::string_view kMagic = "BWLAYOUT3\n";

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string BaseName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// ---- Writing ----

class Packer {
 public:
  void Varint(uint64_t v) { PutVarint(v, &out_); }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Strings(const std::vector<std::string>& v) {
    Varint(v.size());
    for (const auto& s : v) Str(s);
  }
  // 1 + the pattern's index in the pattern table; 0 for none.
  void Ref(const Pattern& p) { Varint(p ? 1 + index_.at(p.id()) : 0); }
  void Refs(const std::vector<Pattern>& v) {
    Varint(v.size());
    for (const auto& p : v) Ref(p);
  }
  // Adds `p` to the pattern table (once per shared pattern).
  void Intern(const Pattern& p) {
    if (p && index_.emplace(p.id(), texts_.size()).second) texts_.push_back(&p.text());
  }
  const std::vector<const std::string*>& texts() const { return texts_; }
  std::string& out() { return out_; }

 private:
  std::string out_;
  std::unordered_map<const LazyRegex*, size_t> index_;
  std::vector<const std::string*> texts_;
};

void PackLayout(const Layout& l, Packer* w) {
  w->Str(l.id);
  w->Str(BaseName(l.file));
  w->Varint(static_cast<uint64_t>(static_cast<int64_t>(l.priority) + (1LL << 32)));
  w->Strings(l.keywords);
  w->Strings(l.any_keywords);
  w->Strings(l.exclude_keywords);
  w->Varint(l.document_type ? 1 + static_cast<uint64_t>(*l.document_type) : 0);
  w->Varint(static_cast<uint64_t>(l.date_order));
  w->Varint(l.fields.size());
  for (const auto& rule : l.fields) {
    w->Varint(static_cast<uint64_t>(rule.field));
    w->Refs(rule.patterns);
  }
  const std::map<std::string, std::vector<LabelSynonym>> labels(l.labels.begin(), l.labels.end());
  w->Varint(labels.size());
  for (const auto& [label, synonyms] : labels) {
    w->Str(label);
    w->Varint(synonyms.size());
    for (const auto& s : synonyms) {
      w->Varint(static_cast<uint64_t>(s.field));
      w->Varint(static_cast<uint64_t>(s.rank));
    }
  }
  w->Strings(l.title_words);
  w->Strings(l.label_stop_words);
  w->Strings(l.document_words);
  w->Varint(l.label_abbreviations.size());
  for (const auto& [shortened, full] : l.label_abbreviations) {
    w->Str(shortened);
    w->Str(full);
  }
  const ItemRules& r = l.items;
  for (const Pattern* p : {&r.start, &r.end, &r.continuation, &r.grand_total, &r.end_table}) w->Ref(*p);
  w->Refs(r.rows);
  w->Refs(r.skip);
  w->Refs(r.not_items);
  w->Varint(r.payments.size());
  for (const auto& [field, p] : r.payments) {
    w->Varint(static_cast<uint64_t>(field));
    w->Ref(p);
  }
  const std::map<std::string, Column> columns(r.columns.begin(), r.columns.end());
  w->Varint(columns.size());
  for (const auto& [header, column] : columns) {
    w->Str(header);
    w->Varint(static_cast<uint64_t>(column));
  }
  w->Varint(r.longest_column_words);
  w->Varint(r.infer_columns ? 1 : 0);
  w->Varint(r.rows_fallback ? 1 : 0);
  w->Varint(l.is_fallback ? 1 : 0);
}

// ---- Reading ----

struct Corrupt {};

class Unpacker {
 public:
  explicit Unpacker(std::string_view bytes) : in_(bytes) {}
  uint64_t Varint() {
    uint64_t v;
    if (!in_.Varint(&v)) throw Corrupt{};
    return v;
  }
  uint64_t Below(uint64_t limit) {
    uint64_t v = Varint();
    if (v >= limit) throw Corrupt{};
    return v;
  }
  // A count of items that each take at least one byte.
  size_t Count() { return static_cast<size_t>(Below(in_.remaining() + 1)); }
  std::string Str() {
    std::string_view s;
    if (!in_.Bytes(Varint(), &s)) throw Corrupt{};
    return std::string(s);
  }
  std::vector<std::string> Strings() {
    std::vector<std::string> v(Count());
    for (auto& s : v) s = Str();
    return v;
  }
  Pattern Ref(const std::vector<Pattern>& table) {
    uint64_t i = Below(table.size() + 1);
    return i == 0 ? Pattern() : table[i - 1];
  }
  std::vector<Pattern> Refs(const std::vector<Pattern>& table) {
    std::vector<Pattern> v(Count());
    for (auto& p : v) {
      p = Ref(table);
      if (!p) throw Corrupt{};
    }
    return v;
  }
  Field AField() { return static_cast<Field>(Below(static_cast<uint64_t>(Field::kCollectorPhone) + 1)); }
  size_t remaining() const { return in_.remaining(); }

 private:
  ByteReader in_;
};

std::unique_ptr<Layout> UnpackLayout(Unpacker* r, const std::vector<Pattern>& table, const std::string& dir) {
  auto l = std::make_unique<Layout>();
  l->id = r->Str();
  l->file = (std::filesystem::path(dir) / r->Str()).string();
  l->priority = static_cast<int>(static_cast<int64_t>(r->Below(1ULL << 33)) - (1LL << 32));
  l->keywords = r->Strings();
  l->any_keywords = r->Strings();
  l->exclude_keywords = r->Strings();
  if (uint64_t t = r->Below(static_cast<uint64_t>(DocumentType::kCollectionNotice) + 2); t != 0) {
    l->document_type = static_cast<DocumentType>(t - 1);
  }
  l->date_order = static_cast<DateOrder>(r->Below(2));
  l->fields.resize(r->Count());
  for (auto& rule : l->fields) {
    rule.field = r->AField();
    rule.patterns = r->Refs(table);
  }
  for (size_t n = r->Count(); n > 0; --n) {
    auto& synonyms = l->labels[r->Str()];
    synonyms.resize(r->Count());
    for (auto& s : synonyms) {
      s.field = r->AField();
      s.rank = static_cast<int>(r->Below(1U << 30));
    }
  }
  l->title_words = r->Strings();
  l->label_stop_words = r->Strings();
  l->document_words = r->Strings();
  for (size_t n = r->Count(); n > 0; --n) {
    std::string shortened = r->Str();
    l->label_abbreviations[std::move(shortened)] = r->Str();
  }
  ItemRules& items = l->items;
  for (Pattern* p : {&items.start, &items.end, &items.continuation, &items.grand_total, &items.end_table}) {
    *p = r->Ref(table);
  }
  items.rows = r->Refs(table);
  items.skip = r->Refs(table);
  items.not_items = r->Refs(table);
  items.payments.resize(r->Count());
  for (auto& [field, p] : items.payments) {
    field = r->AField();
    p = r->Ref(table);
    if (!p) throw Corrupt{};
  }
  for (size_t n = r->Count(); n > 0; --n) {
    std::string header = r->Str();
    items.columns[std::move(header)] = static_cast<Column>(r->Below(static_cast<uint64_t>(Column::kIgnore) + 1));
  }
  items.longest_column_words = static_cast<size_t>(r->Below(1U << 16));
  items.infer_columns = r->Below(2) == 1;
  items.rows_fallback = r->Below(2) == 1;
  l->is_fallback = r->Below(2) == 1;
  return l;
}

}  // namespace

std::string PackLayouts(const LayoutSet& set, const NamedTemplates& sources) {
  Packer w;
  w.out().append(kMagic);
  w.Varint(sources.size());
  for (const auto& [path, text] : sources) {
    w.Str(BaseName(path));
    w.Varint(text.size());
    w.Varint(Fnv1a64(text));
  }
  for (const auto& l : set.layouts()) ForEachPattern(*l, [&](const Pattern& p) { w.Intern(p); });
  w.Varint(w.texts().size());
  for (const std::string* text : w.texts()) w.Str(*text);
  w.Varint(set.layouts().size());
  for (const auto& l : set.layouts()) PackLayout(*l, &w);
  PutU32(Crc32(w.out()), &w.out());
  return std::move(w.out());
}

Expected<LayoutSet> UnpackLayouts(std::string_view pack, const std::string& dir, const NamedTemplates& sources) {
  auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kBadData, dir + "/" + kLayoutPackFile + ": " + why);
  };
  if (pack.size() < kMagic.size() + 4 || pack.substr(0, kMagic.size()) != kMagic) {
    return bad("not a layout pack");
  }
  const std::string_view body = pack.substr(0, pack.size() - 4);
  if (Crc32(body) != GetU32(pack.substr(pack.size() - 4))) return bad("damaged (CRC mismatch)");
  try {
    Unpacker r(body.substr(kMagic.size()));
    if (r.Count() != sources.size()) return bad("made from other templates");
    for (const auto& [path, text] : sources) {
      if (r.Str() != BaseName(path) || r.Varint() != text.size() || r.Varint() != Fnv1a64(text)) {
        return bad("made from other templates");
      }
    }
    std::vector<Pattern> table(r.Count());
    for (auto& p : table) p = Pattern::Deferred(r.Str());
    std::vector<std::unique_ptr<Layout>> layouts(r.Count());
    for (auto& l : layouts) l = UnpackLayout(&r, table, dir);
    if (r.remaining() != 0) return bad("damaged (trailing bytes)");
    return LayoutSet::FromLayouts(std::move(layouts));
  } catch (const Corrupt&) {
    return bad("damaged");
  }
}

}  // namespace billwise
