#include "pipeline/modules/module_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#ifndef BILLWISE_MODULE_RELDIR
#define BILLWISE_MODULE_RELDIR "../lib/billwise"
#endif

namespace billwise {
namespace {

Expected<void*> Open(const ModuleSpec& spec, const std::string& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return Fail(ErrorCode::kMissingDependency, "the " + std::string(spec.what) + " " + path +
                                                   " cannot be loaded: " + (why ? why : "unknown error"));
  }
  const std::string symbol(spec.symbol);
  void* entry = dlsym(handle, symbol.c_str());
  if (entry == nullptr) {
    return Fail(ErrorCode::kMissingDependency,
                "the " + std::string(spec.what) + " " + path + " is not a billwise module (no " + symbol + ")");
  }
  return entry;
}

}  // namespace

std::string ExecutableDir() {
  std::string path(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<size_t>(n) >= path.size()) return "";
  path.resize(static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash == 0 ? 1 : slash);
}

std::string_view InstalledModuleRelDir() { return BILLWISE_MODULE_RELDIR; }

Expected<void*> LoadModuleEntry(const ModuleSpec& spec) {
  const std::string dir = ExecutableDir();
  if (dir.empty()) {
    return Fail(ErrorCode::kMissingDependency, "cannot find the " + std::string(spec.what) +
                                                   ": the executable's folder is unknown (/proc/self/exe)");
  }
  const std::string beside = dir + "/" + std::string(spec.file);
  const std::string installed = dir + "/" + BILLWISE_MODULE_RELDIR + "/" + std::string(spec.file);
  for (const std::string& path : {beside, installed}) {
    if (access(path.c_str(), F_OK) == 0) return Open(spec, path);
  }
  return Fail(ErrorCode::kMissingDependency, "the " + std::string(spec.what) + " is not installed (looked for " +
                                                 beside + " and " + installed + "); it is needed " +
                                                 std::string(spec.needed_for));
}

}  // namespace billwise
