// Whole-file reading and writing, with gzip (zlib) behind one adapter.
//
// The reference tables under data/ are plain CSV or gzip-compressed files; this is the
// only place billwise_audit calls zlib. Functions are thread-safe (no shared state) and
// return Expected: kNotFound when the file is missing, kIo when reading or writing
// fails, kBadData when a gzip stream is corrupt.
#ifndef BILLWISE_PIPELINE_AUDIT_GZIP_IO_H_
#define BILLWISE_PIPELINE_AUDIT_GZIP_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/model/error.h"

namespace billwise::audit_internal {

// Reads a whole file. When `path` ends in ".gz" its gzip content is decompressed.
Expected<std::string> ReadTableFile(const std::string& path);

// Writes `bytes` gzip-compressed at level 9 with no name or timestamp in the header, so
// the same bytes always give the same file.
Expected<void> WriteGzipFile(const std::string& path, std::string_view bytes);

// CRC-32 (the zlib/gzip polynomial) of `bytes`.
uint32_t Crc32(std::string_view bytes);

}  // namespace billwise::audit_internal

#endif  // BILLWISE_PIPELINE_AUDIT_GZIP_IO_H_
