#include "pipeline/tables/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <new>

namespace billwise {

Expected<std::shared_ptr<const MappedFile>> MappedFile::Map(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT ? Fail(ErrorCode::kNotFound, path + ": no such file")
                           : Fail(ErrorCode::kIo, path + ": cannot open");
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Fail(ErrorCode::kNotFound, path + ": no such file");
  }
  const auto size = static_cast<size_t>(st.st_size);
  void* data = nullptr;
  if (size > 0) {
    data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      const int error = errno;
      close(fd);
      if (error == ENOMEM) throw std::bad_alloc();  // out of address space, as any allocation
      return Fail(ErrorCode::kIo, path + ": cannot map");
    }
  }
  close(fd);  // the mapping stays valid
  return std::shared_ptr<const MappedFile>(new MappedFile(data, size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) munmap(const_cast<void*>(data_), size_);
}

}  // namespace billwise
