// A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record;
// no ZIP64, no encryption). Each entry is deflated (RawDeflate, pipeline/tables/gzip.h)
// when that makes it smaller, else stored. Entry times are fixed (1980-01-01 00:00) so the
// same files give the same bytes. Thread-safe.
#ifndef BILLWISE_PIPELINE_SERVER_ZIP_WRITER_H_
#define BILLWISE_PIPELINE_SERVER_ZIP_WRITER_H_

#include <string>
#include <vector>

#include "pipeline/batch/batch.h"
#include "pipeline/model/error.h"

namespace billwise {

// The archive's bytes. kLimitExceeded beyond 65535 entries or 4 GB; kInternal on a zlib error.
Expected<std::string> MakeZip(const std::vector<OutputFile>& files);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_ZIP_WRITER_H_
