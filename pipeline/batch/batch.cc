#include "pipeline/batch/batch.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "pipeline/batch/atomic_file.h"
#include "pipeline/run/sha256.h"
#include "pipeline/report/bill_json.h"

namespace billwise {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string Join(const std::string& a, const std::string& b) { return (fs::path(a) / b).string(); }

BatchRow ErrorRow(const BatchInput& input, const std::string& sha, ErrorCode code, const std::string& message) {
  BatchRow r;
  r.path = input.relative_path;
  r.output_dir = input.output_dir;
  r.ok = false;
  r.sha256 = sha;
  r.error_code = ErrorCodeName(code);
  r.error = message;
  return r;
}

// Writes the marker; the row is what the summary shows for this input.
void WriteMarker(const BatchOptions& o, BatchRow* row) {
  row->outputs = o.outputs_tag;
  (void)WriteFileAtomic(Join(Join(o.out_dir, row->output_dir), kResultMarker), RowToJson(*row),
                        o.fsync ? Durability::kFileAndFolder : Durability::kNone);
}

// Removes temporary files a killed worker left in its output folder.
void RemoveTemporaries(const std::string& folder) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(".") && name.find(".tmp-") != std::string::npos) fs::remove(entry.path(), ec);
  }
}

// Reads a previous marker if it is complete for this input; nullopt means "redo it".
std::optional<BatchRow> ReusableRow(const std::string& input_dir, const BatchInput& input, const std::string& out_dir,
                                    const std::string& outputs_tag) {
  std::string folder = Join(out_dir, input.output_dir);
  auto text = ReadWholeFile(Join(folder, kResultMarker));
  if (!text) return std::nullopt;
  auto row = RowFromJson(*text);
  if (!row || row->path != input.relative_path || row->output_dir != input.output_dir) return std::nullopt;
  if (row->outputs != outputs_tag) return std::nullopt;
  auto sha = Sha256File(Join(input_dir, input.relative_path));
  if (!sha || *sha != row->sha256) return std::nullopt;
  std::error_code ec;
  for (const std::string& f : row->files) {
    if (!fs::is_regular_file(Join(folder, f), ec)) return std::nullopt;
  }
  if (row->ok && std::find(row->files.begin(), row->files.end(), "bill.json") == row->files.end()) return std::nullopt;
  return std::move(*row);
}

// ---- progress ----------------------------------------------------------------------

class Progress {
 public:
  Progress(ProgressStyle style, int total) : total_(total), start_(Clock::now()) {
    if (style == ProgressStyle::kAuto) style = isatty(STDERR_FILENO) ? ProgressStyle::kBar : ProgressStyle::kLines;
    style_ = style;
  }

  void Reused(int n, int pages) {
    std::lock_guard lock(mu_);
    done_ += n;
    reused_ += n;
    pages_ += pages;
    if (n > 0 && style_ == ProgressStyle::kLines) {
      std::fprintf(stderr, "billwise: resuming: %d of %d inputs already done\n", n, total_);
    }
  }

  void Finished(const BatchRow& row) {
    std::lock_guard lock(mu_);
    ++done_;
    pages_ += row.pages;
    if (style_ == ProgressStyle::kLines) {
      if (row.ok) {
        std::fprintf(stderr, "[%d/%d] %s: ok (%d page%s)\n", done_, total_, row.path.c_str(), row.pages,
                     row.pages == 1 ? "" : "s");
      } else {
        std::fprintf(stderr, "[%d/%d] %s: error: %s\n", done_, total_, row.path.c_str(), row.error.c_str());
      }
    } else if (style_ == ProgressStyle::kBar) {
      DrawLocked();
    }
  }

  void Tick() {
    std::lock_guard lock(mu_);
    if (style_ == ProgressStyle::kBar) DrawLocked();
  }

  void End() {
    std::lock_guard lock(mu_);
    if (style_ == ProgressStyle::kBar) {
      DrawLocked();
      std::fputc('\n', stderr);
    }
  }

 private:
  void DrawLocked() {
    double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    int fresh = done_ - reused_;
    double rate = seconds > 0 ? fresh / seconds : 0;
    std::string eta = "--:--";
    if (rate > 0) {
      int left = static_cast<int>((total_ - done_) / rate + 0.5);
      eta = fmt::format("{}:{:02}", left / 60, left % 60);
    }
    constexpr int kWidth = 28;
    int filled = total_ > 0 ? done_ * kWidth / total_ : kWidth;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r\033[K[%s] %d/%d files  %d pages  %.1f files/s  ETA %s", bar.c_str(), done_, total_,
                 pages_, rate, eta.c_str());
    std::fflush(stderr);
  }

  std::mutex mu_;
  ProgressStyle style_;
  int total_ = 0, done_ = 0, reused_ = 0, pages_ = 0;
  Clock::time_point start_;
};

// ---- workers -----------------------------------------------------------------------

struct Job {
  size_t slot = 0;  // index into the rows vector
  BatchInput input;
};

void RunThreads(const BatchOptions& o, int jobs, const std::vector<Job>& todo, const Analyzer& analyze,
                const ExtraOutputs& extras, std::vector<BatchRow>* rows, Progress* progress) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < todo.size(); i = next++) {
      BatchRow row = ProcessOneInput(o, todo[i].input, analyze, extras);
      progress->Finished(row);
      (*rows)[todo[i].slot] = std::move(row);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
}

// ---- process pool ------------------------------------------------------------------
//
// `jobs` long-lived worker processes, forked from this (single-threaded) scheduler after the
// Engine is loaded, so templates and reference tables are shared copy-on-write and each
// worker initialises its OCR engines once. Each worker holds one end of a socket pair: the
// scheduler sends it a job index (4 bytes), the worker analyzes that input, writes its
// outputs and marker, and sends the index back. A worker that crashes (EOF on its socket) or
// overruns its deadline (SIGKILL) costs that one input an error row and is replaced by a
// fresh fork; so is a worker that has read kInputsPerWorker inputs (bounds slow leaks).

constexpr int kInputsPerWorker = 200;

struct Worker {
  pid_t pid = -1;
  int fd = -1;               // the scheduler's end of the socket pair
  std::optional<size_t> job;  // index into todo while busy
  Clock::time_point deadline;
  int taken = 0;             // inputs sent to this worker
};

bool SendIndex(int fd, uint32_t index) {
  const char* p = reinterpret_cast<const char*>(&index);
  size_t left = sizeof index;
  while (left > 0) {
    ssize_t n = send(fd, p, left, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

// Reads one index; false on EOF or error.
bool ReceiveIndex(int fd, uint32_t* index) {
  char* p = reinterpret_cast<char*>(index);
  size_t left = sizeof *index;
  while (left > 0) {
    ssize_t n = read(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

// The worker's loop: never returns.
[[noreturn]] void WorkerMain(int fd, const BatchOptions& o, const std::vector<Job>& todo, const Analyzer& analyze,
                             const ExtraOutputs& extras) {
  for (uint32_t index = 0; ReceiveIndex(fd, &index);) {
    if (index >= todo.size()) _exit(4);
    ProcessOneInput(o, todo[index].input, analyze, extras);
    if (!SendIndex(fd, index)) _exit(0);
  }
  _exit(0);  // the scheduler closed the socket: no more work
}

// Forks a worker; pid -1 when the socket pair or fork failed.
Worker Spawn(const BatchOptions& o, const std::vector<Job>& todo, const Analyzer& analyze, const ExtraOutputs& extras,
             const std::vector<Worker>& others) {
  Worker w;
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return w;
  pid_t parent = getpid();
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return w;
  }
  if (pid == 0) {
    close(fds[0]);
    // Other workers' sockets: a copy held here would hide their EOF from each other.
    for (const Worker& other : others) {
      if (other.fd >= 0) close(other.fd);
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed batch takes its workers with it
    if (getppid() != parent) _exit(3);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    if (o.max_memory_bytes > 0) {
      struct rlimit mem = {static_cast<rlim_t>(o.max_memory_bytes), static_cast<rlim_t>(o.max_memory_bytes)};
      setrlimit(RLIMIT_AS, &mem);
    }
    WorkerMain(fds[1], o, todo, analyze, extras);
  }
  close(fds[1]);
  w.pid = pid;
  w.fd = fds[0];
  return w;
}

// Ends a worker: SIGKILL when asked, then waits for it. Returns its wait status.
int Retire(Worker* w, bool kill_it) {
  if (kill_it) kill(w->pid, SIGKILL);
  close(w->fd);
  int status = 0;
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {
  }
  w->pid = -1;
  w->fd = -1;
  return status;
}

// The row of an input whose worker finished it: its marker.
BatchRow FinishedRow(const BatchOptions& o, const Job& job) {
  std::string folder = Join(o.out_dir, job.input.output_dir);
  if (auto text = ReadWholeFile(Join(folder, kResultMarker))) {
    if (auto row = RowFromJson(*text); row && row->path == job.input.relative_path) return *row;
  }
  auto sha = Sha256File(Join(o.input_dir, job.input.relative_path));
  BatchRow row = ErrorRow(job.input, sha ? *sha : "", ErrorCode::kInternal, "the worker wrote no result");
  WriteMarker(o, &row);
  return row;
}

// The row of an input whose worker died or overran: an error row the scheduler records in a
// marker of its own.
BatchRow LostRow(const BatchOptions& o, const Job& job, int status, bool timed_out) {
  std::string message;
  ErrorCode code = ErrorCode::kInternal;
  if (timed_out) {
    code = ErrorCode::kLimitExceeded;
    message = fmt::format("took longer than the {} s time limit per file", o.max_seconds_per_file);
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    message = sig == SIGKILL ? "the reader was killed (out of memory?)"
                             : fmt::format("the reader crashed (signal {})", sig);
  } else {
    message = fmt::format("the worker failed (exit {})", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  std::string folder = Join(o.out_dir, job.input.output_dir);
  auto sha = Sha256File(Join(o.input_dir, job.input.relative_path));
  BatchRow row = ErrorRow(job.input, sha ? *sha : "", code, message);
  RemoveTemporaries(folder);
  WriteMarker(o, &row);
  return row;
}

void RunProcesses(const BatchOptions& o, int jobs, const std::vector<Job>& todo, const Analyzer& analyze,
                  const ExtraOutputs& extras, std::vector<BatchRow>* rows, Progress* progress) {
  const auto limit = std::chrono::seconds(o.max_seconds_per_file > 0 ? o.max_seconds_per_file : 1 << 20);
  auto finish = [&](size_t job, BatchRow row) {
    progress->Finished(row);
    (*rows)[todo[job].slot] = std::move(row);
  };
  std::vector<Worker> workers;
  size_t next = 0;
  while (next < todo.size() || std::any_of(workers.begin(), workers.end(), [](const Worker& w) { return w.job; })) {
    // Hand the next inputs to idle workers, forking new ones up to `jobs`.
    for (size_t i = 0; next < todo.size(); ++i) {
      if (i == workers.size()) {
        if (static_cast<int>(workers.size()) >= jobs) break;
        Worker w = Spawn(o, todo, analyze, extras, workers);
        if (w.pid < 0) {
          if (!workers.empty()) break;  // run with the workers there are
          // Cannot fork at all: analyze in this process.
          finish(next, ProcessOneInput(o, todo[next].input, analyze, extras));
          ++next;
          --i;
          continue;
        }
        workers.push_back(w);
      }
      Worker& w = workers[i];
      if (w.job) continue;
      if (w.taken >= kInputsPerWorker) {  // retire it; a fresh one takes its slot
        Retire(&w, false);
        Worker fresh = Spawn(o, todo, analyze, extras, workers);
        if (fresh.pid < 0) {
          workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(i));
          --i;
          continue;
        }
        w = fresh;
      }
      if (!SendIndex(w.fd, static_cast<uint32_t>(next))) {  // died while idle: replace it
        Retire(&w, true);
        workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(i));
        --i;
        continue;
      }
      w.job = next++;
      w.deadline = Clock::now() + limit;
      ++w.taken;
    }

    // Wait for a result, an exit or the nearest deadline.
    auto now = Clock::now();
    auto wait = std::chrono::milliseconds(250);
    std::vector<pollfd> fds;
    std::vector<size_t> polled;
    for (size_t i = 0; i < workers.size(); ++i) {
      if (!workers[i].job) continue;
      wait = std::min(wait, std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                        workers[i].deadline - now)));
      fds.push_back({workers[i].fd, POLLIN, 0});
      polled.push_back(i);
    }
    if (fds.empty()) continue;
    int n = poll(fds.data(), fds.size(), static_cast<int>(wait.count()) + 1);
    now = Clock::now();
    for (size_t k = 0; k < polled.size(); ++k) {
      Worker& w = workers[polled[k]];
      const size_t job = *w.job;
      if (n > 0 && (fds[k].revents & (POLLIN | POLLHUP | POLLERR))) {
        uint32_t index = 0;
        if (ReceiveIndex(w.fd, &index) && index == job) {
          w.job.reset();
          finish(job, FinishedRow(o, todo[job]));
        } else {  // EOF: the worker died with this input
          int status = Retire(&w, true);
          w.job.reset();
          finish(job, LostRow(o, todo[job], status, false));
        }
      } else if (now >= w.deadline) {
        int status = Retire(&w, true);
        w.job.reset();
        finish(job, LostRow(o, todo[job], status, true));
      }
    }
    std::erase_if(workers, [](const Worker& w) { return w.pid < 0; });
    progress->Tick();
  }
  for (Worker& w : workers) Retire(&w, false);  // EOF tells each worker to exit
}

}  // namespace

BatchRow ProcessOneInput(const BatchOptions& o, const BatchInput& input, const Analyzer& analyze,
                         const ExtraOutputs& extras) {
  std::string folder = Join(o.out_dir, input.output_dir);
  std::error_code ec;
  fs::create_directories(folder, ec);
  fs::remove(Join(folder, kResultMarker), ec);  // a stale marker must not survive a half-done redo
  RemoveTemporaries(folder);                    // left by a worker killed mid-write
  std::string path = Join(o.input_dir, input.relative_path);

  auto sha = Sha256File(path);
  BatchRow row;
  Expected<std::vector<Bill>> bills = sha ? analyze(path) : std::vector<Bill>{};
  if (!sha) {
    row = ErrorRow(input, "", sha.error().code, sha.error().message);
  } else if (!bills) {
    row = ErrorRow(input, *sha, bills.error().code, bills.error().message);
  } else if (bills->empty()) {
    row = ErrorRow(input, *sha, ErrorCode::kInternal, "the reader returned no document");
  } else {
    Expected<void> written;
    for (size_t k = 0; k < bills->size() && written; ++k) {
      Bill& bill = (*bills)[k];
      bill.source.path = input.relative_path;
      bill.source.sha256 = *sha;
      BatchRow doc = RowFromBill(bill);
      doc.path = k == 0 ? input.relative_path : input.relative_path + "#" + std::to_string(k + 1);
      doc.output_dir = input.output_dir;
      // The first document's files keep their names; a later one's are document-N-<name>.
      const std::string prefix = k == 0 ? "" : "document-" + std::to_string(k + 1) + "-";
      std::vector<OutputFile> files;
      if (extras) {
        auto made = extras(bill);
        if (made) {
          files = std::move(*made);
        } else {
          written = std::unexpected(made.error());
        }
      }
      files.insert(files.begin(), OutputFile{"bill.json", BillToJson(bill) + "\n"});
      for (const OutputFile& f : files) {
        if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == kResultMarker) continue;
        auto w = WriteFileAtomic(Join(folder, prefix + f.name), f.bytes,
                                 o.fsync ? Durability::kFile : Durability::kNone);
        if (!w) {
          if (written) written = w;
          break;
        }
        doc.files.push_back(prefix + f.name);
      }
      if (k == 0) {
        row = std::move(doc);
      } else {
        row.files.insert(row.files.end(), doc.files.begin(), doc.files.end());
        row.pages += doc.pages;
        row.documents.push_back(std::move(doc));
      }
    }
    if (!written) {
      BatchRow failed = ErrorRow(input, *sha, written.error().code, written.error().message);
      failed.pages = row.pages;
      failed.files = row.files;
      row = std::move(failed);
    }
  }
  WriteMarker(o, &row);
  return row;
}

Expected<BatchResult> RunBatch(const BatchOptions& o, const Analyzer& analyze, const ExtraOutputs& extras) {
  if (o.out_dir.empty()) return Fail(ErrorCode::kUsage, "--out is required");
  std::error_code ec;
  if (fs::exists(o.input_dir, ec) && fs::exists(o.out_dir, ec) && fs::equivalent(o.input_dir, o.out_dir, ec)) {
    return Fail(ErrorCode::kUsage, "--out must not be the input folder");
  }
  auto listed = ListBatchInputs(o.input_dir, o.out_dir);
  if (!listed) return Fail(listed.error().code, o.input_dir + ": " + listed.error().message);
  fs::create_directories(o.out_dir, ec);
  if (ec) return Fail(ErrorCode::kIo, o.out_dir + ": cannot create the folder: " + ec.message());

  std::vector<BatchInput> inputs = SelectShard(*listed, o.shard);
  BatchResult result;
  result.listed = static_cast<int>(listed->size());
  result.rows.resize(inputs.size());
  std::vector<Job> todo;
  int reused_pages = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (o.resume) {
      if (auto row = ReusableRow(o.input_dir, inputs[i], o.out_dir, o.outputs_tag)) {
        reused_pages += row->pages;
        result.rows[i] = std::move(*row);
        ++result.reused;
        continue;
      }
    }
    todo.push_back(Job{i, inputs[i]});
  }

  int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(std::max<size_t>(1, todo.size()))));
  Progress progress(o.progress, static_cast<int>(inputs.size()));
  progress.Reused(result.reused, reused_pages);
  if (o.isolation == Isolation::kThread) {
    RunThreads(o, jobs, todo, analyze, extras, &result.rows, &progress);
  } else {
    RunProcesses(o, jobs, todo, analyze, extras, &result.rows, &progress);
  }
  progress.End();

  for (const BatchRow& r : result.rows) result.errors += r.ok ? 0 : 1;
  SummaryScope scope{o.shard.index, o.shard.count, result.listed};
  for (auto [name, bytes] : {std::pair<const char*, std::string>{"summary.csv", SummaryCsv(result.rows)},
                             {"summary.json", SummaryJson(result.rows, scope)},
                             {"report.html", SummaryHtml(result.rows)}}) {
    auto w = WriteFileAtomic(Join(o.out_dir, name), bytes, o.fsync ? Durability::kFileAndFolder : Durability::kNone);
    if (!w) return Fail(w.error().code, Join(o.out_dir, name) + ": " + w.error().message);
  }
  return result;
}

Expected<MergeResult> MergeBatchSummaries(const std::vector<std::string>& shard_dirs, const std::string& dest_dir) {
  MergeResult merged;
  std::map<std::string, std::string> owner;  // input path -> shard folder
  std::map<int, std::set<int>> seen;         // shard count -> indexes
  int listed = -1;
  std::error_code ec;
  fs::create_directories(dest_dir, ec);
  fs::path dest = fs::weakly_canonical(dest_dir, ec);
  for (const std::string& dir : shard_dirs) {
    auto text = ReadWholeFile(Join(dir, "summary.json"));
    if (!text) return Fail(text.error().code, Join(dir, "summary.json") + ": " + text.error().message);
    auto summary = SummaryFromJson(*text);
    if (!summary) return Fail(summary.error().code, Join(dir, "summary.json") + ": " + summary.error().message);
    seen[summary->scope.shard_count].insert(summary->scope.shard_index);
    if (listed >= 0 && listed != summary->scope.listed_inputs) {
      merged.warnings.push_back(fmt::format("{}: its folder listing had {} inputs, another shard's had {}", dir,
                                            summary->scope.listed_inputs, listed));
    }
    listed = summary->scope.listed_inputs;
    std::string prefix = fs::weakly_canonical(dir, ec).lexically_relative(dest).generic_string();
    for (BatchRow& row : summary->rows) {
      auto [it, fresh] = owner.emplace(row.path, dir);
      if (!fresh) return Fail(ErrorCode::kInvalidInput, row.path + " is in both " + it->second + " and " + dir);
      if (!prefix.empty() && prefix != ".") row.output_dir = prefix + "/" + row.output_dir;
      merged.result.rows.push_back(std::move(row));
    }
  }
  for (const auto& [count, indexes] : seen) {
    for (int k = 0; k < count; ++k) {
      if (!indexes.contains(k)) merged.warnings.push_back(fmt::format("shard {}/{} is missing", k, count));
    }
  }
  std::sort(merged.result.rows.begin(), merged.result.rows.end(),
            [](const BatchRow& a, const BatchRow& b) { return a.path < b.path; });
  for (const BatchRow& r : merged.result.rows) merged.result.errors += r.ok ? 0 : 1;
  merged.result.listed = std::max(listed, 0);
  SummaryScope scope{0, 1, merged.result.listed};
  for (auto [name, bytes] : {std::pair<const char*, std::string>{"summary.csv", SummaryCsv(merged.result.rows)},
                             {"summary.json", SummaryJson(merged.result.rows, scope)},
                             {"report.html", SummaryHtml(merged.result.rows)}}) {
    auto w = WriteFileAtomic(Join(dest_dir, name), bytes);
    if (!w) return Fail(w.error().code, Join(dest_dir, name) + ": " + w.error().message);
  }
  return merged;
}

}  // namespace billwise
