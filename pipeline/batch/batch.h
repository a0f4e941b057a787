// The batch runner: analyzes every input of a folder with N workers and writes, for each
// input, OUT/<relative path without extension>/bill.json (plus the extra outputs asked
// for) and result.json (the per-input marker, written last), then OUT/summary.csv,
// OUT/summary.json and OUT/report.html built from all markers of the selected inputs.
//
// Contract:
// - A bad input (unreadable, broken, encrypted, unsupported, too slow, crashing the
//   reader) becomes an error row; the batch goes on. RunBatch fails only for a usage or
//   output problem (no such folder, OUT not writable).
// - Every file is written atomically (atomic_file.h); a run killed at any point leaves only
//   whole files, and a resumed run (`resume`) reuses each input whose marker is present,
//   records the same sha256 and output kinds, and whose listed files all exist. Because the
//   summary is built from the markers, a killed-then-resumed run writes the same summary
//   bytes as an uninterrupted one.
// - Isolation::kProcess (default) analyzes the inputs in `jobs` long-lived worker
//   processes forked by RunBatch (each takes input after input over a socket), with a
//   wall-time limit per input (SIGKILL when exceeded) and an optional memory limit per
//   worker, so a hang or crash in a reader costs one error row; the lost worker is replaced
//   by a fresh fork, and a worker is also replaced after 200 inputs. Whatever the caller
//   loaded before RunBatch (an Engine) is shared copy-on-write; state a reader builds
//   lazily (OCR engines) is built once per worker. The analyzer is called in the workers:
//   it must not depend on threads started before RunBatch (a fork copies only the calling
//   thread), and RunBatch must be called while no other thread of the process is running.
//   Isolation::kThread runs N threads in this process (no time limit, no crash isolation).
// - The Analyzer and ExtraOutputs callbacks are called concurrently (kThread) or in
//   children (kProcess); they must be thread-safe. Not reentrant: one RunBatch at a time
//   per process in kProcess mode (it waits for its own children only).
#ifndef BILLWISE_PIPELINE_BATCH_BATCH_H_
#define BILLWISE_PIPELINE_BATCH_BATCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/batch/inputs.h"
#include "pipeline/batch/summary.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

namespace billwise {

// Reads one input file (an absolute or cwd-relative path) into one Bill per document it
// holds, in order (at least one). A file holding several documents writes bill.json and the
// extra outputs for the first and document-N-bill.json, document-N-<name> for the others;
// each document has a row of its own in the summary (BatchRow::documents).
using Analyzer = std::function<Expected<std::vector<Bill>>(const std::string& path)>;

// A file written into an input's output folder (report.html, letter-*.pdf, ...).
struct OutputFile {
  std::string name;   // plain file name, no folders
  std::string bytes;
};

// Builds the outputs besides bill.json for one analyzed bill. May be empty (then only
// bill.json is written). An error makes the input an error row (bill.json is still kept).
using ExtraOutputs = std::function<Expected<std::vector<OutputFile>>(const Bill&)>;

enum class Isolation { kProcess, kThread };
enum class ProgressStyle { kAuto, kBar, kLines, kNone };  // kAuto: bar on a TTY, else lines

struct BatchOptions {
  std::string input_dir;
  std::string out_dir;
  int jobs = 0;                 // workers; 0 = number of cores
  bool resume = false;          // reuse complete outputs of unchanged inputs
  Shard shard;                  // default 0/1: everything
  Isolation isolation = Isolation::kProcess;
  int max_seconds_per_file = 300;   // kProcess: wall time per input (Limits::max_seconds_per_file)
  int64_t max_memory_bytes = 0;     // kProcess: RLIMIT_AS of a worker; 0 = no limit
  std::string outputs_tag = "json"; // names the outputs asked for ("json+html+letters"); a
                                    // resumed run redoes inputs written with another tag
  ProgressStyle progress = ProgressStyle::kAuto;
  bool fsync = true;  // make outputs durable against power loss (fsync); off for scratch folders
};

struct BatchResult {
  std::vector<BatchRow> rows;  // one per selected input, sorted by path
  int errors = 0;
  int reused = 0;              // inputs skipped by --resume
  int listed = 0;              // inputs in the folder before sharding
};

Expected<BatchResult> RunBatch(const BatchOptions& options, const Analyzer& analyze, const ExtraOutputs& extras);

// Analyzes one input and writes its outputs and marker into out_dir/input.output_dir;
// returns its row. Used by RunBatch's workers; exposed for tests and single-file front-ends.
// Outputs are fsync'd file by file and made durable by one folder fsync with the marker.
BatchRow ProcessOneInput(const BatchOptions& options, const BatchInput& input, const Analyzer& analyze,
                         const ExtraOutputs& extras);

// `billwise merge`: reads OUT/summary.json of each shard folder and writes one
// summary.csv, summary.json and report.html into dest_dir (rows sorted by path; report
// links point into the shard folders). Fails with kInvalidInput when two shards hold the
// same input. Missing shards of a K/N set are reported in `warnings`.
struct MergeResult {
  BatchResult result;
  std::vector<std::string> warnings;
};
Expected<MergeResult> MergeBatchSummaries(const std::vector<std::string>& shard_dirs, const std::string& dest_dir);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_BATCH_BATCH_H_
