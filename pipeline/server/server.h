// The local web page and its JSON API (`billwise serve`), on the HTTP adapter of
// http_listener.h (cpp-httplib).
//
//   GET  /                 the single-page app (built into the binary: web_assets.h)
//   GET  /api/health       {"status":"ok","version":...}
//   POST /api/analyze      multipart `file` [+ `profile` JSON] -> the bill JSON (bill-json.md);
//                          header X-Billwise-Letters lists the letter kinds that apply
//   POST /api/letters      multipart `file` + `profile` JSON + `kinds` ("dispute,lump-sum"
//                          or "all") + `lang` -> one PDF, or a ZIP when several letters
//   POST /api/estimate     JSON {"codes": ["99213", "80053x2"], "zip"?: "10001", "state"?: "NY"}
//                          -> the JSON of `billwise estimate --format json`
//   POST /api/gfe-request  JSON {codes, zip?, state?, "provider"?: name, "profile"?: {...},
//                          "lang"?: "en"|"es"} -> the good-faith-estimate request letter (PDF)
//   GET  /api/cases        the JSON of `billwise cases --format json`
//   GET  /api/due          the JSON of `billwise due --format json`
//   GET  /api/due.ics      the same deadlines as an iCalendar file (download)
//   POST /api/sent         marks a letter of a case as sent (method, tracking): case_routes.h
//   POST /api/call         logs a phone call with its follow-up date: case_routes.h
//
// /api/analyze records the bill in the case file (and adds the cross-document findings)
// when the `record` hook is set, /api/letters also the letters written (header
// X-Billwise-Case-File: recorded | not recorded); the case routes answer 404 "no_store" when the case
// hooks are not set (`billwise --no-store serve`). /api/health says which: "cases": bool.
//
// Privacy and safety: binds 127.0.0.1 unless a host is given; uploads are capped as they are
// read (413), sniffed by content (415 for anything but PDF, PNG, JPEG, TIFF or text) and
// analyzed in a worker process with time and memory limits (analysis_workers.h; the upload
// stays on a memory file system where there is one, and is removed after); at most
// workers + queue analyses are accepted at once (503 beyond); slow clients are cut off
// (http_listener.h); a request whose Origin is not the server's own, or whose Host is not
// one of the server's names (DNS rebinding), gets 403, whatever address the server listens
// on (ServerOptions::allowed_hosts names more); every response carries a strict
// Content-Security-Policy, nosniff and no-store; the log line of a request holds method,
// path, status, size and duration only.
//
// Thread-safety: requests run on the HTTP adapter's worker threads, so the hooks must be
// thread-safe (an Engine is). Stop() may be called from any thread.
#ifndef BILLWISE_PIPELINE_SERVER_SERVER_H_
#define BILLWISE_PIPELINE_SERVER_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/batch/batch.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"
#include "pipeline/server/analysis_workers.h"

namespace billwise {

struct ServerOptions {
  std::string host = "127.0.0.1";       // "0.0.0.0" or "::" only when asked for explicitly
  int port = 8080;                      // 0 = any free port (see WebServer::port())
  // Host names (or addresses) besides 127.0.0.1, localhost, ::1 and `host` that requests
  // may carry in Host and Origin: how other computers reach a non-loopback `host`.
  std::vector<std::string> allowed_hosts;
  int64_t max_upload_bytes = 50LL << 20;  // bytes as read: decoded and decompressed
  // Analyses run in worker processes (analysis_workers.h) with these limits; a request
  // beyond workers + queue gets 503. isolate = false runs them on the request's thread,
  // without limits (fuzzing only).
  AnalysisLimits analysis;
  bool isolate = true;
  // Connections served at once; 0 = workers + queue + 128 (a thread waiting on a slow
  // client costs little memory).
  int connection_threads = 0;
  // Upload bytes held by all requests together (being read, or waiting for analysis); an
  // upload that would pass it gets 503. 0 = 8 x max_upload_bytes.
  int64_t max_buffered_bytes = 0;
  int header_timeout_ms = 10'000;  // request line and headers, from the first byte
  int body_timeout_ms = 120'000;   // the whole upload
  std::function<void(const std::string&)> log;  // one line per request; null = stderr
};

// A planned-care price question from the page: codes as `billwise estimate` takes them
// ("99213", "80053x2", "71046-26"), and where the care happens.
struct EstimateQuery {
  std::vector<std::string> codes;
  std::optional<std::string> zip;
  std::optional<std::string> state;
};

// A letter of a case marked as sent from the page (POST /api/sent).
struct SentRequest {
  int64_t case_id = 0;
  int64_t letter_id = 0;
  std::optional<Date> date;  // nullopt = today
  std::string method;        // mail | certified | fax | portal
  std::optional<std::string> tracking;
};

// A phone call logged from the page (POST /api/call).
struct CallRequest {
  int64_t case_id = 0;
  std::optional<Date> date;  // nullopt = today
  std::string with;
  std::optional<std::string> reference;
  std::string note;
  std::optional<Date> follow_up;  // nullopt = the case file's default
};
struct LoggedCall {
  int64_t id = 0;
  Date follow_up;
};

// What the server calls to do the work (the CLI wires them to the Engine, letters and case
// file). Every hook may be called from several threads at once.
struct ServerHooks {
  // Reads uploaded bytes into a Bill (with a plan when a profile is given).
  std::function<Expected<Bill>(std::string_view bytes, const std::string& name, const std::optional<Profile>& profile)>
      analyze;
  // Letter kinds that apply to the bill ("dispute", "lump-sum"...).
  std::function<std::vector<std::string>(const Bill& bill, const std::optional<Profile>& profile)> applicable;
  // Renders the named letters ("letter-<kind>.pdf" files).
  std::function<Expected<std::vector<OutputFile>>(const Bill& bill, const std::optional<Profile>& profile,
                                                  const std::vector<std::string>& kinds, const std::string& lang)>
      letters;
  // Parses the profile form's JSON (kBadData names the key).
  std::function<Expected<Profile>(std::string_view json)> parse_profile;

  // Prices planned services: the estimate JSON (kUsage for a bad code, ZIP or state).
  std::function<Expected<std::string>(const EstimateQuery& query)> estimate;
  // Writes the good-faith-estimate request letter from an estimate's JSON; `provider` names
  // the recipient ("" = a blank to fill by hand).
  std::function<Expected<OutputFile>(const std::string& estimate_json, const std::string& provider,
                                     const std::optional<Profile>& profile, const std::string& lang)>
      gfe_request;

  // The case file; null (all six) when nothing is kept.
  // Records an analyzed bill; returns the cross-document findings that involve it.
  std::function<Expected<std::vector<Finding>>(const Bill& bill)> record;
  // Records the letters written for the bill's case (kind, today, the bill's addressee).
  std::function<Expected<void>(const Bill& bill, const std::vector<std::string>& kinds)> record_letters;
  // The JSON of `billwise cases --format json`.
  std::function<Expected<std::string>()> cases;
  // Open deadlines: format "json" (`billwise due --format json`) or "ics" (iCalendar).
  std::function<Expected<std::string>(std::string_view format)> due;
  // Marks a letter as sent; returns the date recorded. kNotFound: no such case or letter.
  std::function<Expected<Date>(const SentRequest& request)> mark_sent;
  // Logs a call; returns its id and follow-up date. kNotFound: no such case.
  std::function<Expected<LoggedCall>(const CallRequest& request)> record_call;
};

// What an upload's bytes look like: "pdf", "png", "jpeg", "tiff", "text" or "" (refused).
std::string SniffUpload(std::string_view bytes);

class WebServer {
 public:
  // Starts the analysis workers (it forks: call it while the process has one thread, and
  // from a thread that lives as long as the server), then binds the listening socket. kIo
  // when the address cannot be bound.
  static Expected<std::unique_ptr<WebServer>> Bind(const ServerOptions& options, ServerHooks hooks);
  ~WebServer();

  int port() const;
  // Serves until Stop(). kIo if the server stops on an error.
  Expected<void> Serve();
  void Stop();
  // Serves one connected socket on the calling thread, then closes it (tests, fuzzing).
  void ServeConnection(int fd);

 private:
  struct Impl;
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_SERVER_H_
