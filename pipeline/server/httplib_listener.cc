// HttpBackend on cpp-httplib: the only file that includes httplib.h. It turns httplib's
// Request/Response into the plain types of http_listener.h and back, and its bind results
// into Error.
#include "pipeline/server/httplib_listener.h"

#include <httplib.h>
#include <sys/socket.h>

#include <string>
#include <utility>

namespace billwise {
namespace {

// The request as plain views into httplib's buffers (valid while `req` is).
HttpRequest View(const httplib::Request& req) {
  HttpRequest view;
  view.method = req.method;
  view.path = req.path;
  view.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) view.headers.emplace_back(name, value);
  view.body = req.body;
  view.files.reserve(req.files.size());
  for (const auto& [name, file] : req.files) {
    view.files.push_back(HttpFile{.name = name, .filename = file.filename, .content_type = file.content_type,
                                  .content = file.content});
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

class HttplibListener final : public HttpListener {
 public:
  explicit HttplibListener(HttpListenerOptions options) : options_(std::move(options)) {}

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
    return {};
  }

  int port() const override { return port_; }

  Expected<void> Listen() override {
    if (!http_.listen_after_bind()) return Fail(ErrorCode::kIo, "the server stopped on an error");
    return {};
  }

  void Stop() override { http_.stop(); }

 private:
  void Install() {
    http_.set_payload_max_length(static_cast<size_t>(options_.max_payload_bytes));
    if (options_.pre_routing) {
      http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        HttpResponse response;
        if (!options_.pre_routing(View(req), response)) return httplib::Server::HandlerResponse::Unhandled;
        Send(std::move(response), res);
        return httplib::Server::HandlerResponse::Handled;
      });
    }
    if (!options_.headers_on_every_response.empty()) {
      http_.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
        for (const auto& [name, value] : options_.headers_on_every_response) res.set_header(name.c_str(), value);
      });
    }
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
      auto run = [handler](const httplib::Request& req, httplib::Response& res) {
        HttpResponse response;
        (*handler)(View(req), response);
        Send(std::move(response), res);
      };
      if (route.method == HttpRoute::Method::kGet) {
        http_.Get(pattern, run);
      } else {
        http_.Post(pattern, run);
      }
    }
  }

  const HttpListenerOptions options_;
  httplib::Server http_;
  int port_ = -1;
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
