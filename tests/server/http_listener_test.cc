// The HTTP adapter's contract (pipeline/server/http_listener.h). Routes (exact and
// pattern), the pre-routing answer, the headers on every response (the adapter's own 404
// and 413 included), multipart parts, the log entry, port 0 and a port in use.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "pipeline/server/http_listener.h"
#include "pipeline/server/httplib_listener.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

class HttpListenerTest : public ::testing::Test {
 protected:
  const HttpBackend* Backend() const { return &HttplibBackend(); }

  // Binds `options` on a free loopback port and serves on a thread.
  void Start(HttpListenerOptions options) {
    const HttpBackend* backend = Backend();
    ASSERT_NE(backend, nullptr);
    options.host = "127.0.0.1";
    options.port = 0;
    options.log = [this](const HttpLogEntry& e) {
      std::lock_guard lock(mu_);
      log_.push_back(std::string(e.method) + " " + std::string(e.path) + " " + std::to_string(e.status) + " " +
                     std::to_string(e.body_bytes));
    };
    auto listener = backend->Bind(std::move(options));
    ASSERT_TRUE(listener.has_value()) << listener.error().message;
    listener_ = std::move(*listener);
    ASSERT_GT(listener_->port(), 0);
    thread_ = std::thread([this] { served_ = listener_->Listen().has_value(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", listener_->port());
    for (int i = 0; i < 200 && !client_->Get("/ready"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void TearDown() override {
    if (listener_) listener_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  // The log lines so far, once `want` lines are there (the log runs after the response).
  std::vector<std::string> Log(size_t want) {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock(mu_);
        if (log_.size() >= want) return log_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::lock_guard lock(mu_);
    return log_;
  }

  std::unique_ptr<HttpListener> listener_;
  std::thread thread_;
  std::atomic<bool> served_{false};
  std::unique_ptr<httplib::Client> client_;
  std::mutex mu_;
  std::vector<std::string> log_;
};

HttpRoute Route(HttpRoute::Method method, std::string path, HttpHandler handler,
                HttpRoute::Match match = HttpRoute::Match::kExact) {
  return HttpRoute{.method = method, .match = match, .path = std::move(path), .handler = std::move(handler)};
}

TEST_F(HttpListenerTest, RoutesMatchExactPathsAndPatterns) {
  HttpListenerOptions o;
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/ready", [](const HttpRequest&, HttpResponse&) {}));
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/api/due.ics", [](const HttpRequest& req, HttpResponse& res) {
    res.SetHeader("X-Route", "exact");
    res.SetContent("path " + std::string(req.path) + " " + std::string(req.method), "text/plain");
  }));
  o.routes.push_back(Route(
      HttpRoute::Method::kGet, R"(/[a-z.]*)",
      [](const HttpRequest& req, HttpResponse& res) {
        res.status = 404;
        res.SetContent("pattern " + std::string(req.path), "text/plain");
      },
      HttpRoute::Match::kPattern));
  o.routes.push_back(Route(HttpRoute::Method::kPost, "/echo", [](const HttpRequest& req, HttpResponse& res) {
    res.status = 201;
    res.SetContent(std::string(req.body) + "|" + std::string(req.Header("content-type")), "application/json");
  }));
  Start(std::move(o));

  auto exact = client_->Get("/api/due.ics?x=1");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->status, 200);
  EXPECT_EQ(exact->body, "path /api/due.ics GET");  // the query is not part of the path
  EXPECT_EQ(exact->get_header_value("X-Route"), "exact");
  EXPECT_EQ(exact->get_header_value("Content-Type"), "text/plain");
  // A dot in an exact path is a dot (and the one-segment pattern does not match either).
  auto dot = client_->Get("/api/duexics");
  ASSERT_TRUE(dot);
  EXPECT_EQ(dot->status, 404);
  EXPECT_EQ(dot->body, "");
  auto pattern = client_->Get("/app.js");
  ASSERT_TRUE(pattern);
  EXPECT_EQ(pattern->status, 404);
  EXPECT_EQ(pattern->body, "pattern /app.js");
  auto echo = client_->Post("/echo", R"({"a":1})", "application/json");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->status, 201);
  EXPECT_EQ(echo->body, R"({"a":1}|application/json)");
  EXPECT_EQ(client_->Post("/api/due.ics", "x", "text/plain")->status, 404);  // GET only
  EXPECT_EQ(client_->Get("/echo")->status, 404);  // POST only
}

TEST_F(HttpListenerTest, PreRoutingSeesHeadersAndMayAnswer) {
  HttpListenerOptions o;
  std::atomic<int> routed{0};
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/ready", [](const HttpRequest&, HttpResponse&) {}));
  o.routes.push_back(Route(HttpRoute::Method::kPost, "/x", [&routed](const HttpRequest&, HttpResponse& res) {
    ++routed;
    res.SetContent("routed", "text/plain");
  }));
  o.pre_routing = [](const HttpRequest& req, HttpResponse& res) {
    if (req.Header("ORIGIN") != "http://evil.example") return false;  // names compare case-insensitively
    EXPECT_TRUE(req.body.empty());                                      // not read yet
    res.status = 403;
    res.SetContent(std::string(req.method) + " " + std::string(req.path) + " refused", "application/json");
    return true;
  };
  o.headers_on_every_response = {{"X-Frame-Options", "DENY"}, {"Cache-Control", "no-store"}};
  Start(std::move(o));
  auto refused = client_->Post("/x", {{"Origin", "http://evil.example"}}, "body", "text/plain");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(refused->body, "POST /x refused");
  EXPECT_EQ(refused->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(refused->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(routed.load(), 0);
  auto allowed = client_->Post("/x", {{"Origin", "http://127.0.0.1"}}, "body", "text/plain");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  EXPECT_EQ(allowed->body, "routed");
  EXPECT_EQ(allowed->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(routed.load(), 1);
  // The adapter's own answers carry the headers too.
  auto missing = client_->Get("/nothing-here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("X-Frame-Options"), "DENY");
}

TEST_F(HttpListenerTest, MultipartPartsAndThePayloadLimit) {
  HttpListenerOptions o;
  o.max_payload_bytes = 4096;
  o.headers_on_every_response = {{"X-Content-Type-Options", "nosniff"}};
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/ready", [](const HttpRequest&, HttpResponse&) {}));
  o.routes.push_back(Route(HttpRoute::Method::kPost, "/upload", [](const HttpRequest& req, HttpResponse& res) {
    std::string out;
    for (const HttpFile& f : req.files) {
      out += std::string(f.name) + "=" + std::string(f.filename) + ":" + std::string(f.content_type) + ":" +
             std::to_string(f.content.size()) + ";";
    }
    const HttpFile* file = req.File("file");
    out += file ? std::string(file->content.substr(0, 5)) : "none";
    out += req.File("absent") ? " absent?" : "";
    out += req.remote_address.empty() ? " no-address" : "";
    res.SetContent(out, "text/plain");
  }));
  Start(std::move(o));
  httplib::MultipartFormDataItems items = {{"file", "%PDF-1.7 body", "bill.pdf", "application/pdf"},
                                           {"kinds", "dispute", "", ""}};
  auto res = client_->Post("/upload", items);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "file=bill.pdf:application/pdf:13;kinds=::7;%PDF-");
  auto plain = client_->Post("/upload", "not multipart", "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, "none");
  httplib::MultipartFormDataItems big = {{"file", std::string(20000, 'x'), "big.pdf", "application/pdf"}};
  auto too_big = client_->Post("/upload", big);
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  EXPECT_EQ(too_big->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(HttpListenerTest, LogsMethodPathStatusAndSizeOnly) {
  HttpListenerOptions o;
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/ready", [](const HttpRequest&, HttpResponse&) {}));
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/hello", [](const HttpRequest&, HttpResponse& res) {
    res.SetContent("hello", "text/plain");
  }));
  Start(std::move(o));
  ASSERT_EQ(client_->Get("/hello?name=Jordan")->status, 200);
  ASSERT_EQ(client_->Get("/missing")->status, 404);
  // Each request (with Start's readiness probes of /ready) is logged by its own worker
  // thread after its answer is sent, so the lines come in any order.
  auto has = [](const std::vector<std::string>& lines, const char* line) {
    return std::count(lines.begin(), lines.end(), line);
  };
  std::vector<std::string> log = Log(3);
  for (int i = 0; i < 200 && (has(log, "GET /hello 200 5") == 0 || has(log, "GET /missing 404 0") == 0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    log = Log(0);
  }
  EXPECT_EQ(std::count(log.begin(), log.end(), "GET /hello 200 5"), 1) << ::testing::PrintToString(log);
  EXPECT_EQ(std::count(log.begin(), log.end(), "GET /missing 404 0"), 1) << ::testing::PrintToString(log);
  for (const std::string& line : log) {
    EXPECT_TRUE(line == "GET /hello 200 5" || line == "GET /missing 404 0" || line == "GET /ready 200 0") << line;
  }
}

// A second listener on the port a first one holds is refused: no SO_REUSEPORT sharing.
TEST_F(HttpListenerTest, ASecondListenerOnAHeldPortIsRefused) {
  HttpListenerOptions o;
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/ready", [](const HttpRequest&, HttpResponse&) {}));
  Start(std::move(o));
  HttpListenerOptions second;
  second.host = "127.0.0.1";
  second.port = listener_->port();
  auto refused = Backend()->Bind(std::move(second));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  EXPECT_EQ(client_->Get("/ready")->status, 200);  // the first one still answers
}

TEST_F(HttpListenerTest, PortInUseIsAnIoErrorAndStopEndsListen) {
  ASSERT_NE(Backend(), nullptr);
  // A port held by another program's plain socket (cpp-httplib sets SO_REUSEPORT on its
  // own, so two of its servers could share one port).
  const int held = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(held, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(held, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(listen(held, 1), 0);
  ASSERT_EQ(getsockname(held, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);
  HttpListenerOptions taken;
  taken.host = "127.0.0.1";
  taken.port = port;
  auto refused = Backend()->Bind(std::move(taken));
  close(held);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  EXPECT_EQ(refused.error().message, "cannot listen on 127.0.0.1:" + std::to_string(port) + " (in use?)");

  HttpListenerOptions o;
  o.routes.push_back(Route(HttpRoute::Method::kGet, "/ready", [](const HttpRequest&, HttpResponse&) {}));
  Start(std::move(o));
  ASSERT_EQ(client_->Get("/ready")->status, 200);
  listener_->Stop();
  thread_.join();
  EXPECT_TRUE(served_.load());
}

}  // namespace
}  // namespace billwise
