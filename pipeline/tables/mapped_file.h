// MappedFile: a data file's bytes mapped read-only into memory (POSIX mmap), so that
// opening a packed table reads only the pages a lookup touches (its index and the blocks
// it inflates) instead of copying the whole file.
//
// For billwise's own shipped data files, which are replaced (renamed over), never rewritten
// in place: truncating a mapped file while it is in use would fault the process. Immutable
// after Map; share it (shared_ptr) between threads freely. Unmapped on destruction.
#ifndef BILLWISE_PIPELINE_TABLES_MAPPED_FILE_H_
#define BILLWISE_PIPELINE_TABLES_MAPPED_FILE_H_

#include <memory>
#include <string>
#include <string_view>

#include "pipeline/model/error.h"

namespace billwise {

class MappedFile {
 public:
  // kNotFound when `path` is not a regular file, kIo when it cannot be opened or mapped.
  // Throws std::bad_alloc when the address space is exhausted (ENOMEM), as any allocation
  // does (so `analyze --max-memory` reports it like any other lack of memory).
  static Expected<std::shared_ptr<const MappedFile>> Map(const std::string& path);

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(const void* data, size_t size) : data_(data), size_(size) {}
  const void* data_;  // null for an empty file
  size_t size_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_MAPPED_FILE_H_
