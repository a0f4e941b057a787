#include "extract/ocr/tesseract_engine.h"

#include <dlfcn.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "extract/ocr/leptonica_image.h"

namespace billwise {
namespace {

// Tesseract's Init touches process-wide tables; serialise it (recognition itself runs in
// parallel on distinct instances).
std::mutex& InitMutex() {
  static std::mutex mutex;
  return mutex;
}

// Debian's libtesseract runs parts of LSTM recognition in OpenMP parallel regions with
// explicit num_threads clauses. On a busy machine those teams spin and make one page 3-4x
// more expensive in CPU time, and our own workers already give the parallelism. Setting the
// calling thread's max-active-levels ICV to 0 makes every region it starts run on that one
// thread (OpenMP 5: a per-task ICV, so it is set on each thread that recognises). This does
// at run time what OMP_THREAD_LIMIT=1 does at libgomp load, without re-executing the
// process. Looked up dynamically: present exactly when libtesseract brought in libgomp;
// without it there is nothing to limit.
void SingleThreadedOpenMpOnThisThread() {
  using SetLevels = void (*)(int);
  static const SetLevels set_levels =
      reinterpret_cast<SetLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
  if (set_levels != nullptr) set_levels(0);
}

// Words that are only table rules read as characters ("|", "[", "_") carry no text.
bool IsRuleNoise(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == '|' || c == '[' || c == ']' || c == '{' || c == '}' || c == '_';
  });
}

// Strips a table rule glued to a word ("|Blue", "20.00|").
std::string StripRules(std::string text) {
  while (!text.empty() && (text.front() == '|')) text.erase(text.begin());
  while (!text.empty() && (text.back() == '|')) text.pop_back();
  return text;
}

// UTF-8 code points in `text`.
int CodePoints(const std::string& text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasAlnum(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

// A word as read, box still in pixels (for the second look).
struct TesseractEngine::PixelWord {
  std::string text;
  int left = 0, top = 0, right = 0, bottom = 0;
  float confidence = 0;
};

// The words of api_'s last Recognize, in Tesseract's reading order: rule-drawing characters
// stripped, rule noise and boxless words dropped, confidence clamped to 0..100. Pixel
// coordinates of the image Tesseract was given.
std::vector<TesseractEngine::PixelWord> TesseractEngine::RecognizedWords() {
  std::vector<PixelWord> words;
  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (!it) return words;
  do {
    if (it->Empty(tesseract::RIL_WORD)) continue;
    std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
    if (!text) continue;
    PixelWord w;
    w.text = StripRules(text.get());
    if (w.text.empty() || IsRuleNoise(w.text)) continue;
    if (!it->BoundingBox(tesseract::RIL_WORD, &w.left, &w.top, &w.right, &w.bottom)) continue;
    w.confidence = std::clamp(it->Confidence(tesseract::RIL_WORD), 0.0f, 100.0f);
    words.push_back(std::move(w));
  } while (it->Next(tesseract::RIL_WORD));
  return words;
}

TesseractEngine::TesseractEngine() : api_(std::make_unique<tesseract::TessBaseAPI>()) {}

TesseractEngine::~TesseractEngine() {
  if (osd_) osd_->End();
  if (api_) api_->End();
}

Expected<std::unique_ptr<TesseractEngine>> TesseractEngine::Create(const char* tessdata_dir) {
  SingleThreadedOpenMpOnThisThread();
  std::unique_ptr<TesseractEngine> engine(new TesseractEngine());
  if (tessdata_dir != nullptr) engine->tessdata_dir_ = tessdata_dir;
  int rc;
  {
    std::lock_guard<std::mutex> lock(InitMutex());
    rc = engine->api_->Init(tessdata_dir, "eng", tesseract::OEM_LSTM_ONLY);
  }
  if (rc != 0) {
    return Fail(ErrorCode::kMissingDependency,
                "Tesseract English model (eng.traineddata) not found; install tesseract-ocr-eng");
  }
  engine->api_->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  engine->api_->SetVariable("debug_file", "/dev/null");  // no "Estimating resolution" chatter
  return engine;
}

int TesseractEngine::DetectQuarterTurns(const GrayImage& image, float min_confidence) {
  if (osd_failed_ || image.width < 64 || image.height < 64) return 0;
  SingleThreadedOpenMpOnThisThread();
  if (!osd_) {
    // Orientation needs the legacy-engine OSD model in an instance of its own: the LSTM-only
    // English instance has no classifier to run it with.
    osd_ = std::make_unique<tesseract::TessBaseAPI>();
    int rc;
    {
      std::lock_guard<std::mutex> lock(InitMutex());
      rc = osd_->Init(tessdata_dir_.empty() ? nullptr : tessdata_dir_.c_str(), "osd",
                      tesseract::OEM_TESSERACT_ONLY);
    }
    if (rc != 0) {
      osd_.reset();
      osd_failed_ = true;
      return 0;
    }
    osd_->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    osd_->SetVariable("debug_file", "/dev/null");
  }
  const int dpi = image.dpi > 0 ? image.dpi : 300;
  GrayImage small = dpi > 200 ? Downscale(image, 150.0 / dpi) : image;
  osd_->SetImage(small.pixels.data(), small.width, small.height, 1, small.width);
  osd_->SetSourceResolution(small.dpi > 0 ? small.dpi : 150);
  int degrees = 0;
  float confidence = 0, script_confidence = 0;
  const char* script = nullptr;
  const bool ok = osd_->DetectOrientationScript(&degrees, &confidence, &script, &script_confidence);
  osd_->Clear();
  if (!ok || confidence < min_confidence) return 0;
  // `degrees` is the page's orientation, counter-clockwise; turning it clockwise by the
  // same angle brings it upright (the CLI prints the same as "Rotate: 360 - degrees").
  return ((360 - degrees) % 360) / 90;
}

void TesseractEngine::RereadShortWords(int image_width, int image_height,
                                       std::vector<PixelWord>* words) {
  if (reread_.below_confidence <= 0) return;
  bool line_mode = false;
  for (PixelWord& w : *words) {
    if (w.confidence >= reread_.below_confidence || CodePoints(w.text) > reread_.max_chars ||
        !HasAlnum(w.text)) {
      continue;  // sure enough, long, or punctuation only (mostly specks on a fax)
    }
    // The word's box and a margin of a quarter of its height (at least 3 pixels) all round:
    // enough white for the line finder, too little to take in the next column or row.
    const int margin = std::max(3, (w.bottom - w.top) / 4);
    const int left = std::max(0, w.left - margin), top = std::max(0, w.top - margin);
    const int right = std::min(image_width, w.right + margin);
    const int bottom = std::min(image_height, w.bottom + margin);
    if (right - left < 4 || bottom - top < 4) continue;
    if (!line_mode) {
      api_->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
      line_mode = true;
    }
    api_->SetRectangle(left, top, right - left, bottom - top);
    ++stats_.reread;
    if (api_->Recognize(nullptr) != 0) continue;
    std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
    if (!it) continue;
    std::string text;
    float confidence = 0;
    int count = 0;
    do {
      if (it->Empty(tesseract::RIL_WORD)) continue;
      std::unique_ptr<char[]> t(it->GetUTF8Text(tesseract::RIL_WORD));
      if (!t) continue;
      std::string word = StripRules(t.get());
      if (word.empty() || IsRuleNoise(word)) continue;
      if (++count > 1) break;  // split into words: keep the page's reading
      text = std::move(word);
      confidence = std::clamp(it->Confidence(tesseract::RIL_WORD), 0.0f, 100.0f);
    } while (it->Next(tesseract::RIL_WORD));
    // Kept only when it clears the doubt threshold itself: a small gain in confidence
    // (a receipt's "00" read again as "68)", 54 -> 56) is as often a different misreading.
    if (count != 1 || confidence <= w.confidence || confidence < reread_.below_confidence) {
      continue;
    }
    w.text = std::move(text);
    w.confidence = confidence;
    ++stats_.replaced;
  }
}

// A band: rows of the page image with print on them (kBandInkShare of the row's pixels, or
// kBandMinInk pixels, darker than mid-gray) that no word's box reaches, at least
// kBandMinHeight of the median word height tall and at most kBandMaxHeight of it (a picture
// is not a line).
constexpr double kBandMinHeight = 0.6;
constexpr double kBandMaxHeight = 4.0;
constexpr double kBandInkShare = 0.002;
constexpr int kBandMinInk = 4;
constexpr float kMinBandWordConfidence = 60.0f;
constexpr double kMinBandConfidence = 80.0;  // mean over all the band's words

void TesseractEngine::ReadMissedBands(const GrayImage& image, std::vector<PixelWord>* words) {
  if (words->empty()) return;
  std::vector<int> heights;
  for (const PixelWord& w : *words) heights.push_back(w.bottom - w.top);
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const int median = heights[heights.size() / 2];
  if (median <= 0) return;
  const int h = image.height, width = image.width;
  std::vector<char> covered(h, 0);
  for (const PixelWord& w : *words) {
    for (int y = std::max(0, w.top); y < std::min(h, w.bottom); ++y) covered[y] = 1;
  }
  const int min_ink = std::max(kBandMinInk, static_cast<int>(kBandInkShare * width));
  std::vector<char> inked(h, 0);
  for (int y = 0; y < h; ++y) {
    if (covered[y]) continue;
    const uint8_t* row = image.pixels.data() + static_cast<size_t>(y) * width;
    int n = 0;
    for (int x = 0; x < width && n < min_ink; ++x) n += row[x] < 128;
    inked[y] = n >= min_ink;
  }
  std::vector<std::pair<int, int>> bands;  // [top, bottom)
  for (int y = 0; y < h;) {
    if (!inked[y]) {
      ++y;
      continue;
    }
    int end = y;
    while (end < h && inked[end]) ++end;
    const int tall = end - y;
    if (tall >= kBandMinHeight * median && tall <= kBandMaxHeight * median) bands.emplace_back(y, end);
    y = end;
  }
  if (bands.empty()) return;
  api_->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  for (const auto& [top, bottom] : bands) {
    const int margin = std::max(3, (bottom - top) / 4);
    const int t = std::max(0, top - margin), b = std::min(h, bottom + margin);
    // Read as an image of its own (as a cut-out line is read), not as a rectangle of the
    // page: the page's threshold, set by its body text, can lose a large bold title.
    GrayImage strip;
    strip.width = width;
    strip.height = b - t;
    strip.dpi = image.dpi;
    strip.pixels.assign(image.pixels.begin() + static_cast<std::ptrdiff_t>(t) * width,
                        image.pixels.begin() + static_cast<std::ptrdiff_t>(b) * width);
    PixPtr pix = PixFromGray(strip);
    if (!pix) continue;
    api_->SetImage(pix.get());
    api_->SetSourceResolution(image.dpi > 0 ? image.dpi : 300);
    ++stats_.bands;
    if (api_->Recognize(nullptr) != 0) continue;
    std::vector<PixelWord> read = RecognizedWords();
    double sum = 0;
    for (PixelWord& w : read) {
      // Strip to page pixels, and no taller than the band: the margin can bring in the
      // edge of the row above or a table rule below, and a single-line reading gives its
      // words the whole line's height (a missed table-header row then overlapped the row
      // above and was joined to it: `CODESERVICE`).
      w.top = std::clamp(w.top + t, top, bottom - 1);
      w.bottom = std::clamp(w.bottom + t, w.top + 1, bottom);
      sum += w.confidence;
    }
    // A band that reads as a clean line (a letterhead) is kept; one that reads partly as
    // noise (a shaded table header, a photo's shadow) is not: its few legible words would
    // name some columns of a header and not the others.
    if (read.empty() || sum / static_cast<double>(read.size()) < kMinBandConfidence) continue;
    for (PixelWord& w : read) {
      if (w.confidence < kMinBandWordConfidence) continue;
      words->push_back(std::move(w));
      ++stats_.band_words;
    }
  }
}

Expected<Page> TesseractEngine::Recognize(const GrayImage& input, bool detect_orientation) {
  if (input.width <= 0 || input.height <= 0 ||
      input.pixels.size() != static_cast<size_t>(input.width) * input.height) {
    return Fail(ErrorCode::kInvalidInput, "empty page image");
  }
  Page page;
  page.origin = TextOrigin::kOcr;
  GrayImage turned;
  const GrayImage* image = &input;
  if (detect_orientation) {
    const int turns = DetectQuarterTurns(input);
    if (turns != 0) {
      turned = RotateQuarterTurns(input, turns);
      image = &turned;
      page.rotation = turns * 90;
    }
  }
  const int dpi = image->dpi > 0 ? image->dpi : 300;
  const double to_points = 72.0 / dpi;
  page.width = image->width * to_points;
  page.height = image->height * to_points;

  SingleThreadedOpenMpOnThisThread();
  api_->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  // Handed over as a Pix: Tesseract copies it once, where the raw-bytes overload copies
  // pixel by pixel into a Pix and then copies that again.
  PixPtr pix = PixFromGray(*image);
  if (!pix) return Fail(ErrorCode::kInternal, "page image could not be prepared for Tesseract");
  api_->SetImage(pix.get());
  pix.reset();
  api_->SetSourceResolution(dpi);
  if (api_->Recognize(nullptr) != 0) {
    api_->Clear();
    return Fail(ErrorCode::kInternal, "Tesseract could not recognise the page");
  }
  stats_ = RecognizeStats{};
  std::vector<PixelWord> words = RecognizedWords();
  RereadShortWords(image->width, image->height, &words);
  ReadMissedBands(*image, &words);
  api_->Clear();
  api_->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  stats_.words = static_cast<int>(words.size());
  double confidence_sum = 0;
  for (PixelWord& pw : words) {
    Word w;
    w.text = std::move(pw.text);
    w.box = Box{pw.left * to_points, pw.top * to_points, pw.right * to_points,
                pw.bottom * to_points};
    w.confidence = pw.confidence;
    confidence_sum += w.confidence;
    page.words.push_back(std::move(w));
  }
  page.ocr_confidence =
      page.words.empty() ? 0.0f : static_cast<float>(confidence_sum / page.words.size());
  return page;
}

}  // namespace billwise
