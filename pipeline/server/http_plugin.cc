// The entry point of the module billwise-http.so (pipeline/server/http_listener.h): the only
// symbol the module exports (http_plugin.map hides the rest, cpp-httplib's included).
#include "pipeline/server/http_listener.h"
#include "pipeline/server/httplib_listener.h"

extern "C" __attribute__((visibility("default"))) const billwise::HttpBackend* billwise_http_backend(
    int abi) {
  if (abi != billwise::kHttpBackendAbi) return nullptr;
  return &billwise::HttplibBackend();
}
