#include "extract/source/image_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "extract/source/text_lines.h"

namespace billwise {
namespace {

constexpr double kCell = 9.0;       // grid cell, points
constexpr double kWiden = 4.0;      // a word's box widened by this much on every side, points
constexpr double kTile = 8.0;       // ink tile, points
constexpr int kInkLevel = 128;      // a pixel darker than this is ink
constexpr int kMinCountedChars = 3;

int CountedChars(const std::string& text) {
  int n = 0;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0xC0) ++n;
  }
  return n;
}

double OverlapArea(const Box& a, const Box& b) {
  const double w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  const double h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

// Cells of a grid over the page (kCell points) touched by a text-layer word of kMinCountedChars
// or more, widened by kWiden.
struct TextGrid {
  int cols = 0, rows = 0;
  std::vector<char> used;

  bool Used(double x, double y) const {
    const int c = std::clamp(static_cast<int>(x / kCell), 0, cols - 1);
    const int r = std::clamp(static_cast<int>(y / kCell), 0, rows - 1);
    return used[static_cast<size_t>(r) * cols + c] != 0;
  }
};

std::optional<TextGrid> MakeGrid(const Page& page) {
  if (!(page.width > 0 && page.height > 0)) return std::nullopt;
  TextGrid g;
  g.cols = static_cast<int>(std::ceil(page.width / kCell));
  g.rows = static_cast<int>(std::ceil(page.height / kCell));
  if (g.cols <= 0 || g.rows <= 0 || g.cols > 4096 || g.rows > 4096) return std::nullopt;
  const int cols = g.cols, rows = g.rows;
  g.used.assign(static_cast<size_t>(cols) * rows, 0);
  auto clamp = [](double v, int hi) { return std::clamp(static_cast<int>(v), 0, hi - 1); };
  for (const Word& w : page.words) {
    if (CountedChars(w.text) < kMinCountedChars) continue;
    if (!std::isfinite(w.box.x0) || !std::isfinite(w.box.y0) || !std::isfinite(w.box.x1) ||
        !std::isfinite(w.box.y1)) {
      continue;
    }
    const int c0 = clamp((w.box.x0 - kWiden) / kCell, cols), c1 = clamp((w.box.x1 + kWiden) / kCell, cols);
    const int r0 = clamp((w.box.y0 - kWiden) / kCell, rows), r1 = clamp((w.box.y1 + kWiden) / kCell, rows);
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) g.used[static_cast<size_t>(r) * cols + c] = 1;
    }
  }
  return g;
}

}  // namespace

std::optional<Box> UntextedRegion(const Page& page) {
  const std::optional<TextGrid> grid = MakeGrid(page);
  if (!grid) return std::nullopt;
  const int cols = grid->cols, rows = grid->rows;
  const std::vector<char>& used = grid->used;
  // Largest all-free rectangle: for each row, the free run above every column makes a
  // histogram whose largest rectangle is found with a stack.
  std::vector<int> height(cols, 0);
  long best = 0;
  int best_r = 0, best_c0 = 0, best_c1 = 0, best_h = 0;
  std::vector<int> stack;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) height[c] = used[static_cast<size_t>(r) * cols + c] ? 0 : height[c] + 1;
    stack.clear();
    for (int c = 0; c <= cols; ++c) {
      const int h = c < cols ? height[c] : 0;
      while (!stack.empty() && height[stack.back()] >= h) {
        const int top = stack.back();
        stack.pop_back();
        const int left = stack.empty() ? 0 : stack.back() + 1;
        const long area = static_cast<long>(height[top]) * (c - left);
        if (area > best) {
          best = area;
          best_r = r;
          best_c0 = left;
          best_c1 = c;
          best_h = height[top];
        }
      }
      stack.push_back(c);
    }
  }
  if (best * kCell * kCell < kMinUntextedShare * page.width * page.height) return std::nullopt;
  Box box;
  box.x0 = best_c0 * kCell;
  box.x1 = std::min(page.width, best_c1 * kCell);
  box.y0 = (best_r + 1 - best_h) * kCell;
  box.y1 = std::min(page.height, (best_r + 1) * kCell);
  return box;
}

bool LooksPrinted(const GrayImage& image) {
  if (image.width <= 0 || image.height <= 0 || image.dpi <= 0 ||
      image.pixels.size() < static_cast<size_t>(image.width) * image.height) {
    return false;
  }
  const int tile = std::max(1, static_cast<int>(std::lround(kTile * image.dpi / 72.0)));
  const int tx = (image.width + tile - 1) / tile, ty = (image.height + tile - 1) / tile;
  std::vector<char> inked(static_cast<size_t>(tx) * ty, 0);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* row = image.pixels.data() + static_cast<size_t>(y) * image.width;
    for (int x = 0; x < image.width; ++x) {
      if (row[x] < kInkLevel) inked[static_cast<size_t>(y / tile) * tx + x / tile] = 1;
    }
  }
  const long count = std::count(inked.begin(), inked.end(), 1);
  return count >= kMinInkedShare * static_cast<double>(inked.size());
}

int MergeImageWords(Page* text_page, const Page& ocr_page) {
  const std::optional<TextGrid> grid = MakeGrid(*text_page);
  if (!grid) return 0;
  const std::vector<Word>& layer = text_page->words;
  Page image;  // the added words, whose lines are built apart from the text layer's
  image.number = text_page->number;
  image.width = text_page->width;
  image.height = text_page->height;
  double confidence = 0;
  for (const Word& w : ocr_page.words) {
    if (w.confidence < kMinMergedConfidence || CountedChars(w.text) == 0) continue;
    if (grid->Used(w.box.CenterX(), w.box.CenterY())) continue;
    const double area = std::max(1e-6, w.box.Width() * w.box.Height());
    bool covered = false;
    for (const Word& t : layer) {
      const double t_area = std::max(1e-6, t.box.Width() * t.box.Height());
      if (OverlapArea(w.box, t.box) > 0.3 * std::min(area, t_area)) {
        covered = true;
        break;
      }
    }
    if (covered) continue;
    confidence += w.confidence;
    image.words.push_back(w);
  }
  if (image.words.empty()) return 0;
  const int n = static_cast<int>(image.words.size());
  text_page->ocr_confidence = static_cast<float>(confidence / n);
  BuildLines(text_page);
  BuildLines(&image);
  const int first = static_cast<int>(text_page->lines.size());
  for (Line& line : image.lines) {
    line.index += first;
    text_page->lines.push_back(std::move(line));
  }
  text_page->words.insert(text_page->words.end(), image.words.begin(), image.words.end());
  return n;
}

}  // namespace billwise
