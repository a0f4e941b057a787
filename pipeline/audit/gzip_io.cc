#include "pipeline/audit/gzip_io.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>

namespace billwise::audit_internal {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Expected<std::string> ReadPlain(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "missing table " + path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Fail(ErrorCode::kIo, "cannot read " + path);
  return bytes;
}

// Inflates a gzip member held in memory. The gzip trailer stores the uncompressed size
// modulo 2^32, which sizes the output buffer in one allocation.
Expected<std::string> Gunzip(std::string_view gz, const std::string& path) {
  if (gz.size() < 18) return Fail(ErrorCode::kBadData, "truncated gzip file " + path);
  const auto* tail = reinterpret_cast<const unsigned char*>(gz.data() + gz.size() - 4);
  size_t expected = static_cast<size_t>(tail[0]) | static_cast<size_t>(tail[1]) << 8 |
                    static_cast<size_t>(tail[2]) << 16 | static_cast<size_t>(tail[3]) << 24;
  std::string out;
  out.resize(expected > 0 ? expected : 1);
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    return Fail(ErrorCode::kInternal, "zlib inflateInit2 failed");
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  size_t produced = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (produced == out.size()) out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(out.size() - produced);
    rc = inflate(&zs, Z_NO_FLUSH);
    produced = out.size() - zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Fail(ErrorCode::kBadData, "corrupt gzip data in " + path);
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

}  // namespace

Expected<std::string> ReadTableFile(const std::string& path) {
  auto bytes = ReadPlain(path);
  if (!bytes) return bytes;
  if (!EndsWith(path, ".gz")) return bytes;
  return Gunzip(*bytes, path);
}

Expected<void> WriteGzipFile(const std::string& path, std::string_view bytes) {
  z_stream zs{};
  // windowBits 16+15 writes a gzip header with zero mtime and no file name.
  if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Fail(ErrorCode::kInternal, "zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(bytes.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t produced = out.size() - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Fail(ErrorCode::kInternal, "zlib deflate failed");
  out.resize(produced);
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os) return Fail(ErrorCode::kIo, "cannot write " + path);
  os.write(out.data(), static_cast<std::streamsize>(out.size()));
  if (!os) return Fail(ErrorCode::kIo, "cannot write " + path);
  return {};
}

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large inputs in pieces.
  while (!bytes.empty()) {
    size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes.remove_prefix(n);
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace billwise::audit_internal
