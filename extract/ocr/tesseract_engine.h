// TesseractEngine: the one adapter around Tesseract's C++ API.
//
// One instance owns one TessBaseAPI initialised for English with the LSTM engine and page
// segmentation mode 6 (a single uniform block), which keeps table rows in order where the
// automatic layout mode reads multi-column headers column by column. Recognize() turns an
// 8-bit page into a Page of Words: text, box converted from pixels to PDF points
// (x * 72 / dpi), confidence 0..100; origin kOcr; ocr_confidence = mean word confidence.
// Short words Tesseract is unsure of (a thin "1" alone in a quantity column) get a second
// look: after the page read, each word of at most RereadOptions::max_chars characters, with
// a letter or digit in it, read with a confidence below RereadOptions::below_confidence is
// read again on its own (PSM 7, a single text line, on the word's box plus a margin), and
// the new reading replaces the first only when it is still one word, Tesseract is more
// confident in it and that confidence is itself at least below_confidence. The box is kept.
// A band of print the page read left without any word (one uniform block drops a letterhead
// set much larger than the text under it) is read again on its own as a single line (PSM 7),
// and its words are added when the line reads clean (mean confidence 80, each word 60).
// extract/ocr/README.md has the measurements behind the defaults.
// Pages turned 90/180/270 degrees are detected with Tesseract's orientation model
// (osd.traineddata, run on a downscaled copy) and turned upright before recognition, but
// only when the detection is confident.
//
// Thread-safety: an instance is NOT thread-safe; give each worker thread its own (Create
// costs about 0.2 s, so keep it for the process lifetime). Distinct instances may run
// concurrently. Each call keeps libtesseract's OpenMP regions on the calling thread (the
// thread's max-active-levels set to 0), so no environment variable or re-execution is needed
// and a worker never costs more than one core.
// Failure: missing tessdata gives kMissingDependency; a recognition failure kInternal.
#ifndef BILLWISE_EXTRACT_OCR_TESSERACT_ENGINE_H_
#define BILLWISE_EXTRACT_OCR_TESSERACT_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/image.h"
#include "pipeline/model/page.h"

namespace tesseract {
class TessBaseAPI;
}  // namespace tesseract

namespace billwise {

// Which words Recognize reads a second time (see above). below_confidence <= 0 turns the
// second look off.
struct RereadOptions {
  float below_confidence = 80.0f;  // words read with a confidence below this, ...
  int max_chars = 3;               // ... of at most this many characters (UTF-8 code points)
};

// What the last Recognize call did beyond the page read (tests and benchmarks).
struct RecognizeStats {
  int words = 0;     // words on the page
  int reread = 0;    // words read a second time
  int replaced = 0;  // of those, words whose second reading was kept
  int bands = 0;     // bands of print with no word, read again as a line
  int band_words = 0;  // words those readings added
};

class TesseractEngine {
 public:
  // Loads the English LSTM model (and, on first orientation check, the OSD model) from
  // Debian's tessdata folder, or from `tessdata_dir` when given.
  static Expected<std::unique_ptr<TesseractEngine>> Create(const char* tessdata_dir = nullptr);
  ~TesseractEngine();
  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;

  // Reads the page. When `detect_orientation` is set the page is first checked for a
  // 90/180/270 degree turn (Page::rotation says how far it was turned, clockwise).
  Expected<Page> Recognize(const GrayImage& image, bool detect_orientation = true);

  // Clockwise quarter turns (0..3) that bring the page upright; 0 when the orientation
  // model is missing, unsure (confidence below `min_confidence`) or the page has too
  // little text. Runs on a copy downscaled to about 150 dpi.
  int DetectQuarterTurns(const GrayImage& image, float min_confidence = 5.0f);

  // The second look at short doubtful words; the defaults are on.
  void SetReread(const RereadOptions& options) { reread_ = options; }
  const RereadOptions& reread() const { return reread_; }
  const RecognizeStats& last_stats() const { return stats_; }

 private:
  struct PixelWord;
  TesseractEngine();
  std::vector<PixelWord> RecognizedWords();
  void RereadShortWords(int image_width, int image_height, std::vector<PixelWord>* words);
  void ReadMissedBands(const GrayImage& image, std::vector<PixelWord>* words);
  std::unique_ptr<tesseract::TessBaseAPI> api_;
  std::unique_ptr<tesseract::TessBaseAPI> osd_;  // created on the first orientation check
  std::string tessdata_dir_;
  bool osd_failed_ = false;  // the OSD model could not be loaded: do not retry
  RereadOptions reread_;
  RecognizeStats stats_;
};

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_OCR_TESSERACT_ENGINE_H_
