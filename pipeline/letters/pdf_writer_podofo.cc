// The PoDoFo adapter (pipeline/letters/pdf_backend.h): the only file in billwise that
// includes PoDoFo (0.9.8, old API). It implements PdfBackend; pdf_writer.cc calls it.
#include "pipeline/letters/pdf_backend.h"
#include "pipeline/letters/bidi_text.h"
#include "pipeline/letters/pdf_font_stack.h"
#include "pipeline/model/strings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

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

// Text for PoDoFo: always valid UTF-8 (see ValidUtf8).
PdfString U(const std::string& s) {
  std::string valid = ValidUtf8(s);
  return PdfString(reinterpret_cast<const pdf_utf8*>(valid.c_str()));
}


// PDF text strings as UTF-8. PoDoFo 0.9.8 leaves hex strings with a UTF-16BE byte-order
// mark (<feff...>) undecoded, so they are decoded here.
std::string StringUtf8(const PdfString& s) {
  if (!s.IsValid()) return "";
  if (s.IsUnicode()) return s.GetStringUtf8();
  const char* raw = s.GetString();
  size_t len = raw == nullptr ? 0 : static_cast<size_t>(s.GetLength());
  if (len >= 2 && static_cast<unsigned char>(raw[0]) == 0xFE && static_cast<unsigned char>(raw[1]) == 0xFF) {
    std::u32string out;
    for (size_t i = 2; i + 1 < len; i += 2) {
      unsigned cp = (static_cast<unsigned char>(raw[i]) << 8) | static_cast<unsigned char>(raw[i + 1]);
      if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < len) {
        unsigned lo = (static_cast<unsigned char>(raw[i + 2]) << 8) | static_cast<unsigned char>(raw[i + 3]);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
      out += static_cast<char32_t>(cp);
    }
    return EncodeUtf8(out);
  }
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

// Letters draw through font stacks (pdf_font_stack.h): every script, one face per character.
struct LetterFonts {
  FontStack* regular = nullptr;
  FontStack* bold = nullptr;
  FontStack* Get(bool b) const { return b ? bold : regular; }
};

double Width(PdfFont* font, double size, const std::string& text) {
  font->SetFontSize(static_cast<float>(size));
  return font->GetFontMetrics()->StringWidth(U(text));
}

double Width(FontStack* fonts, double size, const std::string& text) { return fonts->Width(size, text); }

size_t Utf8Len(unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1; }

// Greedy word wrap; a word wider than the line is broken between characters. Linear in
// the length of the text (WrapWords).
std::vector<std::string> Wrap(FontStack* fonts, double size, const std::string& text, double width) {
  return WrapWords(text, width, [&](std::string_view piece) { return fonts->Width(size, piece); });
}

std::vector<std::string> Wrap(PdfFont* font, double size, const std::string& text, double width) {
  return WrapWords(text, width, [&](std::string_view piece) { return Width(font, size, std::string(piece)); });
}

// ---- Pass 1: the letter's page layout, as drawing operations ----

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

class LetterPages {
 public:
  LetterPages(const LetterFonts& fonts, double size) : fonts_(fonts), size_(size) { NewPage(); }

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

  // A point on the pages to come back to: everything laid out after it can be undone, so
  // a block can move to the next page together with what must follow it.
  struct Mark {
    size_t pages, texts, lines;
    double y;
  };
  Mark Save() const { return Mark{pages_.size(), pages_.back().texts.size(), pages_.back().lines.size(), y_}; }
  void Restore(const Mark& m) {
    pages_.resize(m.pages);
    pages_.back().texts.resize(m.texts);
    pages_.back().lines.resize(m.lines);
    y_ = m.y;
  }

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
  LetterFonts fonts_;
  double size_;
  std::vector<PageOps> pages_;
  double y_ = 0;
};

// Places lines inside a window box (inches from top-left). The font shrinks until every line
// fits (down to 8 pt); a line still too long then wraps inside the window (continuation
// lines indented), shrinking down to 6 pt, so a long street or company name stays inside the
// envelope window instead of being cut off. Clipping is the last resort, past 6 pt.
void PlaceWindow(LetterPages& letter_pages, const LetterFonts& fonts, const InchBox& box, const std::vector<std::string>& lines,
                 double max_size) {
  if (lines.empty()) return;
  constexpr double kMinWhole = 8.0, kMinWrapped = 6.0, kLead = 1.15, kIndent = 6.0;
  const double inner_w = box.width * kPt - 2 * kWindowInsetX;
  const double inner_h = box.height * kPt - 2 * kWindowInsetY;
  struct Placed {
    std::string text;
    bool continuation;
  };
  auto lay = [&](double size, bool wrap) {
    std::vector<Placed> out;
    for (const auto& l : lines) {
      if (!wrap || Width(fonts.regular, size, l) <= inner_w) {
        out.push_back({l, false});
        continue;
      }
      std::vector<std::string> parts = Wrap(fonts.regular, size, l, inner_w - kIndent);
      for (size_t i = 0; i < parts.size(); ++i) out.push_back({parts[i], i > 0});
    }
    return out;
  };
  auto fits = [&](const std::vector<Placed>& placed, double size) {
    if (static_cast<double>(placed.size()) * size * kLead > inner_h) return false;
    for (const auto& p : placed) {
      if (Width(fonts.regular, size, p.text) + (p.continuation ? kIndent : 0) > inner_w) return false;
    }
    return true;
  };
  double size = max_size;
  std::vector<Placed> placed;
  bool done = false;
  for (double s = max_size; s >= kMinWhole && !done; s -= 0.25) {
    placed = lay(s, false);
    if (fits(placed, s)) size = s, done = true;
  }
  for (double s = max_size; s >= kMinWrapped && !done; s -= 0.25) {
    placed = lay(s, true);
    if (fits(placed, s)) size = s, done = true;
  }
  if (!done) {
    size = kMinWrapped;
    placed = lay(size, true);
  }
  double lh = size * kLead;
  double max_lines = std::floor(inner_h / lh);
  double x = box.left * kPt + kWindowInsetX;
  double y = kPageH - box.top * kPt - kWindowInsetY - size * 0.9;
  for (size_t i = 0; i < placed.size() && static_cast<double>(i) < max_lines; ++i) {
    double indent = placed[i].continuation ? kIndent : 0;
    // Last resort: clip the line (FitPrefix is linear in its length).
    std::string t = FitPrefix(placed[i].text, inner_w - indent, [&](std::string_view piece) {
      return fonts.regular->Width(size, piece);
    });
    letter_pages.Text(x + indent, y, size, false, t);
    y -= lh;
  }
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

Expected<std::string> WriteLetterImpl(const LetterDocument& original, const PdfLetterStyle& style) {
  PdfMemDocument doc;
  std::vector<std::string> regular_paths{style.regular_font}, bold_paths{style.bold_font};
  for (const auto& [regular, bold] : style.fallback_fonts) {
    regular_paths.push_back(regular);
    bold_paths.push_back(bold);
  }
  auto regular = FontStack::Load(doc, regular_paths, "LetterRegular");
  if (!regular) return std::unexpected(regular.error());
  auto bold = FontStack::Load(doc, bold_paths, "LetterBold");
  if (!bold) return std::unexpected(bold.error());
  LetterFonts fonts{regular->get(), bold->get()};
  LetterDocument letter = original;
  if (auto ok = PrepareLetterText(letter, *fonts.regular, *fonts.bold); !ok) return std::unexpected(ok.error());
  const double size = style.body_size;
  const double width = kPageW - 2 * kMargin;
  LetterPages letter_pages(fonts, size);

  // Page 1 head: windows, date, then the body below the address window.
  PlaceWindow(letter_pages, fonts, kSenderWindow, letter.sender, 10);
  PlaceWindow(letter_pages, fonts, kRecipientWindow, letter.recipient, 11);
  if (!letter.date.empty()) {
    double dy = kPageH - kRecipientWindow.top * kPt - kWindowInsetY - size * 0.9;
    letter_pages.Text(kPageW - kMargin - Width(fonts.regular, size, letter.date), dy, size, false, letter.date);
  }
  letter_pages.set_y(kPageH - (kRecipientWindow.top + kRecipientWindow.height) * kPt - 0.35 * kPt);
  if (!letter.re.empty()) {
    letter_pages.Paragraph(letter.re, true, kMargin, width, size);
    letter_pages.set_y(letter_pages.y() - size * 0.6);
  }
  for (const auto& id : letter.identity) letter_pages.Paragraph(id, false, kMargin, width, size);
  if (!letter.identity.empty()) letter_pages.set_y(letter_pages.y() - size * 0.6);
  std::vector<LetterPages::Mark> block_start(letter.body.size(), LetterPages::Mark{});
  auto lay_block = [&](size_t bi) {
    block_start[bi] = letter_pages.Save();
    const LetterBlock& block = letter.body[bi];
    bool last_bullet = block.kind == LetterBlock::Kind::kBullet &&
                       (bi + 1 == letter.body.size() || letter.body[bi + 1].kind != LetterBlock::Kind::kBullet);
    switch (block.kind) {
      case LetterBlock::Kind::kParagraph:
        letter_pages.Paragraph(block.text, block.bold, kMargin, width, size);
        letter_pages.set_y(letter_pages.y() - size * 0.6);
        break;
      case LetterBlock::Kind::kHeading:
        letter_pages.Ensure(letter_pages.LineHeight(size) * 3);
        letter_pages.set_y(letter_pages.y() - size * 0.3);
        letter_pages.Paragraph(block.text, true, kMargin, width, size);
        letter_pages.set_y(letter_pages.y() - size * 0.3);
        break;
      case LetterBlock::Kind::kBullet:
        letter_pages.Paragraph(block.text, block.bold, kMargin + 10, width - 10, size, "\xE2\x80\xA2");
        letter_pages.set_y(letter_pages.y() - size * (last_bullet ? 0.7 : 0.3));
        break;
      case LetterBlock::Kind::kTable:
        letter_pages.Table(block.rows, kMargin, width);
        letter_pages.set_y(letter_pages.y() - size * 0.8);
        break;
    }
  };
  for (size_t bi = 0; bi < letter.body.size(); ++bi) lay_block(bi);

  // The closing, the signature and the enclosures stay together, and never stand alone on a
  // page: when they do not fit, the last paragraph (with a heading just before it) moves to
  // the next page with them.
  const double lh = letter_pages.LineHeight(size);
  double tail = 0;
  if (!letter.closing.empty() || !letter.signer.empty()) {
    tail += lh * static_cast<double>(Wrap(fonts.regular, size, letter.closing, width).size()) + 30 + 4;
    for (const auto& sg : letter.signer) tail += lh * static_cast<double>(Wrap(fonts.regular, size, sg, width).size());
  }
  if (!letter.enclosures.empty()) {
    tail += size + lh * static_cast<double>(Wrap(fonts.bold, size, letter.enclosures_title, width).size());
    for (const auto& e : letter.enclosures) {
      tail += lh * static_cast<double>(Wrap(fonts.regular, size, e, width - 24).size());
    }
  }
  if (tail > 0 && letter_pages.y() - tail < kBottom) {
    size_t keep = letter.body.size();
    if (keep > 0) {
      --keep;
      if (keep > 0 && letter.body[keep - 1].kind == LetterBlock::Kind::kHeading) --keep;
    }
    // Movable: not the whole body, starting on this page or the one before, and not already
    // at the top of a page (moving it would only leave a blank page).
    const bool movable = keep > 0 && keep < letter.body.size() && block_start[keep].pages + 1 >= letter_pages.pages().size() &&
                         !(block_start[keep].pages > 1 && block_start[keep].y >= kPageH - kMargin);
    if (movable) {
      letter_pages.Restore(block_start[keep]);
      letter_pages.NewPage();
      for (size_t bi = keep; bi < letter.body.size(); ++bi) lay_block(bi);
    }
    if (letter_pages.y() - tail < kBottom) letter_pages.NewPage();
  }
  if (!letter.closing.empty() || !letter.signer.empty()) {
    letter_pages.Paragraph(letter.closing, false, kMargin, width, size);
    letter_pages.set_y(letter_pages.y() - 30);  // room to sign
    letter_pages.Rule(kMargin, letter_pages.y() - 2, kMargin + 2.5 * kPt, letter_pages.y() - 2);
    for (const auto& s : letter.signer) letter_pages.Paragraph(s, false, kMargin, width, size);
  }
  if (!letter.enclosures.empty()) {
    letter_pages.set_y(letter_pages.y() - size);
    letter_pages.Paragraph(letter.enclosures_title, true, kMargin, width, size);
    for (const auto& e : letter.enclosures) letter_pages.Paragraph(e, false, kMargin + 10, width - 10, size, "\xE2\x80\xA2");
  }

  // Pass 2: draw, now that the page count is known.
  PdfRect page_size = PdfPage::CreateStandardPageSize(ePdfPageSize_Letter);
  const auto& pages = letter_pages.pages();
  for (size_t i = 0; i < pages.size(); ++i) {
    PdfPage* page = doc.CreatePage(page_size);
    PdfPainter p;
    p.SetPage(page);
    p.SetStrokeWidth(0.5);
    for (const auto& l : pages[i].lines) p.DrawLine(l.x1, l.y1, l.x2, l.y2);
    for (const auto& t : pages[i].texts) fonts.Get(t.bold)->Draw(p, t.x, t.y, t.size, VisualOrder(t.text));
    if (i > 0 && !letter.running_head.empty()) {  // continuation pages say whose letter they are
      std::string head = ReplaceAll(ReplaceAll(letter.running_head, "{page}", std::to_string(i + 1)), "{pages}",
                                    std::to_string(pages.size()));
      fonts.regular->Draw(p, kMargin, kPageH - 0.6 * kPt, 9, VisualOrder(head));
      p.DrawLine(kMargin, kPageH - 0.6 * kPt - 4, kPageW - kMargin, kPageH - 0.6 * kPt - 4);
    }
    if (!letter.footer.empty()) {
      std::string footer = ReplaceAll(ReplaceAll(letter.footer, "{page}", std::to_string(i + 1)), "{pages}",
                                      std::to_string(pages.size()));
      double fs = 9;
      fonts.regular->Draw(p, (kPageW - Width(fonts.regular, fs, footer)) / 2, 0.5 * kPt, fs, VisualOrder(footer));
    }
    p.FinishPage();
  }
  return Finish(doc, letter.title.empty() ? letter.re : letter.title);
}


// ---- Forms ----

double Num(const PdfObject* o) {
  if (o == nullptr) return 0;
  if (o->IsReal()) return o->GetReal();
  if (o->IsNumber()) return static_cast<double>(o->GetNumber());
  return 0;
}

class FormDoc {
 public:
  explicit FormDoc(PdfMemDocument& doc) : doc_(doc) {}

  PdfObject* Resolve(PdfObject* o) const {
    for (int guard = 0; o != nullptr && o->IsReference() && guard < 32; ++guard) {
      o = doc_.GetObjects().GetObject(o->GetReference());
    }
    return o;
  }
  PdfObject* Key(PdfObject* dict, const char* key) const {
    if (dict == nullptr || !dict->IsDictionary()) return nullptr;
    return Resolve(dict->GetDictionary().GetKey(PdfName(key)));
  }

  struct Field {
    PdfObject* dict = nullptr;
    FormFieldInfo info;
    std::vector<PdfObject*> widgets;
    std::string da;
    int quadding = 0;
  };

  // Walks /AcroForm /Fields through /Kids, building full names and inheriting /FT, /Ff,
  // /MaxLen, /DA and /Q.
  std::vector<Field> Fields() {
    std::vector<Field> out;
    PdfObject* acro = Key(doc_.GetCatalog(), "AcroForm");
    PdfObject* fields = Key(acro, "Fields");
    if (fields == nullptr || !fields->IsArray()) return out;
    Field root;
    PdfObject* da = Key(acro, "DA");
    if (da != nullptr && (da->IsString() || da->IsHexString())) root.da = StringUtf8(da->GetString());
    std::set<const PdfObject*> seen;
    for (auto& kid : fields->GetArray()) Walk(Resolve(&kid), root, "", out, seen, 0);
    return out;
  }

  // On-states of a checkbox or radio widget: the keys of /AP /N other than /Off.
  std::vector<std::string> OnStates(PdfObject* widget) const {
    std::vector<std::string> states;
    PdfObject* n = Key(Key(widget, "AP"), "N");
    if (n == nullptr || !n->IsDictionary() || n->HasStream()) return states;
    for (const auto& [name, value] : n->GetDictionary().GetKeys()) {
      (void)value;
      if (name.GetName() != "Off") states.push_back(name.GetName());
    }
    return states;
  }

 private:
  void Walk(PdfObject* obj, Field inherited, const std::string& parent, std::vector<Field>& out,
            std::set<const PdfObject*>& seen, int depth) {
    if (obj == nullptr || !obj->IsDictionary() || depth > 32 || !seen.insert(obj).second) return;
    Field f = inherited;
    f.dict = obj;
    f.widgets.clear();
    PdfObject* t = Key(obj, "T");
    std::string partial = t != nullptr && (t->IsString() || t->IsHexString()) ? StringUtf8(t->GetString()) : "";
    f.info.name = parent.empty() ? partial : partial.empty() ? parent : parent + "." + partial;
    if (PdfObject* ft = Key(obj, "FT"); ft != nullptr && ft->IsName()) {
      const std::string& n = ft->GetName().GetName();
      f.info.type = n == "Tx" ? FormFieldType::kText : n == "Btn" ? FormFieldType::kCheckBox
                  : n == "Ch" ? FormFieldType::kChoice : n == "Sig" ? FormFieldType::kSignature
                              : FormFieldType::kUnknown;
    }
    if (PdfObject* ff = Key(obj, "Ff"); ff != nullptr && ff->IsNumber()) f.info.flags = static_cast<int>(ff->GetNumber());
    if (PdfObject* ml = Key(obj, "MaxLen"); ml != nullptr && ml->IsNumber()) f.info.max_len = static_cast<int>(ml->GetNumber());
    if (PdfObject* da = Key(obj, "DA"); da != nullptr && (da->IsString() || da->IsHexString())) f.da = StringUtf8(da->GetString());
    if (PdfObject* q = Key(obj, "Q"); q != nullptr && q->IsNumber()) f.quadding = static_cast<int>(q->GetNumber());
    std::vector<PdfObject*> field_kids;
    if (PdfObject* kids = Key(obj, "Kids"); kids != nullptr && kids->IsArray()) {
      for (auto& k : kids->GetArray()) {
        PdfObject* kid = Resolve(&k);
        if (kid == nullptr || !kid->IsDictionary()) continue;
        if (Key(kid, "T") != nullptr || Key(kid, "Kids") != nullptr) {
          field_kids.push_back(kid);
        } else {
          f.widgets.push_back(kid);
        }
      }
    } else if (Key(obj, "Rect") != nullptr) {
      f.widgets.push_back(obj);  // a field merged with its only widget
    }
    for (PdfObject* kid : field_kids) Walk(kid, f, f.info.name, out, seen, depth + 1);
    if (!f.widgets.empty() || field_kids.empty()) {
      int ff = f.info.flags;
      if (f.info.type == FormFieldType::kCheckBox) {
        if (ff & (1 << 16)) f.info.type = FormFieldType::kButton;
        else if (ff & (1 << 15)) f.info.type = FormFieldType::kRadio;
      }
      f.info.multiline = f.info.type == FormFieldType::kText && (ff & (1 << 12));
      f.info.comb = f.info.type == FormFieldType::kText && (ff & (1 << 24)) && f.info.max_len > 0;
      f.info.widgets = static_cast<int>(f.widgets.size());
      f.info.on_states.clear();
      for (PdfObject* w : f.widgets) {
        for (auto& st : OnStates(w)) {
          if (std::find(f.info.on_states.begin(), f.info.on_states.end(), st) == f.info.on_states.end()) {
            f.info.on_states.push_back(st);
          }
        }
      }
      if (PdfObject* opt = Key(obj, "Opt"); opt != nullptr && opt->IsArray()) {
        for (auto& o : opt->GetArray()) {
          PdfObject* item = Resolve(&o);
          if (item != nullptr && item->IsArray() && !item->GetArray().empty()) item = Resolve(&item->GetArray()[0]);
          if (item != nullptr && (item->IsString() || item->IsHexString())) f.info.options.push_back(StringUtf8(item->GetString()));
        }
      }
      if (PdfObject* v = Key(obj, "V"); v != nullptr) {
        if ((v->IsString() || v->IsHexString())) f.info.value = StringUtf8(v->GetString());
        else if (v->IsName()) f.info.value = v->GetName().GetName();
      }
      out.push_back(f);
    }
  }

  PdfMemDocument& doc_;
};

bool Truthy(const std::string& v) {
  std::string l = Lower(v);
  return l == "on" || l == "yes" || l == "true" || l == "x" || l == "1" || l == "checked" || l == "y";
}

std::vector<std::string> SplitChars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Len(static_cast<unsigned char>(s[i]));
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

double DaFontSize(const std::string& da) {
  size_t tf = da.find(" Tf");
  if (tf == std::string::npos) return 0;
  size_t start = da.find_last_of(' ', tf - 1);
  std::string num = da.substr(start == std::string::npos ? 0 : start + 1, tf - (start == std::string::npos ? 0 : start + 1));
  char* end = nullptr;
  double v = std::strtod(num.c_str(), &end);
  return end == num.c_str() ? 0 : v;
}

PdfRect WidgetRect(FormDoc& fd, PdfObject* widget) {
  PdfObject* r = fd.Key(widget, "Rect");
  if (r == nullptr || !r->IsArray() || r->GetArray().size() < 4) return PdfRect(0, 0, 0, 0);
  const PdfArray& a = r->GetArray();
  double x0 = Num(fd.Resolve(const_cast<PdfObject*>(&a[0]))), y0 = Num(fd.Resolve(const_cast<PdfObject*>(&a[1])));
  double x1 = Num(fd.Resolve(const_cast<PdfObject*>(&a[2]))), y1 = Num(fd.Resolve(const_cast<PdfObject*>(&a[3])));
  return PdfRect(std::min(x0, x1), std::min(y0, y1), std::fabs(x1 - x0), std::fabs(y1 - y0));
}

// Draws a text value into a new appearance XObject for the widget.
void TextAppearance(PdfMemDocument& doc, FormDoc& fd, const FormDoc::Field& f, PdfObject* widget,
                    const std::string& value, PdfFont* font, double forced_size) {
  PdfRect r = WidgetRect(fd, widget);
  double w = r.GetWidth(), h = r.GetHeight();
  PdfXObject xo(PdfRect(0, 0, w, h), &doc);
  {
    PdfPainter p;
    p.SetPage(&xo);
    double size = forced_size > 0 ? forced_size : DaFontSize(f.da);
    if (size <= 0) size = f.info.multiline ? 10 : std::min(10.0, std::max(4.0, (h - 2) * 0.72));
    if (!value.empty()) {
      p.SetColor(0, 0, 0);
      if (f.info.comb) {
        double cell = w / f.info.max_len;
        size = std::min(size, cell * 1.2);
        auto chars = SplitChars(value);
        for (size_t i = 0; i < chars.size() && static_cast<int>(i) < f.info.max_len; ++i) {
          double cw = Width(font, size, chars[i]);
          font->SetFontSize(static_cast<float>(size));
          p.SetFont(font);
          p.DrawText(cell * static_cast<double>(i) + (cell - cw) / 2, (h - size * 0.7) / 2, U(chars[i]));
        }
      } else if (f.info.multiline) {
        std::vector<std::string> lines;
        std::string para;
        std::istringstream in(value);
        while (std::getline(in, para)) {
          for (auto& l : Wrap(font, size, para, w - 4)) lines.push_back(l);
        }
        font->SetFontSize(static_cast<float>(size));
        p.SetFont(font);
        double y = h - 2 - size;
        for (const auto& l : lines) {
          if (y < 0) break;
          p.DrawText(2, y, U(l));
          y -= size * 1.15;
        }
      } else {
        while (size > 4 && Width(font, size, value) > w - 4) size -= 0.5;
        double tw = Width(font, size, value);
        double x = f.quadding == 1 ? (w - tw) / 2 : f.quadding == 2 ? w - 2 - tw : 2;
        font->SetFontSize(static_cast<float>(size));
        p.SetFont(font);
        p.DrawText(x, (h - size * 0.7) / 2, U(value));
      }
    }
    p.FinishPage();
  }
  PdfDictionary ap;
  ap.AddKey(PdfName("N"), xo.GetObject()->Reference());
  widget->GetDictionary().AddKey(PdfName("AP"), ap);
}

// A check mark appearance for a widget whose on-state has no appearance of its own.
PdfObject* CheckAppearance(PdfMemDocument& doc, double w, double h, PdfFont* font, bool on) {
  PdfXObject xo(PdfRect(0, 0, w, h), &doc);
  PdfPainter p;
  p.SetPage(&xo);
  if (on) {
    double size = std::min(w, h) * 0.85;
    font->SetFontSize(static_cast<float>(size));
    p.SetFont(font);
    std::string mark = "\xE2\x9C\x93";  // U+2713 CHECK MARK
    p.DrawText((w - Width(font, size, mark)) / 2, (h - size * 0.7) / 2, U(mark));
  }
  p.FinishPage();
  return xo.GetObject();
}

void SetButton(PdfMemDocument& doc, FormDoc& fd, FormDoc::Field& f, const std::string& value, PdfFont* font) {
  // Which on-state to select: a named state, "on" (the first state), or none.
  std::string want;
  for (const auto& st : f.info.on_states) {
    if (Lower(st) == Lower(value)) want = st;
  }
  // Radio groups with /Opt name their states by index: accept the option's label too.
  for (size_t i = 0; want.empty() && i < f.info.options.size(); ++i) {
    std::string idx = std::to_string(i);
    if (Lower(f.info.options[i]) == Lower(value) &&
        std::find(f.info.on_states.begin(), f.info.on_states.end(), idx) != f.info.on_states.end()) {
      want = idx;
    }
  }
  if (want.empty() && Truthy(value)) want = f.info.on_states.empty() ? "Yes" : f.info.on_states.front();
  for (PdfObject* w : f.widgets) {
    std::vector<std::string> states = fd.OnStates(w);
    if (states.empty()) {  // no appearance for the on-state: write one (✓) and /Yes
      PdfRect r = WidgetRect(fd, w);
      PdfDictionary n;
      n.AddKey(PdfName("Yes"), CheckAppearance(doc, r.GetWidth(), r.GetHeight(), font, true)->Reference());
      n.AddKey(PdfName("Off"), CheckAppearance(doc, r.GetWidth(), r.GetHeight(), font, false)->Reference());
      PdfDictionary ap;
      ap.AddKey(PdfName("N"), n);
      w->GetDictionary().AddKey(PdfName("AP"), ap);
      states = {"Yes"};
    }
    bool on = !want.empty() && std::find(states.begin(), states.end(), want) != states.end();
    w->GetDictionary().AddKey(PdfName("AS"), PdfName(on ? want : "Off"));
  }
  f.dict->GetDictionary().AddKey(PdfName("V"), PdfName(want.empty() ? "Off" : want));
}

// Draws each widget's normal appearance into its page and removes the form.
void Flatten(PdfMemDocument& doc, FormDoc& fd) {
  for (int i = 0; i < doc.GetPageCount(); ++i) {
    PdfPage* page = doc.GetPage(i);
    PdfObject* annots = fd.Key(page->GetObject(), "Annots");
    if (annots == nullptr || !annots->IsArray()) continue;
    std::vector<PdfReference> widgets;
    std::vector<std::pair<PdfRect, PdfObject*>> draws;
    for (auto& a : annots->GetArray()) {
      PdfObject* annot = fd.Resolve(&a);
      PdfObject* subtype = fd.Key(annot, "Subtype");
      if (subtype == nullptr || !subtype->IsName() || subtype->GetName().GetName() != "Widget") continue;
      if (a.IsReference()) widgets.push_back(a.GetReference());
      PdfObject* flags = fd.Key(annot, "F");
      if (flags != nullptr && flags->IsNumber() && (flags->GetNumber() & 2)) continue;  // hidden
      PdfObject* n = fd.Key(fd.Key(annot, "AP"), "N");
      if (n != nullptr && !n->HasStream() && n->IsDictionary()) {
        PdfObject* as = fd.Key(annot, "AS");
        n = as != nullptr && as->IsName() ? fd.Key(n, as->GetName().GetName().c_str()) : nullptr;
      }
      if (n == nullptr || !n->HasStream()) continue;
      draws.emplace_back(WidgetRect(fd, annot), n);
    }
    if (!draws.empty()) {
      PdfPainter p;
      p.SetPage(page);
      for (auto& [rect, stream] : draws) {
        if (!stream->GetDictionary().HasKey(PdfName("Type"))) {
          stream->GetDictionary().AddKey(PdfName("Type"), PdfName("XObject"));
        }
        if (!stream->GetDictionary().HasKey(PdfName("Subtype"))) {
          stream->GetDictionary().AddKey(PdfName("Subtype"), PdfName("Form"));
        }
        PdfObject* bbox = fd.Key(stream, "BBox");
        double bx = 0, by = 0, bw = rect.GetWidth(), bh = rect.GetHeight();
        if (bbox != nullptr && bbox->IsArray() && bbox->GetArray().size() == 4) {
          const PdfArray& b = bbox->GetArray();
          double x0 = Num(&b[0]), y0 = Num(&b[1]), x1 = Num(&b[2]), y1 = Num(&b[3]);
          bx = std::min(x0, x1);
          by = std::min(y0, y1);
          bw = std::fabs(x1 - x0);
          bh = std::fabs(y1 - y0);
        }
        if (bw <= 0 || bh <= 0) continue;
        double sx = rect.GetWidth() / bw, sy = rect.GetHeight() / bh;
        PdfXObject xo(stream);
        p.DrawXObject(rect.GetLeft() - bx * sx, rect.GetBottom() - by * sy, &xo, sx, sy);
      }
      p.FinishPage();
    }
    for (const auto& ref : widgets) page->DeleteAnnotation(ref);
  }
  doc.GetCatalog()->GetDictionary().RemoveKey(PdfName("AcroForm"));
}

Expected<std::string> FillImpl(std::string_view bytes, const std::map<std::string, std::string>& values,
                               const FormFillOptions& options) {
  PdfMemDocument doc;
  doc.LoadFromBuffer(bytes.data(), static_cast<long>(bytes.size()));
  if (doc.GetEncrypt() != nullptr) return Fail(ErrorCode::kEncrypted, "the form PDF is encrypted");
  FormDoc fd(doc);
  std::vector<FormDoc::Field> fields = fd.Fields();
  if (fields.empty()) return Fail(ErrorCode::kInvalidInput, "the PDF has no fillable form fields");
  std::vector<std::string> unknown;
  for (const auto& [name, value] : values) {
    (void)value;
    bool found = false;
    for (const auto& f : fields) found = found || f.info.name == name;
    if (!found) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::string msg = "the form has no field named: ";
    for (size_t i = 0; i < unknown.size(); ++i) msg += (i ? ", " : "") + unknown[i];
    return Fail(ErrorCode::kUsage, msg);
  }
  PdfFont* font = LoadFont(doc, options.font, "FormFont");
  if (font == nullptr) return Fail(ErrorCode::kMissingDependency, "cannot load the form font");
  for (auto& f : fields) {
    auto it = values.find(f.info.name);
    if (it == values.end()) continue;
    const std::string& value = it->second;
    switch (f.info.type) {
      case FormFieldType::kText:
      case FormFieldType::kChoice: {
        std::string v = value;
        if (f.info.comb && static_cast<int>(SplitChars(v).size()) > f.info.max_len) {
          return Fail(ErrorCode::kUsage, "value for comb field " + f.info.name + " is longer than its " +
                                             std::to_string(f.info.max_len) + " cells");
        }
        if (f.info.type == FormFieldType::kText && f.info.max_len > 0 &&
            static_cast<int>(SplitChars(v).size()) > f.info.max_len) {
          auto chars = SplitChars(v);
          v.clear();
          for (int i = 0; i < f.info.max_len; ++i) v += chars[static_cast<size_t>(i)];
        }
        f.dict->GetDictionary().AddKey(PdfName("V"), U(v));
        f.dict->GetDictionary().RemoveKey(PdfName("I"));
        for (PdfObject* w : f.widgets) TextAppearance(doc, fd, f, w, v, font, options.font_size);
        break;
      }
      case FormFieldType::kCheckBox:
      case FormFieldType::kRadio:
        SetButton(doc, fd, f, value, font);
        break;
      default:
        return Fail(ErrorCode::kUsage, "field " + f.info.name + " cannot take a value (push button or signature)");
    }
  }
  PdfObject* acro = fd.Key(doc.GetCatalog(), "AcroForm");
  if (acro != nullptr && acro->IsDictionary()) {
    acro->GetDictionary().RemoveKey(PdfName("NeedAppearances"));  // we wrote every appearance
    acro->GetDictionary().RemoveKey(PdfName("XFA"));              // else XFA viewers ignore the values
  }
  if (options.flatten) Flatten(doc, fd);
  PdfRefCountedBuffer buf;
  PdfOutputDevice dev(&buf);
  doc.Write(&dev);
  return std::string(buf.GetBuffer(), dev.GetLength());
}

Expected<std::string> WriteFormImpl(const FormSpec& spec, const PdfLetterStyle& style) {
  PdfMemDocument doc;
  Fonts fonts;
  fonts.regular = LoadFont(doc, style.regular_font, "FormLabel");
  fonts.bold = LoadFont(doc, style.bold_font, "FormLabelBold");
  PdfFont* check_font = LoadFont(doc, FormFillOptions{}.font, "FormCheck");
  if (fonts.regular == nullptr || fonts.bold == nullptr || check_font == nullptr) {
    return Fail(ErrorCode::kMissingDependency, "cannot load the form fonts");
  }
  PdfRect page_size = PdfPage::CreateStandardPageSize(ePdfPageSize_Letter);
  std::vector<PdfPage*> pages;
  for (int i = 0; i < std::max(1, spec.pages); ++i) pages.push_back(doc.CreatePage(page_size));
  // Page content: title, intro, headings, labels and field boxes (so a printed blank form works).
  for (size_t pi = 0; pi < pages.size(); ++pi) {
    PdfPainter p;
    p.SetPage(pages[pi]);
    double y = kPageH - 0.75 * kPt;
    if (pi == 0) {
      fonts.bold->SetFontSize(15);
      p.SetFont(fonts.bold);
      p.DrawText(0.75 * kPt, y - 15, U(spec.title));
      y -= 30;
      for (const auto& para : spec.intro) {
        for (const auto& l : Wrap(fonts.regular, 9.5, para, kPageW - 1.5 * kPt)) {
          fonts.regular->SetFontSize(9.5f);
          p.SetFont(fonts.regular);
          p.DrawText(0.75 * kPt, y - 10, U(l));
          y -= 12;
        }
        y -= 4;
      }
    }
    for (const auto& [page, h] : spec.headings) {
      if (page != static_cast<int>(pi)) continue;
      fonts.bold->SetFontSize(11);
      p.SetFont(fonts.bold);
      p.DrawText(0.75 * kPt, h.first, U(h.second));
      p.SetStrokeWidth(0.6);
      p.DrawLine(0.75 * kPt, h.first - 3, kPageW - 0.75 * kPt, h.first - 3);
    }
    p.SetStrokeWidth(0.5);
    p.SetStrokingColor(0.55, 0.55, 0.55);
    for (const auto& f : spec.fields) {
      if (f.page != static_cast<int>(pi)) continue;
      fonts.regular->SetFontSize(8);
      p.SetFont(fonts.regular);
      if (f.type == FormFieldType::kCheckBox) {
        p.DrawText(f.x + f.width + 4, f.y + (f.height - 6) / 2, U(f.label));
      } else {
        p.DrawText(f.x, f.y + f.height + 2.5, U(f.label));
      }
      p.Rectangle(f.x, f.y, f.width, f.height);
      p.Stroke();
      if (f.comb_len > 1) {
        double cell = f.width / f.comb_len;
        for (int c = 1; c < f.comb_len; ++c) p.DrawLine(f.x + cell * c, f.y, f.x + cell * c, f.y + f.height * 0.35);
      }
    }
    p.FinishPage();
  }
  for (const auto& f : spec.fields) {
    PdfPage* page = pages.at(static_cast<size_t>(std::clamp(f.page, 0, static_cast<int>(pages.size()) - 1)));
    PdfRect rect(f.x, f.y, f.width, f.height);
    if (f.type == FormFieldType::kCheckBox) {
      PdfCheckBox box(page, rect, &doc);
      box.SetFieldName(U(f.name));
      PdfXObject on(PdfRect(0, 0, f.width, f.height), &doc);
      PdfXObject off(PdfRect(0, 0, f.width, f.height), &doc);
      {
        PdfPainter p;
        p.SetPage(&on);
        double size = std::min(f.width, f.height) * 0.85;
        check_font->SetFontSize(static_cast<float>(size));
        p.SetFont(check_font);
        std::string mark = "\xE2\x9C\x93";
        p.DrawText((f.width - Width(check_font, size, mark)) / 2, (f.height - size * 0.7) / 2, U(mark));
        p.FinishPage();
        PdfPainter q;
        q.SetPage(&off);
        q.FinishPage();
      }
      box.SetAppearanceChecked(on);
      box.SetAppearanceUnchecked(off);
      box.GetFieldObject()->GetDictionary().AddKey(PdfName("V"), PdfName("Off"));
      box.GetWidgetAnnotation()->GetObject()->GetDictionary().AddKey(PdfName("AS"), PdfName("Off"));
      box.GetWidgetAnnotation()->GetObject()->GetDictionary().RemoveKey(PdfName("M"));  // no clock in output
    } else {
      PdfTextField text(page, rect, &doc);
      text.SetFieldName(U(f.name));
      if (f.multiline) text.SetMultiLine(true);
      if (f.comb_len > 0) {
        text.SetMaxLen(f.comb_len);
        text.SetCombs(true);
      }
      PdfXObject empty(PdfRect(0, 0, f.width, f.height), &doc);
      {
        PdfPainter p;
        p.SetPage(&empty);
        p.FinishPage();
      }
      text.GetWidgetAnnotation()->SetAppearanceStream(&empty);
      text.GetWidgetAnnotation()->GetObject()->GetDictionary().RemoveKey(PdfName("M"));  // no clock in output
    }
  }
  PdfAcroForm* acro = doc.GetAcroForm(ePdfDontCreateObject);
  if (acro != nullptr) acro->GetObject()->GetDictionary().RemoveKey(PdfName("NeedAppearances"));
  return Finish(doc, spec.title);
}


class PodofoBackend final : public PdfBackend {
 public:
  Expected<std::string> WriteLetter(const LetterDocument& letter, const PdfLetterStyle& style) const override {
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

  Expected<std::vector<FormFieldInfo>> ListFormFields(std::string_view pdf_bytes) const override {
    QuietPodofo();
    try {
      PdfMemDocument doc;
      doc.LoadFromBuffer(pdf_bytes.data(), static_cast<long>(pdf_bytes.size()));
      FormDoc fd(doc);
      std::vector<FormFieldInfo> out;
      for (auto& f : fd.Fields()) out.push_back(f.info);
      return out;
    } catch (const PdfError& e) {
      if (e.GetError() == ePdfError_InvalidPassword) return Fail(ErrorCode::kEncrypted, "the form PDF is encrypted");
      return std::unexpected(PdfFailure(e, "reading the form PDF"));
    } catch (const std::exception& e) {
      return Fail(ErrorCode::kInternal, std::string("reading the form PDF: ") + e.what());
    }
  }

  Expected<std::string> FillForm(std::string_view pdf_bytes, const std::map<std::string, std::string>& values,
                                 const FormFillOptions& options) const override {
    QuietPodofo();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.font, ec)) {
      return Fail(ErrorCode::kMissingDependency, "font not found: " + options.font + " (install fonts-dejavu-core)");
    }
    try {
      return FillImpl(pdf_bytes, values, options);
    } catch (const PdfError& e) {
      if (e.GetError() == ePdfError_InvalidPassword) return Fail(ErrorCode::kEncrypted, "the form PDF is encrypted");
      return std::unexpected(PdfFailure(e, "filling the form PDF"));
    } catch (const std::exception& e) {
      return Fail(ErrorCode::kInternal, std::string("filling the form PDF: ") + e.what());
    }
  }

  Expected<std::string> WriteForm(const FormSpec& spec, const PdfLetterStyle& style) const override {
    QuietPodofo();
    try {
      return WriteFormImpl(spec, style);
    } catch (const PdfError& e) {
      return std::unexpected(PdfFailure(e, "writing the form PDF"));
    } catch (const std::exception& e) {
      return Fail(ErrorCode::kInternal, std::string("writing the form PDF: ") + e.what());
    }
  }
};

}  // namespace

const PdfBackend& PodofoPdfBackend() {
  static const PodofoBackend backend;
  return backend;
}

}  // namespace billwise
