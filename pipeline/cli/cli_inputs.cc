#include "pipeline/cli/cli_inputs.h"

#include <cstdlib>
#include <filesystem>

#include "pipeline/audit/profile.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

// $XDG_CONFIG_HOME/billwise/profile.yaml (XDG default ~/.config); "" without a home.
std::string DefaultProfilePath() {
  fs::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = fs::path(home) / ".config";
  } else {
    return "";
  }
  return (base / "billwise" / "profile.yaml").string();
}

}  // namespace

Expected<std::string> ProfilePath(const CommandContext& ctx, const std::string& command_flag) {
  std::string path = !command_flag.empty() ? command_flag : ctx.profile_path;
  std::error_code ec;
  if (!path.empty()) {
    if (!fs::exists(path, ec)) return Fail(ErrorCode::kNotFound, path + ": no such profile file");
    return path;
  }
  const char* env = std::getenv("BILLWISE_PROFILE");
  path = env && *env ? env : DefaultProfilePath();
  if (path.empty() || !fs::exists(path, ec)) return std::string();
  return path;
}

Expected<std::optional<Profile>> ResolveProfile(const CommandContext& ctx, const std::string& command_flag) {
  auto path = ProfilePath(ctx, command_flag);
  if (!path) return std::unexpected(path.error());
  if (path->empty()) return std::optional<Profile>();
  auto profile = LoadProfile(*path);
  if (!profile) return Fail(profile.error().code, *path + ": " + profile.error().message);
  return std::optional<Profile>(std::move(*profile));
}

Expected<JobRequest> RequestFromFlags(const CommandContext& ctx, const std::string& command_profile) {
  JobRequest request;
  if (!ctx.no_store) request.store = ctx.db_path;
  auto profile = ResolveProfile(ctx, command_profile);
  if (!profile) return std::unexpected(profile.error());
  request.analyze.profile = std::move(*profile);
  request.letter_options.data_dir = ctx.data_dir;
  return request;
}

EngineOptions CommandEngineOptions(const CommandContext& ctx) {
  return EngineOptions{.data_dir = ctx.data_dir, .tables = TableLoading::kOnFirstUse};
}

Expected<Bill> LoadBillArgument(const std::string& path, const std::string& data_dir, const AnalyzeOptions& options) {
  JobRequest request;
  request.inputs.push_back(JobInput::File(path));
  request.analyze = options;
  request.split = false;
  request.bill_json = true;
  auto result = Job(EngineOptions{.data_dir = data_dir, .tables = TableLoading::kOnFirstUse}).Run(request);
  if (!result) return std::unexpected(result.error());
  auto& documents = result->inputs.front().documents;
  if (!documents) return std::unexpected(documents.error());
  return std::move(documents->front().bill);
}

}  // namespace billwise
