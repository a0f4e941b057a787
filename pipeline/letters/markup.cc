#include "pipeline/letters/markup.h"

#include <initializer_list>
#include <sstream>

#include "pipeline/model/strings.h"

namespace billwise {
namespace {

// Splits "| a | b |" at the bars that are not escaped; cells keep their escapes.
std::vector<std::string> SplitRow(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  bool closed = false;  // the row ended with a bar
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      cell += line[i];
      cell += line[++i];
      continue;
    }
    if (line[i] == '|') {
      cells.emplace_back(Trim(cell));
      cell.clear();
      closed = true;
      continue;
    }
    cell += line[i];
    closed = false;
  }
  if (!closed) cells.emplace_back(Trim(cell));
  return cells;
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is invalid
// (overlong, a surrogate, above U+10FFFF or cut short).
size_t Utf8At(std::string_view s, size_t i, char32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  char32_t v = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    v = (v << 6) | (cc & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

bool IsLineBreakOrControl(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

bool IsBidiFormatting(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

void EscapeLineInto(std::string_view value, std::string& out) {
  bool at_start = true;  // no character but spaces yet
  for (size_t i = 0; i < value.size();) {
    char32_t cp = 0;
    size_t n = Utf8At(value, i, &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
      at_start = false;
      continue;
    }
    if (IsLineBreakOrControl(cp)) {
      out += ' ';
    } else if (IsBidiFormatting(cp)) {
      // dropped
    } else {
      char c = value[i];
      bool special = c == '\\' || c == '|' || c == '*' || c == '{' || c == '}' ||
                     (at_start && (c == '@' || c == '#' || c == '-'));
      if (special) out += '\\';
      out.append(value.substr(i, n));
      if (c != ' ') at_start = false;
    }
    i += n;
  }
}

void UnescapeInPlace(std::string& s) { s = UnescapeMarkupText(s); }

void UnescapeInPlace(std::vector<std::string>& v) {
  for (auto& s : v) UnescapeInPlace(s);
}

}  // namespace

std::string EscapeMarkupText(std::string_view value) {
  std::string out;
  out.reserve(value.size() + value.size() / 8);
  EscapeLineInto(value, out);
  return out;
}

std::string EscapeMarkupLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    std::string escaped = EscapeMarkupText(line);
    if (escaped.find_first_not_of(' ') == std::string::npos) continue;
    if (!out.empty()) out += '\n';
    out += escaped;
  }
  return out;
}

void EscapeMarkupValues(TemplateNode& node) {
  switch (node.kind) {
    case TemplateNode::Kind::kString:
      if (node.multiline) {
        std::vector<std::string> lines;
        std::istringstream in(node.text);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        node.text = EscapeMarkupLines(lines);
      } else {
        node.text = EscapeMarkupText(node.text);
      }
      break;
    case TemplateNode::Kind::kList:
      for (auto& item : node.items) EscapeMarkupValues(item);
      break;
    case TemplateNode::Kind::kObject:
      for (auto& [key, value] : node.fields) EscapeMarkupValues(value);
      break;
    case TemplateNode::Kind::kBool:
    case TemplateNode::Kind::kMissing:
      break;
  }
}

std::string UnescapeMarkupText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out += text[i];
  }
  return out;
}

LetterDocument ParseLetterMarkup(std::string_view text) {
  LetterDocument doc;
  std::vector<std::string> lines;
  {
    std::string all(text), line;
    std::istringstream in(all);
    while (std::getline(in, line)) lines.push_back(line);
  }
  enum class Mode { kBody, kSender, kRecipient, kSignature, kEnclosures };
  Mode mode = Mode::kBody;
  bool signature_closing_done = false;
  LetterBlock* paragraph = nullptr;  // the paragraph being joined
  LetterBlock* table = nullptr;      // the table being filled
  auto end_blocks = [&] { paragraph = nullptr; table = nullptr; };

  for (const std::string& raw : lines) {
    std::string line(Trim(raw));
    if (line.empty()) {
      end_blocks();
      if (mode != Mode::kEnclosures) mode = Mode::kBody;
      continue;
    }
    if (line[0] == '@') {
      size_t sp = line.find(' ');
      std::string word = line.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
      std::string rest(sp == std::string::npos ? "" : Trim(std::string_view(line).substr(sp + 1)));
      bool known = true;
      if (word == "sender") {
        mode = Mode::kSender;
      } else if (word == "recipient") {
        mode = Mode::kRecipient;
      } else if (word == "date") {
        doc.date = rest;
      } else if (word == "re") {
        doc.re = rest;
      } else if (word == "signature") {
        mode = Mode::kSignature;
        signature_closing_done = false;
      } else if (word == "enclosures") {
        mode = Mode::kEnclosures;
        doc.enclosures_title = rest;
      } else if (word == "footer") {
        doc.footer = rest;
      } else if (word == "title") {
        doc.title = rest;
      } else {
        known = false;
      }
      if (known) {
        end_blocks();
        continue;
      }
    }
    switch (mode) {
      case Mode::kSender:
        doc.sender.push_back(line);
        continue;
      case Mode::kRecipient:
        doc.recipient.push_back(line);
        continue;
      case Mode::kSignature:
        if (!signature_closing_done) {
          doc.closing = line;
          signature_closing_done = true;
        } else {
          doc.signer.push_back(line);
        }
        continue;
      case Mode::kEnclosures:
        if (line.starts_with("- ")) {
          doc.enclosures.emplace_back(Trim(std::string_view(line).substr(2)));
          continue;
        }
        mode = Mode::kBody;
        break;
      case Mode::kBody:
        break;
    }
    if (line.starts_with("# ")) {
      end_blocks();
      LetterBlock b;
      b.kind = LetterBlock::Kind::kHeading;
      b.text = Trim(line.substr(2));
      b.bold = true;
      doc.body.push_back(std::move(b));
    } else if (line[0] == '|') {
      paragraph = nullptr;
      if (table == nullptr) {
        doc.body.push_back(LetterBlock{LetterBlock::Kind::kTable, "", false, {}});
        table = &doc.body.back();
      }
      table->rows.push_back(SplitRow(line));
    } else if (line.starts_with("- ")) {
      end_blocks();
      LetterBlock b;
      b.kind = LetterBlock::Kind::kBullet;
      b.text = Trim(line.substr(2));
      doc.body.push_back(std::move(b));
      paragraph = &doc.body.back();  // continuation lines join the item
    } else {
      table = nullptr;
      if (paragraph == nullptr) {
        doc.body.push_back(LetterBlock{});
        paragraph = &doc.body.back();
        paragraph->text = line;
      } else {
        paragraph->text += " " + line;
      }
      if (paragraph->kind == LetterBlock::Kind::kParagraph && paragraph->text.starts_with("**") &&
          paragraph->text.size() > 4 && paragraph->text.ends_with("**")) {
        paragraph->text = paragraph->text.substr(2, paragraph->text.size() - 4);
        paragraph->bold = true;
      }
    }
  }
  // The escapes have done their work: every text comes back as the characters it shows.
  for (auto* v : {&doc.sender, &doc.recipient, &doc.signer, &doc.enclosures}) UnescapeInPlace(*v);
  for (auto* s : {&doc.date, &doc.re, &doc.closing, &doc.enclosures_title, &doc.footer, &doc.title}) {
    UnescapeInPlace(*s);
  }
  for (auto& block : doc.body) {
    UnescapeInPlace(block.text);
    for (auto& row : block.rows) UnescapeInPlace(row);
  }
  return doc;
}

}  // namespace billwise
