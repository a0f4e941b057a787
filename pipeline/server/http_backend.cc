// GetHttpBackend: the cpp-httplib adapter (httplib_listener.h).
#include "pipeline/server/http_listener.h"
#include "pipeline/server/httplib_listener.h"

namespace billwise {

Expected<const HttpBackend*> GetHttpBackend() { return &HttplibBackend(); }

}  // namespace billwise
