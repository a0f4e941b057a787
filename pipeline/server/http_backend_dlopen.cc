// GetHttpBackend for the billwise executable (library billwise_http_dlopen): loads the
// module billwise-http.so on first use (pipeline/modules/module_loader.h says where it looks).
#include "pipeline/modules/module_loader.h"
#include "pipeline/server/http_listener.h"

namespace billwise {
namespace {

Expected<const HttpBackend*> Load() {
  auto entry = LoadModuleEntry(ModuleSpec{.file = kHttpModuleFile,
                                          .symbol = kHttpModuleSymbol,
                                          .what = "HTTP module",
                                          .needed_for = "to serve the local web page (billwise serve)"});
  if (!entry) return std::unexpected(entry.error());
  const HttpBackend* backend = reinterpret_cast<HttpModuleEntry>(*entry)(kHttpBackendAbi);
  if (backend == nullptr) {
    return Fail(ErrorCode::kMissingDependency,
                "the HTTP module billwise-http.so belongs to another version of billwise; reinstall billwise");
  }
  return backend;
}

}  // namespace

Expected<const HttpBackend*> GetHttpBackend() {
  static const Expected<const HttpBackend*> backend = Load();
  return backend;
}

}  // namespace billwise
