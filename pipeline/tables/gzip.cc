#include "pipeline/tables/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <system_error>

namespace billwise {
namespace {

namespace fs = std::filesystem;

// zlib counts bytes in uInt; larger buffers are handed over in pieces of this size.
constexpr size_t kMaxPiece = size_t{1} << 30;
// Deflate never compresses better than about 1032:1, which bounds a believable size hint.
constexpr size_t kMaxRatio = 1032;

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Expected<std::string> ReadPlain(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Fail(ErrorCode::kNotFound, path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kIo, path + ": cannot open");
  std::string bytes;
  auto size = fs::file_size(path, ec);
  if (!ec) {
    bytes.resize(static_cast<size_t>(size));
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Fail(ErrorCode::kIo, path + ": cannot read");
  return bytes;
}

// Inflates every gzip member in `gz`. The last member's trailer holds its uncompressed size
// modulo 2^32, which sizes the output so a one-member file inflates in one allocation.
Expected<std::string> Gunzip(std::string_view gz, const std::string& path) {
  size_t hint = 0;
  if (gz.size() >= 18) {
    const auto* tail = reinterpret_cast<const unsigned char*>(gz.data() + gz.size() - 4);
    hint = static_cast<size_t>(tail[0]) | static_cast<size_t>(tail[1]) << 8 | static_cast<size_t>(tail[2]) << 16 |
           static_cast<size_t>(tail[3]) << 24;
  }
  std::string out(std::min(hint, gz.size() * kMaxRatio) + 1, '\0');

  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Fail(ErrorCode::kInternal, "zlib inflateInit2 failed");
  size_t fed = 0;  // bytes of `gz` handed to zlib so far
  size_t produced = 0;
  int rc = Z_OK;
  for (;;) {
    if (zs.avail_in == 0) {
      size_t n = std::min(gz.size() - fed, kMaxPiece);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + fed));
      zs.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    if (produced == out.size()) out.resize(out.size() * 2);
    size_t room = std::min(out.size() - produced, kMaxPiece);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(room);
    rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc == Z_STREAM_END) {
      // Another member may follow; anything else after a member is ignored, as gzip does.
      size_t next = fed - zs.avail_in;
      if (!IsGzip(gz.substr(next))) break;
      if (inflateReset(&zs) != Z_OK) break;
      continue;
    }
    if (rc != Z_OK) break;
  }
  std::string why = zs.msg != nullptr ? zs.msg : "";
  inflateEnd(&zs);
  if (rc == Z_BUF_ERROR) return Fail(ErrorCode::kBadData, path + ": truncated gzip data");
  if (rc == Z_MEM_ERROR) return Fail(ErrorCode::kInternal, path + ": out of memory inflating");
  if (rc != Z_STREAM_END) {
    return Fail(ErrorCode::kBadData, path + ": corrupt gzip data" + (why.empty() ? "" : " (" + why + ")"));
  }
  out.resize(produced);
  return out;
}

// Deflates `in` at level 9 in one call. window_bits picks the wrapper (negative: raw,
// 16 + 15: gzip with zero mtime and no name); mem_level is part of what fixes the bytes.
Expected<std::string> Deflate(std::string_view in, int window_bits, int mem_level) {
  if (in.size() >= std::numeric_limits<uInt>::max()) {
    return Fail(ErrorCode::kLimitExceeded, "cannot compress 4 GB or more at once");
  }
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Fail(ErrorCode::kInternal, "zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(std::min(out.size(), size_t{std::numeric_limits<uInt>::max()}));
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Fail(ErrorCode::kInternal, "zlib deflate failed");
  return out;
}

}  // namespace

Expected<std::string> ReadFileInflating(const std::string& path) {
  auto bytes = ReadPlain(path);
  if (!bytes || !IsGzip(*bytes)) return bytes;
  return Gunzip(*bytes, path);
}

Expected<void> WriteGzipFile(const std::string& path, std::string_view bytes) {
  auto gz = Deflate(bytes, 16 + MAX_WBITS, 9);
  if (!gz) return std::unexpected(gz.error());
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os) return Fail(ErrorCode::kIo, "cannot write " + path);
  os.write(gz->data(), static_cast<std::streamsize>(gz->size()));
  if (!os) return Fail(ErrorCode::kIo, "cannot write " + path);
  return {};
}

Expected<std::string> RawDeflate(std::string_view bytes) { return Deflate(bytes, -MAX_WBITS, 8); }

Expected<std::string> RawInflate(std::string_view deflated, size_t size) {
  if (deflated.size() >= std::numeric_limits<uInt>::max() || size >= std::numeric_limits<uInt>::max()) {
    return Fail(ErrorCode::kLimitExceeded, "cannot inflate 4 GB or more at once");
  }
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Fail(ErrorCode::kInternal, "zlib inflateInit2 failed");
  std::string out(size + 1, '\0');  // one spare byte shows a stream that expands further
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  zs.avail_in = static_cast<uInt>(deflated.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  size_t produced = zs.total_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || produced != size) return Fail(ErrorCode::kBadData, "corrupt deflate block");
  out.resize(size);
  return out;
}

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!bytes.empty()) {
    size_t n = std::min(bytes.size(), kMaxPiece);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes.remove_prefix(n);
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace billwise
