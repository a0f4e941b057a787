#include "extract/source/pdf_document.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "extract/source/text_lines.h"
#include "extract/source/utf16.h"

namespace billwise {
namespace {

constexpr int kMinDpi = 18;
constexpr int kMaxDpi = 1200;
constexpr int kMinUsableChars = 12;

void QuietPoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  });
}

// True when `bytes` hold the PDF name /Image as a whole token (not /ImageB, /ImageC or /ImageI,
// the procedure-set names printed by files with no image).
bool NamesImage(std::string_view bytes) {
  constexpr std::string_view kName = "/Image";
  for (size_t at = bytes.find(kName); at != std::string_view::npos;
       at = bytes.find(kName, at + 1)) {
    const size_t end = at + kName.size();
    if (end == bytes.size()) return true;
    const unsigned char next = static_cast<unsigned char>(bytes[end]);
    if (!std::isalnum(next) && next != '_' && next != '-' && next != '.' && next != '#') return true;
  }
  return false;
}

std::unexpected<Error> Unreadable() {
  return Fail(ErrorCode::kInvalidInput, "not a readable PDF (damaged or truncated)");
}

int RotationDegrees(poppler::page::orientation_enum o) {
  switch (o) {
    case poppler::page::landscape: return 90;
    case poppler::page::upside_down: return 180;
    case poppler::page::seascape: return 270;
    case poppler::page::portrait: return 0;
  }
  return 0;
}

// Page width and height in points as displayed (after /Rotate).
std::pair<double, double> DisplaySize(const poppler::page& page) {
  const poppler::rectf r = page.page_rect(poppler::crop_box);
  double w = std::abs(r.width()), h = std::abs(r.height());
  if (!std::isfinite(w) || !std::isfinite(h)) w = h = 0;
  const int rot = RotationDegrees(page.orientation());
  if (rot == 90 || rot == 270) std::swap(w, h);
  return {w, h};
}

}  // namespace

struct PdfDocument::Impl {
  std::string bytes;  // poppler reads from this buffer for the document's whole life
  std::unique_ptr<poppler::document> doc;
  int pages = 0;
  bool may_hold_images = true;
};

PdfDocument::PdfDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfDocument::PdfDocument(PdfDocument&&) noexcept = default;
PdfDocument& PdfDocument::operator=(PdfDocument&&) noexcept = default;
PdfDocument::~PdfDocument() = default;

Expected<PdfDocument> PdfDocument::Open(std::string_view bytes) {
  QuietPoppler();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return Fail(ErrorCode::kLimitExceeded, "PDF is larger than 2 GiB");
  }
  if (bytes.empty()) return Unreadable();
  try {
    auto impl = std::make_unique<Impl>();
    impl->bytes.assign(bytes.data(), bytes.size());
    impl->doc.reset(poppler::document::load_from_raw_data(
        impl->bytes.data(), static_cast<int>(impl->bytes.size())));
    if (!impl->doc) {
      // poppler returns null both for damage and for a missing password; a document that
      // opens with an empty password but is locked also counts as encrypted.
      if (std::string_view(bytes).find("/Encrypt") != std::string_view::npos) {
        return Fail(ErrorCode::kEncrypted, "PDF is encrypted (needs a password)");
      }
      return Unreadable();
    }
    if (impl->doc->is_locked()) {
      return Fail(ErrorCode::kEncrypted, "PDF is encrypted (needs a password)");
    }
    impl->pages = impl->doc->pages();
    impl->may_hold_images = NamesImage(impl->bytes);
    if (impl->pages <= 0) return Fail(ErrorCode::kInvalidInput, "PDF has no pages");
    return PdfDocument(std::move(impl));
  } catch (const std::exception&) {
    return Unreadable();
  }
}

int PdfDocument::PageCount() const { return impl_ ? impl_->pages : 0; }

bool PdfDocument::MayHoldImages() const { return impl_ && impl_->may_hold_images; }

Expected<Page> PdfDocument::TextLayer(int index) const {
  if (!impl_ || index < 0 || index >= impl_->pages) {
    return Fail(ErrorCode::kUsage, "page index out of range");
  }
  try {
    std::unique_ptr<poppler::page> pg(impl_->doc->create_page(index));
    if (!pg) return Fail(ErrorCode::kInvalidInput, "PDF page could not be read");
    Page page;
    page.number = index + 1;
    page.origin = TextOrigin::kTextLayer;
    page.rotation = RotationDegrees(pg->orientation());
    auto [w, h] = DisplaySize(*pg);
    if (w > 0 && h > 0) {
      page.width = w;
      page.height = h;
    }
    std::vector<poppler::text_box> boxes = pg->text_list(0);
    page.words.reserve(boxes.size());
    for (const poppler::text_box& b : boxes) {
      const poppler::ustring utf16 = b.text();
      std::string text = Utf16ToUtf8(reinterpret_cast<const uint16_t*>(utf16.data()), utf16.size());
      // Trim whitespace and NULs poppler sometimes leaves in a box.
      while (!text.empty() &&
             (text.back() == '\0' || std::isspace(static_cast<unsigned char>(text.back())))) {
        text.pop_back();
      }
      size_t lead = 0;
      while (lead < text.size() && std::isspace(static_cast<unsigned char>(text[lead]))) ++lead;
      text.erase(0, lead);
      if (text.empty()) continue;
      const poppler::rectf r = b.bbox();
      Word word;
      word.text = std::move(text);
      word.box = Box{r.left(), r.top(), r.right(), r.bottom()};
      if (word.box.x1 < word.box.x0) std::swap(word.box.x0, word.box.x1);
      if (word.box.y1 < word.box.y0) std::swap(word.box.y0, word.box.y1);
      page.words.push_back(std::move(word));
    }
    BuildLines(&page);
    return page;
  } catch (const std::exception&) {
    return Fail(ErrorCode::kInvalidInput, "PDF page could not be read");
  }
}

bool PdfDocument::HasUsableText(const Page& page) {
  int chars = 0;
  for (const Word& w : page.words) {
    for (unsigned char c : w.text) {
      // ASCII letters and digits, and any non-ASCII lead byte (a letter in another script).
      if (std::isalnum(c) || c >= 0xC0) ++chars;
    }
    if (chars >= kMinUsableChars) return true;
  }
  return false;
}

Expected<GrayImage> PdfDocument::Render(int index, int dpi, int64_t max_pixels) const {
  return RenderPart(index, std::nullopt, dpi, max_pixels);
}

Expected<GrayImage> PdfDocument::RenderRegion(int index, const Box& region, int dpi,
                                              int64_t max_pixels) const {
  return RenderPart(index, region, dpi, max_pixels);
}

Expected<GrayImage> PdfDocument::RenderPart(int index, std::optional<Box> region, int dpi,
                                            int64_t max_pixels) const {
  if (!impl_ || index < 0 || index >= impl_->pages) {
    return Fail(ErrorCode::kUsage, "page index out of range");
  }
  if (dpi < kMinDpi || dpi > kMaxDpi) return Fail(ErrorCode::kUsage, "dpi out of range");
  try {
    std::unique_ptr<poppler::page> pg(impl_->doc->create_page(index));
    if (!pg) return Fail(ErrorCode::kInvalidInput, "PDF page could not be read");
    auto [w_pt, h_pt] = DisplaySize(*pg);
    const double scale = dpi / 72.0;
    const double page_w_px = std::ceil(w_pt * scale);
    const double page_h_px = std::ceil(h_pt * scale);
    if (!(page_w_px >= 1 && page_h_px >= 1)) {
      return Fail(ErrorCode::kInvalidInput, "PDF page has no size");
    }
    // The part to render, in pixels of the page at this dpi (the whole page by default).
    double x_px = 0, y_px = 0, w_px = page_w_px, h_px = page_h_px;
    if (region) {
      if (!std::isfinite(region->x0) || !std::isfinite(region->y0) ||
          !std::isfinite(region->x1) || !std::isfinite(region->y1)) {
        return Fail(ErrorCode::kUsage, "region out of the page");
      }
      x_px = std::clamp(std::floor(region->x0 * scale), 0.0, page_w_px);
      y_px = std::clamp(std::floor(region->y0 * scale), 0.0, page_h_px);
      w_px = std::clamp(std::ceil(region->x1 * scale), 0.0, page_w_px) - x_px;
      h_px = std::clamp(std::ceil(region->y1 * scale), 0.0, page_h_px) - y_px;
      if (!(w_px >= 1 && h_px >= 1)) return Fail(ErrorCode::kUsage, "region out of the page");
    }
    if (w_px * h_px > static_cast<double>(max_pixels) || w_px > INT_MAX / 4 ||
        h_px > INT_MAX / 4) {
      return Fail(ErrorCode::kLimitExceeded, "page would exceed the pixel limit at this dpi");
    }
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    const poppler::image im =
        region ? renderer.render_page(pg.get(), dpi, dpi, static_cast<int>(x_px),
                                      static_cast<int>(y_px), static_cast<int>(w_px),
                                      static_cast<int>(h_px))
               : renderer.render_page(pg.get(), dpi, dpi);
    if (!im.is_valid() || im.width() <= 0 || im.height() <= 0 || !im.const_data() ||
        im.bytes_per_row() < im.width()) {
      return Fail(ErrorCode::kInvalidInput, "PDF page could not be rendered");
    }
    if (static_cast<double>(im.width()) * im.height() > static_cast<double>(max_pixels)) {
      return Fail(ErrorCode::kLimitExceeded, "page would exceed the pixel limit at this dpi");
    }
    GrayImage out;
    out.width = im.width();
    out.height = im.height();
    out.dpi = dpi;
    out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height));
    const char* src = im.const_data();
    for (int y = 0; y < out.height; ++y) {
      std::memcpy(out.pixels.data() + static_cast<size_t>(y) * out.width,
                  src + static_cast<size_t>(y) * im.bytes_per_row(), out.width);
    }
    return out;
  } catch (const std::exception&) {
    return Fail(ErrorCode::kInternal, "PDF page could not be rendered");
  }
}

}  // namespace billwise
