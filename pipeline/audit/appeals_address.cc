#include "pipeline/audit/appeals_address.h"

#include <cctype>
#include <algorithm>
#include <cmath>
#include <optional>

namespace billwise {
namespace {

constexpr size_t kMaxBlockLines = 5;     // an address block below its cue: at most this many lines
constexpr size_t kMaxAddressLine = 70;   // longer is a sentence, not an envelope line
constexpr double kColumnSlack = 24;      // points a block's lines may start left of its cue

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t,;");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t,;");
  return std::string(s.substr(b, e - b + 1));
}

bool Has(const std::string& lower, const char* what) { return lower.find(what) != std::string::npos; }

// A cell that introduces the appeals address: it speaks of appeals, and either says where to
// send them (a label) or names the department that takes them (a heading).
enum class Cue { kNone, kLabel, kHeading };
Cue CueOf(const std::string& text) {
  std::string lower = Lower(text);
  if (!Has(lower, "appeal")) return Cue::kNone;
  if (Has(lower, "send") || Has(lower, "mail") || Has(lower, "submit") || Has(lower, "address") ||
      Has(lower, "write to")) {
    return Cue::kLabel;
  }
  if (Has(lower, "grievance") || Has(lower, "department") || Has(lower, "dept") || Has(lower, " unit") ||
      Has(lower, " office")) {
    return text.find(':') != std::string::npos ? Cue::kLabel : Cue::kHeading;
  }
  return Cue::kNone;
}

// What follows a label on its own cell: after its colon, else after " to ".
std::string AfterLabel(const std::string& text) {
  if (size_t colon = text.find(':'); colon != std::string::npos) return Trim(text.substr(colon + 1));
  std::string lower = Lower(text);
  size_t appeal = lower.find("appeal");
  size_t to = lower.find(" to ", appeal);
  return to == std::string::npos ? "" : Trim(text.substr(to + 4));
}

// "Appeals Unit, PO Box 90811, Dunmore Heights, PA 18512" -> its envelope lines.
std::vector<std::string> SplitInline(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t comma = text.find(','); ; comma = text.find(',', start)) {
    std::string part = Trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (parts.size() >= 2) {  // "City" and "ST 12345" make one line
    parts[parts.size() - 2] += ", " + parts.back();
    parts.pop_back();
  }
  return parts;
}

bool LooksLikeAddressLine(const std::string& text) {
  return !text.empty() && text.size() <= kMaxAddressLine && text.back() != '.';
}

const Cell* CellInColumn(const Line& line, double x0, double x1) {
  for (const Cell& c : line.cells) {
    if (c.box.x0 >= x0 - kColumnSlack && c.box.x0 <= x1) return &c;
  }
  return nullptr;
}

// The address introduced by cell `cue` of line `at` on `page`, or empty.
std::vector<std::string> BlockAt(const Page& page, size_t at, size_t cell, Cue cue) {
  const Line& line = page.lines[at];
  const Cell& c = line.cells[cell];
  std::vector<std::string> lines;
  Box column = c.box;
  if (cue == Cue::kHeading) {
    lines.push_back(Trim(c.text));
  } else if (std::string rest = AfterLabel(c.text); !rest.empty()) {
    if (EndsWithStateZip(rest)) return SplitInline(rest);
    lines.push_back(rest);
  } else if (cell + 1 < line.cells.size()) {  // "Appeals address:   Appeals Unit"
    const Cell& value = line.cells[cell + 1];
    std::string text = Trim(value.text);
    if (EndsWithStateZip(text)) return SplitInline(text);
    lines.push_back(text);
    column = value.box;
  }
  double bottom = line.box.y1;
  for (size_t j = at + 1; j < page.lines.size() && j <= at + kMaxBlockLines; ++j) {
    const Line& next = page.lines[j];
    double height = std::max(4.0, line.box.Height());
    if (next.box.y0 - bottom > 0.7 * height) break;  // a blank line ends the block
    const Cell* value = CellInColumn(next, column.x0, column.x1);
    if (value == nullptr) break;
    std::string text = Trim(value->text);
    if (!LooksLikeAddressLine(text)) break;
    lines.push_back(text);
    if (EndsWithStateZip(text)) return lines;
    bottom = next.box.y1;
  }
  return {};
}

}  // namespace

bool EndsWithStateZip(std::string_view line) {
  std::string s = Trim(line);
  size_t space = s.find_last_of(' ');
  if (space == std::string::npos) return false;
  std::string zip = s.substr(space + 1);
  auto digits = [](std::string_view d) {
    for (char ch : d) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
    }
    return true;
  };
  bool zip_ok = (zip.size() == 5 && digits(zip)) ||
                (zip.size() == 10 && zip[5] == '-' && digits(zip.substr(0, 5)) && digits(zip.substr(6)));
  if (!zip_ok) return false;
  std::string before = Trim(s.substr(0, space));
  if (before.size() < 2) return false;
  std::string state = before.substr(before.size() - 2);
  bool letters = std::isupper(static_cast<unsigned char>(state[0])) && std::isupper(static_cast<unsigned char>(state[1]));
  return letters && (before.size() == 2 || before[before.size() - 3] == ' ' || before[before.size() - 3] == ',');
}

std::vector<std::string> FindAppealsAddress(const std::vector<Page>& pages) {
  for (const Page& page : pages) {
    for (size_t i = 0; i < page.lines.size(); ++i) {
      const Line& line = page.lines[i];
      for (size_t c = 0; c < line.cells.size(); ++c) {
        Cue cue = CueOf(line.cells[c].text);
        if (cue == Cue::kNone) continue;
        std::vector<std::string> block = BlockAt(page, i, c, cue);
        if (!block.empty()) return block;
      }
    }
  }
  return {};
}

}  // namespace billwise
