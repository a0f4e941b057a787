#include "pipeline/server/server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pipeline/report/bill_json.h"
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

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

void SendError(httplib::Response& res, const Error& e) { SendError(res, HttpStatusFor(e), ErrorCodeName(e.code), e.message); }

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
  ServerHooks hooks;
  httplib::Server http;
  int port = 0;
  std::set<std::string> allowed_hosts;    // Host header values
  std::set<std::string> allowed_origins;  // Origin header values

  void Log(const std::string& line) {
    if (options.log) {
      options.log(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }

  bool HostAllowed(const httplib::Request& req) const {
    if (IsWildcard(options.host)) return true;  // reachable under any name the user chose
    return allowed_hosts.contains(req.get_header_value("Host"));
  }

  bool OriginAllowed(const httplib::Request& req) const {
    if (!req.has_header("Origin")) return true;  // same-origin GETs and non-browser clients
    std::string origin = req.get_header_value("Origin");
    if (allowed_origins.contains(origin)) return true;
    return IsWildcard(options.host) && origin == "http://" + req.get_header_value("Host");
  }

  // Reads the multipart `file`, sniffs it and parses the optional profile.
  bool ReadUpload(const httplib::Request& req, httplib::Response& res, std::string* name,
                  std::optional<Profile>* profile) {
    if (!req.is_multipart_form_data() || !req.has_file("file")) {
      SendError(res, 400, "usage", "send the bill as multipart/form-data field `file`");
      return false;
    }
    const httplib::MultipartFormData& file = req.get_file_value("file");
    if (SniffUpload(file.content).empty()) {
      SendError(res, 415, "unsupported", "not a PDF, PNG, JPEG, TIFF or text statement");
      return false;
    }
    *name = file.filename.empty() ? "upload" : file.filename;
    if (req.has_file("profile")) {
      std::string text = req.get_file_value("profile").content;
      if (!text.empty() && text != "null" && text != "{}") {
        auto p = hooks.parse_profile(text);
        if (!p) {
          SendError(res, p.error());
          return false;
        }
        *profile = std::move(*p);
      }
    }
    return true;
  }

  // Analyzes the upload and, when the case file is kept, records it: the cross-document
  // findings join the bill's own (recording is idempotent by the document's sha256).
  Expected<Bill> AnalyzeUpload(const httplib::Request& req, const std::string& name,
                               const std::optional<Profile>& profile) {
    auto bill = hooks.analyze(req.get_file_value("file").content, name, profile);
    if (!bill || !hooks.record) return bill;
    auto cross = hooks.record(*bill);
    if (cross) {
      bill->findings.insert(bill->findings.end(), cross->begin(), cross->end());
    } else {
      bill->diagnostics.push_back(Diagnostic{Severity::kWarning, "cases",
                                             "not recorded in the case file: " + cross.error().message, std::nullopt});
    }
    return bill;
  }

  void Analyze(const httplib::Request& req, httplib::Response& res) {
    std::string name;
    std::optional<Profile> profile;
    if (!ReadUpload(req, res, &name, &profile)) return;
    auto bill = AnalyzeUpload(req, name, profile);
    if (!bill) return SendError(res, bill.error());
    std::string kinds;
    for (const std::string& k : hooks.applicable(*bill, profile)) kinds += (kinds.empty() ? "" : ",") + k;
    res.set_header("X-Billwise-Letters", kinds);
    res.set_content(BillToJson(*bill), "application/json");
  }

  void Letters(const httplib::Request& req, httplib::Response& res) {
    std::string name;
    std::optional<Profile> profile;
    if (!ReadUpload(req, res, &name, &profile)) return;
    auto bill = AnalyzeUpload(req, name, profile);
    if (!bill) return SendError(res, bill.error());
    std::string lang = req.has_file("lang") ? req.get_file_value("lang").content : "";
    if (!lang.empty() && lang != "en" && lang != "es") return SendError(res, 400, "usage", "lang must be en or es");
    std::vector<std::string> kinds =
        SplitList(req.has_file("kinds") ? req.get_file_value("kinds").content : std::string("all"));
    if (kinds.empty() || (kinds.size() == 1 && kinds[0] == "all")) kinds = hooks.applicable(*bill, profile);
    if (kinds.empty()) return SendError(res, 422, "usage", "no letter applies to this bill");
    auto letters = hooks.letters(*bill, profile, kinds, lang);
    if (!letters) return SendError(res, letters.error());
    if (hooks.record_letters) {
      // The letters are written either way; the header tells whether the case file knows.
      res.set_header("X-Billwise-Case-File", hooks.record_letters(*bill, kinds) ? "recorded" : "not recorded");
    }
    res.set_header("Cache-Control", "no-store");
    if (letters->size() == 1) {
      res.set_header("Content-Disposition", "attachment; filename=\"" + letters->front().name + "\"");
      res.set_content(std::move(letters->front().bytes), "application/pdf");
      return;
    }
    auto zip = MakeZip(*letters);
    if (!zip) return SendError(res, zip.error());
    res.set_header("Content-Disposition", "attachment; filename=\"billwise-letters.zip\"");
    res.set_content(std::move(*zip), "application/zip");
  }

  // Reads a JSON request body into an object; false (response sent) when it is not one.
  bool ReadJsonBody(const httplib::Request& req, httplib::Response& res, nlohmann::json* body) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      SendError(res, 415, "unsupported", "send a JSON body (Content-Type: application/json)");
      return false;
    }
    *body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body->is_discarded() || !body->is_object()) {
      SendError(res, 400, "usage", "the body is not a JSON object");
      return false;
    }
    return true;
  }

  // {codes: [...], zip?, state?} -> EstimateQuery; false (response sent) when malformed.
  bool ReadEstimateQuery(const nlohmann::json& body, httplib::Response& res, EstimateQuery* query) {
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

  void EstimateRoute(const httplib::Request& req, httplib::Response& res) {
    if (!hooks.estimate) return SendError(res, 404, "not_found", "estimates are not available");
    nlohmann::json body;
    EstimateQuery query;
    if (!ReadJsonBody(req, res, &body) || !ReadEstimateQuery(body, res, &query)) return;
    auto json = hooks.estimate(query);
    if (!json) return SendError(res, json.error());
    res.set_content(std::move(*json), "application/json");
  }

  void GfeRequest(const httplib::Request& req, httplib::Response& res) {
    if (!hooks.estimate || !hooks.gfe_request) return SendError(res, 404, "not_found", "letters are not available");
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
        auto parsed = hooks.parse_profile(p->dump());
        if (!parsed) return SendError(res, parsed.error());
        profile = std::move(*parsed);
      }
    }
    auto estimate = hooks.estimate(query);
    if (!estimate) return SendError(res, estimate.error());
    auto letter = hooks.gfe_request(*estimate, provider.value_or(""), profile, lang.value_or(""));
    if (!letter) return SendError(res, letter.error());
    res.set_header("Content-Disposition", "attachment; filename=\"" + letter->name + "\"");
    res.set_content(std::move(letter->bytes), "application/pdf");
  }

  // The case routes answer 404 "no_store" when the server keeps no case file.
  bool CasesKept(httplib::Response& res) {
    if (hooks.cases && hooks.due) return true;
    SendError(res, 404, "no_store", "the case file is off (billwise --no-store serve)");
    return false;
  }

  void Install() {
    http.set_payload_max_length(static_cast<size_t>(options.max_upload_bytes));
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      request_start = Clock::now();
      if (!HostAllowed(req)) {
        SendError(res, 403, "forbidden", "unknown Host");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (!OriginAllowed(req)) {
        SendError(res, 403, "forbidden", "cross-origin requests are refused");
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy", kCsp);
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("X-Frame-Options", "DENY");
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_header("Cross-Origin-Resource-Policy", "same-origin");
      res.set_header("Cache-Control", "no-store");
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      std::string took = "-";
      if (request_start != Clock::time_point{}) {
        took = fmt::format("{:.0f}ms", std::chrono::duration<double, std::milli>(Clock::now() - request_start).count());
      }
      request_start = Clock::time_point{};
      // Method, path (no query), status, size and time: nothing about the patient.
      Log(fmt::format("billwise serve: {} {} {} {}B {}", req.method, req.path, res.status, res.body.size(), took));
    });
    http.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
      nlohmann::json j = {{"status", "ok"}, {"version", "0.1.0"}, {"cases", static_cast<bool>(hooks.cases && hooks.due)},
                          {"estimate", static_cast<bool>(hooks.estimate)}};
      res.set_content(j.dump(), "application/json");
    });
    http.Post("/api/analyze", [this](const httplib::Request& req, httplib::Response& res) { Analyze(req, res); });
    http.Post("/api/letters", [this](const httplib::Request& req, httplib::Response& res) { Letters(req, res); });
    http.Post("/api/estimate", [this](const httplib::Request& req, httplib::Response& res) { EstimateRoute(req, res); });
    http.Post("/api/gfe-request", [this](const httplib::Request& req, httplib::Response& res) { GfeRequest(req, res); });
    http.Get("/api/cases", [this](const httplib::Request&, httplib::Response& res) {
      if (!CasesKept(res)) return;
      auto json = hooks.cases();
      if (!json) return SendError(res, json.error());
      res.set_content(std::move(*json), "application/json");
    });
    http.Get("/api/due", [this](const httplib::Request&, httplib::Response& res) {
      if (!CasesKept(res)) return;
      auto json = hooks.due("json");
      if (!json) return SendError(res, json.error());
      res.set_content(std::move(*json), "application/json");
    });
    http.Get("/api/due.ics", [this](const httplib::Request&, httplib::Response& res) {
      if (!CasesKept(res)) return;
      auto ics = hooks.due("ics");
      if (!ics) return SendError(res, ics.error());
      res.set_header("Content-Disposition", "attachment; filename=\"billwise-deadlines.ics\"");
      res.set_content(std::move(*ics), "text/calendar; charset=utf-8");
    });
    http.Get(R"(/[a-z0-9_.\-]*)", [](const httplib::Request& req, httplib::Response& res) {
      const WebAsset* asset = FindWebAsset(req.path);
      if (!asset) return SendError(res, 404, "not_found", "no such page");
      res.set_content(reinterpret_cast<const char*>(asset->data), asset->size, asset->mime_type);
    });
  }
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebServer::~WebServer() { Stop(); }

Expected<std::unique_ptr<WebServer>> WebServer::Bind(const ServerOptions& options, ServerHooks hooks) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->hooks = std::move(hooks);
  impl->Install();
  int port = options.port == 0 ? impl->http.bind_to_any_port(options.host)
                               : (impl->http.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) {
    return Fail(ErrorCode::kIo, "cannot listen on " + HostPort(options.host, options.port) + " (in use?)");
  }
  impl->port = port;
  for (const std::string& h : {std::string("127.0.0.1"), std::string("localhost"), std::string("::1")}) {
    impl->allowed_hosts.insert(HostPort(h, port));
    impl->allowed_origins.insert("http://" + HostPort(h, port));
  }
  if (!IsWildcard(options.host)) {
    impl->allowed_hosts.insert(HostPort(options.host, port));
    impl->allowed_origins.insert("http://" + HostPort(options.host, port));
  }
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

int WebServer::port() const { return impl_->port; }

Expected<void> WebServer::Serve() {
  if (!impl_->http.listen_after_bind()) return Fail(ErrorCode::kIo, "the server stopped on an error");
  return {};
}

void WebServer::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace billwise
