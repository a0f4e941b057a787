// AnalysisWorkers: the server's uploads analyzed in worker processes with a time and a
// memory limit, through the batch runner's process pool (pipeline/batch/batch.h), and at
// most `workers` at once with at most `queue` more waiting.
//
// How: Start() forks one helper process (the "spawner") while the calling process is still
// single-threaded, before the HTTP threads start. For each analysis the server hands the
// spawner one end of a fresh socket pair; the spawner forks a child for it, and that child
// - a single-threaded process, as RunBatch requires - writes the upload into a private
// temporary folder (mode 0700, on a memory file system when there is one: $XDG_RUNTIME_DIR,
// else /dev/shm, else the temporary folder), runs RunBatch over it with one worker
// (BatchOptions::max_seconds_per_file, max_memory_bytes), sends back the bill JSON or the
// error row, removes the folder and exits. So a reader that hangs, crashes or allocates
// without bound costs one error answer, and all its memory goes back to the system when
// its processes end; the server process itself never runs a reader.
//
// Contract:
// - Start() must be called while no other thread of the process runs (it forks), and from
//   a thread that outlives the server (the spawner dies with that thread,
//   PR_SET_PDEATHSIG); the destructor ends the spawner and, with it, every analysis.
// - Analyze() is thread-safe. It blocks while the analysis waits and runs; nullopt at once
//   when `queue` analyses are already waiting.
// - The children parse the profile (ParseProfile) and call the backend's Analyze; it may
//   not rely on threads started before Start().
// - An address-space limit is not set in a sanitizer build (ASan reserves terabytes).
// - Errors keep the reader's code and message (Error); a reader that throws is kInternal
//   "internal error" (its message may name the patient). A lost spawner is kInternal.
#ifndef BILLWISE_PIPELINE_SERVER_ANALYSIS_WORKERS_H_
#define BILLWISE_PIPELINE_SERVER_ANALYSIS_WORKERS_H_

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"
#include "pipeline/server/server_backend.h"

namespace billwise {

struct AnalysisLimits {
  int workers = 2;                          // analyses at once
  int queue = 32;                           // analyses waiting for a worker
  int max_seconds = 120;                    // per analysis; the worker is killed after it
  int64_t max_memory_bytes = 4096LL << 20;  // address space of each worker; 0 = none
};

class AnalysisWorkers {
 public:
  // Forks the spawner, which keeps `backend` for its children. kInternal when it cannot.
  static Expected<std::unique_ptr<AnalysisWorkers>> Start(const AnalysisLimits& limits,
                                                          std::shared_ptr<const ServerBackend> backend);
  ~AnalysisWorkers();

  // Analyzes `bytes` in a worker; `profile_json` is the profile form's JSON ("" = none).
  // nullopt when the queue is full (answer 503).
  std::optional<Expected<Bill>> Analyze(std::string_view bytes, const std::string& name,
                                        std::string_view profile_json);

 private:
  AnalysisWorkers(const AnalysisLimits& limits, pid_t spawner, int control);
  Expected<Bill> RunOne(std::string_view bytes, const std::string& name, std::string_view profile_json);

  const AnalysisLimits limits_;
  const pid_t spawner_;
  const int control_;  // our end of the spawner's socket: carries one descriptor per analysis
  std::mutex send_mu_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  int running_ = 0;
  int waiting_ = 0;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_ANALYSIS_WORKERS_H_
