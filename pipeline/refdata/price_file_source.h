// PriceFileSource: the bytes of a hospital price file, read front to back in blocks, whatever
// the container. The adapter to zlib's gzip reader and to minizip (zlib's zip reader).
//
// Plain files are read with read(2); gzip (one or more members) and zip (the first entry
// named *.json, *.csv or *.txt, or a named entry) are inflated as they are read, so memory stays one block
// whatever the file's size. The container is chosen by the file's
// first bytes, never by its name.
//
// Errors: kNotFound when the path is not a regular file, kIo when reading fails, kInvalidInput
// when a compressed stream is corrupt or truncated (the message names the file and the
// uncompressed byte offset reached), kUnsupported for a zip with no readable entry.
// Not thread-safe; one source per reader.
#ifndef BILLWISE_PIPELINE_REFDATA_PRICE_FILE_SOURCE_H_
#define BILLWISE_PIPELINE_REFDATA_PRICE_FILE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise {

class PriceFileSource {
 public:
  enum class Container { kPlain, kGzip, kZip, kMemory };

  // Opens `path` and sniffs its container. For a zip, `zip_entry` names the entry to read
  // ("" = the first *.json, *.csv or *.txt); kNotFound when the zip has no such entry.
  static Expected<PriceFileSource> Open(const std::string& path, const std::string& zip_entry = "");
  // The names of the file entries of the zip at `path`, in the archive's order (directories
  // left out); kInvalidInput when it is not a readable zip.
  static Expected<std::vector<std::string>> ZipEntries(const std::string& path);
  // Bytes already in memory (tests, fuzzing); they must outlive the source.
  static PriceFileSource FromBytes(std::string_view bytes, std::string name);

  PriceFileSource(PriceFileSource&&) noexcept;
  PriceFileSource& operator=(PriceFileSource&&) noexcept;
  ~PriceFileSource();

  // The first up-to-`n` bytes of the content, without consuming them (Read returns them
  // again). Only before the first Read.
  Expected<std::string_view> Peek(size_t n);
  // Copies up to `capacity` bytes into `out`; 0 at the end of the content.
  Expected<size_t> Read(char* out, size_t capacity);

  Container container() const { return container_; }
  const std::string& name() const { return name_; }
  // Uncompressed bytes returned so far.
  uint64_t offset() const { return offset_; }

 private:
  struct Impl;
  PriceFileSource() = default;
  std::unique_ptr<Impl> impl_;
  Container container_ = Container::kPlain;
  std::string name_;
  uint64_t offset_ = 0;
  std::string peeked_;  // bytes Peek read ahead, served first by Read
  size_t peeked_at_ = 0;

  Expected<size_t> ReadUnderlying(char* out, size_t capacity);
  // The offset in the content of the next byte ReadUnderlying returns, for messages.
  std::string ContentOffset() const;
};

const char* ContainerName(PriceFileSource::Container c);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_PRICE_FILE_SOURCE_H_
