// billwise serve [--port P] [--host H] [--max-upload MB]
// The local web page and JSON API (pipeline/server/server.h), wired to the Engine, the
// letters and the profile parser. Binds 127.0.0.1 unless --host is given.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "pipeline/audit/profile.h"
#include "pipeline/batch/bill_outputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/letters/letters.h"
#include "pipeline/run/run.h"
#include "pipeline/server/server.h"

namespace billwise {
namespace {

WebServer* g_server = nullptr;

void StopOnSignal(int) {
  if (g_server) g_server->Stop();
}

ServerHooks MakeHooks(std::shared_ptr<const Engine> engine, const std::string& data_dir) {
  ServerHooks hooks;
  hooks.analyze = [engine](std::string_view bytes, const std::string& name, const std::optional<Profile>& profile) {
    AnalyzeOptions options;
    options.profile = profile;
    return engine->AnalyzeBytes(bytes, name, options);
  };
  hooks.applicable = [](const Bill& bill, const std::optional<Profile>& profile) {
    std::vector<std::string> kinds;
    for (LetterKind k : ApplicableLetters(bill, profile ? &*profile : nullptr)) kinds.push_back(LetterKindName(k));
    return kinds;
  };
  hooks.letters = [data_dir](const Bill& bill, const std::optional<Profile>& profile,
                             const std::vector<std::string>& kinds,
                             const std::string& lang) -> Expected<std::vector<OutputFile>> {
    LetterInputs inputs;
    inputs.bill = &bill;
    inputs.profile = profile ? &*profile : nullptr;
    inputs.today = Today();
    LetterOptions options;
    options.language = !lang.empty() ? lang : (profile ? profile->language : "en");
    options.allow_blanks = true;
    options.data_dir = data_dir;
    std::vector<OutputFile> files;
    for (const std::string& name : kinds) {
      auto kind = ParseLetterKind(name);
      if (!kind) return Fail(ErrorCode::kUsage, "unknown letter kind " + name);
      auto pdf = RenderLetterPdf(*kind, inputs, options);
      if (!pdf) return Fail(pdf.error().code, "letter " + name + ": " + pdf.error().message);
      files.push_back({LetterFileName(LetterKindName(*kind)), std::move(*pdf)});
    }
    return files;
  };
  hooks.parse_profile = [](std::string_view json) { return ParseProfile(json, "profile form"); };
  return hooks;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext* ctx) {
  struct Args {
    int port = 8080;
    std::string host = "127.0.0.1";
    int max_upload_mb = 50;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Open the local web page: drop bills, see reports, download letters");
  cmd->add_option("--port", a->port, "Port (default 8080; 0 = any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--host", a->host, "Address to listen on (default 127.0.0.1, this computer only)");
  cmd->add_option("--max-upload", a->max_upload_mb, "Largest upload in MB (default 50)")->check(CLI::PositiveNumber);
  cmd->callback([a, ctx] {
    ctx->exit_code = 2;
    auto engine = Engine::Load(EngineOptions{.data_dir = ctx->data_dir});
    if (!engine) {
      std::fprintf(stderr, "billwise: %s\n", engine.error().message.c_str());
      return;
    }
    ServerOptions options;
    options.host = a->host;
    options.port = a->port;
    options.max_upload_bytes = static_cast<int64_t>(a->max_upload_mb) << 20;
    auto server = WebServer::Bind(options, MakeHooks(*engine, (*engine)->data_dir()));
    if (!server) {
      std::fprintf(stderr, "billwise: %s\n", server.error().message.c_str());
      return;
    }
    std::string shown = a->host.find(':') != std::string::npos ? "[" + a->host + "]" : a->host;
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
