// billwise data status: the reference tables' releases, their dates in force and their age.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/model/date.h"
#include "pipeline/refdata/reference_data.h"
#include "pipeline/run/run.h"

namespace billwise {

namespace {

int RunDataStatus(const CommandContext& ctx) {
  std::string root = ctx.data_dir.empty() ? FindDataRoot() : ctx.data_dir;
  if (root.empty()) {
    std::fprintf(stderr, "billwise data status: data/ not found (use --data-dir)\n");
    return 2;
  }
  auto data = ReferenceData::Load(root, TableLoading::kOnFirstUse);
  if (!data) {
    std::fprintf(stderr, "billwise data status: %s\n", data.error().message.c_str());
    return 2;
  }
  const Date today = Today();
  std::printf("Reference database: %s\n", (*data)->reference_db_path().c_str());
  std::printf("%-10s  %-10s  %-10s  %8s  %7s  %s\n", "table", "from", "to", "age", "rows", "release");
  for (const TableRelease& r : (*data)->ReferenceReleases()) {
    std::string age = "?";
    if (auto from = Date::FromIso(r.effective_from)) age = std::to_string(from->DaysUntil(today)) + " d";
    std::printf("%-10s  %-10s  %-10s  %8s  %7lld  %s\n", r.table.c_str(), r.effective_from.c_str(),
                r.effective_to.empty() ? "-" : r.effective_to.c_str(), age.c_str(), static_cast<long long>(r.rows),
                r.release.c_str());
  }
  std::printf("\nPacked tables in %s/data:\n", root.c_str());
  for (const char* version : {kPfsVersion, kOppsVersion, kClfsVersion, kHcpcsVersion, kZipVersion}) {
    std::printf("  %s\n", version);
  }
  return 0;
}

}  // namespace

void AddDataCommand(CLI::App& app, CommandContext* ctx) {
  CLI::App* cmd = app.add_subcommand("data", "The reference tables billwise prices with");
  cmd->require_subcommand(1);
  CLI::App* status = cmd->add_subcommand("status", "List each reference table's releases, dates in force and age");
  status->callback([ctx] { ctx->exit_code = RunDataStatus(*ctx); });
}

}  // namespace billwise
