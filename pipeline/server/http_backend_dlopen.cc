// GetHttpBackend for the billwise executable (library billwise_http_dlopen): loads the
// module billwise-http.so on first use (pipeline/modules/module_loader.h says where it looks).
#include "pipeline/modules/module_loader.h"
#include "pipeline/server/http_listener.h"

namespace billwise {

Expected<const HttpBackend*> GetHttpBackend() {
  static const Expected<const HttpBackend*> backend = LoadModule<HttpBackend>(
      ModuleSpec{.file = kHttpModuleFile,
                 .symbol = kHttpModuleSymbol,
                 .what = "HTTP module",
                 .needed_for = "to serve the local web page (billwise serve)"},
      kHttpBackendAbi);
  return backend;
}

}  // namespace billwise
