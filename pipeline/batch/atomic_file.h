// Atomic file writes: a reader (or a resumed run) sees either the old file or the whole
// new one, never a half-written file, even if the process is killed with SIGKILL.
//
// The bytes go to a temporary file in the destination's folder (same file system), which
// is fsync'd and then renamed over the destination; the folder is fsync'd after the
// rename so the new name survives a crash (see Durability). Thread-safe for distinct
// destinations.
#ifndef BILLWISE_PIPELINE_BATCH_ATOMIC_FILE_H_
#define BILLWISE_PIPELINE_BATCH_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "pipeline/model/error.h"

namespace billwise {

// How much of a write must survive a power loss (atomicity against a killed process holds
// in every case: it needs only the rename).
enum class Durability {
  kNone,           // no fsync (scratch folders)
  kFile,           // fsync the file before the rename; a later folder fsync makes the name durable
  kFileAndFolder,  // also fsync the folder after the rename
};

// Writes `bytes` to `path` atomically, creating missing parent folders. kIo on failure
// (the temporary file is removed; the destination is untouched).
Expected<void> WriteFileAtomic(const std::string& path, std::string_view bytes,
                               Durability durability = Durability::kFileAndFolder);

// Reads a whole file. kNotFound when it does not exist, kIo on a read error.
Expected<std::string> ReadWholeFile(const std::string& path);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_BATCH_ATOMIC_FILE_H_
