#include "pipeline/refdata/gz_file.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace billwise {

Expected<std::string> ReadDataFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kNotFound, path + ": no such file");
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return Fail(ErrorCode::kIo, path + ": cannot open");
  gzbuffer(file, 1 << 17);
  std::string out;
  // A gzip member ends with its uncompressed size mod 2^32: reserve it so the text inflates
  // straight into its final buffer.
  auto size = std::filesystem::file_size(path, ec);
  size_t expected = 1 << 16;
  if (!ec && size >= 4) {
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      unsigned char tail[4];
      if (std::fseek(f, -4, SEEK_END) == 0 && std::fread(tail, 1, 4, f) == 4) {
        size_t isize = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (static_cast<size_t>(tail[3]) << 24);
        expected = std::max<size_t>(expected, std::min<size_t>(isize, static_cast<size_t>(size) * 64) + 1);
      }
      std::fclose(f);
    }
  }
  out.resize(expected);
  size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    size_t want = std::min<size_t>(out.size() - used, 1u << 30);
    int n = gzread(file, out.data() + used, static_cast<unsigned>(want));
    if (n < 0) {
      int errnum = 0;
      std::string why = gzerror(file, &errnum);
      gzclose(file);
      return Fail(ErrorCode::kBadData, path + ": cannot inflate (" + why + ")");
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  out.resize(used);
  gzclose(file);
  return out;
}

}  // namespace billwise
