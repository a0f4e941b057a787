// billwise [--db FILE | --no-store] serve [--port P] [--host H] [--allow-host NAME]...
//   [--max-upload MB] [--workers N] [--queue N] [--max-seconds S] [--max-memory MB]
// The local web page and JSON API (pipeline/server/server.h), with one Job
// (pipeline/run/job.h) and the case file (unless --no-store) as its backend
// (pipeline/server/job_backend.h).
// Binds 127.0.0.1 unless --host is given; any other address prints a warning.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "pipeline/cases/case_store.h"
#include "pipeline/cli/commands.h"
#include "pipeline/run/job.h"
#include "pipeline/server/job_backend.h"
#include "pipeline/server/server.h"

namespace billwise {
namespace {

WebServer* g_server = nullptr;

// 127.0.0.0/8, ::1 and localhost: only this computer can connect.
bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

void StopOnSignal(int) {
  if (g_server) g_server->Stop();
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext* ctx) {
  struct Args {
    int port = 8080;
    std::string host = "127.0.0.1";
    std::vector<std::string> allow_hosts;
    int max_upload_mb = 50;
    int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    int queue = AnalysisLimits{}.queue;
    int max_seconds = AnalysisLimits{}.max_seconds;
    int max_memory_mb = static_cast<int>(AnalysisLimits{}.max_memory_bytes >> 20);
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Open the local web page: drop bills, see reports, download letters");
  cmd->add_option("--port", a->port, "Port (default 8080; 0 = any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--host", a->host, "Address to listen on (default 127.0.0.1, this computer only)");
  cmd->add_option("--allow-host", a->allow_hosts,
                  "A name or address other computers use to reach a non-loopback --host (repeatable); "
                  "requests naming any other Host or Origin are refused");
  cmd->add_option("--max-upload", a->max_upload_mb, "Largest upload in MB (default 50)")->check(CLI::PositiveNumber);
  cmd->add_option("--workers", a->workers, "Bills read at once, each in its own process (default: cores)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--queue", a->queue, "Bills waiting for a worker; more get 503 (default 32)")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--max-seconds", a->max_seconds, "Time limit per bill (default 120)")->check(CLI::PositiveNumber);
  cmd->add_option("--max-memory", a->max_memory_mb, "Address-space limit per bill in MB (default 4096; 0 = none)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([a, ctx] {
    ctx->exit_code = 2;
    // A long-lived job: its engine is loaded now, every table with it, so that a bad data
    // folder fails here and no request pays for a first use.
    auto job = std::make_shared<const Job>(EngineOptions{.data_dir = ctx->data_dir});
    if (auto engine = job->engine(); !engine) {
      std::fprintf(stderr, "billwise: %s\n", engine.error().message.c_str());
      return;
    }
    ServerOptions options;
    options.host = a->host;
    options.port = a->port;
    options.max_upload_bytes = static_cast<int64_t>(a->max_upload_mb) << 20;
    options.allowed_hosts = a->allow_hosts;
    options.analysis.workers = a->workers;
    options.analysis.queue = a->queue;
    options.analysis.max_seconds = a->max_seconds;
    options.analysis.max_memory_bytes = static_cast<int64_t>(a->max_memory_mb) << 20;
    std::optional<std::string> store;
    if (!ctx->no_store) {
      // Open the case file once up front so a bad --db fails here, not on the first request.
      auto opened = CaseStore::Open(ctx->db_path);
      if (!opened) {
        std::fprintf(stderr, "billwise: case file: %s\n", opened.error().message.c_str());
        return;
      }
      store = ctx->db_path;
    }
    auto server = WebServer::Bind(options, std::make_shared<const JobBackend>(job, store));
    if (!server) {
      std::fprintf(stderr, "billwise: %s\n", server.error().message.c_str());
      return;
    }
    std::string shown = a->host.find(':') != std::string::npos ? "[" + a->host + "]" : a->host;
    if (!IsLoopbackHost(a->host)) {
      std::string names = "127.0.0.1, localhost, ::1";
      if (a->host != "0.0.0.0" && a->host != "::") names += ", " + a->host;
      for (const std::string& h : a->allow_hosts) names += ", " + h;
      std::fprintf(stderr,
                   "billwise: warning: listening on %s: other computers can reach this page and send it bills; "
                   "only requests addressed to %s are answered (--allow-host adds names)\n",
                   shown.c_str(), names.c_str());
    }
    std::printf("billwise: serving http://%s:%d/ (Ctrl-C to stop)\n", shown.c_str(), (*server)->port());
    std::fflush(stdout);
    g_server = server->get();
    std::signal(SIGINT, StopOnSignal);
    std::signal(SIGTERM, StopOnSignal);
    auto served = (*server)->Serve();
    g_server = nullptr;
    if (!served) {
      std::fprintf(stderr, "billwise: %s\n", served.error().message.c_str());
      return;
    }
    ctx->exit_code = 0;
  });
}

}  // namespace billwise
