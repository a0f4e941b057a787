// HttpListener: the little HTTP server that the local web page (server.h) needs, behind one
// interface of plain types, so that cpp-httplib lives in one adapter file
// (httplib_listener.cc).
//
// A listener is configured once (HttpListenerOptions: address, payload limit, routes, the
// pre-routing check, headers for every response, the log callback), then Listen() serves on
// worker threads until Stop().
//
// Request handling, in order, for each request (on one worker thread):
//  1. the request line and headers are read within header_timeout_ms of the request's first
//     byte (of the accept, for a connection's first request: time spent waiting for a thread
//     counts) and max_header_bytes; a client that is slower or sends more gets at most a 400
//     and is disconnected;
//  2. a method other than GET, HEAD or POST gets 405, and a Content-Length over
//     max_payload_bytes gets 413, both without reading the body;
//  3. pre_routing(request, response), before the body is read (request.body and files are
//     empty): true = answered, the routes are skipped;
//  4. a POST body is read within body_timeout_ms, counting the bytes actually delivered:
//     after chunked decoding and gzip/deflate/brotli decompression, multipart parts summed.
//     Past max_payload_bytes the read stops at once and the answer is 413 (past
//     max_buffered_bytes for all requests together, 503); a malformed or
//     stalled body gets 400 or 408, an unknown Content-Encoding 415. Then the first route
//     whose method and path match runs (none: 404; a malformed request: 400). HEAD runs the
//     GET route;
//  5. every response, the adapter's own 400/404/405/408/413/415/503 included, gets
//     `headers_on_every_response` added (after the handler's own headers);
//  6. the response is written within write_timeout_ms; after it is sent, log(entry) with
//     method, path, status and body size only.
//
// A request the adapter refuses before reading its body (405, 413, or a POST that
// pre_routing answered) ends its connection after the answer.
//
// Connections: `threads` worker threads serve one connection each; up to
// max_waiting_connections accepted connections wait for one, and a connection beyond that
// is answered 503 at once and closed. Between keep-alive requests a connection may idle for
// idle_timeout_ms, which is also the longest wait for any single read or write.
//
// Lifetime: the string_views of an HttpRequest point into the adapter's buffers and are valid
// only during the callback that receives it.
// Thread-safety: callbacks run on several worker threads at once and must be thread-safe.
// Stop() may be called from any thread (and from a signal handler, as the adapter's stop is
// a flag and a socket shutdown). Callbacks must not throw (server.cc catches exceptions in
// its handlers).
// Failure: Bind gives kIo when the address cannot be bound.
#ifndef BILLWISE_PIPELINE_SERVER_HTTP_LISTENER_H_
#define BILLWISE_PIPELINE_SERVER_HTTP_LISTENER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise {

// One part of a multipart/form-data body.
struct HttpFile {
  std::string_view name;          // the form field
  std::string_view filename;      // "" for a plain field
  std::string_view content_type;  // "" when the part gave none
  std::string_view content;
};

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view path;    // without the query string
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;        // not multipart: the raw body
  std::vector<HttpFile> files;  // multipart/form-data: the parts, in order
  std::string_view remote_address;

  // The first value of a header (names compare case-insensitively); "" when absent.
  std::string_view Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (EqualsIgnoringCase(key, name)) return value;
    }
    return {};
  }
  bool HasHeader(std::string_view name) const {
    for (const auto& header : headers) {
      if (EqualsIgnoringCase(header.first, name)) return true;
    }
    return false;
  }
  // The first multipart part named `name`; null when absent (or the body is not multipart).
  const HttpFile* File(std::string_view name) const {
    for (const HttpFile& file : files) {
      if (file.name == name) return &file;
    }
    return nullptr;
  }

  static bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // sent in order; a name may repeat
  std::string body;
  std::string content_type;  // the Content-Type header; "" = none

  void SetHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  void SetContent(std::string bytes, std::string type) {
    body = std::move(bytes);
    content_type = std::move(type);
  }
};

using HttpHandler = std::function<void(const HttpRequest& request, HttpResponse& response)>;

struct HttpRoute {
  enum class Method { kGet, kPost };
  enum class Match {
    kExact,   // the path equals `path`
    kPattern  // the whole path matches the ECMAScript regular expression `path`
  };
  Method method = Method::kGet;
  Match match = Match::kExact;
  std::string path;
  HttpHandler handler;
};

// What the log callback sees of an exchange: nothing that could name a patient.
struct HttpLogEntry {
  std::string_view method;
  std::string_view path;
  int status = 0;
  size_t body_bytes = 0;  // the response body
};

struct HttpListenerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port (HttpListener::port() tells which)
  int64_t max_payload_bytes = 50LL << 20;  // body bytes as delivered (decoded, decompressed)
  int64_t max_header_bytes = 64 << 10;     // request line and headers
  int threads = 64;                        // connections served at once
  int max_waiting_connections = 256;       // accepted, waiting for a thread; beyond: 503
  // Body bytes of all requests being read or handled at once; a body that would pass it
  // gets 503. 0 = threads x max_payload_bytes.
  int64_t max_buffered_bytes = 0;
  int header_timeout_ms = 10'000;
  int body_timeout_ms = 120'000;
  int write_timeout_ms = 60'000;
  int idle_timeout_ms = 5'000;
  // Fills the body of the adapter's own refusals (status 405, 408, 413, 415, 503); null =
  // an empty body.
  std::function<void(int status, HttpResponse& response)> refusal;
  std::vector<HttpRoute> routes;  // tried in order
  // Sees method, path and headers before the body is read; true = it answered.
  std::function<bool(const HttpRequest& request, HttpResponse& response)> pre_routing;
  std::vector<std::pair<std::string, std::string>> headers_on_every_response;
  std::function<void(const HttpLogEntry& entry)> log;  // null = no log
};

// A bound listening socket.
class HttpListener {
 public:
  virtual ~HttpListener() = default;
  // The bound port (the chosen one when the options asked for 0).
  virtual int port() const = 0;
  // Serves until Stop(). kIo if the server stops on an error.
  virtual Expected<void> Listen() = 0;
  virtual void Stop() = 0;
  // Serves one already-connected stream socket `fd` on the calling thread, exactly as an
  // accepted connection (same limits and callbacks), then closes it. For tests and fuzzing.
  virtual void ServeConnection(int fd) = 0;
};

class HttpBackend {
 public:
  virtual ~HttpBackend() = default;
  // Binds host:port. kIo when the address cannot be bound.
  virtual Expected<std::unique_ptr<HttpListener>> Bind(HttpListenerOptions options) const = 0;
};

// The cpp-httplib backend (http_backend.cc): immutable, never destroyed and thread-safe.
Expected<const HttpBackend*> GetHttpBackend();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_HTTP_LISTENER_H_
