#include "extract/ocr/leptonica_image.h"

#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <numeric>
#include <string>
#include <utility>

namespace billwise {
namespace {

constexpr double kLetterLongSideInches = 11.0;

void SilenceLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

// libpng and libjpeg, which Leptonica's readers call, print their warnings and errors on
// stderr ("libpng error: ...", "Premature end of JPEG file") and Leptonica offers no switch
// for them. While one of these is alive, file descriptor 2 points at /dev/null; a
// process-wide mutex keeps decodes from restoring each other's descriptor. Whatever any
// other thread writes to stderr meanwhile is lost too, so hold one only around a decode.
class QuietStderr {
 public:
  QuietStderr() : lock_(Mutex()) {
    std::fflush(stderr);
    saved_ = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    if (saved_ < 0) return;
    const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      dup2(null, STDERR_FILENO);
      close(null);
    }
  }
  ~QuietStderr() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  static std::mutex& Mutex() {
    static std::mutex* mutex = new std::mutex();
    return *mutex;
  }
  std::lock_guard<std::mutex> lock_;
  int saved_ = -1;
};

// Small RAII holders for the other Leptonica types used here.
struct BoxaDeleter {
  void operator()(Boxa* b) const { boxaDestroy(&b); }
};
using BoxaPtr = std::unique_ptr<Boxa, BoxaDeleter>;
struct PtaDeleter {
  void operator()(Pta* p) const { ptaDestroy(&p); }
};
using PtaPtr = std::unique_ptr<Pta, PtaDeleter>;

// Leptonica keeps 8-bit pixels in native 32-bit words, the first pixel in the most
// significant byte: on a little-endian machine each word's four bytes are reversed. These
// copy one row either way a word at a time (the tail of the row byte by byte).
void RowToPix(const uint8_t* src, l_uint32* line, int width) {
  const int words = width / 4;
  if constexpr (std::endian::native == std::endian::little) {
    for (int i = 0; i < words; ++i) {
      uint32_t v;
      std::memcpy(&v, src + 4 * static_cast<size_t>(i), 4);
      line[i] = __builtin_bswap32(v);
    }
  } else {
    std::memcpy(line, src, 4 * static_cast<size_t>(words));
  }
  for (int x = 4 * words; x < width; ++x) SET_DATA_BYTE(line, x, src[x]);
}

void RowFromPix(const l_uint32* line, uint8_t* dst, int width) {
  const int words = width / 4;
  if constexpr (std::endian::native == std::endian::little) {
    for (int i = 0; i < words; ++i) {
      const uint32_t v = __builtin_bswap32(line[i]);
      std::memcpy(dst + 4 * static_cast<size_t>(i), &v, 4);
    }
  } else {
    std::memcpy(dst, line, 4 * static_cast<size_t>(words));
  }
  for (int x = 4 * words; x < width; ++x) dst[x] = static_cast<uint8_t>(GET_DATA_BYTE(line, x));
}

GrayImage GrayOrSame(const Pix* pix, const GrayImage& fallback) {
  if (pix == nullptr) return fallback;
  auto gray = GrayFromPix(pix, fallback.dpi);
  if (!gray) return fallback;
  gray->dpi = fallback.dpi;
  return std::move(*gray);
}

uint8_t At(const GrayImage& im, int x, int y) {
  return im.pixels[static_cast<size_t>(y) * im.width + x];
}

// The brightness of the paper: the 90th percentile of a sparse sample.
int PaperLevel(const GrayImage& im) {
  std::array<int64_t, 256> hist{};
  int64_t n = 0;
  for (int y = 0; y < im.height; y += 4) {
    for (int x = 0; x < im.width; x += 4) {
      ++hist[At(im, x, y)];
      ++n;
    }
  }
  int64_t seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen >= n * 9 / 10) return v;
  }
  return 255;
}

// --- phone photos -------------------------------------------------------------------------

struct Quad {
  std::array<std::pair<double, double>, 4> p;  // top-left, top-right, bottom-right, bottom-left
};

// Finds the bright page on a darker background in a small copy. Returns false when the
// image does not look like a photographed page (border mostly bright, or page too small).
bool FindPageQuad(const GrayImage& small, Quad* quad) {
  const int w = small.width, h = small.height;
  if (w < 32 || h < 32) return false;
  // Otsu threshold over the small copy.
  std::array<int64_t, 256> hist{};
  for (uint8_t v : small.pixels) ++hist[v];
  const int64_t total = static_cast<int64_t>(small.pixels.size());
  double sum_all = 0;
  for (int v = 0; v < 256; ++v) sum_all += static_cast<double>(v) * hist[v];
  double sum_b = 0, best = -1;
  int64_t w_b = 0;
  int threshold = 128;
  for (int v = 0; v < 256; ++v) {
    w_b += hist[v];
    if (w_b == 0) continue;
    const int64_t w_f = total - w_b;
    if (w_f == 0) break;
    sum_b += static_cast<double>(v) * hist[v];
    const double m_b = sum_b / w_b, m_f = (sum_all - sum_b) / w_f;
    const double between = static_cast<double>(w_b) * w_f * (m_b - m_f) * (m_b - m_f);
    if (between > best) {
      best = between;
      threshold = v;
    }
  }
  // The page must be clearly brighter than the table.
  int64_t dark_n = 0, bright_n = 0;
  double dark_sum = 0, bright_sum = 0;
  for (int v = 0; v < 256; ++v) {
    if (v <= threshold) {
      dark_n += hist[v];
      dark_sum += static_cast<double>(v) * hist[v];
    } else {
      bright_n += hist[v];
      bright_sum += static_cast<double>(v) * hist[v];
    }
  }
  if (dark_n == 0 || bright_n == 0) return false;
  if (bright_sum / bright_n - dark_sum / dark_n < 60) return false;
  // Border ring: mostly dark for a photo on a table.
  int64_t ring = 0, ring_dark = 0;
  const int band = std::max(2, std::min(w, h) / 40);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (x >= band && x < w - band && y >= band && y < h - band) continue;
      ++ring;
      if (At(small, x, y) <= threshold) ++ring_dark;
    }
  }
  if (ring_dark * 10 < ring * 6) return false;
  // Largest bright 4-connected component (flood fill on the small copy).
  std::vector<int> label(static_cast<size_t>(w) * h, 0);
  std::vector<int> stack;
  int best_label = 0, best_size = 0, next = 0;
  for (int start = 0; start < w * h; ++start) {
    if (label[start] != 0 || small.pixels[start] <= threshold) continue;
    ++next;
    int size = 0;
    stack.push_back(start);
    label[start] = next;
    while (!stack.empty()) {
      const int i = stack.back();
      stack.pop_back();
      ++size;
      const int x = i % w, y = i / w;
      const int nb[4] = {x > 0 ? i - 1 : -1, x + 1 < w ? i + 1 : -1, y > 0 ? i - w : -1,
                         y + 1 < h ? i + w : -1};
      for (int j : nb) {
        if (j < 0 || label[j] != 0 || small.pixels[j] <= threshold) continue;
        label[j] = next;
        stack.push_back(j);
      }
    }
    if (size > best_size) {
      best_size = size;
      best_label = next;
    }
  }
  if (best_size < w * h / 5) return false;
  // Corners: extremes of x+y and x-y over the component.
  double min_s = 1e18, max_s = -1e18, min_d = 1e18, max_d = -1e18;
  for (int i = 0; i < w * h; ++i) {
    if (label[i] != best_label) continue;
    const double x = i % w, y = i / w;
    if (x + y < min_s) { min_s = x + y; quad->p[0] = {x, y}; }
    if (x + y > max_s) { max_s = x + y; quad->p[2] = {x, y}; }
    if (x - y > max_d) { max_d = x - y; quad->p[1] = {x, y}; }
    if (x - y < min_d) { min_d = x - y; quad->p[3] = {x, y}; }
  }
  return true;
}

double Dist(std::pair<double, double> a, std::pair<double, double> b) {
  return std::hypot(a.first - b.first, a.second - b.second);
}

// Share of each side cut off the flattened sheet (see CorrectPerspective).
constexpr double kPhotoEdgeInset = 0.012;

// Maps the photographed page quad to an upright rectangle. Null when it fails.
PixPtr CorrectPerspective(Pix* pix, const Quad& q) {
  const double width = std::max(Dist(q.p[0], q.p[1]), Dist(q.p[3], q.p[2]));
  const double height = std::max(Dist(q.p[0], q.p[3]), Dist(q.p[1], q.p[2]));
  const int out_w = std::min<int>(static_cast<int>(width), pixGetWidth(pix));
  const int out_h = std::min<int>(static_cast<int>(height), pixGetHeight(pix));
  if (out_w < 64 || out_h < 64) return nullptr;
  PtaPtr src(ptaCreate(4)), dst(ptaCreate(4));
  const double corners[4][2] = {{0, 0}, {out_w - 1.0, 0}, {out_w - 1.0, out_h - 1.0},
                                {0, out_h - 1.0}};
  for (int i = 0; i < 4; ++i) {
    ptaAddPt(src.get(), static_cast<float>(q.p[i].first), static_cast<float>(q.p[i].second));
    ptaAddPt(dst.get(), static_cast<float>(corners[i][0]), static_cast<float>(corners[i][1]));
  }
  PixPtr warped(pixProjectivePta(pix, dst.get(), src.get(), L_BRING_IN_WHITE));
  if (!warped) return nullptr;
  // The sheet's edges are found on a small copy and a bowed sheet's edges are not straight,
  // so a sliver of the table survives along them and reads as a line of garbage ("OO OO").
  // A page's printed margins are far wider than the inset.
  const int inset_x = static_cast<int>(out_w * kPhotoEdgeInset);
  const int inset_y = static_cast<int>(out_h * kPhotoEdgeInset);
  Box* box = boxCreate(inset_x, inset_y, out_w - 2 * inset_x, out_h - 2 * inset_y);
  PixPtr clipped(pixClipRectangle(warped.get(), box, nullptr));
  boxDestroy(&box);
  return clipped;
}

// --- uneven lighting ------------------------------------------------------------------------

// True when the paper brightness (per tile, the 95th percentile) varies by more than
// `spread` grey levels across an 8x8 grid.
bool UnevenBackground(const GrayImage& im, int spread) {
  constexpr int kGrid = 8;
  const int tw = im.width / kGrid, th = im.height / kGrid;
  if (tw < 8 || th < 8) return false;
  int lo = 255, hi = 0;
  for (int gy = 0; gy < kGrid; ++gy) {
    for (int gx = 0; gx < kGrid; ++gx) {
      std::array<int, 256> hist{};
      int n = 0;
      for (int y = gy * th; y < (gy + 1) * th; y += 3) {
        for (int x = gx * tw; x < (gx + 1) * tw; x += 3) {
          ++hist[At(im, x, y)];
          ++n;
        }
      }
      int seen = 0, level = 255;
      for (int v = 0; v < 256; ++v) {
        seen += hist[v];
        if (seen * 20 >= n * 19) {
          level = v;
          break;
        }
      }
      lo = std::min(lo, level);
      hi = std::max(hi, level);
    }
  }
  return hi - lo > spread;
}

// --- curved lines (photographed pages) ---------------------------------------------------

struct PtaaDeleter {
  void operator()(Ptaa* p) const { ptaaDestroy(&p); }
};
using PtaaPtr = std::unique_ptr<Ptaa, PtaaDeleter>;
struct DewarpaDeleter {
  void operator()(L_Dewarpa* d) const { dewarpaDestroy(&d); }
};
using DewarpaPtr = std::unique_ptr<L_Dewarpa, DewarpaDeleter>;

// Straightens bowed text lines with Leptonica's vertical-disparity model. Leptonica's own
// page entry point (dewarpSinglePage) keeps only text lines at least 0.8 as long as the
// longest and then wants 15 of them: a bill's short label lines and sparse tables almost
// never give that, so it built no model for any page. Here the line centres are found the
// same way (dewarpGetTextlineCenters, on the page binarised at full resolution, column gaps
// closed), lines
// shorter than kMinLineShare of the page width are dropped (a short line's fitted curve
// says nothing about the rest of the page), and the model is built from the rest when at
// least kMinLines remain and they bow (below). Null when the page is left as it is.
constexpr double kMinLineShare = 0.3;
constexpr double kColumnGapShare = 0.2;
constexpr double kMinSagInches = 0.02;
constexpr int kMinLines = 3;

// Leptonica fits the disparity down each column with a quadratic in y and evaluates it over
// the whole height; above the first measured line and below the last that is extrapolation,
// and on a bill whose long lines are all in the table it bent the letterhead (which was
// straight) into a slope Tesseract could not read. Rows of the sampled model outside the
// measured lines take the value of the nearest measured row instead.
void HoldDisparityOutsideLines(L_Dewarp* dew) {
  FPix* v = dew->sampvdispar;
  l_int32 nx = 0, ny = 0;
  if (v == nullptr || dew->namidys == nullptr || numaGetCount(dew->namidys) == 0 ||
      fpixGetDimensions(v, &nx, &ny) != 0 || ny < 2 || dew->sampling <= 0) {
    return;
  }
  l_float32 top = 0, bottom = 0;
  numaGetMin(dew->namidys, &top, nullptr);
  numaGetMax(dew->namidys, &bottom, nullptr);
  const int first = std::clamp(static_cast<int>(std::ceil(top / dew->sampling)), 0, ny - 1);
  const int last = std::clamp(static_cast<int>(std::floor(bottom / dew->sampling)), first, ny - 1);
  for (int i = 0; i < ny; ++i) {
    if (i >= first && i <= last) continue;
    const int from = i < first ? first : last;
    for (int j = 0; j < nx; ++j) {
      l_float32 value = 0;
      fpixGetPixel(v, j, from, &value);
      fpixSetPixel(v, j, i, value);
    }
  }
}

PixPtr DewarpLines(Pix* page8, int* lines_used) {
  PixPtr bin(pixConvertTo1Adaptive(page8));
  if (!bin) return nullptr;
  // A table row is words in columns far apart; Leptonica joins only nearby words into a
  // line, so a row gave several short pieces and no long line. Closing the gaps across the
  // columns first (a horizontal brick kColumnGapShare of the page wide) makes each row one
  // line; a horizontal closing never joins two rows.
  const int gap = std::max(3, static_cast<int>(kColumnGapShare * pixGetWidth(bin.get())));
  PixPtr rows(pixCloseSafeBrick(nullptr, bin.get(), gap, 1));
  if (!rows) return nullptr;
  PtaaPtr centres(dewarpGetTextlineCenters(rows.get(), 0));
  if (!centres) return nullptr;
  const double min_length = kMinLineShare * pixGetWidth(bin.get());
  const double dpi = std::max(pixGetWidth(bin.get()), pixGetHeight(bin.get())) /
                     kLetterLongSideInches;
  std::vector<double> curvatures;
  PtaaPtr kept(ptaaCreate(0));
  const int n = ptaaGetCount(centres.get());
  for (int i = 0; i < n; ++i) {
    PtaPtr pta(ptaaGetPta(centres.get(), i, L_CLONE));
    l_float32 min_x = 0, max_x = 0, min_y = 0, max_y = 0;
    if (!pta || ptaGetRange(pta.get(), &min_x, &max_x, &min_y, &max_y) != 0) continue;
    if (max_x - min_x < min_length) continue;
    l_float32 c2 = 0;
    if (ptaGetQuadraticLSF(pta.get(), &c2, nullptr, nullptr, nullptr) != 0) continue;
    curvatures.push_back(c2);
    ptaaAddPta(kept.get(), pta.get(), L_COPY);
  }
  *lines_used = ptaaGetCount(kept.get());
  if (*lines_used < kMinLines) return nullptr;
  // Only a page whose lines bow the same way is dewarped: on a flat page the fitted
  // curvatures scatter around zero (a row joined with a neighbouring block's line at another
  // height is one of them), and a model built from them bends what was straight. The sag
  // of the median line across the page width must reach kMinSagInches.
  std::nth_element(curvatures.begin(), curvatures.begin() + curvatures.size() / 2,
                   curvatures.end());
  const double half_width = pixGetWidth(bin.get()) / 2.0;
  const double sag = std::fabs(curvatures[curvatures.size() / 2]) * half_width * half_width;
  if (sag < kMinSagInches * dpi) return nullptr;
  // One page, sampling every 30 pixels at full resolution, vertical disparity only (the
  // horizontal one needs justified text edges a bill does not have).
  DewarpaPtr dewa(dewarpaCreate(1, 30, 1, kMinLines, -1));
  if (!dewa) return nullptr;
  dewarpaUseBothArrays(dewa.get(), 0);
  L_Dewarp* dew = dewarpCreate(bin.get(), 0);
  if (!dew) return nullptr;
  dewarpaInsertDewarp(dewa.get(), dew);  // owned by dewa from here
  if (dewarpFindVertDisparity(dew, kept.get(), 0) != 0 || !dew->vsuccess) return nullptr;
  HoldDisparityOutsideLines(dew);
  dewarpaSetValidModels(dewa.get(), 0, 0);
  if (!dew->vvalid) return nullptr;  // curvature outside Leptonica's sanity limits
  Pix* out = nullptr;
  if (dewarpaApplyDisparity(dewa.get(), 0, page8, 255, 0, 0, &out, nullptr) != 0) return nullptr;
  return PixPtr(out);
}

// --- white-on-dark bands ------------------------------------------------------------------

// Counts letter-sized bright blobs inside a dark box of the page (white text on a band).
int CountBrightGlyphs(Pix* page8, int x, int y, int w, int h) {
  Box* box = boxCreate(x, y, w, h);
  PixPtr clip(pixClipRectangle(page8, box, nullptr));
  boxDestroy(&box);
  if (!clip) return 0;
  PixPtr inverted(pixInvert(nullptr, clip.get()));
  if (!inverted) return 0;
  PixPtr bright(pixConvertTo1(inverted.get(), 110));  // 1 = originally brighter than 145
  if (!bright) return 0;
  BoxaPtr blobs(pixConnComp(bright.get(), nullptr, 8));
  if (!blobs) return 0;
  int glyphs = 0;
  for (int i = 0; i < boxaGetCount(blobs.get()); ++i) {
    int bx, by, bw, bh;
    boxaGetBoxGeometry(blobs.get(), i, &bx, &by, &bw, &bh);
    if (bh >= h / 4 && bh <= h * 9 / 10 && bw <= 2 * bh && bw * bh >= 12) ++glyphs;
  }
  return glyphs;
}

// Finds dark bands (table header bars printed white on dark) and inverts them in place.
// Returns how many were inverted.
int InvertDarkBands(GrayImage* im) {
  PixPtr page(PixFromGray(*im));
  if (!page) return 0;
  const double dpi = im->dpi > 0 ? im->dpi : 300;
  const float scale = static_cast<float>(std::min(1.0, 75.0 / dpi));
  PixPtr small(pixScaleAreaMap(page.get(), scale, scale));
  if (!small) return 0;
  PixPtr dark(pixConvertTo1(small.get(), 100));  // 1 = dark
  if (!dark) return 0;
  // A horizontal closing bridges the white letters inside a band; the opening then removes
  // ordinary (thin) text strokes, so solid bands survive. Closed lines of dark-on-white text
  // can survive too: the darkness check on the full-resolution rows below rejects them.
  PixPtr bridged(pixCloseBrick(nullptr, dark.get(), 15, 1));
  if (!bridged) return 0;
  PixPtr closed(pixOpenBrick(nullptr, bridged.get(), 9, 5));
  if (!closed) return 0;
  BoxaPtr boxes(pixConnComp(closed.get(), nullptr, 8));
  if (!boxes) return 0;
  const double inch = 75.0;
  int inverted = 0;
  for (int i = 0; i < boxaGetCount(boxes.get()); ++i) {
    int bx, by, bw, bh;
    boxaGetBoxGeometry(boxes.get(), i, &bx, &by, &bw, &bh);
    if (bw < inch || bh < 0.08 * inch || bh > 0.8 * inch || bw < 3 * bh) continue;
    // Back to full resolution.
    const int x0 = std::max(0, static_cast<int>(bx / scale));
    const int y0 = std::max(0, static_cast<int>(by / scale));
    const int x1 = std::min(im->width, static_cast<int>((bx + bw) / scale));
    const int y1 = std::min(im->height, static_cast<int>((by + bh) / scale));
    if (x1 <= x0 || y1 <= y0) continue;
    // Keep only the rows of the box that are dark on average: the reduced-scale box can
    // reach into the ruled rows next to the band, which must not be inverted.
    auto row_dark = [&](int y) {
      int64_t sum = 0;
      for (int x = x0; x < x1; ++x) sum += At(*im, x, y);
      return sum < static_cast<int64_t>(x1 - x0) * 128;
    };
    int top = y0, bottom = y1;
    while (top < bottom && !row_dark(top)) ++top;
    while (bottom > top && !row_dark(bottom - 1)) --bottom;
    if (bottom - top < 0.08 * dpi) continue;
    int dark_rows = 0;
    for (int y = top; y < bottom; ++y) dark_rows += row_dark(y);
    if (dark_rows * 10 < (bottom - top) * 8) continue;
    if (CountBrightGlyphs(page.get(), x0, top, x1 - x0, bottom - top) < 3) continue;  // no text
    const int y_begin = top, y_end = bottom;
    // Invert, then stretch so the band's (now light) background becomes paper white: a
    // mid-grey band would otherwise pull Tesseract's page-wide threshold.
    std::array<int, 256> hist{};
    for (int y = y_begin; y < y_end; ++y)
      for (int x = x0; x < x1; ++x) ++hist[255 - At(*im, x, y)];
    const int64_t count = static_cast<int64_t>(y_end - y_begin) * (x1 - x0);
    int64_t seen = 0;
    int background = 255;
    for (int v = 0; v < 256; ++v) {
      seen += hist[v];
      if (seen * 2 >= count) {
        background = std::max(v, 32);
        break;
      }
    }
    for (int y = y_begin; y < y_end; ++y) {
      uint8_t* row = im->pixels.data() + static_cast<size_t>(y) * im->width;
      for (int x = x0; x < x1; ++x) {
        row[x] = static_cast<uint8_t>(std::min(255, (255 - row[x]) * 250 / background));
      }
    }
    ++inverted;
  }
  return inverted;
}

}  // namespace

void PixDeleter::operator()(Pix* pix) const { pixDestroy(&pix); }

PixPtr PixFromGray(const GrayImage& image) {
  SilenceLeptonica();
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height) {
    return nullptr;
  }
  PixPtr pix(pixCreate(image.width, image.height, 8));  // zeroed: row padding defined
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < image.height; ++y) {
    RowToPix(image.pixels.data() + static_cast<size_t>(y) * image.width,
             data + static_cast<size_t>(y) * wpl, image.width);
  }
  if (image.dpi > 0) pixSetResolution(pix.get(), image.dpi, image.dpi);
  return pix;
}

Expected<GrayImage> GrayFromPix(const Pix* pix, int fallback_dpi) {
  SilenceLeptonica();
  if (pix == nullptr) return Fail(ErrorCode::kInternal, "no image");
  // An 8-bit Pix without a colour map is read as it is; anything else is converted first.
  PixPtr converted;
  Pix* source = const_cast<Pix*>(pix);
  if (pixGetDepth(source) != 8 || pixGetColormap(source) != nullptr) {
    converted.reset(pixConvertTo8(source, 0));
    if (!converted) return Fail(ErrorCode::kInvalidInput, "image depth not supported");
    source = converted.get();
  }
  GrayImage out;
  out.width = pixGetWidth(source);
  out.height = pixGetHeight(source);
  const int res = pixGetXRes(pix);
  out.dpi = res > 0 ? res : fallback_dpi;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  const l_uint32* data = pixGetData(source);
  const int wpl = pixGetWpl(source);
  for (int y = 0; y < out.height; ++y) {
    RowFromPix(data + static_cast<size_t>(y) * wpl,
               out.pixels.data() + static_cast<size_t>(y) * out.width, out.width);
  }
  return out;
}

namespace {

// Fax standard mode stores 204 x 98 dpi: pixels about twice as tall as wide. Tesseract and
// the line builder assume square pixels, so such a page is stretched along its coarser axis
// to the finer resolution (linear interpolation on the grey copy). Null when the pixels are
// square within 10%, the resolution is unknown, or the ratio is implausible (over 4).
PixPtr SquarePixels(Pix* pix) {
  const int xres = pixGetXRes(pix);
  const int yres = pixGetYRes(pix);
  if (xres <= 0 || yres <= 0) return nullptr;
  const double ratio = static_cast<double>(std::max(xres, yres)) / std::min(xres, yres);
  if (ratio < 1.1 || ratio > 4.0) return nullptr;
  PixPtr gray(pixConvertTo8(pix, 0));
  if (!gray) return nullptr;
  const auto sx = static_cast<float>(xres < yres ? ratio : 1.0);
  const auto sy = static_cast<float>(yres < xres ? ratio : 1.0);
  PixPtr out(pixScaleGrayLI(gray.get(), sx, sy));
  if (!out) return nullptr;
  const int res = std::max(xres, yres);
  pixSetResolution(out.get(), res, res);
  return out;
}

// A bilevel page (fax, thresholded scan) below kBilevelDpi on either axis, as the grey page
// a 300-dpi scanner would have made of it: despeckled at its own resolution (stretched, a
// fax's single-pixel specks become smears no later step tells from print), each axis scaled
// to kBilevelDpi (linear interpolation; a 204 x 98 dpi fax 1.47 x 3.06), then smoothed with a
// Gaussian of kBilevelSigma pixels. Tesseract's models were trained on anti-aliased grey
// print: on the hard 1-bit staircase of a standard-mode fax, stretched to 204 dpi square,
// it read 8-pt digits as letters (randomised fax set, extract/ocr/README.md). Null when the
// page is not 1 bit, its resolution is unknown or at least kBilevelDpi on both axes, or an
// axis would grow more than 4x.
constexpr int kBilevelDpi = 300;
constexpr float kBilevelSigma = 1.5f;

PixPtr SmoothBilevel(Pix* pix) {
  if (pixGetDepth(pix) != 1) return nullptr;
  const int xres = pixGetXRes(pix);
  const int yres = pixGetYRes(pix);
  if (xres <= 0 || yres <= 0 || std::min(xres, yres) * 4 < kBilevelDpi) return nullptr;
  if (xres >= kBilevelDpi && yres >= kBilevelDpi) return nullptr;
  PixPtr gray(pixConvertTo8(pix, 0));
  if (!gray) return nullptr;
  auto page = GrayFromPix(gray.get(), 0);
  if (page && RemoveIsolatedDots(&*page) > 0) {
    PixPtr clean(PixFromGray(*page));
    if (clean) gray = std::move(clean);
  }
  const float sx = std::max(1.0f, static_cast<float>(kBilevelDpi) / xres);
  const float sy = std::max(1.0f, static_cast<float>(kBilevelDpi) / yres);
  PixPtr out(pixScaleGrayLI(gray.get(), sx, sy));
  if (!out) return nullptr;
  const int half = static_cast<int>(std::ceil(kBilevelSigma * 2.5f));
  L_KERNEL* kx = makeGaussianKernel(0, half, kBilevelSigma, 1.0f);
  L_KERNEL* ky = makeGaussianKernel(half, 0, kBilevelSigma, 1.0f);
  PixPtr smooth(kx && ky ? pixConvolveSep(out.get(), kx, ky, 8, 1) : nullptr);
  kernelDestroy(&kx);
  kernelDestroy(&ky);
  if (smooth) out = std::move(smooth);
  const int res = static_cast<int>(std::lround(std::max(xres * sx, yres * sy)));
  pixSetResolution(out.get(), res, res);
  return out;
}

// The page as OCR wants it from the decoder: a low-resolution bilevel page smoothed to
// 300 dpi grey, else an anisotropic one given square pixels; null when neither applies.
PixPtr PrepareDecoded(Pix* pix) {
  if (PixPtr smooth = SmoothBilevel(pix)) return smooth;
  return SquarePixels(pix);
}

}  // namespace

Expected<std::vector<GrayImage>> DecodeImages(std::string_view bytes, int64_t max_pixels,
                                              int max_pages) {
  SilenceLeptonica();
  QuietStderr quiet;  // libpng/libjpeg write to stderr from the header read on
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  if (bytes.size() < 8) return Fail(ErrorCode::kInvalidInput, "image file is empty or truncated");
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) {
    return Fail(ErrorCode::kInvalidInput, "image header cannot be read");
  }
  const bool tiff = L_FORMAT_IS_TIFF(format);
  if (!tiff && format != IFF_PNG && format != IFF_JFIF_JPEG) {
    return Fail(ErrorCode::kUnsupported, "image format is not PNG, JPEG or TIFF");
  }
  auto check_size = [&](int64_t pw, int64_t ph) -> Expected<void> {
    if (pw <= 0 || ph <= 0) return Fail(ErrorCode::kInvalidInput, "image has no pixels");
    if (pw * ph > max_pixels) {
      return Fail(ErrorCode::kLimitExceeded,
                  "image is " + std::to_string(pw) + "x" + std::to_string(ph) +
                      " pixels; the limit is " + std::to_string(max_pixels) + " pixels per page");
    }
    return {};
  };
  if (auto ok = check_size(w, h); !ok) return std::unexpected(ok.error());

  std::vector<GrayImage> pages;
  if (!tiff) {
    PixPtr pix(pixReadMem(data, bytes.size()));
    if (!pix) return Fail(ErrorCode::kInvalidInput, "image data is corrupt");
    if (PixPtr prepared = PrepareDecoded(pix.get())) pix = std::move(prepared);
    auto gray = GrayFromPix(pix.get(), 0);
    if (!gray) return std::unexpected(gray.error());
    pages.push_back(std::move(*gray));
    return pages;
  }
  size_t offset = 0;
  do {
    if (static_cast<int>(pages.size()) >= max_pages) {
      return Fail(ErrorCode::kLimitExceeded, "TIFF has more than " + std::to_string(max_pages) +
                                                 " pages; the limit is " +
                                                 std::to_string(max_pages));
    }
    PixPtr pix(pixReadMemFromMultipageTiff(data, bytes.size(), &offset));
    if (!pix) {
      if (pages.empty()) return Fail(ErrorCode::kInvalidInput, "TIFF data is corrupt");
      break;
    }
    if (auto ok = check_size(pixGetWidth(pix.get()), pixGetHeight(pix.get())); !ok) {
      return std::unexpected(ok.error());
    }
    if (PixPtr prepared = PrepareDecoded(pix.get())) pix = std::move(prepared);
    auto gray = GrayFromPix(pix.get(), 0);
    if (!gray) return std::unexpected(gray.error());
    pages.push_back(std::move(*gray));
  } while (offset != 0);
  return pages;
}

GrayImage NormalizeResolution(GrayImage image, int target_dpi) {
  if (image.width <= 0 || image.height <= 0) return image;
  const double size_dpi = std::max(image.width, image.height) / kLetterLongSideInches;
  double effective = image.dpi;
  bool upscale = false;
  // 72 and 96 are what many tools write when they do not know; trust the size then.
  if (image.dpi <= 0 || image.dpi == 72 || image.dpi == 96) {
    effective = size_dpi;
    upscale = effective < 200;
  } else {
    upscale = image.dpi <= 150;
  }
  if (!upscale) {
    if (image.dpi <= 0 || image.dpi == 72 || image.dpi == 96) {
      image.dpi = std::clamp(static_cast<int>(std::lround(effective)), 100, 600);
    }
    return image;
  }
  effective = std::max(effective, 40.0);
  const double factor = std::min(4.0, target_dpi / effective);
  if (factor <= 1.05) {
    image.dpi = static_cast<int>(std::lround(effective));
    return image;
  }
  PixPtr pix(PixFromGray(image));
  if (!pix) return image;
  PixPtr big(pixScaleGrayLI(pix.get(), static_cast<float>(factor), static_cast<float>(factor)));
  if (!big) return image;
  const int dpi = static_cast<int>(std::lround(effective * factor));
  GrayImage out = GrayOrSame(big.get(), image);
  out.dpi = dpi;
  return out;
}

GrayImage RotateQuarterTurns(const GrayImage& image, int quarter_turns) {
  const int quads = ((quarter_turns % 4) + 4) % 4;
  if (quads == 0) return image;
  PixPtr pix(PixFromGray(image));
  if (!pix) return image;
  PixPtr turned(pixRotateOrth(pix.get(), quads));
  return GrayOrSame(turned.get(), image);
}

GrayImage Downscale(const GrayImage& image, double factor) {
  if (factor >= 1.0 || factor <= 0) return image;
  PixPtr pix(PixFromGray(image));
  if (!pix) return image;
  PixPtr small(pixScaleAreaMap(pix.get(), static_cast<float>(factor), static_cast<float>(factor)));
  GrayImage out = GrayOrSame(small.get(), image);
  out.dpi = std::max(1, static_cast<int>(std::lround(image.dpi * factor)));
  return out;
}

GrayImage Median3x3(const GrayImage& image) {
  const int w = image.width, h = image.height;
  if (w <= 0 || h <= 0 || image.pixels.size() != static_cast<size_t>(w) * h) return image;
  GrayImage out;
  out.width = w;
  out.height = h;
  out.dpi = image.dpi;
  out.pixels.resize(image.pixels.size());
  // Sorted column triples of the current row, with one repeated column on each side (the
  // border Leptonica mirrors in): index x + 1 holds column x.
  std::vector<uint8_t> lo(static_cast<size_t>(w) + 2), mid(lo.size()), hi(lo.size());
  const uint8_t* src = image.pixels.data();
  for (int y = 0; y < h; ++y) {
    const uint8_t* a = src + static_cast<size_t>(y > 0 ? y - 1 : 0) * w;
    const uint8_t* b = src + static_cast<size_t>(y) * w;
    const uint8_t* c = src + static_cast<size_t>(y + 1 < h ? y + 1 : h - 1) * w;
    uint8_t* l = lo.data() + 1;
    uint8_t* m = mid.data() + 1;
    uint8_t* u = hi.data() + 1;
    for (int x = 0; x < w; ++x) {  // a three-value sorting network per column
      const uint8_t p = a[x], q = b[x], r = c[x];
      const uint8_t pq_lo = std::min(p, q), pq_hi = std::max(p, q);
      const uint8_t t = std::max(pq_lo, r);
      l[x] = std::min(pq_lo, r);
      m[x] = std::min(pq_hi, t);
      u[x] = std::max(pq_hi, t);
    }
    lo[0] = lo[1], mid[0] = mid[1], hi[0] = hi[1];
    lo[w + 1] = lo[w], mid[w + 1] = mid[w], hi[w + 1] = hi[w];
    const uint8_t* L = lo.data();
    const uint8_t* M = mid.data();
    const uint8_t* U = hi.data();
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * w;
    for (int x = 0; x < w; ++x) {
      const uint8_t low = std::max(std::max(L[x], L[x + 1]), L[x + 2]);
      const uint8_t high = std::min(std::min(U[x], U[x + 1]), U[x + 2]);
      const uint8_t m0 = M[x], m1 = M[x + 1], m2 = M[x + 2];
      const uint8_t middle =
          std::max(std::min(m0, m1), std::min(std::max(m0, m1), m2));  // median of three
      dst[x] = std::max(std::min(low, middle), std::min(std::max(low, middle), high));
    }
  }
  return out;
}

GrayImage LeptonicaMedian(const GrayImage& image, int width, int height) {
  PixPtr pix(PixFromGray(image));
  if (!pix) return image;
  PixPtr filtered(pixMedianFilter(pix.get(), width, height));
  return GrayOrSame(filtered.get(), image);
}

GrayImage RotateAreaMap(const GrayImage& image, float radians) {
  const int w = image.width, h = image.height;
  if (w <= 0 || h <= 0 || image.pixels.size() != static_cast<size_t>(w) * h) return image;
  if (std::fabs(radians) < 0.001f) return image;  // Leptonica's smallest turn
  GrayImage out;
  out.width = w;
  out.height = h;
  out.dpi = image.dpi;
  out.pixels.resize(image.pixels.size());
  // Leptonica's rotateAMGrayLow, expression for expression (float products, truncation, the
  // position in sixteenths of a pixel), so the result is bit-identical.
  const int xcen = w / 2, ycen = h / 2, wm2 = w - 2, hm2 = h - 2;
  const float sina = static_cast<float>(16.0 * std::sin(static_cast<double>(radians)));
  const float cosa = static_cast<float>(16.0 * std::cos(static_cast<double>(radians)));
  const uint8_t* src = image.pixels.data();
  std::vector<int> xs(static_cast<size_t>(w)), ys(static_cast<size_t>(w));
  for (int i = 0; i < h; ++i) {
    const int ydif = ycen - i;
    const float ydif_sina = static_cast<float>(ydif) * sina;
    const float ydif_cosa = static_cast<float>(-ydif) * cosa;
    // Source positions of the row first (a loop the compiler vectorises), then the pixels.
    for (int j = 0; j < w; ++j) {
      const int xdif = xcen - j;
      xs[j] = static_cast<int>(static_cast<float>(-xdif) * cosa - ydif_sina);
      ys[j] = static_cast<int>(ydif_cosa + static_cast<float>(xdif) * sina);
    }
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(i) * w;
    for (int j = 0; j < w; ++j) {
      const int xpm = xs[j], ypm = ys[j];
      const int xp = xcen + (xpm >> 4), yp = ycen + (ypm >> 4);
      if (xp < 0 || yp < 0 || xp > wm2 || yp > hm2) {
        dst[j] = 255;
        continue;
      }
      const int xf = xpm & 0x0f, yf = ypm & 0x0f;
      const uint8_t* p = src + static_cast<size_t>(yp) * w + xp;
      // Leptonica's four products (16-xf)(16-yf)p00 + xf(16-yf)p10 + (16-xf)yf p01 + xf yf p11,
      // factored by row: the same integer.
      const int top = (16 - xf) * p[0] + xf * p[1];
      const int bottom = (16 - xf) * p[w] + xf * p[w + 1];
      dst[j] = static_cast<uint8_t>(((16 - yf) * top + yf * bottom + 128) >> 8);
    }
  }
  return out;
}

GrayImage LeptonicaRotateAreaMap(const GrayImage& image, float radians) {
  PixPtr pix(PixFromGray(image));
  if (!pix) return image;
  PixPtr turned(pixRotate(pix.get(), radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  return GrayOrSame(turned.get(), image);
}

bool IsBilevel(const GrayImage& im) {
  return !im.pixels.empty() && std::all_of(im.pixels.begin(), im.pixels.end(),
                                           [](uint8_t v) { return v == 0 || v == 255; });
}

int RemoveIsolatedDots(GrayImage* im) {
  const int w = im->width, h = im->height;
  if (w < 3 || h < 3) return 0;
  const GrayImage src = *im;
  auto dark = [&](int x, int y) {
    return x >= 0 && y >= 0 && x < w && y < h && At(src, x, y) < 128;
  };
  int removed = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (!dark(x, y)) continue;
      bool alone = true;
      for (int dy = -1; dy <= 1 && alone; ++dy)
        for (int dx = -1; dx <= 1 && alone; ++dx)
          if ((dx != 0 || dy != 0) && dark(x + dx, y + dy)) alone = false;
      if (alone) {
        im->pixels[static_cast<size_t>(y) * w + x] = 255;
        ++removed;
      }
    }
  }
  return removed;
}

double EstimateNoise(const GrayImage& im) {
  if (im.width < 3 || im.height < 3) return 0;
  const int floor = PaperLevel(im) - 70;
  double sum = 0;
  int64_t n = 0;
  for (int y = 1; y + 1 < im.height; y += 3) {
    const uint8_t* row = im.pixels.data() + static_cast<size_t>(y) * im.width;
    for (int x = 1; x + 1 < im.width; ++x) {
      const int l = row[x - 1], c = row[x], r = row[x + 1];
      if (l < floor || r < floor) continue;  // only pixels flanked by paper
      sum += std::abs(2 * c - l - r) / 2.0;
      ++n;
    }
  }
  return n > 0 ? sum / n : 0;
}

GrayImage CleanupForOcr(const GrayImage& image, const CleanupOptions& options,
                        CleanupReport* report) {
  CleanupReport local;
  CleanupReport& rep = report != nullptr ? *report : local;
  rep = CleanupReport{};
  GrayImage page = image;
  if (page.width <= 0 || page.height <= 0) return page;

  // Phone photo: find the page on the table and flatten it.
  bool photo = false;
  if (options.photo != Step::kOff) {
    const double factor = std::min(1.0, 400.0 / std::max(page.width, page.height));
    GrayImage small = Downscale(page, factor);
    Quad quad;
    if (FindPageQuad(small, &quad)) {
      const double back_x = static_cast<double>(page.width) / small.width;
      const double back_y = static_cast<double>(page.height) / small.height;
      for (auto& pt : quad.p) {
        pt.first = (pt.first + 0.5) * back_x;
        pt.second = (pt.second + 0.5) * back_y;
      }
      PixPtr pix(PixFromGray(page));
      if (pix) {
        PixPtr flat(CorrectPerspective(pix.get(), quad));
        if (flat) {
          page = GrayOrSame(flat.get(), page);
          // The photographed sheet now fills the image and is the only ruler left: a
          // camera's pixels have no physical size, and the size-implied resolution of the
          // whole photo (table included) made every box too small by the table's share.
          page.dpi = std::clamp(static_cast<int>(std::lround(
                                    std::max(page.width, page.height) / kLetterLongSideInches)),
                                100, 600);
          photo = true;
          rep.photo_corrected = true;
        }
      }
    }
  }

  // Bilevel pages (faxes): dark pixels with no dark neighbour are specks, never print (a
  // decimal point at 200 dpi is 2x2 or more); Tesseract reads them as ".", ":" and "-"
  // inside dates and amounts. The median would remove them too, but also those points.
  if (options.despeckle == Step::kOn ||
      (options.despeckle == Step::kAuto && IsBilevel(page))) {
    rep.specks_removed = RemoveIsolatedDots(&page);
  }

  rep.noise = EstimateNoise(page);
  const bool median = options.median == Step::kOn ||
                      (options.median == Step::kAuto && rep.noise >= options.noise_threshold);
  const bool background =
      options.background == Step::kOn ||
      (options.background == Step::kAuto && (photo || UnevenBackground(page, 60)));
  if (median) {
    page = Median3x3(page);
    rep.median = true;
  }
  if (background) {
    PixPtr pix(PixFromGray(page));
    PixPtr normed(pix ? pixBackgroundNormSimple(pix.get(), nullptr, nullptr) : nullptr);
    if (normed) {
      page = GrayOrSame(normed.get(), page);
      rep.background = true;
    }
  }

  if (options.dewarp == Step::kOn || (options.dewarp == Step::kAuto && photo)) {
    PixPtr pix(PixFromGray(page));
    PixPtr straight(pix ? DewarpLines(pix.get(), &rep.dewarp_lines) : nullptr);
    if (straight) {
      page = GrayOrSame(straight.get(), page);
      rep.dewarped = true;
    }
  }

  if (options.invert_bands != Step::kOff) rep.bands_inverted = InvertDarkBands(&page);

  if (options.deskew != Step::kOff) {
    PixPtr pix(PixFromGray(page));
    PixPtr bin(pix ? pixConvertTo1(pix.get(), 128) : nullptr);
    l_float32 angle = 0, conf = 0;
    if (bin && pixFindSkew(bin.get(), &angle, &conf) == 0 && conf >= 3.0f) {
      rep.skew_degrees = angle;
      const bool rotate =
          options.deskew == Step::kOn || std::fabs(angle) >= options.min_skew_degrees;
      if (rotate && std::fabs(angle) > 0.05f) {
        constexpr float kDegToRad = 3.14159265f / 180.0f;
        page = RotateAreaMap(page, kDegToRad * angle);  // = pixRotate, area map, white in
        rep.deskewed = true;
      }
    }
  }

  if (options.binarize == Step::kOn) {
    PixPtr pix(PixFromGray(page));
    Pix* bin = nullptr;
    if (pix && pixOtsuAdaptiveThreshold(pix.get(), 2000, 2000, 0, 0, 0.0f, nullptr, &bin) == 0 &&
        bin != nullptr) {
      PixPtr owned(bin);
      page = GrayOrSame(owned.get(), page);
      rep.binarized = true;
    }
  }
  if (!photo) page.dpi = image.dpi;
  return page;
}

}  // namespace billwise
