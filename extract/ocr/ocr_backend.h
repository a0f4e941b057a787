// OcrBackend: what the document reader needs from Leptonica and Tesseract, behind one
// interface, so that the code linking those libraries (and the ~40 shared libraries they
// bring in) can live in a module that is loaded only when a document needs it.
//
// The backend is chosen at run time: ReadOptions::ocr (extract/ocr/document_reader.h) and
// EngineOptions::ocr (pipeline/run/run.h) take one, as leveldb's Options take an Env; tests
// pass a fake (tests/ocr/fake_ocr_test.cc). Without one, GetOcrBackend() gives the process's
// Tesseract backend, in one of two ways chosen by the program's BILLWISE_OCR_MODULE property
// (extract/ocr/CMakeLists.txt):
//  - billwise_ocr_static (ocr_backend_static.cc, the default): in process (the program links
//    Tesseract and Leptonica: tests, probes, fuzz targets, benchmarks);
//  - billwise_ocr_dlopen (ocr_backend_dlopen.cc): the module billwise-ocr.so, loaded with
//    dlopen on the first call, from the executable's folder or, when installed, from
//    <exe dir>/../lib/billwise (the billwise executable: a digital PDF never loads it).
//
// Thread-safety: GetOcrBackend() may be called from any thread; it loads at most once per
// process and returns the same answer afterwards. The backend is immutable and never
// destroyed; its methods are thread-safe. An OcrEngine is not: one thread at a time.
// Failure: a module that is missing, cannot be loaded (a library it needs is not installed)
// or was built for another version gives kMissingDependency naming the module's path.
#ifndef BILLWISE_EXTRACT_OCR_OCR_BACKEND_H_
#define BILLWISE_EXTRACT_OCR_OCR_BACKEND_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/image.h"
#include "pipeline/model/page.h"

namespace billwise {

// One page reader (a Tesseract instance, ~0.2 s to create: keep it). Not thread-safe.
class OcrEngine {
 public:
  virtual ~OcrEngine() = default;
  // OcrImage (extract/ocr/ocr_page.h) with the default cleanup: the page with words, lines,
  // confidence and rotation; `number` becomes Page::number.
  virtual Expected<Page> ReadPage(const GrayImage& image, int number) = 0;
};

class OcrBackend {
 public:
  virtual ~OcrBackend() = default;
  // DecodeImages (extract/ocr/leptonica_image.h): PNG, JPEG or TIFF bytes into gray pages,
  // with the page count and per-page pixel limits checked from the headers first.
  virtual Expected<std::vector<GrayImage>> DecodeImages(std::string_view bytes, int64_t max_pixels,
                                                        int max_pages) const = 0;
  // A new engine (kMissingDependency when tessdata is missing).
  virtual Expected<std::unique_ptr<OcrEngine>> CreateEngine() const = 0;
};

// The process's backend (see above for which one).
Expected<const OcrBackend*> GetOcrBackend();

// The module's one exported function: `const OcrBackend* billwise_ocr_backend(int abi)`,
// returning null when `abi` is not the module's kOcrBackendAbi (a module left over from
// another build). Raise kOcrBackendAbi whenever OcrBackend, OcrEngine or a type they pass
// (GrayImage, Page, Error) changes.
inline constexpr char kOcrModuleFile[] = "billwise-ocr.so";
inline constexpr char kOcrModuleSymbol[] = "billwise_ocr_backend";
inline constexpr int kOcrBackendAbi = 1;
using OcrModuleEntry = const OcrBackend* (*)(int abi);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_OCR_OCR_BACKEND_H_
