// SHA-256 through nettle (Debian's nettle-dev), the one adapter to that library. Digests
// here identify documents (the case file, batch --resume); they are not used for secrecy
// or signatures.
#include "pipeline/run/sha256.h"

#include <nettle/sha2.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <vector>

namespace billwise {
namespace {

std::string FinishHex(sha256_ctx& context) {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context, sizeof digest, digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof digest);
  for (uint8_t byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

Expected<std::string> Sha256Hex(std::string_view bytes) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  return FinishHex(context);
}

Expected<std::string> Sha256File(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return std::unexpected(ErrorFromErrno(errno, "cannot open the file for reading"));
  sha256_ctx context;
  sha256_init(&context);
  std::vector<uint8_t> block(1 << 16);
  for (;;) {
    const size_t n = std::fread(block.data(), 1, block.size(), file.get());
    sha256_update(&context, n, block.data());
    if (n < block.size()) {
      if (std::ferror(file.get())) return std::unexpected(ErrorFromErrno(errno, "read error while hashing the file"));
      break;
    }
  }
  return FinishHex(context);
}

}  // namespace billwise
