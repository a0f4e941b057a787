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
// Every route goes through one ServerBackend (server_backend.h): in the program, the Job of
// the command line and its case file (job_backend.h). When the backend keeps a case file,
// /api/analyze files the bill in it (and adds the cross-document findings), /api/letters
// also records the letters written (header X-Billwise-Case-File: recorded | not recorded);
// when it keeps none (`billwise --no-store serve`) the case routes answer 404 "no_store".
// /api/health says which: "cases": bool. Profiles (the form's JSON) are read by ParseProfile
// (pipeline/audit/profile.h), as the command line reads its YAML.
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
// Thread-safety: requests run on the HTTP adapter's worker threads, so the backend must be
// thread-safe (a Job is). Stop() may be called from any thread.
#ifndef BILLWISE_PIPELINE_SERVER_SERVER_H_
#define BILLWISE_PIPELINE_SERVER_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/server/analysis_workers.h"
#include "pipeline/server/server_backend.h"

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

// What an upload's bytes look like: "pdf", "png", "jpeg", "tiff", "text" or "" (refused).
std::string SniffUpload(std::string_view bytes);

class WebServer {
 public:
  // Starts the analysis workers (it forks: call it while the process has one thread, and
  // from a thread that lives as long as the server), then binds the listening socket. kIo
  // when the address cannot be bound. The server shares `backend` with its worker processes.
  static Expected<std::unique_ptr<WebServer>> Bind(const ServerOptions& options,
                                                   std::shared_ptr<const ServerBackend> backend);
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
