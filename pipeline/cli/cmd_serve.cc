// billwise [--db FILE | --no-store] serve [--port P] [--host H] [--allow-host NAME]...
//   [--max-upload MB] [--workers N] [--queue N] [--max-seconds S] [--max-memory MB]
// The local web page and JSON API (pipeline/server/server.h), wired to one Job
// (pipeline/run/job.h): the bills, estimates, letters and the case file (unless --no-store).
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

#include "pipeline/audit/profile.h"
#include "pipeline/cases/case_format.h"
#include "pipeline/cases/case_store.h"
#include "pipeline/cli/commands.h"
#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/refdata/estimate.h"
#include "pipeline/run/job.h"
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

// The letter-<kind>.pdf files of one letter run (the /api/letters and /api/gfe-request
// routes), with the filled application beside an assistance letter; the first letter that
// failed, as "letter KIND: reason".
Expected<std::vector<OutputFile>> LetterFiles(std::vector<JobLetter> letters) {
  JobDocument document;
  document.letters = std::move(letters);
  return document.OutputFiles();
}

// A letter request of the page: kinds by name, in `lang` ("" = the profile's), with visible
// blanks for what the profile does not say.
Expected<JobRequest> LetterRequest(const std::optional<Profile>& profile, const std::vector<std::string>& kinds,
                                   const std::string& lang) {
  JobRequest request;
  request.analyze.profile = profile;
  request.analyze.today = Today();
  request.letter_language = lang;
  request.letter_options.allow_blanks = true;
  for (const std::string& name : kinds) {
    auto kind = ParseLetterKind(name);
    if (!kind) return Fail(ErrorCode::kUsage, "unknown letter kind " + name);
    request.letter_kinds.push_back(*kind);
  }
  return request;
}

// The case-file hooks; each request opens its own connection (a CaseStore is per thread).
void AddCaseHooks(ServerHooks& hooks, std::shared_ptr<const Job> job, const std::string& db_path) {
  hooks.record = [job, db_path](const Bill& bill) -> Expected<std::vector<Finding>> {
    JobRequest request;
    request.inputs.push_back(JobInput::FromBill(bill));
    request.store = db_path;
    request.file_bills = true;
    auto result = job->Run(request);
    if (!result) return std::unexpected(result.error());
    auto& documents = result->inputs.front().documents;
    if (!documents) return std::unexpected(documents.error());
    const Expected<RecordResult>& filed = *documents->front().filed;
    if (!filed) return std::unexpected(filed.error());
    return filed->findings;
  };
  hooks.record_letters = [db_path](const Bill& bill, const std::vector<std::string>& kinds) {
    return RecordLettersForBill(db_path, bill, kinds, Today());
  };
  hooks.cases = [db_path]() -> Expected<std::string> {
    auto store = CaseStore::Open(db_path);
    if (!store) return std::unexpected(store.error());
    auto cases = store->ListCases(Today());
    if (!cases) return std::unexpected(cases.error());
    return CasesToJson(*cases);
  };
  hooks.mark_sent = [db_path](const SentRequest& request) -> Expected<Date> {
    auto store = CaseStore::Open(db_path);
    if (!store) return std::unexpected(store.error());
    Date date = request.date.value_or(Today());
    auto marked = store->MarkLetterSent(request.case_id, request.letter_id, date, request.method, request.tracking);
    if (!marked) return std::unexpected(marked.error());
    return date;
  };
  hooks.record_call = [db_path](const CallRequest& request) -> Expected<LoggedCall> {
    auto store = CaseStore::Open(db_path);
    if (!store) return std::unexpected(store.error());
    Date date = request.date.value_or(Today());
    auto id = store->RecordCall(request.case_id, date, request.with, request.reference, request.note,
                                request.follow_up);
    if (!id) return std::unexpected(id.error());
    return LoggedCall{*id, request.follow_up.value_or(date.AddDays(kCallFollowUpDays))};
  };
  hooks.due = [db_path](std::string_view format) -> Expected<std::string> {
    auto store = CaseStore::Open(db_path);
    if (!store) return std::unexpected(store.error());
    auto deadlines = store->Deadlines(Today(), std::nullopt);
    if (!deadlines) return std::unexpected(deadlines.error());
    return format == "ics" ? DeadlinesToIcs(*deadlines, CalendarStamp()) : DeadlinesToJson(*deadlines);
  };
}

ServerHooks MakeHooks(std::shared_ptr<const Job> job) {
  ServerHooks hooks;
  hooks.analyze = [job](std::string_view bytes, const std::string& name,
                        const std::optional<Profile>& profile) -> Expected<Bill> {
    JobRequest request;
    request.inputs.push_back(JobInput::Upload(name, std::string(bytes)));
    request.split = false;
    request.analyze.profile = profile;
    auto result = job->Run(request);
    if (!result) return std::unexpected(result.error());
    auto& documents = result->inputs.front().documents;
    if (!documents) return std::unexpected(documents.error());
    return std::move(documents->front().bill);
  };
  hooks.applicable = [](const Bill& bill, const std::optional<Profile>& profile) {
    std::vector<std::string> kinds;
    for (LetterKind k : ApplicableLetters(bill, profile ? &*profile : nullptr)) kinds.push_back(LetterKindName(k));
    return kinds;
  };
  hooks.letters = [job](const Bill& bill, const std::optional<Profile>& profile,
                        const std::vector<std::string>& kinds,
                        const std::string& lang) -> Expected<std::vector<OutputFile>> {
    auto request = LetterRequest(profile, kinds, lang);
    if (!request) return std::unexpected(request.error());
    request->inputs.push_back(JobInput::FromBill(bill));
    auto result = job->Run(*request);
    if (!result) return std::unexpected(result.error());
    auto& documents = result->inputs.front().documents;
    if (!documents) return std::unexpected(documents.error());
    return documents->front().OutputFiles();
  };
  hooks.estimate = [job](const EstimateQuery& query) -> Expected<std::string> {
    EstimateRequest request;
    for (const std::string& code : query.codes) {
      auto service = ParseServiceArgument(code);
      if (!service) return std::unexpected(service.error());
      request.services.push_back(std::move(*service));
    }
    request.zip = query.zip;
    request.state = query.state;
    auto estimate = job->EstimateServices(request);
    if (!estimate) return std::unexpected(estimate.error());
    return EstimateToJson(*estimate);
  };
  hooks.gfe_request = [job](const std::string& estimate_json, const std::string& provider,
                            const std::optional<Profile>& profile,
                            const std::string& lang) -> Expected<OutputFile> {
    auto estimate = ParseEstimateJson(estimate_json);
    if (!estimate) return std::unexpected(estimate.error());
    auto request = LetterRequest(profile, {LetterKindName(LetterKind::kGfeRequest)}, lang);
    if (!request) return std::unexpected(request.error());
    request->estimate = std::move(*estimate);
    if (!provider.empty()) request->letter_options.recipient_name = provider;
    auto result = job->Run(*request);
    if (!result) return std::unexpected(result.error());
    auto files = LetterFiles(std::move(result->letters));
    if (!files) return std::unexpected(files.error());
    return std::move(files->front());
  };
  hooks.parse_profile = [](std::string_view json) { return ParseProfile(json, "profile form"); };
  return hooks;
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
    ServerHooks hooks = MakeHooks(job);
    if (!ctx->no_store) {
      // Open the case file once up front so a bad --db fails here, not on the first request.
      auto store = CaseStore::Open(ctx->db_path);
      if (!store) {
        std::fprintf(stderr, "billwise: case file: %s\n", store.error().message.c_str());
        return;
      }
      AddCaseHooks(hooks, job, ctx->db_path);
    }
    auto server = WebServer::Bind(options, std::move(hooks));
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
