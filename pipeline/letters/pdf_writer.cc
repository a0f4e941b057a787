#include "pipeline/letters/pdf_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <set>

#include <podofo/podofo.h>

namespace billwise {
namespace {

using namespace PoDoFo;  // NOLINT: the adapter speaks PoDoFo throughout.

constexpr double kPt = 72.0;
constexpr double kPageW = 8.5 * kPt;
constexpr double kPageH = 11.0 * kPt;
constexpr double kMargin = 1.0 * kPt;
constexpr double kBottom = 0.85 * kPt;
constexpr double kWindowInsetX = 9.0;  // 1/8 in: keeps text visible when the fold shifts
constexpr double kWindowInsetY = 4.0;

void QuietPodofo() {
  static const bool once = [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
    return true;
  }();
  (void)once;
}

PdfString U(const std::string& s) { return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str())); }

std::string ToUtf8(const PdfString& s) {
  if (!s.IsValid()) return "";
  if (s.IsUnicode()) return s.GetStringUtf8();
  return s.GetStringUtf8();
}

Error PdfFailure(const PdfError& e, const char* what) {
  return Error{ErrorCode::kInternal, std::string(what) + ": PDF library error " +
                                         (PdfError::ErrorName(e.GetError()) ? PdfError::ErrorName(e.GetError()) : "?")};
}

PdfFont* LoadFont(PdfDocument& doc, const std::string& path, const char* name) {
  return doc.CreateFontSubset(name, false, false, false, new PdfIdentityEncoding(0, 0xffff, true), path.c_str());
}

std::string Finish(PdfMemDocument& doc, const std::string& title) {
  PdfInfo* info = doc.GetInfo();
  info->GetObject()->GetDictionary().RemoveKey(PdfName("CreationDate"));
  info->GetObject()->GetDictionary().RemoveKey(PdfName("ModDate"));
  info->SetCreator(U("billwise"));
  info->SetProducer(U("billwise (PoDoFo)"));
  if (!title.empty()) info->SetTitle(U(title));
  PdfRefCountedBuffer buf;
  PdfOutputDevice dev(&buf);
  doc.Write(&dev);
  return std::string(buf.GetBuffer(), dev.GetLength());
}

// ---- Measuring and wrapping ----

struct Fonts {
  PdfFont* regular = nullptr;
  PdfFont* bold = nullptr;
  PdfFont* Get(bool b) const { return b ? bold : regular; }
};

double Width(PdfFont* font, double size, const std::string& text) {
  font->SetFontSize(static_cast<float>(size));
  return font->GetFontMetrics()->StringWidth(U(text));
}

size_t Utf8Len(unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1; }

// Greedy word wrap; a word wider than the line is broken between characters.
std::vector<std::string> Wrap(PdfFont* font, double size, const std::string& text, double width) {
  std::vector<std::string> words;
  {
    std::string w;
    for (char c : text) {
      if (c == ' ') {
        if (!w.empty()) words.push_back(w);
        w.clear();
      } else {
        w += c;
      }
    }
    if (!w.empty()) words.push_back(w);
  }
  std::vector<std::string> lines;
  std::string cur;
  for (std::string word : words) {
    std::string trial = cur.empty() ? word : cur + " " + word;
    if (Width(font, size, trial) <= width) {
      cur = trial;
      continue;
    }
    if (!cur.empty()) lines.push_back(cur);
    cur.clear();
    while (Width(font, size, word) > width) {  // hard break
      std::string head;
      size_t i = 0;
      while (i < word.size()) {
        size_t n = Utf8Len(static_cast<unsigned char>(word[i]));
        if (!head.empty() && Width(font, size, head + word.substr(i, n)) > width) break;
        head += word.substr(i, n);
        i += n;
      }
      lines.push_back(head);
      word = word.substr(i);
      if (word.empty()) break;
    }
    cur = word;
  }
  if (!cur.empty() || lines.empty()) lines.push_back(cur);
  return lines;
}

// ---- Pass 1: layout into drawing operations ----

struct TextOp {
  double x, y, size;
  bool bold;
  std::string text;
};
struct LineOp {
  double x1, y1, x2, y2;
};
struct PageOps {
  std::vector<TextOp> texts;
  std::vector<LineOp> lines;
};

class Layout {
 public:
  Layout(const Fonts& fonts, double size) : fonts_(fonts), size_(size) { NewPage(); }

  std::vector<PageOps>& pages() { return pages_; }
  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  double LineHeight(double size) const { return size * 1.25; }

  void NewPage() {
    pages_.emplace_back();
    y_ = pages_.size() == 1 ? 0 : kPageH - kMargin;
  }
  void Ensure(double height) {
    if (y_ - height < kBottom) NewPage();
  }
  void Text(double x, double y, double size, bool bold, std::string s) {
    pages_.back().texts.push_back(TextOp{x, y, size, bold, std::move(s)});
  }
  void Rule(double x1, double y1, double x2, double y2) { pages_.back().lines.push_back(LineOp{x1, y1, x2, y2}); }

  // A wrapped paragraph at x with the given width; advances y.
  void Paragraph(const std::string& text, bool bold, double x, double width, double size,
                 const std::string& first_prefix = "") {
    double lh = LineHeight(size);
    double indent = first_prefix.empty() ? 0 : 14;
    std::vector<std::string> lines = Wrap(fonts_.Get(bold), size, text, width - indent);
    for (size_t i = 0; i < lines.size(); ++i) {
      Ensure(lh);
      y_ -= lh;
      if (i == 0 && !first_prefix.empty()) Text(x, y_, size, bold, first_prefix);
      Text(x + indent, y_, size, bold, lines[i]);
    }
  }

  void Table(const std::vector<std::vector<std::string>>& rows, double x, double width) {
    if (rows.empty()) return;
    double size = std::max(8.0, size_ - 1.5);
    size_t ncols = 0;
    for (const auto& r : rows) ncols = std::max(ncols, r.size());
    const double pad = 4;
    std::vector<double> natural(ncols, 0);
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        natural[c] = std::max(natural[c], Width(fonts_.Get(r == 0), size, rows[r][c]) + 2 * pad);
      }
    }
    // Columns narrower than an even share keep their width; the rest share what is left.
    std::vector<double> widths = natural;
    double total = 0;
    for (double w : natural) total += w;
    if (total > width) {
      std::vector<bool> fixed(ncols, false);
      double left = width;
      size_t open = ncols;
      bool changed = true;
      while (changed && open > 0) {
        changed = false;
        double share = left / static_cast<double>(open);
        for (size_t c = 0; c < ncols; ++c) {
          if (!fixed[c] && natural[c] <= share) {
            fixed[c] = true;
            left -= natural[c];
            --open;
            changed = true;
          }
        }
      }
      double open_natural = 0;
      for (size_t c = 0; c < ncols; ++c) if (!fixed[c]) open_natural += natural[c];
      for (size_t c = 0; c < ncols; ++c) {
        if (!fixed[c]) widths[c] = std::max(24.0, left * natural[c] / open_natural);
      }
    }
    std::vector<bool> right(ncols, true);  // money columns are right-aligned
    for (size_t r = 1; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        const std::string& s = rows[r][c];
        if (!(s.starts_with("$") || s.starts_with("-$"))) right[c] = false;
      }
    }
    if (rows.size() == 1) right.assign(ncols, false);
    double lh = LineHeight(size);
    auto row_lines = [&](size_t r) {
      std::vector<std::vector<std::string>> cells(ncols);
      size_t n = 1;
      for (size_t c = 0; c < ncols; ++c) {
        std::string s = c < rows[r].size() ? rows[r][c] : "";
        cells[c] = Wrap(fonts_.Get(r == 0), size, s, widths[c] - 2 * pad);
        n = std::max(n, cells[c].size());
      }
      return std::make_pair(cells, n);
    };
    auto draw_row = [&](size_t r) {
      auto [cells, n] = row_lines(r);
      double top = y_;
      double cx = x;
      for (size_t c = 0; c < ncols; ++c) {
        for (size_t i = 0; i < cells[c].size(); ++i) {
          double ty = top - lh * static_cast<double>(i + 1) + 1;
          double tx = cx + pad;
          if (right[c] && r > 0) tx = cx + widths[c] - pad - Width(fonts_.Get(false), size, cells[c][i]);
          Text(tx, ty, size, r == 0, cells[c][i]);
        }
        cx += widths[c];
      }
      y_ = top - lh * static_cast<double>(n) - 3;
      Rule(x, y_ + 1.5, cx, y_ + 1.5);
    };
    y_ -= 4;
    auto [hc, hn] = row_lines(0);
    (void)hc;
    Ensure(lh * static_cast<double>(hn + 1) + 8);
    Rule(x, y_, x + Sum(widths), y_);
    draw_row(0);
    for (size_t r = 1; r < rows.size(); ++r) {
      auto [cells, n] = row_lines(r);
      (void)cells;
      if (y_ - lh * static_cast<double>(n) - 3 < kBottom) {  // repeat the header on the next page
        NewPage();
        Rule(x, y_, x + Sum(widths), y_);
        draw_row(0);
      }
      draw_row(r);
    }
  }

 private:
  static double Sum(const std::vector<double>& v) {
    double s = 0;
    for (double d : v) s += d;
    return s;
  }
  Fonts fonts_;
  double size_;
  std::vector<PageOps> pages_;
  double y_ = 0;
};

// Places lines inside a window box (inches from top-left), shrinking the font to fit.
void PlaceWindow(Layout& layout, const Fonts& fonts, const InchBox& box, const std::vector<std::string>& lines,
                 double max_size) {
  if (lines.empty()) return;
  double inner_w = box.width * kPt - 2 * kWindowInsetX;
  double inner_h = box.height * kPt - 2 * kWindowInsetY;
  double size = max_size;
  for (; size > 6.0; size -= 0.25) {
    double widest = 0;
    for (const auto& l : lines) widest = std::max(widest, Width(fonts.regular, size, l));
    if (widest <= inner_w && static_cast<double>(lines.size()) * size * 1.15 <= inner_h) break;
  }
  double lh = size * 1.15;
  double max_lines = std::floor(inner_h / lh);
  double x = box.left * kPt + kWindowInsetX;
  double y = kPageH - box.top * kPt - kWindowInsetY - size * 0.9;
  for (size_t i = 0; i < lines.size() && static_cast<double>(i) < max_lines; ++i) {
    std::string s = lines[i];
    while (Width(fonts.regular, size, s) > inner_w && s.size() > 1) {  // last resort: clip the line
      s.pop_back();
      while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    }
    layout.Text(x, y, size, false, s);
    y -= lh;
  }
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

Expected<std::string> WriteLetterImpl(const LetterDocument& letter, const PdfLetterStyle& style) {
  PdfMemDocument doc;
  Fonts fonts;
  fonts.regular = LoadFont(doc, style.regular_font, "LetterRegular");
  fonts.bold = LoadFont(doc, style.bold_font, "LetterBold");
  if (fonts.regular == nullptr || fonts.bold == nullptr) {
    return Fail(ErrorCode::kMissingDependency, "cannot load the letter fonts");
  }
  const double size = style.body_size;
  const double width = kPageW - 2 * kMargin;
  Layout layout(fonts, size);

  // Page 1 head: windows, date, then the body below the address window.
  PlaceWindow(layout, fonts, kSenderWindow, letter.sender, 10);
  PlaceWindow(layout, fonts, kRecipientWindow, letter.recipient, 11);
  if (!letter.date.empty()) {
    double dy = kPageH - kRecipientWindow.top * kPt - kWindowInsetY - size * 0.9;
    layout.Text(kPageW - kMargin - Width(fonts.regular, size, letter.date), dy, size, false, letter.date);
  }
  layout.set_y(kPageH - (kRecipientWindow.top + kRecipientWindow.height) * kPt - 0.35 * kPt);
  if (!letter.re.empty()) {
    layout.Paragraph(letter.re, true, kMargin, width, size);
    layout.set_y(layout.y() - size * 0.6);
  }
  for (size_t bi = 0; bi < letter.body.size(); ++bi) {
    const LetterBlock& block = letter.body[bi];
    bool last_bullet = block.kind == LetterBlock::Kind::kBullet &&
                       (bi + 1 == letter.body.size() || letter.body[bi + 1].kind != LetterBlock::Kind::kBullet);
    switch (block.kind) {
      case LetterBlock::Kind::kParagraph:
        layout.Paragraph(block.text, block.bold, kMargin, width, size);
        layout.set_y(layout.y() - size * 0.6);
        break;
      case LetterBlock::Kind::kHeading:
        layout.Ensure(layout.LineHeight(size) * 3);
        layout.set_y(layout.y() - size * 0.3);
        layout.Paragraph(block.text, true, kMargin, width, size);
        layout.set_y(layout.y() - size * 0.3);
        break;
      case LetterBlock::Kind::kBullet:
        layout.Paragraph(block.text, block.bold, kMargin + 10, width - 10, size, "\xE2\x80\xA2");
        layout.set_y(layout.y() - size * (last_bullet ? 0.7 : 0.3));
        break;
      case LetterBlock::Kind::kTable:
        layout.Table(block.rows, kMargin, width);
        layout.set_y(layout.y() - size * 0.8);
        break;
    }
  }
  if (!letter.closing.empty() || !letter.signer.empty()) {
    double lh = layout.LineHeight(size);
    layout.Ensure(lh * (3.0 + static_cast<double>(letter.signer.size())) + 30);
    layout.Paragraph(letter.closing, false, kMargin, width, size);
    layout.set_y(layout.y() - 30);  // room to sign
    layout.Rule(kMargin, layout.y() - 2, kMargin + 2.5 * kPt, layout.y() - 2);
    for (const auto& s : letter.signer) layout.Paragraph(s, false, kMargin, width, size);
  }
  if (!letter.enclosures.empty()) {
    layout.set_y(layout.y() - size);
    layout.Paragraph(letter.enclosures_title, true, kMargin, width, size);
    for (const auto& e : letter.enclosures) layout.Paragraph(e, false, kMargin + 10, width - 10, size, "\xE2\x80\xA2");
  }

  // Pass 2: draw, now that the page count is known.
  PdfRect page_size = PdfPage::CreateStandardPageSize(ePdfPageSize_Letter);
  const auto& pages = layout.pages();
  for (size_t i = 0; i < pages.size(); ++i) {
    PdfPage* page = doc.CreatePage(page_size);
    PdfPainter p;
    p.SetPage(page);
    p.SetStrokeWidth(0.5);
    for (const auto& l : pages[i].lines) p.DrawLine(l.x1, l.y1, l.x2, l.y2);
    for (const auto& t : pages[i].texts) {
      PdfFont* f = fonts.Get(t.bold);
      f->SetFontSize(static_cast<float>(t.size));
      p.SetFont(f);
      p.DrawText(t.x, t.y, U(t.text));
    }
    if (!letter.footer.empty()) {
      std::string footer = ReplaceAll(ReplaceAll(letter.footer, "{page}", std::to_string(i + 1)), "{pages}",
                                      std::to_string(pages.size()));
      double fs = 9;
      fonts.regular->SetFontSize(static_cast<float>(fs));
      p.SetFont(fonts.regular);
      p.DrawText((kPageW - Width(fonts.regular, fs, footer)) / 2, 0.5 * kPt, U(footer));
    }
    p.FinishPage();
  }
  return Finish(doc, letter.title.empty() ? letter.re : letter.title);
}

}  // namespace

Expected<std::string> WriteLetterPdf(const LetterDocument& letter, const PdfLetterStyle& style) {
  QuietPodofo();
  for (const std::string* path : {&style.regular_font, &style.bold_font}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*path, ec)) {
      return Fail(ErrorCode::kMissingDependency, "font not found: " + *path + " (install fonts-liberation2)");
    }
  }
  try {
    return WriteLetterImpl(letter, style);
  } catch (const PdfError& e) {
    return std::unexpected(PdfFailure(e, "writing the letter PDF"));
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("writing the letter PDF: ") + e.what());
  }
}

}  // namespace billwise
