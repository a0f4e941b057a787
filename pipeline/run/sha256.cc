#include "pipeline/run/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace billwise {
namespace {

struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Expected<CtxPtr> NewContext() {
  CtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Fail(ErrorCode::kInternal, "OpenSSL could not start a SHA-256 digest");
  }
  return ctx;
}

Expected<std::string> Finish(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, digest, &size) != 1) {
    return Fail(ErrorCode::kInternal, "OpenSSL could not finish a SHA-256 digest");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace

Expected<std::string> Sha256Hex(std::string_view bytes) {
  auto ctx = NewContext();
  if (!ctx) return std::unexpected(ctx.error());
  if (EVP_DigestUpdate(ctx->get(), bytes.data(), bytes.size()) != 1) {
    return Fail(ErrorCode::kInternal, "OpenSSL SHA-256 update failed");
  }
  return Finish(ctx->get());
}

Expected<std::string> Sha256File(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Fail(ErrorCode::kNotFound, "cannot open the file for reading");
  auto ctx = NewContext();
  if (!ctx) return std::unexpected(ctx.error());
  std::vector<unsigned char> block(1 << 16);
  for (;;) {
    size_t n = std::fread(block.data(), 1, block.size(), file.get());
    if (n > 0 && EVP_DigestUpdate(ctx->get(), block.data(), n) != 1) {
      return Fail(ErrorCode::kInternal, "OpenSSL SHA-256 update failed");
    }
    if (n < block.size()) {
      if (std::ferror(file.get())) return Fail(ErrorCode::kIo, "read error while hashing the file");
      break;
    }
  }
  return Finish(ctx->get());
}

}  // namespace billwise
