#include "pipeline/letters/pdf_font_stack.h"

#include <cstdio>
#include <filesystem>

#include "pipeline/letters/bidi_text.h"

namespace billwise {
namespace {

using namespace PoDoFo;  // NOLINT: this file speaks PoDoFo throughout.

// Text for PoDoFo: always valid UTF-8 (see ValidUtf8).
PdfString U(const std::string& s) {
  std::string valid = ValidUtf8(s);
  return PdfString(reinterpret_cast<const pdf_utf8*>(valid.c_str()));
}

// Format characters that print nothing: zero-width space and joiners, direction marks,
// word joiner and invisible operators, variation selectors, U+FEFF.
bool PrintsNothing(char32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         cp == 0xFEFF;
}

size_t Utf8Length(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

std::string FontName(const std::string& tag, size_t face) {
  return face == 0 ? tag : tag + std::to_string(face);
}

}  // namespace

Expected<std::unique_ptr<FontStack>> FontStack::Load(PdfDocument& doc, std::vector<std::string> paths,
                                                     const std::string& tag) {
  if (paths.empty()) return Fail(ErrorCode::kMissingDependency, "no letter font given");
  std::unique_ptr<FontStack> stack(new FontStack());
  stack->doc_ = &doc;
  stack->library_ = doc.GetFontLibrary();
  stack->tag_ = tag;
  stack->paths_ = std::move(paths);
  for (const auto& p : stack->paths_) stack->faces_.push_back(Face{p, nullptr, nullptr, false});
  PdfFont* first = doc.CreateFontSubset(tag.c_str(), false, false, false, new PdfIdentityEncoding(0, 0xffff, true),
                                        stack->paths_[0].c_str());
  if (first == nullptr) return Fail(ErrorCode::kMissingDependency, "cannot load the letter font " + stack->paths_[0]);
  stack->faces_[0].font = first;
  stack->faces_[0].probed = true;
  return stack;
}

const PdfFontMetrics* FontStack::Metrics(size_t face) {
  Face& f = faces_[face];
  if (f.font != nullptr) return f.font->GetFontMetrics();
  if (!f.probed) {
    f.probed = true;
    std::error_code ec;
    if (std::filesystem::is_regular_file(f.path, ec)) {
      try {
        f.probe = std::make_unique<PdfFontMetricsFreetype>(&library_, f.path.c_str(), false);
      } catch (const PdfError&) {
        f.probe.reset();  // an unreadable face is skipped like a missing one
      }
    }
  }
  return f.probe.get();
}

int FontStack::FaceFor(char32_t cp) {
  if (cp > 0xFFFF) return -1;  // PoDoFo 0.9.8's Identity-H encoding is 16-bit
  auto it = face_of_.find(cp);
  if (it != face_of_.end()) return it->second;
  int found = -1;
  for (size_t i = 0; i < faces_.size() && found < 0; ++i) {
    const PdfFontMetrics* m = Metrics(i);
    if (m != nullptr && m->GetGlyphId(static_cast<long>(cp)) > 0) found = static_cast<int>(i);
  }
  face_of_.emplace(cp, found);
  return found;
}

bool FontStack::Covers(char32_t cp) { return PrintsNothing(cp) || FaceFor(cp) >= 0; }

double FontStack::CharWidth1000(int face, char32_t cp) {
  if (face < 0 || PrintsNothing(cp)) return 0;
  uint64_t key = (static_cast<uint64_t>(face) << 32) | cp;
  auto it = width_.find(key);
  if (it != width_.end()) return it->second;
  double w = 0;
  Face& f = faces_[static_cast<size_t>(face)];
  if (f.font != nullptr) {
    f.font->SetFontSize(1000);
    w = f.font->GetFontMetrics()->UnicodeCharWidth(static_cast<unsigned short>(cp));
  } else if (Metrics(static_cast<size_t>(face)) != nullptr) {
    f.probe->SetFontSize(1000);
    w = f.probe->UnicodeCharWidth(static_cast<unsigned short>(cp));
  }
  width_.emplace(key, w);
  return w;
}

double FontStack::Width(double size, std::string_view utf8) {
  double sum = 0;
  for (char32_t cp : DecodeUtf8(utf8)) sum += CharWidth1000(FaceFor(cp), cp);
  return sum * size / 1000.0;
}

PdfFont* FontStack::FontOf(size_t face) {
  Face& f = faces_[face];
  if (f.font == nullptr) {
    f.font = doc_->CreateFontSubset(FontName(tag_, face).c_str(), false, false, false,
                                    new PdfIdentityEncoding(0, 0xffff, true), f.path.c_str());
    if (f.font == nullptr) PODOFO_RAISE_ERROR_INFO(ePdfError_InvalidFontFile, f.path.c_str());
  }
  return f.font;
}

void FontStack::Draw(PdfPainter& painter, double x, double y, double size, std::string_view utf8) {
  std::u32string text = DecodeUtf8(utf8);
  size_t i = 0;
  while (i < text.size()) {
    if (PrintsNothing(text[i])) {
      ++i;
      continue;
    }
    int face = std::max(0, FaceFor(text[i]));
    std::u32string run;
    double width = 0;
    for (; i < text.size(); ++i) {
      if (PrintsNothing(text[i])) continue;
      if (std::max(0, FaceFor(text[i])) != face) break;
      run += text[i];
      width += CharWidth1000(face, text[i]);
    }
    PdfFont* font = FontOf(static_cast<size_t>(face));
    font->SetFontSize(static_cast<float>(size));
    painter.SetFont(font);
    painter.DrawText(x, y, U(EncodeUtf8(run)));
    x += width * size / 1000.0;
  }
}

std::vector<std::string> WrapWords(std::string_view text, double width,
                                   const std::function<double(std::string_view)>& measure) {
  std::vector<std::string> lines;
  std::string cur;
  double cur_w = 0;
  const double space_w = measure(" ");
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    pos = end;
    double word_w = measure(word);
    if (cur.empty() ? word_w <= width : cur_w + space_w + word_w <= width) {
      if (!cur.empty()) {
        cur += ' ';
        cur_w += space_w;
      }
      cur += word;
      cur_w += word_w;
      continue;
    }
    if (!cur.empty()) lines.push_back(std::move(cur));
    cur.clear();
    cur_w = 0;
    if (word_w <= width) {
      cur = std::string(word);
      cur_w = word_w;
      continue;
    }
    // A word wider than the line: broken between characters, the last piece carries on.
    for (size_t i = 0; i < word.size();) {
      size_t n = std::min(Utf8Length(static_cast<unsigned char>(word[i])), word.size() - i);
      std::string_view ch = word.substr(i, n);
      double ch_w = measure(ch);
      if (!cur.empty() && cur_w + ch_w > width) {
        lines.push_back(std::move(cur));
        cur.clear();
        cur_w = 0;
      }
      cur += ch;
      cur_w += ch_w;
      i += n;
    }
  }
  if (!cur.empty() || lines.empty()) lines.push_back(std::move(cur));
  return lines;
}

std::string FitPrefix(std::string_view text, double width, const std::function<double(std::string_view)>& measure) {
  double w = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = std::min(Utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
    double ch_w = measure(text.substr(i, n));
    if (i > 0 && w + ch_w > width) break;
    w += ch_w;
    i += n;
  }
  return std::string(text.substr(0, i));
}

Expected<void> PrepareLetterText(LetterDocument& letter, FontStack& regular, FontStack& bold) {
  Expected<void> ok;
  auto prepare = [&](std::string& text, const char* where) {
    if (!ok) return;
    text = ShapeArabic(text);
    for (char32_t cp : DecodeUtf8(text)) {
      if (regular.Covers(cp) && bold.Covers(cp)) continue;
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
      std::string shown = cp > 0x20 && !(cp >= 0x7F && cp <= 0x9F) ? " (" + EncodeUtf8(std::u32string(1, cp)) + ")" : "";
      std::string fonts;
      for (const auto& p : regular.paths()) {
        std::error_code ec;
        fonts += (fonts.empty() ? "" : ", ") + std::filesystem::path(p).filename().string() +
                 (std::filesystem::is_regular_file(p, ec) ? "" : " (not installed)");
      }
      ok = Fail(ErrorCode::kUnsupported, std::string("no letter font has the character ") + code + shown + " in the " +
                                             where + " (fonts tried: " + fonts + ")");
      return;
    }
  };
  auto prepare_all = [&](std::vector<std::string>& texts, const char* where) {
    for (auto& t : texts) prepare(t, where);
  };
  prepare_all(letter.sender, "sender block");
  prepare_all(letter.recipient, "recipient block");
  prepare(letter.date, "date");
  prepare(letter.re, "subject line");
  prepare_all(letter.identity, "patient lines");
  prepare(letter.running_head, "page header");
  for (auto& block : letter.body) {
    prepare(block.text, "letter body");
    for (auto& row : block.rows) prepare_all(row, "table");
  }
  prepare(letter.closing, "signature block");
  prepare_all(letter.signer, "signature block");
  prepare(letter.enclosures_title, "enclosures");
  prepare_all(letter.enclosures, "enclosures");
  prepare(letter.footer, "page footer");
  return ok;
}

}  // namespace billwise
