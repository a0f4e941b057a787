// GetOcrBackend for the billwise executable (library billwise_ocr_dlopen): loads the module
// billwise-ocr.so on the first call and keeps it for the process (it is never unloaded).
//
// It looks for the module, in this order:
//  1. the folder of the running executable (/proc/self/exe): the build tree puts it there;
//  2. <exe dir>/BILLWISE_MODULE_RELDIR, the install location relative to the installed
//     executable (lib/billwise under the prefix, see the top-level CMakeLists.txt).
// RTLD_NOW makes a module whose libraries are missing fail here, with the loader's message;
// RTLD_LOCAL keeps Tesseract's and Leptonica's symbols out of the program's namespace.
#include <dlfcn.h>
#include <unistd.h>

#include <string>
#include <string_view>

#include "extract/ocr/ocr_backend.h"

#ifndef BILLWISE_MODULE_RELDIR
#define BILLWISE_MODULE_RELDIR "../lib/billwise"
#endif

namespace billwise {
namespace {

// The folder of the running executable, without a trailing slash; empty when unknown.
std::string ExecutableDir() {
  std::string path(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<size_t>(n) >= path.size()) return "";
  path.resize(static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash == 0 ? 1 : slash);
}

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
  const std::string dir = ExecutableDir();
  if (dir.empty()) {
    return Fail(ErrorCode::kMissingDependency,
                "cannot find the OCR module: the executable's folder is unknown (/proc/self/exe)");
  }
  const std::string beside = dir + "/" + kOcrModuleFile;
  const std::string installed = dir + "/" + BILLWISE_MODULE_RELDIR + "/" + kOcrModuleFile;
  for (const std::string& path : {beside, installed}) {
    if (access(path.c_str(), F_OK) == 0) return Open(path);
  }
  return Fail(ErrorCode::kMissingDependency, "the OCR module is not installed (looked for " + beside + " and " +
                                                 installed + "); it is needed to read scanned pages and images");
}

}  // namespace

Expected<const OcrBackend*> GetOcrBackend() {
  static const Expected<const OcrBackend*> backend = Load();
  return backend;
}

}  // namespace billwise
