// Fuzz target: an upload's multipart body (the input) posted to /api/analyze with a fixed
// boundary, the way the page sends a bill: httplib's multipart parser, the adapter's part
// collection and payload count, the server's part lookup, profile form and content
// sniffing (SniffUpload). Checks, besides no crash: the SniffUpload contract on the input
// itself (one of the known kinds; "pdf" only with %PDF- in the first KB; "text" only
// without control characters other than tab, CR, LF, FF in the first 64 KB), and a
// well-formed answer with the security headers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pipeline/server/server.h"
#include "tests/fuzz/server_harness.h"

namespace {

void CheckSniff(std::string_view bytes) {
  const std::string kind = billwise::SniffUpload(bytes);
  if (kind == "pdf") {
    if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) std::abort();
  } else if (kind == "text") {
    for (unsigned char c : bytes.substr(0, 65536)) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') std::abort();
    }
  } else if (kind != "" && kind != "png" && kind != "jpeg" && kind != "tiff") {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise::fuzzing;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  CheckSniff(body);
  const std::string request = "POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:" +
                              std::to_string(FuzzServer().port()) +
                              "\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + std::string(body);
  CheckAnswer(Exchange(request));
  return 0;
}
