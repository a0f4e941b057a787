// The web page's files, built into the binary from pipeline/server/web/ by a CMake step
// (embed_assets.cmake writes web_assets_data.cc). Immutable; thread-safe.
#ifndef BILLWISE_PIPELINE_SERVER_WEB_ASSETS_H_
#define BILLWISE_PIPELINE_SERVER_WEB_ASSETS_H_

#include <cstddef>
#include <string_view>

namespace billwise {

struct WebAsset {
  const char* path;        // "/index.html", "/app.js"...
  const char* mime_type;   // "text/html; charset=utf-8"...
  const unsigned char* data;
  size_t size;
};

// The asset served at `path` ("/" is "/index.html"), or nullptr.
const WebAsset* FindWebAsset(std::string_view path);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_WEB_ASSETS_H_
