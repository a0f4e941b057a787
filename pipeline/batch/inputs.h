// Batch inputs: which files of a folder a batch reads, in which order, which shard takes
// which file, and where each file's outputs go.
//
// The walk is recursive and deterministic: regular files whose extension (any case) is
// .pdf .png .jpg .jpeg .tif .tiff or .txt, sorted bytewise by their '/'-separated path
// relative to the root. Hidden entries (leading '.'), `*.billwise` folders and the output
// folder (when it lies inside the input folder) are skipped; folder symlinks are not
// followed. The extension only selects files: the pipeline sniffs the type from the bytes.
// Nothing is skipped silently: a folder that cannot be listed (permission denied) and an
// input-named entry whose type cannot be read (a symlink loop, a dangling symlink) are
// listed too, with the reason in `problem`, and become error rows.
// All functions are pure or read-only on the file system, and thread-safe.
#ifndef BILLWISE_PIPELINE_BATCH_INPUTS_H_
#define BILLWISE_PIPELINE_BATCH_INPUTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise {

struct BatchInput {
  std::string relative_path;  // "clinic/2026/er-visit.pdf" ('/'-separated)
  std::string output_dir;     // relative output folder: "clinic/2026/er-visit"
  std::optional<Error> problem;  // why this entry cannot be read; it is an error row
};

// True for the extensions a batch picks up (case-insensitive).
bool IsBatchInputName(std::string_view file_name);

// Lists the inputs under `root` (see the header comment). `exclude_dir` (may be "") is
// skipped when it lies under `root`. kNotFound when root is not a folder, kIo (with the
// cause) when root itself cannot be listed.
Expected<std::vector<BatchInput>> ListBatchInputs(const std::string& root, const std::string& exclude_dir);

// Output folders: the relative path without its extension; when two inputs would share a
// folder ("a.pdf" and "a.png"), every one of them uses "<stem>_<ext>" instead ("a_pdf",
// "a_png"). Depends only on the full sorted list, so every shard agrees.
void AssignOutputDirs(std::vector<BatchInput>* inputs);

// A shard "K/N": this process takes the inputs whose shard index is K (0 <= K < N).
struct Shard {
  int index = 0;
  int count = 1;
};

// Parses "K/N" with 0 <= K < N (Kubernetes JOB_COMPLETION_INDEX and Slurm array ids are
// 0-based). kUsage on anything else.
Expected<Shard> ParseShard(std::string_view text);

// The shard an input belongs to: FNV-1a (64-bit) of its relative path modulo N. Depends
// on the path only, so adding a file never moves other files between shards.
int ShardOf(std::string_view relative_path, int shard_count);

// Keeps the inputs of `shard`.
std::vector<BatchInput> SelectShard(const std::vector<BatchInput>& inputs, const Shard& shard);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_BATCH_INPUTS_H_
