#include "pipeline/refdata/gz_file.h"

#include <zlib.h>

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
  // Reserve a guess so a typical table inflates without repeated reallocation.
  auto size = std::filesystem::file_size(path, ec);
  if (!ec) out.reserve(static_cast<size_t>(size) * 4);
  char buf[1 << 16];
  for (;;) {
    int n = gzread(file, buf, sizeof buf);
    if (n < 0) {
      int errnum = 0;
      std::string why = gzerror(file, &errnum);
      gzclose(file);
      return Fail(ErrorCode::kBadData, path + ": cannot inflate (" + why + ")");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  gzclose(file);
  return out;
}

}  // namespace billwise
