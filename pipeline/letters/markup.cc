#include "pipeline/letters/markup.h"

#include <sstream>

namespace billwise {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::vector<std::string> SplitRow(const std::string& line) {
  std::vector<std::string> cells;
  std::string body = line.substr(1);
  if (!body.empty() && body.back() == '|') body.pop_back();
  std::string cell;
  std::istringstream in(body);
  while (std::getline(in, cell, '|')) cells.push_back(Trim(cell));
  return cells;
}

}  // namespace

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
    std::string line = Trim(raw);
    if (line.empty()) {
      end_blocks();
      if (mode != Mode::kEnclosures) mode = Mode::kBody;
      continue;
    }
    if (line[0] == '@') {
      size_t sp = line.find(' ');
      std::string word = line.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
      std::string rest = sp == std::string::npos ? "" : Trim(line.substr(sp + 1));
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
        if (StartsWith(line, "- ")) {
          doc.enclosures.push_back(Trim(line.substr(2)));
          continue;
        }
        mode = Mode::kBody;
        break;
      case Mode::kBody:
        break;
    }
    if (StartsWith(line, "# ")) {
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
    } else if (StartsWith(line, "- ")) {
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
      if (paragraph->kind == LetterBlock::Kind::kParagraph && StartsWith(paragraph->text, "**") &&
          paragraph->text.size() > 4 && paragraph->text.ends_with("**")) {
        paragraph->text = paragraph->text.substr(2, paragraph->text.size() - 4);
        paragraph->bold = true;
      }
    }
  }
  return doc;
}

}  // namespace billwise
