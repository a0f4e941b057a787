// Fuzz target: one client connection's bytes, as the server reads them (request lines,
// headers, keep-alive, Content-Length, chunked and gzip/deflate/brotli bodies, multipart,
// JSON bodies), through cpp-httplib, this project's adapter (pipeline/server/
// httplib_listener.cc) and the server's routes (pipeline/server/server.cc) with a fake
// backend. Checks: no crash, no sanitizer report, no hang past the limits, and every answer
// starts with a status line and carries the security headers. The server listens on a port
// of its own choosing, so "127.0.0.1:8080" in the input (the seeds' Host and Origin) is
// replaced by its address: requests get past the Host and Origin checks to the routes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/fuzz/server_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise::fuzzing;
  std::string request(reinterpret_cast<const char*>(data), size);
  const std::string seed_address = "127.0.0.1:8080";
  const std::string address = "127.0.0.1:" + std::to_string(FuzzServer().port());
  for (size_t at = 0; (at = request.find(seed_address, at)) != std::string::npos; at += address.size()) {
    request.replace(at, seed_address.size(), address);
  }
  CheckAnswer(Exchange(request));
  return 0;
}
