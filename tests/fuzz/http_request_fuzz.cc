// Fuzz target: one client connection's bytes, as the server reads them (request lines,
// headers, keep-alive, Content-Length, chunked and gzip/deflate/brotli bodies, multipart,
// JSON bodies), through cpp-httplib, this project's adapter (pipeline/server/
// httplib_listener.cc) and the server's routes (pipeline/server/server.cc) with simple
// hooks. Checks: no crash, no sanitizer report, no hang past the limits, and every answer
// starts with a status line and carries the security headers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/server_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise::fuzzing;
  std::string_view request(reinterpret_cast<const char*>(data), size);
  CheckAnswer(Exchange(request));
  return 0;
}
