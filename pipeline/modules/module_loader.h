// Loadable modules: parts of billwise that link heavy third-party libraries (Tesseract and
// Leptonica for OCR, PoDoFo for PDF writing, cpp-httplib for the local web page) are built
// as shared objects that the billwise executable loads with dlopen only when a command
// needs them, so reading a digital bill never pays for loading libraries it does not use.
//
// A module exports one C function, `const Interface* <symbol>(int abi)`, that returns its
// implementation of an abstract interface, or null when `abi` is not the version the
// module was built for (a module left over from another build).
//
// LoadModuleEntry looks for the module file, in this order:
//  1. the folder of the running executable (/proc/self/exe): the build tree puts it there;
//  2. <exe dir>/BILLWISE_MODULE_RELDIR, the install location relative to the installed
//     executable (lib/billwise under the prefix, see the top-level CMakeLists.txt).
// It opens the module with RTLD_NOW (a module whose libraries are missing fails here, with
// the loader's message, rather than on a later call) and RTLD_LOCAL (the libraries' symbols
// stay out of the program's namespace). A module is never unloaded.
//
// Failure: kMissingDependency naming the module, what it is needed for and the paths tried.
// Thread-safety: safe to call from any thread; callers keep the result in a function-local
// static so that each module is loaded at most once per process.
#ifndef BILLWISE_PIPELINE_MODULES_MODULE_LOADER_H_
#define BILLWISE_PIPELINE_MODULES_MODULE_LOADER_H_

#include <string>
#include <string_view>

#include "pipeline/model/error.h"

namespace billwise {

struct ModuleSpec {
  std::string_view file;     // "billwise-ocr.so"
  std::string_view symbol;   // "billwise_ocr_backend"
  std::string_view what;     // "OCR module", in messages
  std::string_view needed_for;  // "to read scanned pages and images", in messages
};

// The module's entry function (to be cast to the module's entry type).
Expected<void*> LoadModuleEntry(const ModuleSpec& spec);

// The module's implementation of `Interface`: its entry, `const Interface* (*)(int abi)`,
// called with `abi`. kMissingDependency when the module cannot be loaded (LoadModuleEntry)
// or answers null, being built for another version of billwise.
template <typename Interface>
Expected<const Interface*> LoadModule(const ModuleSpec& spec, int abi) {
  auto entry = LoadModuleEntry(spec);
  if (!entry) return std::unexpected(entry.error());
  using Entry = const Interface* (*)(int);
  const Interface* implementation = reinterpret_cast<Entry>(*entry)(abi);
  if (implementation == nullptr) {
    return Fail(ErrorCode::kMissingDependency, "the " + std::string(spec.what) + " " + std::string(spec.file) +
                                                   " belongs to another version of billwise; reinstall billwise");
  }
  return implementation;
}

// The folder of the running executable, without a trailing slash; empty when unknown.
std::string ExecutableDir();

// Where the installed executable looks for modules, relative to its own folder.
std::string_view InstalledModuleRelDir();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODULES_MODULE_LOADER_H_
