// The zlib adapter: the only file in billwise that calls zlib.
//
// ReadFileInflating reads data files whole, inflating gzip content; RawInflate undoes
// RawDeflate for one block of a packed table; WriteGzipFile and RawDeflate produce deterministic compressed bytes (no name, no timestamp, fixed levels),
// so the same input always gives the same output; Crc32 is the gzip/ZIP checksum.
// Every function is thread-safe (no shared state) and turns zlib's return codes into
// Error: kNotFound when a file is missing, kIo when reading or writing fails, kBadData
// when a gzip stream is corrupt or truncated, kInternal when zlib itself fails. Messages
// name the path.
#ifndef BILLWISE_PIPELINE_TABLES_GZIP_H_
#define BILLWISE_PIPELINE_TABLES_GZIP_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/model/error.h"

namespace billwise {

// Reads the whole file at `path`. Content that starts with the gzip magic bytes (1f 8b) is
// inflated, every concatenated member in turn (bytes after the last member are ignored);
// anything else is returned as it is, whatever the file is called. kNotFound when `path`
// is not a regular file.
Expected<std::string> ReadFileInflating(const std::string& path);

// Writes `bytes` to `path` gzip-compressed at level 9 with no name or timestamp in the
// header, replacing any file there.
Expected<void> WriteGzipFile(const std::string& path, std::string_view bytes);

// `bytes` as a raw deflate stream (no zlib or gzip header) at level 9, as ZIP method 8
// stores entries. kInternal on a zlib error.
Expected<std::string> RawDeflate(std::string_view bytes);

// Inflates a raw deflate stream that must expand to exactly `size` bytes. kBadData when the
// stream is corrupt, truncated, or expands to any other size.
Expected<std::string> RawInflate(std::string_view deflated, size_t size);

// CRC-32 (the gzip and ZIP polynomial) of `bytes`.
uint32_t Crc32(std::string_view bytes);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_GZIP_H_
