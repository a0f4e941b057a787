#include "extract/ocr/document_reader.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "extract/ocr/ocr_backend.h"
#include "extract/source/image_text.h"
#include "extract/source/pdf_document.h"
#include "extract/source/plain_text.h"
#include "extract/source/sniff.h"

namespace billwise {
namespace {

// Engines outlive the calls that use them: Init costs ~0.2 s, so a batch reuses them.
// Intentionally never destroyed (no teardown ordering against Tesseract's own statics, nor
// against the module that holds their code).
class EnginePool {
 public:
  static EnginePool& Instance() {
    static EnginePool* pool = new EnginePool();
    return *pool;
  }

  Expected<std::unique_ptr<OcrEngine>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!free_.empty()) {
        auto engine = std::move(free_.back());
        free_.pop_back();
        return engine;
      }
    }
    auto backend = GetOcrBackend();
    if (!backend) return std::unexpected(backend.error());
    return (*backend)->CreateEngine();
  }

  void Release(std::unique_ptr<OcrEngine> engine) {
    if (!engine) return;
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(engine));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<OcrEngine>> free_;
};

std::string Format(const char* fmt, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

Diagnostic Note(Severity severity, std::string message, std::optional<int> page) {
  Diagnostic d;
  d.severity = severity;
  d.stage = "ocr";
  d.message = std::move(message);
  d.page = page;
  return d;
}

bool IsFatal(const Error& e) {
  return e.code == ErrorCode::kMissingDependency || e.code == ErrorCode::kLimitExceeded;
}

// Runs `produce(i)` for i in [0, count) on up to `workers` threads, each with its own engine.
// Results land in `out[i]`. Returns the first fatal error, if any.
using ImageSource = std::function<Expected<GrayImage>(int)>;

// The backend a read uses: the one in `options`, else the process's.
Expected<const OcrBackend*> BackendFor(const ReadOptions& options) {
  if (options.ocr != nullptr) return options.ocr;
  return GetOcrBackend();
}

std::optional<Error> RunOcr(int count, int workers, const ImageSource& produce,
                            const std::vector<int>& numbers, const ReadOptions& options,
                            std::vector<Expected<Page>>* out) {
  out->assign(count, Fail(ErrorCode::kInternal, "page not read"));
  if (count == 0) return std::nullopt;
  // Before any page is rendered: without the OCR backend no page can be read.
  auto backend = BackendFor(options);
  if (!backend) return backend.error();
  // Engines of the process's backend are pooled; a given backend's engines live for this call.
  const bool pooled = options.ocr == nullptr;
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::optional<Error> fatal;
  auto work = [&] {
    std::unique_ptr<OcrEngine> engine;
    for (;;) {
      if (stop.load()) break;
      const int i = next.fetch_add(1);
      if (i >= count) break;
      Expected<Page> page = [&]() -> Expected<Page> {
        auto image = produce(i);
        if (!image) return std::unexpected(image.error());
        if (!engine) {
          auto created = pooled ? EnginePool::Instance().Acquire() : (*backend)->CreateEngine();
          if (!created) return std::unexpected(created.error());
          engine = std::move(*created);
        }
        return engine->ReadPage(*image, numbers[i]);
      }();
      if (!page && IsFatal(page.error())) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!fatal) fatal = page.error();
        stop = true;
      }
      (*out)[i] = std::move(page);
    }
    if (pooled) EnginePool::Instance().Release(std::move(engine));
  };
  const int n = std::max(1, std::min(workers, count));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) {
    // Under a memory or process cap a thread may not start (std::system_error, or
    // std::bad_alloc for its state): go on with the workers that did.
    try {
      threads.emplace_back(work);
    } catch (const std::exception&) {
      break;
    }
  }
  work();  // the calling thread is one of the workers
  for (auto& t : threads) t.join();
  return fatal;
}

int WorkerCount(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

std::string TooManyPages(int n, int limit) {
  return "document has " + std::to_string(n) + " pages; the limit is " + std::to_string(limit);
}

void AddOcrNotes(const Page& page, std::vector<Diagnostic>* diagnostics) {
  std::string message = "page " + std::to_string(page.number) + " read by OCR (mean confidence " +
                        Format("%.0f", page.ocr_confidence) + ")";
  if (page.rotation != 0) message += ", turned " + std::to_string(page.rotation) + " degrees";
  diagnostics->push_back(Note(Severity::kInfo, std::move(message), page.number));
  if (page.words.empty()) {
    diagnostics->push_back(
        Note(Severity::kWarning, "page " + std::to_string(page.number) + ": OCR found no text",
             page.number));
  } else if (page.ocr_confidence < kLowOcrConfidence) {
    diagnostics->push_back(Note(Severity::kWarning,
                                "page " + std::to_string(page.number) +
                                    ": low OCR confidence; check the values read from it",
                                page.number));
  }
}

void Summarise(ReadResult* result) {
  int ocr = 0, text = 0;
  double confidence = 0;
  for (const Page& p : result->pages) {
    if (p.origin == TextOrigin::kOcr) {
      ++ocr;
      confidence += p.ocr_confidence;
    } else {
      ++text;
    }
  }
  if (ocr > 0) result->ocr_confidence = confidence / ocr;
  result->text_origin = ocr == 0 ? TextOrigin::kTextLayer : (text == 0 ? TextOrigin::kOcr : TextOrigin::kMixed);
}

// Places the OCR results into the page list, turning per-page failures into diagnostics.
void MergeOcr(std::vector<Expected<Page>>& ocred, const std::vector<int>& slots,
              const std::vector<int>& numbers, ReadResult* result) {
  for (size_t k = 0; k < ocred.size(); ++k) {
    Page& slot = result->pages[slots[k]];
    if (ocred[k]) {
      slot = std::move(*ocred[k]);
      AddOcrNotes(slot, &result->diagnostics);
    } else {
      slot = Page{};
      slot.number = numbers[k];
      slot.origin = TextOrigin::kOcr;
      slot.ocr_confidence = 0;
      result->diagnostics.push_back(Note(Severity::kError,
                                         "page " + std::to_string(numbers[k]) +
                                             " could not be read: " + ocred[k].error().message,
                                         numbers[k]));
    }
  }
}

// True when the text layer of page `index` leaves a large part of the page without words
// while that part, rendered coarsely, is covered with print: a bill placed on the page as an
// image (extract/source/image_text.h). A file with no image, or a page whose words leave no
// large part empty, is settled without rendering anything.
bool HoldsPrintedImage(const PdfDocument& doc, int index, const Page& layer,
                       const ReadOptions& options) {
  if (!doc.MayHoldImages()) return false;
  const std::optional<Box> region = UntextedRegion(layer);
  auto probe = doc.RenderRegion(index, *region, kProbeDpi, options.max_pixels_per_page);
  return probe && LooksPrinted(*probe);
}

// Adds the words OCR read from a text page's image to the page, with a note either way.
void AddImageWords(const Expected<Page>& ocred, Page* page, std::vector<Diagnostic>* diagnostics) {
  const std::string name = "page " + std::to_string(page->number);
  if (!ocred) {
    diagnostics->push_back(Note(Severity::kWarning,
                                name + ": the image on it could not be read: " +
                                    ocred.error().message,
                                page->number));
    return;
  }
  if (ocred->rotation != 0) {
    diagnostics->push_back(Note(Severity::kWarning,
                                name + ": the image on it reads turned; only its text layer was used",
                                page->number));
    return;
  }
  const int added = MergeImageWords(page, *ocred);
  std::string message = name + ": text layer";
  if (added > 0) {
    message += " plus " + std::to_string(added) + " words read by OCR from an image on it (mean confidence " +
               Format("%.0f", page->ocr_confidence) + ")";
  } else {
    message += " only; OCR found no further words in the image on it";
  }
  diagnostics->push_back(Note(Severity::kInfo, std::move(message), page->number));
}

Expected<ReadResult> ReadPdf(std::string_view bytes, const ReadOptions& options) {
  auto doc = PdfDocument::Open(bytes);
  if (!doc) return std::unexpected(doc.error());
  const int n = doc->PageCount();
  if (n > options.max_pages) return Fail(ErrorCode::kLimitExceeded, TooManyPages(n, options.max_pages));
  ReadResult result;
  result.pages.resize(n);
  std::vector<int> to_ocr;  // page indexes
  std::vector<bool> merge(n, false);  // text pages whose OCR'd words are added to the text layer
  for (int i = 0; i < n; ++i) {
    auto layer = doc->TextLayer(i);
    const bool usable = layer && PdfDocument::HasUsableText(*layer);
    if (options.ocr_mode == OcrMode::kAlways || (options.ocr_mode != OcrMode::kNever && !usable)) {
      to_ocr.push_back(i);
      continue;
    }
    if (layer) {
      if (options.ocr_mode == OcrMode::kAuto && HoldsPrintedImage(*doc, i, *layer, options)) {
        merge[i] = true;
        to_ocr.push_back(i);
      }
      result.pages[i] = std::move(*layer);
    } else {
      result.pages[i].number = i + 1;
      result.diagnostics.push_back(Note(Severity::kError,
                                        "page " + std::to_string(i + 1) +
                                            " could not be read: " + layer.error().message,
                                        i + 1));
    }
    if (!usable && options.ocr_mode == OcrMode::kNever) {
      result.diagnostics.push_back(Note(Severity::kWarning,
                                        "page " + std::to_string(i + 1) +
                                            " has no text layer and OCR is off",
                                        i + 1));
    }
  }
  std::mutex doc_mutex;  // one PdfDocument is not thread-safe: render one page at a time
  const ImageSource render = [&](int k) -> Expected<GrayImage> {
    std::lock_guard<std::mutex> lock(doc_mutex);
    return doc->Render(to_ocr[k], options.dpi, options.max_pixels_per_page);
  };
  std::vector<int> numbers;
  for (int i : to_ocr) numbers.push_back(i + 1);
  std::vector<Expected<Page>> ocred;
  if (auto fatal = RunOcr(static_cast<int>(to_ocr.size()), WorkerCount(options.workers), render,
                          numbers, options, &ocred)) {
    return std::unexpected(*fatal);
  }
  // Text pages holding a printed image get the words read from it; the rest take the OCR page.
  std::vector<Expected<Page>> whole;
  std::vector<int> whole_slots, whole_numbers;
  for (size_t k = 0; k < to_ocr.size(); ++k) {
    if (!merge[to_ocr[k]]) {
      whole.push_back(std::move(ocred[k]));
      whole_slots.push_back(to_ocr[k]);
      whole_numbers.push_back(numbers[k]);
    } else {
      AddImageWords(ocred[k], &result.pages[to_ocr[k]], &result.diagnostics);
    }
  }
  MergeOcr(whole, whole_slots, whole_numbers, &result);
  Summarise(&result);
  return result;
}

Expected<ReadResult> ReadImages(std::string_view bytes, const ReadOptions& options) {
  auto backend = BackendFor(options);
  if (!backend) return std::unexpected(backend.error());
  auto images = (*backend)->DecodeImages(bytes, options.max_pixels_per_page, options.max_pages);
  if (!images) return std::unexpected(images.error());
  const int n = static_cast<int>(images->size());
  ReadResult result;
  result.pages.resize(n);
  if (options.ocr_mode == OcrMode::kNever) {
    for (int i = 0; i < n; ++i) {
      result.pages[i].number = i + 1;
      result.pages[i].origin = TextOrigin::kOcr;
      result.diagnostics.push_back(
          Note(Severity::kWarning, "page " + std::to_string(i + 1) + " is an image and OCR is off",
               i + 1));
    }
    result.text_origin = TextOrigin::kOcr;
    return result;
  }
  std::vector<int> slots, numbers;
  for (int i = 0; i < n; ++i) {
    slots.push_back(i);
    numbers.push_back(i + 1);
  }
  const ImageSource take = [&](int k) -> Expected<GrayImage> {
    return std::move((*images)[k]);  // each page is taken by exactly one worker
  };
  std::vector<Expected<Page>> ocred;
  if (auto fatal = RunOcr(n, WorkerCount(options.workers), take, numbers, options, &ocred)) {
    return std::unexpected(*fatal);
  }
  MergeOcr(ocred, slots, numbers, &result);
  Summarise(&result);
  return result;
}

}  // namespace

Expected<ReadResult> ReadDocument(std::string_view bytes, const ReadOptions& options) {
  switch (SniffKind(bytes)) {
    case FileKind::kPdf:
      return ReadPdf(bytes, options);
    case FileKind::kPng:
    case FileKind::kJpeg:
    case FileKind::kTiff:
      return ReadImages(bytes, options);
    case FileKind::kText: {
      // Counted first: a text over the page limit is refused before its pages take memory.
      const int n = CountPlainTextPages(bytes);
      if (n > options.max_pages) {
        return Fail(ErrorCode::kLimitExceeded, TooManyPages(n, options.max_pages));
      }
      ReadResult result;
      result.pages = PagesFromPlainText(bytes);
      result.text_origin = TextOrigin::kPlainText;
      return result;
    }
    case FileKind::kUnknown:
      break;
  }
  return Fail(ErrorCode::kUnsupported, "not a PDF, PNG, JPEG, TIFF or text file");
}

}  // namespace billwise
