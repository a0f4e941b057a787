#include "pipeline/server/analysis_workers.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "pipeline/audit/profile.h"
#include "pipeline/batch/batch.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/model/sanitizer.h"


namespace billwise {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// ---- framing: each field is an 8-byte length and its bytes ------------------------------

// Writes all of p to a socket (send: a closed peer is an error, not SIGPIPE) or a file.
bool WriteAll(int fd, const char* p, size_t n, bool socket = true) {
  while (n > 0) {
    const ssize_t w = socket ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool WriteField(int fd, std::string_view bytes) {
  const uint64_t size = bytes.size();
  return WriteAll(fd, reinterpret_cast<const char*>(&size), sizeof size) && WriteAll(fd, bytes.data(), bytes.size());
}

// Reads exactly n bytes; false on EOF, error or (deadline set) when it passes.
bool ReadAll(int fd, char* p, size_t n, std::optional<Clock::time_point> deadline) {
  while (n > 0) {
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd pfd{fd, POLLIN, 0};
      const int ready = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left, 1000)));
      if (ready < 0 && errno != EINTR) return false;
      if (ready <= 0) continue;
    }
    const ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// A field of at most `max` bytes.
bool ReadField(int fd, std::string* out, uint64_t max, std::optional<Clock::time_point> deadline = std::nullopt) {
  uint64_t size = 0;
  if (!ReadAll(fd, reinterpret_cast<char*>(&size), sizeof size, deadline) || size > max) return false;
  out->resize(static_cast<size_t>(size));
  return ReadAll(fd, out->data(), out->size(), deadline);
}

// ---- the child: one upload through RunBatch ------------------------------------------

ErrorCode ErrorCodeFromName(std::string_view name) {
  for (ErrorCode code : {ErrorCode::kInvalidInput, ErrorCode::kEncrypted, ErrorCode::kUnsupported,
                         ErrorCode::kNotFound, ErrorCode::kLimitExceeded, ErrorCode::kBadTemplate,
                         ErrorCode::kBadData, ErrorCode::kMissingDependency, ErrorCode::kUsage, ErrorCode::kIo}) {
    if (name == ErrorCodeName(code)) return code;
  }
  return ErrorCode::kInternal;
}

// A private folder for one upload: on a memory file system when there is one.
Expected<std::string> MakeScratchFolder() {
  std::vector<std::string> bases;
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run && *run) bases.emplace_back(run);
  bases.emplace_back("/dev/shm");
  std::error_code ec;
  bases.push_back(fs::temp_directory_path(ec).string());
  for (const std::string& base : bases) {
    if (base.empty() || access(base.c_str(), W_OK | X_OK) != 0) continue;
    std::string pattern = base + "/billwise-serve-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) return pattern;  // mode 0700
  }
  return Fail(ErrorCode::kIo, "cannot create a temporary folder for the upload");
}

// The upload's file name in the scratch folder: the batch walk picks files by extension,
// and the reader sniffs the type from the bytes anyway.
std::string ScratchName(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG")) return "upload.png";
  if (bytes.starts_with("\xff\xd8\xff")) return "upload.jpg";
  if (bytes.starts_with(std::string_view("II*\0", 4)) || bytes.starts_with(std::string_view("MM\0*", 4))) {
    return "upload.tif";
  }
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos ? "upload.pdf" : "upload.txt";
}

// Runs one analysis; the result as (ok, payload): the bill JSON, or "code\nmessage".
std::pair<bool, std::string> AnalyzeInBatch(const AnalysisLimits& limits, const ServerBackend& backend,
                                            const std::string& bytes, const std::string& name,
                                            const std::string& profile_json) {
  auto folder = MakeScratchFolder();
  if (!folder) return {false, std::string(ErrorCodeName(folder.error().code)) + "\n" + folder.error().message};
  const std::string in = *folder + "/in", out = *folder + "/out";
  std::pair<bool, std::string> answer{false, "internal\nthe upload could not be stored for reading"};
  if (mkdir(in.c_str(), 0700) == 0) {
    const std::string path = in + "/" + ScratchName(bytes);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const bool stored = fd >= 0 && WriteAll(fd, bytes.data(), bytes.size(), /*socket=*/false);
    if (fd >= 0) close(fd);
    if (stored) {
      BatchOptions o;
      o.input_dir = in;
      o.out_dir = out;
      o.jobs = 1;
      o.isolation = Isolation::kProcess;
      o.max_seconds_per_file = limits.max_seconds;
#ifndef BILLWISE_ASAN
      o.max_memory_bytes = limits.max_memory_bytes;
#endif
      o.progress = ProgressStyle::kNone;
      o.fsync = false;
      // In the batch worker: the upload's bytes under its own name, with the profile.
      Analyzer analyzer = [&](const std::string& file) -> Expected<std::vector<Bill>> {
        std::ifstream stream(file, std::ios::binary);
        const std::string upload((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
        std::optional<Profile> profile;
        if (!profile_json.empty()) {
          auto parsed = ParseProfile(profile_json, "profile form");
          if (!parsed) return std::unexpected(parsed.error());
          profile = std::move(*parsed);
        }
        try {
          auto bill = backend.Analyze(upload, name, profile);
          if (!bill) return std::unexpected(bill.error());
          std::vector<Bill> one;
          one.push_back(std::move(*bill));
          return one;
        } catch (...) {  // its message could name the patient
          return Fail(ErrorCode::kInternal, "internal error");
        }
      };
      auto result = RunBatch(o, analyzer, nullptr);
      if (!result) {
        answer = {false, std::string(ErrorCodeName(result.error().code)) + "\n" + result.error().message};
      } else if (result->rows.size() != 1) {
        answer = {false, "internal\nthe upload was not read"};
      } else if (const BatchRow& row = result->rows.front(); !row.ok) {
        answer = {false, row.error_code + "\n" + row.error};
      } else {
        std::ifstream json(out + "/" + row.output_dir + "/bill.json", std::ios::binary);
        answer = {true, std::string((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>())};
      }
    }
  }
  std::error_code ec;
  fs::remove_all(*folder, ec);
  return answer;
}

// A child of the spawner: reads one request from `fd`, answers it, exits.
[[noreturn]] void ServeOne(int fd, const AnalysisLimits& limits, const ServerBackend& backend) {
  std::string name, profile_json, bytes;
  if (!ReadField(fd, &name, 4096) || !ReadField(fd, &profile_json, 1ULL << 40) || !ReadField(fd, &bytes, 1ULL << 40)) {
    _exit(0);
  }
  auto [ok, payload] = AnalyzeInBatch(limits, backend, bytes, name, profile_json);
  const char flag = ok ? '1' : '0';
  (void)(WriteAll(fd, &flag, 1) && WriteField(fd, payload));
  _exit(0);
}

// The spawner's loop: one descriptor in, one child out, until the server closes `control`.
[[noreturn]] void SpawnerMain(int control, const AnalysisLimits& limits, const ServerBackend& backend) {
  for (;;) {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    pollfd p{control, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    char byte = 0;
    char space[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{&byte, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = space;
    msg.msg_controllen = sizeof space;
    const ssize_t n = recvmsg(control, &msg, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(0);  // the server is gone or done
    const cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (c == nullptr || c->cmsg_type != SCM_RIGHTS) continue;
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      close(control);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      ServeOne(fd, limits, backend);
    }
    close(fd);
  }
}

bool SendDescriptor(int control, int fd) {
  char byte = 'A';
  char space[CMSG_SPACE(sizeof(int))] = {};
  iovec iov{&byte, 1};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = space;
  msg.msg_controllen = sizeof space;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  ssize_t n;
  do {
    n = sendmsg(control, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n == 1;
}

}  // namespace

Expected<std::unique_ptr<AnalysisWorkers>> AnalysisWorkers::Start(const AnalysisLimits& limits,
                                                                  std::shared_ptr<const ServerBackend> backend) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Fail(ErrorCode::kInternal, std::string("cannot start the analysis workers: ") + std::strerror(errno));
  }
  const pid_t parent = getpid();
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Fail(ErrorCode::kInternal, std::string("cannot start the analysis workers: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // the server's end is ours
    if (getppid() != parent) _exit(0);
    signal(SIGINT, SIG_IGN);  // Ctrl-C reaches the server, which ends us
    SpawnerMain(fds[1], limits, *backend);
  }
  close(fds[1]);
  return std::unique_ptr<AnalysisWorkers>(new AnalysisWorkers(limits, pid, fds[0]));
}

AnalysisWorkers::AnalysisWorkers(const AnalysisLimits& limits, pid_t spawner, int control)
    : limits_(limits), spawner_(spawner), control_(control) {}

AnalysisWorkers::~AnalysisWorkers() {
  close(control_);  // the spawner exits on EOF; its children die with it
  kill(spawner_, SIGKILL);
  while (waitpid(spawner_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

std::optional<Expected<Bill>> AnalysisWorkers::Analyze(std::string_view bytes, const std::string& name,
                                                       std::string_view profile_json) {
  {
    std::unique_lock lock(queue_mu_);
    if (running_ >= limits_.workers) {
      if (waiting_ >= limits_.queue) return std::nullopt;
      ++waiting_;
      queue_cv_.wait(lock, [this] { return running_ < limits_.workers; });
      --waiting_;
    }
    ++running_;
  }
  Expected<Bill> bill = RunOne(bytes, name, profile_json);
  bool idle;
  {
    std::lock_guard lock(queue_mu_);
    --running_;
    idle = running_ == 0 && waiting_ == 0;
  }
  queue_cv_.notify_one();
  // Uploads are large and short-lived: give their pages back once nothing is in flight.
  if (idle) malloc_trim(0);
  return bill;
}

Expected<Bill> AnalysisWorkers::RunOne(std::string_view bytes, const std::string& name, std::string_view profile_json) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Fail(ErrorCode::kInternal, "cannot reach the analysis workers");
  }
  bool sent;
  {
    std::lock_guard lock(send_mu_);
    sent = SendDescriptor(control_, fds[1]);
  }
  close(fds[1]);
  const int fd = fds[0];
  // The worker's copy of the name is only what the reader records; the bill gets `name` back.
  constexpr size_t kMaxName = 4096;
  if (!sent || !WriteField(fd, std::string_view(name).substr(0, kMaxName)) || !WriteField(fd, profile_json) ||
      !WriteField(fd, bytes)) {
    close(fd);
    return Fail(ErrorCode::kInternal, "the analysis workers are not running");
  }
  // The batch worker is killed at max_seconds; this bounds the wait if all else fails.
  const auto deadline = Clock::now() + std::chrono::seconds(limits_.max_seconds + 60);
  char flag = 0;
  std::string payload;
  const bool answered = ReadAll(fd, &flag, 1, deadline) && ReadField(fd, &payload, 1ULL << 32, deadline);
  close(fd);
  if (!answered) return Fail(ErrorCode::kInternal, "the analysis worker did not answer");
  if (flag != '1') {
    const size_t newline = payload.find('\n');
    const std::string code = payload.substr(0, newline);
    return Fail(ErrorCodeFromName(code), newline == std::string::npos ? "" : payload.substr(newline + 1));
  }
  auto bill = BillFromJson(payload);
  if (!bill) return Fail(ErrorCode::kInternal, "the analysis worker answered a malformed bill");
  bill->source.path = name;
  return bill;
}

}  // namespace billwise
