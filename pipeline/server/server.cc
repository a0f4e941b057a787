#include "pipeline/server/server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pipeline/audit/profile.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/server/case_routes.h"
#include "pipeline/server/http_listener.h"
#include "pipeline/server/web_assets.h"
#include "pipeline/server/zip_writer.h"

namespace billwise {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

thread_local Clock::time_point request_start{};

int HttpStatusFor(const Error& e) {
  switch (e.code) {
    case ErrorCode::kUsage:
    case ErrorCode::kBadData: return 400;
    case ErrorCode::kInvalidInput:
    case ErrorCode::kEncrypted:
    case ErrorCode::kUnsupported: return 422;
    case ErrorCode::kLimitExceeded: return 413;
    default: return 500;
  }
}

void SendError(HttpResponse& res, int status, const std::string& code, const std::string& message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  res.status = status;
  res.SetContent(j.dump(), "application/json");
}

void SendError(HttpResponse& res, const Error& e) { SendError(res, HttpStatusFor(e), ErrorCodeName(e.code), e.message); }

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

bool IsWildcard(const std::string& host) { return host == "0.0.0.0" || host == "::" || host.empty(); }

// The error code and message of the adapter's own refusals (http_listener.h).
void DescribeRefusal(int status, HttpResponse& res) {
  switch (status) {
    case 405: return SendError(res, 405, "usage", "only GET and POST are served");
    case 408: return SendError(res, 408, "timeout", "the request was not sent in time");
    case 413:
      return SendError(res, 413, "limit_exceeded", "the upload is larger than the server's limit (--max-upload)");
    case 415: return SendError(res, 415, "unsupported", "unsupported Content-Encoding");
    case 503:
      res.SetHeader("Retry-After", "5");
      return SendError(res, 503, "busy", "the server is busy with other requests; try again in a moment");
    default: return SendError(res, status, "usage", "malformed request");
  }
}

// The most codes one estimate request may ask about.
constexpr size_t kMaxEstimateCodes = 50;

// A JSON string value of at most `max` bytes, absent/null = nullopt; false on a wrong type.
bool OptionalString(const nlohmann::json& body, const char* key, size_t max, std::optional<std::string>* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string() || it->get_ref<const std::string&>().size() > max) return false;
  std::string v = it->get<std::string>();
  if (!v.empty()) *out = std::move(v);
  return true;
}

std::string HostPort(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// A route's handler that turns an exception (nlohmann's dump of a message that is not
// UTF-8, bad_alloc) into a 500 answer: none may reach the HTTP adapter.
HttpHandler Guarded(std::function<void(const HttpRequest&, HttpResponse&)> handler) {
  return [handler = std::move(handler)](const HttpRequest& req, HttpResponse& res) {
    try {
      handler(req, res);
    } catch (const std::exception&) {
      res = HttpResponse{};
      SendError(res, 500, "internal", "internal error");
    }
  };
}

HttpRoute Get(std::string path, HttpHandler handler) {
  return HttpRoute{.method = HttpRoute::Method::kGet, .path = std::move(path), .handler = Guarded(std::move(handler))};
}

HttpRoute Post(std::string path, HttpHandler handler) {
  return HttpRoute{.method = HttpRoute::Method::kPost, .path = std::move(path), .handler = Guarded(std::move(handler))};
}

}  // namespace

std::string SniffUpload(std::string_view b) {
  if (b.starts_with("%PDF-")) return "pdf";
  if (b.size() >= 1024 && b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "pdf";
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "png";
  if (b.starts_with("\xff\xd8\xff")) return "jpeg";
  if (b.starts_with(std::string_view("II*\0", 4)) || b.starts_with(std::string_view("MM\0*", 4))) return "tiff";
  if (b.empty()) return "";
  // Text: no NUL and no other C0 controls besides tab, CR, LF, FF in the first 64 KB.
  for (unsigned char c : b.substr(0, 65536)) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return "";
  }
  return "text";
}

struct WebServer::Impl {
  ServerOptions options;
  std::shared_ptr<const ServerBackend> backend;
  std::unique_ptr<HttpListener> http;
  std::unique_ptr<AnalysisWorkers> workers;  // null when !options.isolate
  std::set<std::string, std::less<>> allowed_hosts;    // Host header values
  std::set<std::string, std::less<>> allowed_origins;  // Origin header values

  void Log(const std::string& line) {
    if (options.log) {
      options.log(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }

  bool HostAllowed(const HttpRequest& req) const { return allowed_hosts.contains(req.Header("Host")); }

  bool OriginAllowed(const HttpRequest& req) const {
    if (!req.HasHeader("Origin")) return true;  // same-origin GETs and non-browser clients
    return allowed_origins.contains(req.Header("Origin"));
  }

  // Reads the multipart `file`, sniffs it and parses the optional profile.
  bool ReadUpload(const HttpRequest& req, HttpResponse& res, std::string* name,
                  std::optional<Profile>* profile) {
    const HttpFile* file = req.File("file");  // null too when the body is not multipart
    if (file == nullptr) {
      SendError(res, 400, "usage", "send the bill as multipart/form-data field `file`");
      return false;
    }
    if (SniffUpload(file->content).empty()) {
      SendError(res, 415, "unsupported", "not a PDF, PNG, JPEG, TIFF or text statement");
      return false;
    }
    *name = file->filename.empty() ? "upload" : std::string(file->filename);
    if (const HttpFile* form = req.File("profile")) {
      std::string_view text = form->content;
      if (!text.empty() && text != "null" && text != "{}") {
        auto p = ParseProfile(text, "profile form");
        if (!p) {
          SendError(res, p.error());
          return false;
        }
        *profile = std::move(*p);
      }
    }
    return true;
  }

  // Analyzes the upload (in a worker process unless !options.isolate) and, when the case
  // file is kept, files it: the cross-document findings join the bill's own (recording is
  // idempotent by the document's sha256). nullopt when the analysis queue is full.
  std::optional<Expected<Bill>> AnalyzeUpload(const HttpRequest& req, const std::string& name,
                                              const std::optional<Profile>& profile) {
    const HttpFile* profile_form = req.File("profile");
    std::optional<Expected<Bill>> analyzed =
        workers ? workers->Analyze(req.File("file")->content, name, profile ? profile_form->content : "")
                : std::optional<Expected<Bill>>(backend->Analyze(req.File("file")->content, name, profile));
    if (!analyzed) return std::nullopt;
    Expected<Bill>& bill = *analyzed;
    if (!bill || !backend->keeps_cases()) return analyzed;
    auto cross = backend->File(*bill);
    if (cross) {
      bill->findings.insert(bill->findings.end(), cross->begin(), cross->end());
    } else {
      bill->diagnostics.push_back(Diagnostic{Severity::kWarning, "cases",
                                             "not recorded in the case file: " + cross.error().message, std::nullopt});
    }
    return analyzed;
  }

  // The bill of an upload, or false with the answer sent (an error, or 503 when busy).
  bool AnalyzeOrAnswer(const HttpRequest& req, HttpResponse& res, const std::string& name,
                       const std::optional<Profile>& profile, Bill* out) {
    auto analyzed = AnalyzeUpload(req, name, profile);
    if (!analyzed) {
      DescribeRefusal(503, res);
      return false;
    }
    if (!*analyzed) {
      SendError(res, analyzed->error());
      return false;
    }
    *out = std::move(**analyzed);
    return true;
  }

  void Analyze(const HttpRequest& req, HttpResponse& res) {
    std::string name;
    std::optional<Profile> profile;
    if (!ReadUpload(req, res, &name, &profile)) return;
    Bill bill;
    if (!AnalyzeOrAnswer(req, res, name, profile, &bill)) return;
    std::string kinds;
    for (const std::string& k : backend->ApplicableLetters(bill, profile)) kinds += (kinds.empty() ? "" : ",") + k;
    res.SetHeader("X-Billwise-Letters", kinds);
    res.SetContent(BillToJson(bill), "application/json");
  }

  void Letters(const HttpRequest& req, HttpResponse& res) {
    std::string name;
    std::optional<Profile> profile;
    if (!ReadUpload(req, res, &name, &profile)) return;
    Bill bill;
    if (!AnalyzeOrAnswer(req, res, name, profile, &bill)) return;
    const HttpFile* lang_field = req.File("lang");
    const std::string lang = lang_field ? std::string(lang_field->content) : "";
    if (!lang.empty() && lang != "en" && lang != "es") return SendError(res, 400, "usage", "lang must be en or es");
    const HttpFile* kinds_field = req.File("kinds");
    std::vector<std::string> kinds = SplitList(kinds_field ? std::string(kinds_field->content) : std::string("all"));
    if (kinds.empty() || (kinds.size() == 1 && kinds[0] == "all")) kinds = backend->ApplicableLetters(bill, profile);
    if (kinds.empty()) return SendError(res, 422, "usage", "no letter applies to this bill");
    auto letters = backend->Letters(bill, profile, kinds, lang);
    if (!letters) return SendError(res, letters.error());
    if (letters->recorded) {
      // The letters are written either way; the header tells whether the case file knows.
      res.SetHeader("X-Billwise-Case-File", *letters->recorded ? "recorded" : "not recorded");
    }
    res.SetHeader("Cache-Control", "no-store");
    std::vector<OutputFile>& files = letters->files;
    if (files.empty()) return SendError(res, 500, "internal", "no letter was written");
    if (files.size() == 1) {
      res.SetHeader("Content-Disposition", "attachment; filename=\"" + files.front().name + "\"");
      res.SetContent(std::move(files.front().bytes), "application/pdf");
      return;
    }
    auto zip = MakeZip(files);
    if (!zip) return SendError(res, zip.error());
    res.SetHeader("Content-Disposition", "attachment; filename=\"billwise-letters.zip\"");
    res.SetContent(std::move(*zip), "application/zip");
  }

  // Reads a JSON request body into an object; false (response sent) when it is not one.
  bool ReadJsonBody(const HttpRequest& req, HttpResponse& res, nlohmann::json* body) {
    if (!req.Header("Content-Type").starts_with("application/json")) {
      SendError(res, 415, "unsupported", "send a JSON body (Content-Type: application/json)");
      return false;
    }
    *body = nlohmann::json::parse(req.body.begin(), req.body.end(), nullptr, /*allow_exceptions=*/false);
    if (body->is_discarded() || !body->is_object()) {
      SendError(res, 400, "usage", "the body is not a JSON object");
      return false;
    }
    return true;
  }

  // {codes: [...], zip?, state?} -> EstimateQuery; false (response sent) when malformed.
  bool ReadEstimateQuery(const nlohmann::json& body, HttpResponse& res, EstimateQuery* query) {
    auto codes = body.find("codes");
    if (codes == body.end() || !codes->is_array() || codes->empty()) {
      SendError(res, 400, "usage", "codes: give a list of CPT/HCPCS codes, e.g. [\"99213\", \"80053x2\"]");
      return false;
    }
    if (codes->size() > kMaxEstimateCodes) {
      SendError(res, 400, "usage", fmt::format("codes: at most {} codes at once", kMaxEstimateCodes));
      return false;
    }
    for (const auto& c : *codes) {
      if (!c.is_string() || c.get_ref<const std::string&>().empty() || c.get_ref<const std::string&>().size() > 32) {
        SendError(res, 400, "usage", "codes: each code is a short string such as \"99213\" or \"J1885x2\"");
        return false;
      }
      query->codes.push_back(c.get<std::string>());
    }
    if (!OptionalString(body, "zip", 10, &query->zip) || !OptionalString(body, "state", 2, &query->state)) {
      SendError(res, 400, "usage", "zip is a 5-digit ZIP code and state a two-letter state, as strings");
      return false;
    }
    if (query->zip && query->state) {
      SendError(res, 400, "usage", "give a ZIP code or a state, not both");
      return false;
    }
    return true;
  }

  void EstimateRoute(const HttpRequest& req, HttpResponse& res) {
    nlohmann::json body;
    EstimateQuery query;
    if (!ReadJsonBody(req, res, &body) || !ReadEstimateQuery(body, res, &query)) return;
    auto json = backend->Estimate(query);
    if (!json) return SendError(res, json.error());
    res.SetContent(std::move(*json), "application/json");
  }

  void GfeRequest(const HttpRequest& req, HttpResponse& res) {
    nlohmann::json body;
    EstimateQuery query;
    if (!ReadJsonBody(req, res, &body) || !ReadEstimateQuery(body, res, &query)) return;
    std::optional<std::string> provider, lang;
    if (!OptionalString(body, "provider", 200, &provider) || !OptionalString(body, "lang", 2, &lang)) {
      return SendError(res, 400, "usage", "provider and lang are strings");
    }
    if (lang && *lang != "en" && *lang != "es") return SendError(res, 400, "usage", "lang must be en or es");
    std::optional<Profile> profile;
    if (auto p = body.find("profile"); p != body.end() && !p->is_null()) {
      if (!p->is_object()) return SendError(res, 400, "usage", "profile is a JSON object");
      if (!p->empty()) {
        auto parsed = ParseProfile(p->dump(), "profile form");
        if (!parsed) return SendError(res, parsed.error());
        profile = std::move(*parsed);
      }
    }
    auto letter = backend->GfeRequest(query, provider.value_or(""), profile, lang.value_or(""));
    if (!letter) return SendError(res, letter.error());
    res.SetHeader("Content-Disposition", "attachment; filename=\"" + letter->name + "\"");
    res.SetContent(std::move(letter->bytes), "application/pdf");
  }

  // The case routes answer 404 "no_store" when the server keeps no case file.
  bool CasesKept(HttpResponse& res) {
    if (backend->keeps_cases()) return true;
    SendError(res, 404, "no_store", "the case file is off (billwise --no-store serve)");
    return false;
  }

  // The listener's configuration: the Host/Origin check, the security headers, the log
  // line and the routes.
  HttpListenerOptions ListenerOptions() {
    HttpListenerOptions o;
    o.host = options.host;
    o.port = options.port;
    o.max_payload_bytes = options.max_upload_bytes;
    o.threads = options.connection_threads > 0 ? options.connection_threads
                                               : options.analysis.workers + options.analysis.queue + 128;
    o.max_waiting_connections = 4 * o.threads;
    o.max_buffered_bytes = options.max_buffered_bytes > 0 ? options.max_buffered_bytes : 8 * options.max_upload_bytes;
    o.header_timeout_ms = options.header_timeout_ms;
    o.body_timeout_ms = options.body_timeout_ms;
    o.refusal = DescribeRefusal;
    o.pre_routing = [this](const HttpRequest& req, HttpResponse& res) {
      request_start = Clock::now();
      if (!HostAllowed(req)) {
        SendError(res, 403, "forbidden", "unknown Host");
        return true;
      }
      if (!OriginAllowed(req)) {
        SendError(res, 403, "forbidden", "cross-origin requests are refused");
        return true;
      }
      return false;
    };
    o.headers_on_every_response = {
        {"Content-Security-Policy", kCsp},         {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},               {"Referrer-Policy", "no-referrer"},
        {"Cross-Origin-Resource-Policy", "same-origin"}, {"Cache-Control", "no-store"}};
    o.log = [this](const HttpLogEntry& entry) {
      std::string took = "-";
      if (request_start != Clock::time_point{}) {
        took = fmt::format("{:.0f}ms", std::chrono::duration<double, std::milli>(Clock::now() - request_start).count());
      }
      request_start = Clock::time_point{};
      // Method, path (no query), status, size and time: nothing about the patient.
      Log(fmt::format("billwise serve: {} {} {} {}B {}", entry.method, entry.path, entry.status, entry.body_bytes,
                      took));
    };
    o.routes.push_back(Get("/api/health", [this](const HttpRequest&, HttpResponse& res) {
      nlohmann::json j = {{"status", "ok"}, {"version", "0.1.0"}, {"cases", backend->keeps_cases()},
                          {"estimate", true}};
      res.SetContent(j.dump(), "application/json");
    }));
    o.routes.push_back(Post("/api/analyze", [this](const HttpRequest& req, HttpResponse& res) { Analyze(req, res); }));
    o.routes.push_back(Post("/api/letters", [this](const HttpRequest& req, HttpResponse& res) { Letters(req, res); }));
    o.routes.push_back(
        Post("/api/estimate", [this](const HttpRequest& req, HttpResponse& res) { EstimateRoute(req, res); }));
    o.routes.push_back(
        Post("/api/gfe-request", [this](const HttpRequest& req, HttpResponse& res) { GfeRequest(req, res); }));
    o.routes.push_back(Get("/api/cases", [this](const HttpRequest&, HttpResponse& res) {
      if (!CasesKept(res)) return;
      auto json = backend->Cases();
      if (!json) return SendError(res, json.error());
      res.SetContent(std::move(*json), "application/json");
    }));
    o.routes.push_back(Get("/api/due", [this](const HttpRequest&, HttpResponse& res) {
      if (!CasesKept(res)) return;
      auto json = backend->Due("json");
      if (!json) return SendError(res, json.error());
      res.SetContent(std::move(*json), "application/json");
    }));
    o.routes.push_back(Get("/api/due.ics", [this](const HttpRequest&, HttpResponse& res) {
      if (!CasesKept(res)) return;
      auto ics = backend->Due("ics");
      if (!ics) return SendError(res, ics.error());
      res.SetHeader("Content-Disposition", "attachment; filename=\"billwise-deadlines.ics\"");
      res.SetContent(std::move(*ics), "text/calendar; charset=utf-8");
    }));
    o.routes.push_back(Post("/api/sent", [this](const HttpRequest& req, HttpResponse& res) {
      MarkSentRoute(*backend, req, res);
    }));
    o.routes.push_back(Post("/api/call", [this](const HttpRequest& req, HttpResponse& res) {
      RecordCallRoute(*backend, req, res);
    }));
    // The page's files: any other lower-case name (FindWebAsset knows which exist).
    HttpRoute assets = Get(R"(/[a-z0-9_.\-]*)", [](const HttpRequest& req, HttpResponse& res) {
      const WebAsset* asset = FindWebAsset(req.path);
      if (!asset) return SendError(res, 404, "not_found", "no such page");
      res.SetContent(std::string(reinterpret_cast<const char*>(asset->data), asset->size), asset->mime_type);
    });
    assets.match = HttpRoute::Match::kPattern;
    o.routes.push_back(std::move(assets));
    return o;
  }
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebServer::~WebServer() { Stop(); }

Expected<std::unique_ptr<WebServer>> WebServer::Bind(const ServerOptions& options,
                                                     std::shared_ptr<const ServerBackend> backend) {
  auto http = GetHttpBackend();
  if (!http) return std::unexpected(http.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->options.analysis.workers = std::max(1, options.analysis.workers);
  impl->options.analysis.queue = std::max(0, options.analysis.queue);
  impl->backend = std::move(backend);
  if (options.isolate) {
    auto workers = AnalysisWorkers::Start(impl->options.analysis, impl->backend);
    if (!workers) return std::unexpected(workers.error());
    impl->workers = std::move(*workers);
  }
  auto listener = (*http)->Bind(impl->ListenerOptions());
  if (!listener) return std::unexpected(listener.error());
  impl->http = std::move(*listener);
  const int port = impl->http->port();
  for (const std::string& h : {std::string("127.0.0.1"), std::string("localhost"), std::string("::1")}) {
    impl->allowed_hosts.insert(HostPort(h, port));
    impl->allowed_origins.insert("http://" + HostPort(h, port));
  }
  std::vector<std::string> names = options.allowed_hosts;
  if (!IsWildcard(options.host)) names.push_back(options.host);
  for (const std::string& name : names) {
    impl->allowed_hosts.insert(HostPort(name, port));
    impl->allowed_origins.insert("http://" + HostPort(name, port));
  }
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

int WebServer::port() const { return impl_->http->port(); }

Expected<void> WebServer::Serve() { return impl_->http->Listen(); }

void WebServer::Stop() {
  if (impl_ && impl_->http) impl_->http->Stop();
}

void WebServer::ServeConnection(int fd) { impl_->http->ServeConnection(fd); }

}  // namespace billwise
