#include "extract/ocr/ocr_page.h"

#include <time.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/source/text_lines.h"

namespace billwise {
namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A first reading good enough to skip the orientation check: enough words, read with
// confidence. Turned pages measured far below (extract/ocr/README.md).
bool LooksUpright(const Page& page) {
  return page.words.size() >= static_cast<size_t>(kUprightMinWords) &&
         page.ocr_confidence >= kUprightConfidence;
}

class TesseractOcrEngine final : public OcrEngine {
 public:
  explicit TesseractOcrEngine(std::unique_ptr<TesseractEngine> engine)
      : engine_(std::move(engine)) {}
  Expected<Page> ReadPage(const GrayImage& image, int number) override {
    return OcrImage(*engine_, image, number);
  }

 private:
  std::unique_ptr<TesseractEngine> engine_;
};

class InProcessBackend final : public OcrBackend {
 public:
  Expected<std::vector<GrayImage>> DecodeImages(std::string_view bytes, int64_t max_pixels,
                                                int max_pages) const override {
    return billwise::DecodeImages(bytes, max_pixels, max_pages);
  }
  Expected<std::unique_ptr<OcrEngine>> CreateEngine() const override {
    auto engine = TesseractEngine::Create();
    if (!engine) return std::unexpected(engine.error());
    return std::make_unique<TesseractOcrEngine>(std::move(*engine));
  }
};

}  // namespace

const OcrBackend& InProcessOcrBackend() {
  static const InProcessBackend* backend = new InProcessBackend();
  return *backend;
}

Expected<Page> OcrImage(TesseractEngine& engine, const GrayImage& image, int number,
                        const CleanupOptions& cleanup, OcrPageReport* report) {
  OcrPageReport local;
  OcrPageReport& rep = report != nullptr ? *report : local;
  double mark = ThreadCpuSeconds();
  auto lap = [&mark](double* into) {
    const double now = ThreadCpuSeconds();
    *into += now - mark;
    mark = now;
  };
  const GrayImage upright_guess = NormalizeResolution(image);
  rep.dpi = upright_guess.dpi;
  lap(&rep.cpu_resolution);
  // Most pages come upright: read the page as it is first and ask the orientation model only
  // when that reading is poor (a page turned 90/180/270 degrees reads as low-confidence
  // garbage). Saves the OSD pass (and loading its model) on upright pages; a turned page
  // pays one extra recognition.
  GrayImage page = CleanupForOcr(upright_guess, cleanup, &rep.cleanup);
  lap(&rep.cpu_cleanup);
  auto read = engine.Recognize(page, /*detect_orientation=*/false);
  lap(&rep.cpu_recognition);
  if (!read) return read;
  rep.first_pass_confidence = read->ocr_confidence;
  if (!LooksUpright(*read)) {
    rep.quarter_turns = engine.DetectQuarterTurns(upright_guess);
    lap(&rep.cpu_orientation);
    if (rep.quarter_turns != 0) {
      CleanupReport turned_cleanup;
      page = CleanupForOcr(RotateQuarterTurns(upright_guess, rep.quarter_turns), cleanup,
                           &turned_cleanup);
      lap(&rep.cpu_cleanup);
      auto turned = engine.Recognize(page, /*detect_orientation=*/false);
      lap(&rep.cpu_recognition);
      if (!turned) return turned;
      // The orientation model is sure of itself on poor pages too (a standard-mode fax read
      // at 69 upright was turned 180 degrees and then read at 32): the turn is kept only
      // when the page reads better turned.
      if (turned->ocr_confidence > read->ocr_confidence) {
        read = std::move(turned);
        rep.cleanup = turned_cleanup;
      } else {
        rep.quarter_turns = 0;
      }
    }
  }
  read->number = number;
  read->rotation = rep.quarter_turns * 90;
  BuildLines(&*read);
  lap(&rep.cpu_lines);
  return read;
}

}  // namespace billwise
