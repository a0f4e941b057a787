// ReadDataFile: the zlib adapter. Reads a whole file into memory, inflating it when it
// is gzip-compressed (".csv.gz"); plain files are returned as they are.
//
// Thread-safe (no shared state). Fails with kNotFound when the file does not exist and
// kIo or kBadData when it cannot be read or inflated; the message names the path.
#ifndef BILLWISE_PIPELINE_REFDATA_GZ_FILE_H_
#define BILLWISE_PIPELINE_REFDATA_GZ_FILE_H_

#include <string>

#include "pipeline/model/error.h"

namespace billwise {

Expected<std::string> ReadDataFile(const std::string& path);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_GZ_FILE_H_
