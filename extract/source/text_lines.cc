#include "extract/source/text_lines.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace billwise {
namespace {

// Tuning constants, in units of the quantity named.
constexpr double kJoinOverlap = 0.5;       // vertical overlap / smaller height to share a line
constexpr double kSmallMarkRatio = 0.7;   // a word this much smaller than the line's band
constexpr double kSmallMarkOverlap = 0.3;  // ... joins it with this much overlap
constexpr double kMergeOverlap = 0.55;     // same, for merging two finished lines
constexpr double kCellGapChars = 1.6;      // gap wider than this many char widths splits cells
constexpr double kCellGapHeights = 0.5;    // ... or wider than this fraction of the line height
constexpr double kTouchGapHeights = 0.1;   // gap narrower than this joins words without a space
constexpr double kTailMinRatio = 0.6;      // a word updates a line's running band only when its
constexpr double kTailMaxRatio = 1.6;      // height is within these ratios of the band's
constexpr double kDuplicateOverlap = 0.7;  // intersection / area for a fake-bold duplicate
constexpr double kFallbackCharWidth = 6.0;

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Box Union(const Box& a, const Box& b) {
  return Box{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1),
             std::max(a.y1, b.y1)};
}

double Overlap(double a0, double a1, double b0, double b1) {
  return std::min(a1, b1) - std::max(a0, b0);
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  return v[mid];
}

// Text drawn vertically (a margin note, a rotated watermark): tall narrow box of several chars.
bool IsVertical(const Word& w) {
  return CodePoints(w.text) >= 3 && w.box.Height() > 1.5 * w.box.Width();
}

// Drops words drawn twice at nearly the same place with the same text (fake bold, shadows).
std::vector<Word> UsableWords(const std::vector<Word>& in) {
  std::vector<const Word*> ptrs;
  ptrs.reserve(in.size());
  for (const Word& w : in) {
    if (w.text.empty() || !(w.box.Width() >= 0) || !(w.box.Height() > 0)) continue;
    if (!std::isfinite(w.box.x0) || !std::isfinite(w.box.y0) || !std::isfinite(w.box.x1) ||
        !std::isfinite(w.box.y1)) {
      continue;
    }
    ptrs.push_back(&w);
  }
  std::vector<const Word*> sorted = ptrs;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Word* a, const Word* b) {
    if (a->text != b->text) return a->text < b->text;
    return a->box.y0 < b->box.y0;
  });
  // A word is dropped when an earlier kept copy (same text, lower or equal y0) overlaps it by
  // kDuplicateOverlap of the larger area. That overlap needs ix >= 0.7 * max(widths) and widths
  // within 1/0.7 of each other, so the copy's x0 lies within 0.43 * width of the word's: only
  // kept copies still level with the sweep (y1 >= y0) and near in x0 are compared.
  std::vector<bool> drop_sorted(sorted.size(), false);
  std::multimap<double, size_t> kept;  // x0 -> index in `sorted`, of kept copies of one text
  for (size_t begin = 0; begin < sorted.size();) {
    size_t end = begin + 1;
    while (end < sorted.size() && sorted[end]->text == sorted[begin]->text) ++end;
    kept.clear();
    for (size_t j = begin; j < end; ++j) {
      const Box& b = sorted[j]->box;
      const double reach = 1.5 * b.Width();
      auto it = kept.lower_bound(b.x0 - reach);
      while (it != kept.end() && it->first <= b.x0 + reach) {
        const Box& a = sorted[it->second]->box;
        if (b.y0 > a.y1) {  // the sweep has passed it for good
          it = kept.erase(it);
          continue;
        }
        const double ix = Overlap(a.x0, a.x1, b.x0, b.x1);
        const double iy = Overlap(a.y0, a.y1, b.y0, b.y1);
        ++it;
        if (ix <= 0 || iy <= 0) continue;
        const double area = std::max(a.Width() * a.Height(), b.Width() * b.Height());
        if (area > 0 && ix * iy >= kDuplicateOverlap * area) {
          drop_sorted[j] = true;
          break;
        }
      }
      if (!drop_sorted[j]) kept.emplace(b.x0, j);
    }
    begin = end;
  }
  std::vector<const Word*> dropped;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (drop_sorted[i]) dropped.push_back(sorted[i]);
  }
  std::sort(dropped.begin(), dropped.end());
  std::vector<Word> out;
  out.reserve(ptrs.size());
  for (const Word* w : ptrs) {
    if (!std::binary_search(dropped.begin(), dropped.end(), w)) out.push_back(*w);
  }
  return out;
}

struct Group {
  std::vector<size_t> words;
  double tail_y0 = 0, tail_y1 = 0;  // running band of the most recent (leftmost-to-right) words
  bool open = true;                 // vertical words sit alone in closed groups
  // Filled before merging.
  double band_y0 = 0, band_y1 = 0, x0 = 0, x1 = 0;
};

void ComputeBand(const std::vector<Word>& words, Group* g) {
  std::vector<double> y0s, y1s;
  g->x0 = 1e300;
  g->x1 = -1e300;
  for (size_t i : g->words) {
    y0s.push_back(words[i].box.y0);
    y1s.push_back(words[i].box.y1);
    g->x0 = std::min(g->x0, words[i].box.x0);
    g->x1 = std::max(g->x1, words[i].box.x1);
  }
  g->band_y0 = Median(y0s);
  g->band_y1 = Median(y1s);
  if (g->band_y1 <= g->band_y0) g->band_y1 = g->band_y0 + 1e-3;
}

// True when some word of a and some word of b overlap horizontally by a real amount: the two
// groups are then separate rows (or a stacked cell), not halves of one row.
bool Interleaved(const std::vector<Word>& words, const Group& a, const Group& b) {
  for (size_t i : a.words) {
    for (size_t j : b.words) {
      const Box& p = words[i].box;
      const Box& q = words[j].box;
      const double ov = Overlap(p.x0, p.x1, q.x0, q.x1);
      if (ov > 0.3 * std::max(1e-3, std::min(p.Width(), q.Width()))) return true;
    }
  }
  return false;
}

// Open lines by the running band of their tail, so a word is compared only with the lines
// whose band can overlap it. Bands are filed by height class (a power of two): a band of
// height below 2^e that overlaps [y0, y1] starts above y0 - 2^e, so each class is searched
// over a window of starts. Bands of no positive finite height are compared with every word
// (infinite ones) or with none (they can never overlap by a positive share).
class TailIndex {
 public:
  void Insert(size_t group, double y0, double y1) {
    const double th = y1 - y0;
    if (!(th > 0)) return;
    if (!std::isfinite(th)) {
      unbounded_.insert(group);
      return;
    }
    int e = 0;
    std::frexp(th, &e);
    classes_[e].emplace(y0, group);
  }

  void Erase(size_t group, double y0, double y1) {
    const double th = y1 - y0;
    if (!(th > 0)) return;
    if (!std::isfinite(th)) {
      unbounded_.erase(group);
      return;
    }
    int e = 0;
    std::frexp(th, &e);
    auto cls = classes_.find(e);
    if (cls == classes_.end()) return;
    cls->second.erase({y0, group});
    if (cls->second.empty()) classes_.erase(cls);
  }

  // Every filed line whose band may overlap [y0, y1] (a superset), in no particular order.
  void Candidates(double y0, double y1, std::vector<size_t>* out) const {
    out->assign(unbounded_.begin(), unbounded_.end());
    for (const auto& [e, starts] : classes_) {
      const double reach = std::ldexp(2.0, e);  // twice the class bound, for rounding
      for (auto it = starts.upper_bound({y0 - reach, kNoGroup}); it != starts.end(); ++it) {
        if (!(it->first < y1)) break;
        out->push_back(it->second);
      }
    }
  }

 private:
  static constexpr size_t kNoGroup = static_cast<size_t>(-1);
  std::map<int, std::set<std::pair<double, size_t>>> classes_;
  std::set<size_t> unbounded_;
};

std::vector<Group> GroupWords(const std::vector<Word>& words) {
  std::vector<size_t> order(words.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (words[a].box.x0 != words[b].box.x0) return words[a].box.x0 < words[b].box.x0;
    return words[a].box.y0 < words[b].box.y0;
  });

  std::vector<Group> groups;
  TailIndex index;
  std::vector<size_t> candidates;
  for (size_t wi : order) {
    const Word& w = words[wi];
    if (IsVertical(w)) {
      Group g;
      g.words.push_back(wi);
      g.open = false;
      groups.push_back(std::move(g));
      continue;
    }
    const double h = w.box.Height();
    const double cy = w.box.CenterY();
    int best = -1;
    double best_score = -1e300;
    index.Candidates(w.box.y0, w.box.y1, &candidates);
    for (size_t gi : candidates) {
      const Group& g = groups[gi];
      const double th = g.tail_y1 - g.tail_y0;
      const double mh = std::min(h, th);
      if (mh <= 0) continue;
      const double ratio = Overlap(w.box.y0, w.box.y1, g.tail_y0, g.tail_y1) / mh;
      // A mark much smaller than the line (superscript, footnote sign) may stick out more.
      const double need = h <= kSmallMarkRatio * th ? kSmallMarkOverlap : kJoinOverlap;
      if (ratio < need) continue;
      const double score = ratio - std::abs(cy - (g.tail_y0 + g.tail_y1) / 2) / std::max(h, th);
      // Equal scores go to the line opened first.
      if (score > best_score ||
          (score == best_score && best >= 0 && gi < static_cast<size_t>(best))) {
        best_score = score;
        best = static_cast<int>(gi);
      }
    }
    if (best < 0) {
      Group g;
      g.words.push_back(wi);
      g.tail_y0 = w.box.y0;
      g.tail_y1 = w.box.y1;
      index.Insert(groups.size(), g.tail_y0, g.tail_y1);
      groups.push_back(std::move(g));
      continue;
    }
    Group& g = groups[static_cast<size_t>(best)];
    const double th = g.tail_y1 - g.tail_y0;
    const double r = h / th;
    const double old_y0 = g.tail_y0, old_y1 = g.tail_y1;
    if (r >= kTailMinRatio && r <= kTailMaxRatio) {
      g.tail_y0 = 0.5 * g.tail_y0 + 0.5 * w.box.y0;
      g.tail_y1 = 0.5 * g.tail_y1 + 0.5 * w.box.y1;
    } else if (g.words.size() == 1 && (r > kTailMaxRatio || r < kTailMinRatio)) {
      // The line started with a superscript or a stray mark, or with something much taller
      // than text (a logo block, a drop capital): take the real text's band, so the tall
      // start does not gather the rows beside it into one line.
      g.tail_y0 = w.box.y0;
      g.tail_y1 = w.box.y1;
    }
    if (g.tail_y0 != old_y0 || g.tail_y1 != old_y1) {
      index.Erase(static_cast<size_t>(best), old_y0, old_y1);
      index.Insert(static_cast<size_t>(best), g.tail_y0, g.tail_y1);
    }
    g.words.push_back(wi);
  }

  for (Group& g : groups) ComputeBand(words, &g);
  // Merge rows that were split (skew, a right-hand column that began a row of its own).
  bool merged = true;
  while (merged) {
    merged = false;
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
      return a.band_y0 + a.band_y1 < b.band_y0 + b.band_y1;
    });
    for (size_t i = 0; i + 1 < groups.size() && !merged; ++i) {
      if (!groups[i].open) continue;
      for (size_t j = i + 1; j < groups.size(); ++j) {
        Group& a = groups[i];
        Group& b = groups[j];
        if (b.band_y0 > a.band_y1) break;
        if (!b.open) continue;
        const double mh = std::min(a.band_y1 - a.band_y0, b.band_y1 - b.band_y0);
        const double ov = Overlap(a.band_y0, a.band_y1, b.band_y0, b.band_y1);
        if (mh <= 0 || ov < kMergeOverlap * mh) continue;
        if (Interleaved(words, a, b)) continue;
        a.words.insert(a.words.end(), b.words.begin(), b.words.end());
        ComputeBand(words, &a);
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(j));
        merged = true;
        break;
      }
    }
  }
  return groups;
}

void AppendSpaces(std::string* s, size_t n) { s->append(n, ' '); }

}  // namespace

double AverageCharWidth(const std::vector<Word>& words) {
  double width = 0;
  size_t chars = 0;
  for (const Word& w : words) {
    const size_t n = CodePoints(w.text);
    if (n == 0 || IsVertical(w) || !(w.box.Width() > 0)) continue;
    width += w.box.Width();
    chars += n;
  }
  return chars == 0 ? 0 : width / static_cast<double>(chars);
}

void BuildLines(Page* page) {
  page->lines.clear();
  const std::vector<Word> words = UsableWords(page->words);
  if (words.empty()) return;

  double page_cw = AverageCharWidth(words);
  if (!(page_cw > 0)) page_cw = kFallbackCharWidth;
  double left = 1e300;
  for (const Word& w : words) {
    if (!IsVertical(w)) left = std::min(left, w.box.x0);
  }
  if (left == 1e300) left = 0;

  std::vector<Group> groups = GroupWords(words);
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    const double ca = a.band_y0 + a.band_y1, cb = b.band_y0 + b.band_y1;
    if (ca != cb) return ca < cb;
    return a.x0 < b.x0;
  });

  page->lines.reserve(groups.size());
  for (Group& g : groups) {
    std::stable_sort(g.words.begin(), g.words.end(), [&](size_t a, size_t b) {
      return words[a].box.x0 < words[b].box.x0;
    });
    Line line;
    line.page = page->number;
    line.index = static_cast<int>(page->lines.size());
    std::vector<double> heights;
    for (size_t i : g.words) heights.push_back(words[i].box.Height());
    const double h = Median(heights);
    std::vector<Word> lw;
    for (size_t i : g.words) lw.push_back(words[i]);
    double line_cw = AverageCharWidth(lw);
    if (!(line_cw > 0)) line_cw = page_cw;
    const double split_gap = std::max(kCellGapChars * line_cw, kCellGapHeights * h);
    const double touch_gap = kTouchGapHeights * h;

    line.box = lw.front().box;
    line.confidence = lw.front().confidence;
    for (size_t k = 0; k < lw.size(); ++k) {
      const Word& w = lw[k];
      line.box = Union(line.box, w.box);
      line.confidence = std::min(line.confidence, w.confidence);
      const double gap = k == 0 ? 1e300 : w.box.x0 - line.cells.back().box.x1;
      if (k == 0 || gap > split_gap) {
        line.cells.push_back(Cell{w.text, w.box, w.confidence});
        continue;
      }
      Cell& c = line.cells.back();
      if (gap >= touch_gap) c.text += ' ';
      c.text += w.text;
      c.box = Union(c.box, w.box);
      c.confidence = std::min(c.confidence, w.confidence);
    }
    line.words = std::move(lw);

    size_t col_now = 0;  // code points written so far
    for (size_t k = 0; k < line.cells.size(); ++k) {
      const Cell& c = line.cells[k];
      const double x = std::max(0.0, (c.box.x0 - left) / page_cw);
      size_t col = static_cast<size_t>(std::lround(x));
      if (k > 0) col = std::max(col, col_now + 2);
      if (col > col_now) AppendSpaces(&line.text, col - col_now);
      col_now = std::max(col, col_now);
      line.text += c.text;
      col_now += CodePoints(c.text);
    }
    page->lines.push_back(std::move(line));
  }
}

}  // namespace billwise
