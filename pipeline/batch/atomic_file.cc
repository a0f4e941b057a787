#include "pipeline/batch/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace billwise {
namespace fs = std::filesystem;

namespace {

std::unexpected<Error> IoError(const std::string& what) {
  Error e = ErrorFromErrno(errno, what);
  e.code = ErrorCode::kIo;  // a write that fails is an output problem, whatever the errno
  return std::unexpected(std::move(e));
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Expected<void> WriteFileAtomic(const std::string& path, std::string_view bytes, Durability durability) {
  fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    errno = ec.value();
    return IoError("cannot create folder");
  }

  std::string tmp_name = ".";  // built by appends: GCC 12 warns falsely (-Wrestrict) on "." + s
  tmp_name += target.filename().string();
  tmp_name += ".tmp-XXXXXX";
  std::string tmp = (dir / tmp_name).string();
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return IoError("cannot create a temporary file");
  ::fchmod(fd, 0644);
  bool ok = WriteAll(fd, bytes) && (durability == Durability::kNone || ::fsync(fd) == 0);
  int saved = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    return IoError("cannot write the file");
  }
  if (durability != Durability::kFileAndFolder) return {};
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

Expected<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Fail(ErrorCode::kNotFound, "no such file");
    return std::unexpected(ErrorFromErrno(errno, "cannot open the file for reading"));
  }
  std::string bytes;
  char block[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = ErrorFromErrno(errno, "read error");
      ::close(fd);
      return std::unexpected(std::move(e));
    }
    if (n == 0) break;
    bytes.append(block, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

}  // namespace billwise
