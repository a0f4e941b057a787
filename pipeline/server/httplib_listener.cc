// HttpBackend on cpp-httplib: the only file that includes httplib.h. It turns httplib's
// Request/Response into the plain types of http_listener.h and back, and its bind results
// into Error.
//
// cpp-httplib 0.11 bounds neither the time a client may take to send its headers (only each
// single read) nor a chunked or compressed body (only Content-Length). So this adapter
// serves each connection itself (Server::process_and_close_socket is overridden) through a
// GuardedStream, which gives every phase of a request - headers, body, response - a
// deadline and a byte budget, and it reads every POST body through a content reader that
// counts the bytes as they are delivered. Connections wait for a worker thread in a bounded
// ConnectionPool; past it they get 503 on the accepting thread.
#include "pipeline/server/httplib_listener.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace billwise {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The most multipart parts one request may carry (the page sends four).
constexpr size_t kMaxParts = 64;
// After a refused body, how long and how much the connection is drained before it is
// closed, so that the client reads the answer instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr int64_t kLingerBytes = 64LL << 20;

// A connection's socket with a deadline and a byte budget for the current phase of the
// current request. Reads are buffered (httplib reads request lines byte by byte).
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int sock, milliseconds idle) : sock_(sock), idle_(idle) {}

  // Starts a phase at `start`: once `timeout` has passed, reads take only what has already
  // arrived and writes fail; reads fail after `budget` bytes delivered in this phase.
  void StartPhase(milliseconds timeout, int64_t budget, Clock::time_point start = Clock::now()) {
    deadline_ = start + timeout;
    budget_ = budget;
    timed_out_ = false;
    over_budget_ = false;
  }
  bool over_budget() const { return over_budget_; }
  bool timed_out() const { return timed_out_; }
  // A phase of the current request ran out of time or bytes: the connection must end.
  bool broken() const { return broken_; }
  void StartRequest() {
    broken_ = false;
    close_after_ = false;
  }
  // The connection ends after the current response (its body was not read, or not whole).
  void CloseAfterResponse(bool linger) {
    close_after_ = true;
    linger_ = linger_ || linger;
  }
  bool close_after() const { return close_after_; }
  bool linger() const { return linger_; }
  bool has_buffered() const { return offset_ < filled_; }

  bool is_readable() const override { return has_buffered() || Wait(POLLIN); }
  bool is_writable() const override { return Wait(POLLOUT); }

  ssize_t read(char* ptr, size_t size) override {
    if (budget_ <= 0) {
      over_budget_ = broken_ = true;
      return -1;
    }
    size = std::min(size, static_cast<size_t>(budget_));
    if (!has_buffered()) {
      if (!Wait(POLLIN)) return -1;
      ssize_t n;
      do {
        n = recv(sock_, buffer_, sizeof buffer_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      offset_ = 0;
      filled_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, filled_ - offset_);
    std::copy(buffer_ + offset_, buffer_ + offset_ + n, ptr);
    offset_ += n;
    budget_ -= static_cast<int64_t>(n);
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!Wait(POLLOUT)) return -1;
    ssize_t n;
    do {
      n = send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(getpeername, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { Address(getsockname, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  // Waits for `events` until the phase deadline, at most idle_ at a time. Past the
  // deadline it does not wait: input that has already arrived is still taken (a client
  // that waited for a thread was not slow), nothing more.
  bool Wait(short events) const {
    const auto now = Clock::now();
    const bool late = now >= deadline_;
    const auto left = late ? Clock::duration::zero() : std::min<Clock::duration>(deadline_ - now, idle_);
    pollfd p{sock_, events, 0};
    int n;
    do {
      n = poll(&p, 1, late ? 0 : static_cast<int>(std::chrono::duration_cast<milliseconds>(left).count()) + 1);
    } while (n < 0 && errno == EINTR);
    if (late && (n <= 0 || events != POLLIN)) {
      timed_out_ = broken_ = true;
      return false;
    }
    if (n == 0 && Clock::now() >= deadline_) timed_out_ = broken_ = true;
    return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
  }

  template <typename GetName>
  void Address(GetName get_name, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ip.clear();
    port = 0;
    if (get_name(sock_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    char text[INET6_ADDRSTRLEN] = "";
    if (addr.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
      inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
      inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  const int sock_;
  const milliseconds idle_;
  Clock::time_point deadline_ = Clock::now();
  int64_t budget_ = 0;
  mutable bool timed_out_ = false;
  mutable bool broken_ = false;
  bool over_budget_ = false;
  bool close_after_ = false;
  bool linger_ = false;
  char buffer_[4096];
  size_t offset_ = 0, filled_ = 0;
};

// The stream of the connection this thread is serving (the pre- and post-routing handlers
// and the routes run on that thread).
thread_local GuardedStream* t_stream = nullptr;
// Set while the accepting thread runs a connection that the pool had no room for.
thread_local bool t_refuse_connection = false;
// When the connection this thread is about to serve was accepted.
thread_local Clock::time_point t_accepted_at{};

// A fixed number of threads taking connections from a bounded queue. A connection that
// finds the queue full is run on the accepting thread with t_refuse_connection set, which
// answers 503 and closes it.
class ConnectionPool final : public httplib::TaskQueue {
 public:
  ConnectionPool(int threads, int max_waiting) : max_waiting_(static_cast<size_t>(std::max(0, max_waiting))) {
    for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Work(); });
  }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mu_);
      if (!shutdown_ && waiting_.size() < max_waiting_) {
        waiting_.push_back({std::move(fn), Clock::now()});
        ready_.notify_one();
        return;
      }
    }
    t_refuse_connection = true;
    t_accepted_at = Clock::now();
    fn();
    t_refuse_connection = false;
  }

  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      shutdown_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      Waiting next;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [this] { return shutdown_ || !waiting_.empty(); });
        if (waiting_.empty()) return;
        next = std::move(waiting_.front());
        waiting_.pop_front();
      }
      t_accepted_at = next.accepted_at;
      next.serve();
    }
  }

  struct Waiting {
    std::function<void()> serve;
    Clock::time_point accepted_at;
  };
  const size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Waiting> waiting_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

// A POST body as read: the raw body, or the multipart parts.
struct ReadBody {
  struct Part {
    std::string name, filename, content_type, content;
  };
  std::string body;
  std::vector<Part> parts;
};

// The request as plain views into httplib's buffers and `read` (valid while both are).
HttpRequest View(const httplib::Request& req, const ReadBody* read = nullptr) {
  HttpRequest view;
  view.method = req.method;
  view.path = req.path;
  view.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) view.headers.emplace_back(name, value);
  if (read != nullptr) {
    view.body = read->body;
    view.files.reserve(read->parts.size());
    for (const ReadBody::Part& part : read->parts) {
      view.files.push_back(HttpFile{.name = part.name, .filename = part.filename, .content_type = part.content_type,
                                    .content = part.content});
    }
  }
  view.remote_address = req.remote_addr;
  return view;
}

void Send(HttpResponse&& from, httplib::Response& res) {
  res.status = from.status;
  for (auto& [name, value] : from.headers) res.set_header(name.c_str(), value);
  if (!from.content_type.empty()) {
    res.set_content(std::move(from.body), from.content_type.c_str());
  } else {
    res.body = std::move(from.body);
  }
}

// An exact path as an ECMAScript pattern (httplib matches every route as one).
std::string EscapeRegex(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string HostPort(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// Reads and discards what the client still sends, for a short while, then the caller
// closes: the client sees the answer rather than a connection reset.
void Linger(int sock) {
  shutdown(sock, SHUT_WR);
  const auto end = Clock::now() + kLingerTime;
  char sink[16384];
  for (int64_t drained = 0; drained < kLingerBytes;) {
    const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{sock, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = recv(sock, sink, sizeof sink, 0);
    if (n <= 0) break;
    drained += n;
  }
}

// httplib's Server with this adapter's connection handling.
class GuardedServer final : public httplib::Server {
 public:
  explicit GuardedServer(const HttpListenerOptions& options) : options_(options) {}

  // cpp-httplib listens with a backlog of 5: a burst of clients would wait for SYN
  // retransmissions (seconds) before the server even sees them. Listening again on the bound
  // socket raises it.
  void RaiseBacklog() {
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
  }

  bool Serve(int sock) {
    t_accepted_at = Clock::now();
    return process_and_close_socket(sock);
  }

  // The connection loop of httplib's own, on a GuardedStream: keep-alive requests while the
  // client sends them promptly, each request under its phase limits.
  bool process_and_close_socket(socket_t sock) override {
    if (t_refuse_connection) {
      RefuseConnection(sock);
      return false;
    }
    GuardedStream stream(sock, milliseconds(options_.idle_timeout_ms));
    t_stream = &stream;
    bool ok = false;
    for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
      const bool first = left == keep_alive_max_count_;
      // The first request's clock starts at the accept (time spent waiting for a thread
      // counts), a later one's at its first byte.
      if (!first && !stream.has_buffered() && !AwaitNextRequest(sock)) break;
      stream.StartRequest();
      stream.StartPhase(milliseconds(options_.header_timeout_ms), options_.max_header_bytes,
                        first && t_accepted_at != Clock::time_point{} ? t_accepted_at : Clock::now());
      bool closed = false;
      ok = process_request(stream, left == 1, closed, nullptr);
      if (!ok || closed || stream.close_after() || stream.broken()) break;
    }
    t_stream = nullptr;
    if (stream.linger()) Linger(sock);
    shutdown(sock, SHUT_RDWR);
    close(sock);
    return ok;
  }

  // The status and body of one of the adapter's own refusals.
  void Refuse(int status, httplib::Response& res) const {
    HttpResponse response;
    response.status = status;
    if (options_.refusal) options_.refusal(status, response);
    Send(std::move(response), res);
  }

 private:
  // Waits (idle_timeout_ms at most) for the first byte of another request on a kept-alive
  // connection; false when none comes or the server stops.
  bool AwaitNextRequest(int sock) const {
    const auto end = Clock::now() + milliseconds(options_.idle_timeout_ms);
    while (svr_sock_ != INVALID_SOCKET) {
      const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{sock, POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 200)));
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
    return false;
  }

  // 503 for a connection the pool has no room for, written without reading the request.
  void RefuseConnection(int sock) const {
    httplib::Response res;
    Refuse(503, res);
    std::string head = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n";
    for (const auto& [name, value] : options_.headers_on_every_response) head += name + ": " + value + "\r\n";
    if (res.has_header("Content-Type")) head += "Content-Type: " + res.get_header_value("Content-Type") + "\r\n";
    head += "Content-Length: " + std::to_string(res.body.size()) + "\r\n\r\n" + res.body;
    (void)!send(sock, head.data(), head.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    shutdown(sock, SHUT_WR);
    char sink[4096];
    while (recv(sock, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
    close(sock);
  }

  const HttpListenerOptions& options_;
};

class HttplibListener final : public HttpListener {
 public:
  explicit HttplibListener(HttpListenerOptions options) : options_(std::move(options)), http_(options_) {}

  Expected<void> Bind() {
    Install();
    // SO_REUSEADDR only. cpp-httplib's default also sets SO_REUSEPORT, which would let a
    // second server bind the port this one holds and take half of its connections.
    http_.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    port_ = options_.port == 0
                ? http_.bind_to_any_port(options_.host)
                : (http_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port_ <= 0) {
      return Fail(ErrorCode::kIo, "cannot listen on " + HostPort(options_.host, options_.port) + " (in use?)");
    }
    http_.RaiseBacklog();
    return {};
  }

  int port() const override { return port_; }

  Expected<void> Listen() override {
    if (!http_.listen_after_bind()) return Fail(ErrorCode::kIo, "the server stopped on an error");
    return {};
  }

  void Stop() override { http_.stop(); }

  void ServeConnection(int fd) override { http_.Serve(fd); }

 private:
  bool IsOverPayload(const httplib::Request& req) const {
    if (!req.has_header("Content-Length")) return false;
    const std::string value = req.get_header_value("Content-Length");
    char* end = nullptr;
    errno = 0;
    const unsigned long long length = std::strtoull(value.c_str(), &end, 10);
    const auto limit = static_cast<unsigned long long>(options_.max_payload_bytes);
    return errno == ERANGE || (end != value.c_str() && length > limit);
  }

  // Before the body: limits that need only the headers, then the caller's own check.
  httplib::Server::HandlerResponse PreRouting(const httplib::Request& req, httplib::Response& res) {
    GuardedStream* stream = t_stream;
    // The body gets its own clock and a byte budget a little over the payload limit (chunk
    // framing, multipart boundaries); the payload itself is counted exactly as it is read.
    if (stream) {
      stream->StartPhase(milliseconds(options_.body_timeout_ms),
                         options_.max_payload_bytes + options_.max_payload_bytes / 8 + (1 << 20));
    }
    const bool has_body = req.method == "POST";
    auto refuse = [&](int status, bool linger) {
      http_.Refuse(status, res);
      if (stream && (has_body || linger)) stream->CloseAfterResponse(linger);
      return httplib::Server::HandlerResponse::Handled;
    };
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") return refuse(405, true);
    if (options_.pre_routing) {
      HttpResponse response;
      if (options_.pre_routing(View(req), response)) {
        Send(std::move(response), res);
        if (stream && has_body) stream->CloseAfterResponse(true);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (has_body && IsOverPayload(req)) return refuse(413, true);
    return httplib::Server::HandlerResponse::Unhandled;
  }

  // Reads a POST body through `reader`, counting the delivered bytes against the payload
  // limit. False when it was refused (`res` then holds the refusal).
  // `*held` is what this body adds to buffered_ (the caller gives it back).
  bool ReadPostBody(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader,
                    ReadBody* read, int64_t* held) {
    int64_t& total = *held;
    bool too_large = false, busy = false;
    auto take = [&](std::string& into, const char* data, size_t n) {
      const auto bytes = static_cast<int64_t>(n);
      if (total + bytes > options_.max_payload_bytes) {
        too_large = true;
        return false;
      }
      if (buffered_.fetch_add(bytes) + bytes > max_buffered_) {
        buffered_ -= bytes;
        busy = true;
        return false;
      }
      total += bytes;
      into.append(data, n);
      return true;
    };
    bool ok;
    if (req.is_multipart_form_data()) {
      ok = reader(
          [&](const httplib::MultipartFormData& part) {
            if (read->parts.size() >= kMaxParts) return false;
            read->parts.push_back({part.name, part.filename, part.content_type, ""});
            return true;
          },
          [&](const char* data, size_t n) {
            return !read->parts.empty() && take(read->parts.back().content, data, n);
          });
    } else {
      ok = reader([&](const char* data, size_t n) { return take(read->body, data, n); });
    }
    if (ok) return true;
    GuardedStream* stream = t_stream;
    const bool over = too_large || (stream && stream->over_budget());
    int status = 400;
    if (busy) {
      status = 503;
    } else if (over) {
      status = 413;
    } else if (stream && stream->timed_out()) {
      status = 408;
    } else if (res.status == 415) {
      status = 415;
    }
    *read = ReadBody{};
    http_.Refuse(status, res);
    if (stream) stream->CloseAfterResponse(over || busy);
    return false;
  }

  void Install() {
    http_.new_task_queue = [this] { return new ConnectionPool(options_.threads, options_.max_waiting_connections); };
    http_.set_keep_alive_timeout(std::max(1, options_.idle_timeout_ms / 1000));
    http_.set_read_timeout(std::chrono::milliseconds(options_.idle_timeout_ms));
    http_.set_write_timeout(std::chrono::milliseconds(options_.idle_timeout_ms));
    http_.set_payload_max_length(static_cast<size_t>(options_.max_payload_bytes));
    http_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return PreRouting(req, res); });
    // Expect: 100-continue with a body over the limit: 413 before the client sends it.
    http_.set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!IsOverPayload(req)) return 100;
      http_.Refuse(413, res);
      if (t_stream) t_stream->CloseAfterResponse(true);
      return 413;
    });
    http_.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
      if (GuardedStream* stream = t_stream) {
        stream->StartPhase(milliseconds(options_.write_timeout_ms), 0);
        if (stream->close_after()) {
          res.headers.erase("Keep-Alive");
          res.set_header("Connection", "close");
        }
      }
      for (const auto& [name, value] : options_.headers_on_every_response) res.set_header(name.c_str(), value);
    });
    if (options_.log) {
      http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        options_.log(HttpLogEntry{.method = req.method, .path = req.path, .status = res.status,
                                  .body_bytes = res.body.size()});
      });
    }
    for (const HttpRoute& route : options_.routes) {
      const std::string pattern = route.match == HttpRoute::Match::kExact ? EscapeRegex(route.path) : route.path;
      // The route lives in options_, as long as the server.
      const HttpHandler* handler = &route.handler;
      if (route.method == HttpRoute::Method::kGet) {
        http_.Get(pattern, [handler](const httplib::Request& req, httplib::Response& res) {
          HttpResponse response;
          (*handler)(View(req), response);
          Send(std::move(response), res);
        });
      } else {
        http_.Post(pattern, [this, handler](const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& reader) {
          ReadBody read;
          int64_t held = 0;
          struct GiveBack {
            std::atomic<int64_t>& buffered;
            const int64_t& held;
            ~GiveBack() { buffered -= held; }
          } give_back{buffered_, held};
          if (!ReadPostBody(req, res, reader, &read, &held)) return;
          HttpResponse response;
          (*handler)(View(req, &read), response);
          Send(std::move(response), res);
        });
      }
    }
    // Any other POST: 404 without reading its body (httplib would read it whole).
    http_.Post(".*", [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader&) {
      res.status = 404;
      if (t_stream) t_stream->CloseAfterResponse(true);
    });
  }

  const HttpListenerOptions options_;
  GuardedServer http_;
  int port_ = -1;
  // Body bytes held by requests now, and the most they may hold together.
  std::atomic<int64_t> buffered_{0};
  const int64_t max_buffered_ = options_.max_buffered_bytes > 0
                                    ? options_.max_buffered_bytes
                                    : std::max(1, options_.threads) * options_.max_payload_bytes;
};

class HttplibBackendImpl final : public HttpBackend {
 public:
  Expected<std::unique_ptr<HttpListener>> Bind(HttpListenerOptions options) const override {
    auto listener = std::make_unique<HttplibListener>(std::move(options));
    if (auto bound = listener->Bind(); !bound) return std::unexpected(bound.error());
    return listener;
  }
};

}  // namespace

const HttpBackend& HttplibBackend() {
  static const HttplibBackendImpl* const backend = new HttplibBackendImpl();
  return *backend;
}

}  // namespace billwise
