// The server as the fuzz targets drive it: a WebServer with a fake backend (the analysis runs
// on the request's thread, isolate = false: no worker processes per input), and one request
// served from bytes over a socket pair, through the same connection handling as a real
// client's (pipeline/server/httplib_listener.cc).
#ifndef BILLWISE_TESTS_FUZZ_SERVER_HARNESS_H_
#define BILLWISE_TESTS_FUZZ_SERVER_HARNESS_H_

#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "pipeline/server/server.h"

namespace billwise::fuzzing {

constexpr int64_t kMaxUpload = 64 << 10;

// A backend that answers at once without reading anything: the fuzzed code is the server's
// own (the HTTP adapter, multipart, the routes' parsing), and the failure paths are taken
// too (an unreadable upload, a case file that refuses a letter).
class FuzzBackend : public ServerBackend {
 public:
  Expected<Bill> Analyze(std::string_view bytes, const std::string& name,
                         const std::optional<Profile>&) const override {
    if (bytes.size() % 7 == 0) return Fail(ErrorCode::kInvalidInput, "unreadable");
    Bill bill;
    bill.source.path = name;
    bill.amount_due = Money{static_cast<int64_t>(bytes.size())};
    return bill;
  }
  std::vector<std::string> ApplicableLetters(const Bill&, const std::optional<Profile>&) const override {
    return {"dispute"};
  }
  Expected<ServedLetters> Letters(const Bill&, const std::optional<Profile>&, const std::vector<std::string>& kinds,
                                  const std::string&) const override {
    ServedLetters served;
    for (const std::string& k : kinds) served.files.push_back({"letter-" + k + ".pdf", "%PDF-1.7 " + k});
    served.recorded = kinds.size() % 2 == 1;
    return served;
  }
  Expected<std::string> Estimate(const EstimateQuery& q) const override {
    return std::string("{\"codes\":") + std::to_string(q.codes.size()) + "}";
  }
  Expected<OutputFile> GfeRequest(const EstimateQuery&, const std::string& provider, const std::optional<Profile>&,
                                  const std::string&) const override {
    return OutputFile{"letter-gfe-request.pdf", "%PDF-1.7 " + provider};
  }
  bool keeps_cases() const override { return true; }
  Expected<std::vector<Finding>> File(const Bill&) const override { return std::vector<Finding>{}; }
  Expected<std::string> Cases() const override { return std::string(R"({"cases":[]})"); }
  Expected<std::string> Due(std::string_view format) const override {
    return std::string(format == "ics" ? "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" : R"({"deadlines":[]})");
  }
  Expected<Date> MarkSent(const SentRequest& r) const override {
    if (r.case_id != 1) return Fail(ErrorCode::kNotFound, "no such case");
    return r.date.value_or(Date{2026, 12, 7});
  }
  Expected<LoggedCall> RecordCall(const CallRequest& r) const override {
    if (r.case_id != 1) return Fail(ErrorCode::kNotFound, "no such case");
    return LoggedCall{1, r.follow_up.value_or(Date{2026, 12, 21})};
  }
};

// The process's server: bound once on a loopback port that nothing connects to.
inline WebServer& FuzzServer() {
  static WebServer* server = [] {
    ServerOptions o;
    o.port = 0;
    o.isolate = false;
    o.max_upload_bytes = kMaxUpload;
    o.header_timeout_ms = 2000;
    o.body_timeout_ms = 2000;
    o.log = [](const std::string&) {};
    auto bound = WebServer::Bind(o, std::make_shared<const FuzzBackend>());
    if (!bound) std::abort();
    return bound->release();
  }();
  return *server;
}

// Sends `request` as one client connection (then end of input) and returns all the server
// answered before it closed the connection.
inline std::string Exchange(std::string_view request) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
  WebServer& server = FuzzServer();
  std::thread serving([&server, fd = fds[1]] { server.ServeConnection(fd); });
  std::string answer;
  std::thread reading([&answer, fd = fds[0]] {
    char buf[16384];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) answer.append(buf, static_cast<size_t>(n));
  });
  for (std::string_view rest = request; !rest.empty();) {
    const ssize_t n = send(fds[0], rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n <= 0) break;  // the server stopped reading and closed
    rest.remove_prefix(static_cast<size_t>(n));
  }
  shutdown(fds[0], SHUT_WR);
  serving.join();
  reading.join();
  close(fds[0]);
  return answer;
}

// What every answer must satisfy: each response a status line and a header block that
// carries the security headers (interim 1xx answers excepted). Responses are walked by
// their Content-Length, so text a body echoes (an uploaded file name may hold "HTTP/1.1 "
// or a header line) is never read as a response or a header; a response without a length
// ends the walk. The server's bodies (JSON, HTML, assets) never start with a status line,
// so a header block followed directly by one belongs to a HEAD answer, which has no body.
inline void CheckAnswer(const std::string& answer) {
  if (answer.empty()) return;  // nothing that parsed as a request
  const auto fail = [&answer] {  // the answer goes to the crash log
    std::fwrite(answer.data(), 1, answer.size(), stderr);
    std::abort();
  };
  size_t at = 0;
  while (at < answer.size()) {
    if (answer.compare(at, 9, "HTTP/1.1 ") != 0) fail();
    const size_t end = answer.find("\r\n\r\n", at);
    if (end == std::string::npos) fail();
    const std::string_view header(answer.data() + at, end + 2 - at);
    if (header[9] == '1') {  // an interim answer ("100 Continue"): a status line, no body
      at = end + 4;
      continue;
    }
    if (header.find("\r\nContent-Security-Policy: default-src") == std::string_view::npos) fail();
    if (answer.compare(end + 4, 9, "HTTP/1.1 ") == 0) {  // a HEAD answer: a length, no body
      at = end + 4;
      continue;
    }
    const size_t length_at = header.find("\r\nContent-Length: ");
    if (length_at == std::string_view::npos) return;
    const size_t length = std::strtoull(header.data() + length_at + 18, nullptr, 10);
    at = end + 4 + length;
  }
}

}  // namespace billwise::fuzzing

#endif  // BILLWISE_TESTS_FUZZ_SERVER_HARNESS_H_
