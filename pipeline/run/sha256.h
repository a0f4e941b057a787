// SHA-256 digests (FIPS 180-4) of bytes and files, computed by nettle.
//
// The engine records each input's digest in source.sha256; the batch runner (--resume) and
// the case file identify documents by it. Thread-safe (no shared state). Failures (a file
// that cannot be read) are Errors; digesting bytes cannot fail.
#ifndef BILLWISE_PIPELINE_RUN_SHA256_H_
#define BILLWISE_PIPELINE_RUN_SHA256_H_

#include <string>
#include <string_view>

#include "pipeline/model/error.h"

namespace billwise {

// Lower-case hex digest (64 characters) of `bytes`.
Expected<std::string> Sha256Hex(std::string_view bytes);

// Lower-case hex digest of a file's contents, read in blocks. kNotFound or kIo on failure.
Expected<std::string> Sha256File(const std::string& path);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_RUN_SHA256_H_
