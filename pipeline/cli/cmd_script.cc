// billwise script FILE|CASE [--profile P]
// Prints the phone script for a bill (a document, bill JSON, or the latest document of a
// case in the case file): pipeline/report/phone_script.h. A FILE joins its case (unless
// --no-store) so the script can name the case for `billwise call`.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "pipeline/audit/profile.h"
#include "pipeline/cases/case_store.h"
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/report/phone_script.h"

namespace billwise {
namespace {

struct ScriptArgs {
  std::string target;
  std::string profile;
};

int RunScript(const ScriptArgs& args, const CommandContext& ctx) {
  PhoneScriptOptions options;
  auto profile = ResolveProfile(ctx, args.profile);
  if (!profile) {
    std::fprintf(stderr, "billwise: %s\n", profile.error().message.c_str());
    return 2;
  }
  if (*profile) {
    options.caller_name = (*profile)->name;
    options.insured = (*profile)->insured.value_or(false);
    options.language = (*profile)->language;
  }
  std::error_code ec;
  std::optional<Bill> bill;
  if (std::filesystem::is_regular_file(args.target, ec)) {
    auto loaded = LoadBillArgument(args.target, ctx.data_dir, AnalyzeOptions{});
    if (!loaded) {
      std::fprintf(stderr, "billwise: %s: %s\n", args.target.c_str(), loaded.error().message.c_str());
      return 2;
    }
    bill = std::move(*loaded);
    if (!ctx.no_store) {
      if (auto store = CaseStore::Open(ctx.db_path)) {
        if (auto recorded = store->RecordDocument(*bill, "")) options.case_id = recorded->case_id;
      }
    }
  } else {
    if (ctx.no_store) {
      std::fprintf(stderr, "billwise: %s: no such file (--no-store: cases are not looked up)\n", args.target.c_str());
      return 2;
    }
    auto store = CaseStore::Open(ctx.db_path);
    if (!store) {
      std::fprintf(stderr, "billwise: %s\n", store.error().message.c_str());
      return 2;
    }
    auto id = store->ResolveCase(args.target);
    if (!id) {
      std::fprintf(stderr, "billwise: %s: no such file or case\n", args.target.c_str());
      return 2;
    }
    auto detail = store->GetCase(*id, Today());
    if (!detail) {
      std::fprintf(stderr, "billwise: case %s: %s\n", args.target.c_str(), detail.error().message.c_str());
      return 2;
    }
    if (detail->facts.documents.empty()) {
      std::fprintf(stderr, "billwise: case %s: holds no document\n", args.target.c_str());
      return 2;
    }
    bill = detail->facts.documents.back().bill;
    options.case_id = *id;
  }
  std::cout << PhoneScript(*bill, options);
  return 0;
}

}  // namespace

void AddScriptCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<ScriptArgs>();
  CLI::App* cmd = app.add_subcommand("script", "Print a phone script for calling the billing office about a bill");
  cmd->add_option("target", args->target, "The bill (PDF, image, text or bill JSON), or a case number")->required();
  cmd->add_option("--profile", args->profile, "Patient profile YAML (your name in the script)");
  cmd->callback([args, ctx] { ctx->exit_code = RunScript(*args, *ctx); });
}

}  // namespace billwise
