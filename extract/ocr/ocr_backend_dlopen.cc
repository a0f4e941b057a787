// GetOcrBackend for the billwise executable (library billwise_ocr_dlopen): loads the module
// billwise-ocr.so on the first call and keeps it for the process (it is never unloaded).
//
// It looks for the module beside the executable, then where it is installed
// (CompanionFileCandidates, pipeline/model/program_files.h).
// RTLD_NOW makes a module whose libraries are missing fail here, with the loader's message;
// RTLD_LOCAL keeps Tesseract's and Leptonica's symbols out of the program's namespace.
#include <dlfcn.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "extract/ocr/ocr_backend.h"
#include "pipeline/model/program_files.h"

namespace billwise {
namespace {

Expected<const OcrBackend*> Open(const std::string& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    // Under a memory limit the loader cannot map the module: that is the limit, not a
    // missing library.
    if (why != nullptr && std::string_view(why).find("cannot allocate memory") != std::string_view::npos) {
      return Fail(ErrorCode::kLimitExceeded, "the memory limit leaves no room to load the OCR module");
    }
    return Fail(ErrorCode::kMissingDependency,
                "the OCR module " + path + " cannot be loaded: " + (why ? why : "unknown error"));
  }
  auto entry = reinterpret_cast<OcrModuleEntry>(dlsym(handle, kOcrModuleSymbol));
  if (entry == nullptr) {
    return Fail(ErrorCode::kMissingDependency,
                "the OCR module " + path + " is not a billwise module (no " + kOcrModuleSymbol + ")");
  }
  const OcrBackend* backend = entry(kOcrBackendAbi);
  if (backend == nullptr) {
    return Fail(ErrorCode::kMissingDependency, "the OCR module " + std::string(kOcrModuleFile) +
                                                   " belongs to another version of billwise; reinstall billwise");
  }
  return backend;
}

Expected<const OcrBackend*> Load() {
  const std::vector<std::string> candidates = CompanionFileCandidates(kOcrModuleFile);
  if (candidates.empty()) {
    return Fail(ErrorCode::kMissingDependency,
                "cannot find the OCR module: the executable's folder is unknown (/proc/self/exe)");
  }
  for (const std::string& path : candidates) {
    if (access(path.c_str(), F_OK) == 0) return Open(path);
  }
  return Fail(ErrorCode::kMissingDependency, "the OCR module is not installed (looked for " + candidates[0] +
                                                 " and " + candidates[1] +
                                                 "); it is needed to read scanned pages and images");
}

}  // namespace

Expected<const OcrBackend*> GetOcrBackend() {
  static const Expected<const OcrBackend*> backend = Load();
  return backend;
}

}  // namespace billwise
