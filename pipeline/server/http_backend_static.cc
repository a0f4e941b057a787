// GetHttpBackend for programs that link cpp-httplib themselves (library
// billwise_http_static): the in-process adapter, always available.
#include "pipeline/server/http_listener.h"
#include "pipeline/server/httplib_listener.h"

namespace billwise {

Expected<const HttpBackend*> GetHttpBackend() { return &HttplibBackend(); }

}  // namespace billwise
