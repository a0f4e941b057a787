// `billwise FILE...`: what dropping files on the program does. For each FILE, writes
// STEM.billwise/ beside it with report.html, bill.json and the letters that apply, and
// prints where. Inputs are never modified. A profile comes from $BILLWISE_PROFILE or the
// XDG location ($XDG_CONFIG_HOME/billwise/profile.yaml, default ~/.config/...); without
// one, letters carry visible blanks. Exit 0 when every file was read, 1 otherwise.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/audit/profile.h"
#include "pipeline/batch/atomic_file.h"
#include "pipeline/batch/bill_outputs.h"
#include "pipeline/run/sha256.h"
#include "pipeline/cli/commands.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/run.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

// $BILLWISE_PROFILE, else $XDG_CONFIG_HOME/billwise/profile.yaml (XDG default ~/.config).
std::string DefaultProfilePath() {
  if (const char* p = std::getenv("BILLWISE_PROFILE"); p && *p) return p;
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

Expected<std::string> DropOne(const Engine& engine, const std::string& file, const AnalyzeOptions& analyze,
                              const BillOutputOptions& outputs) {
  std::error_code ec;
  fs::file_status status = fs::status(file, ec);
  if (ec) return std::unexpected(ErrorFromErrno(ec.value(), ""));  // permission denied, a symlink loop...
  if (!fs::exists(status)) return Fail(ErrorCode::kNotFound, "no such file");
  if (!fs::is_regular_file(status)) return Fail(ErrorCode::kInvalidInput, "not a regular file");
  auto bill = engine.AnalyzeFile(file, analyze);
  if (!bill) return std::unexpected(bill.error());
  fs::path input(file);
  bill->source.path = input.filename().string();
  if (auto sha = Sha256File(file)) bill->source.sha256 = *sha;
  auto files = BuildBillOutputs(*bill, outputs);
  if (!files) return std::unexpected(files.error());
  files->push_back({"bill.json", BillToJson(*bill) + "\n"});
  fs::path folder = input.parent_path() / (input.stem().string() + ".billwise");
  for (size_t i = 0; i < files->size(); ++i) {
    bool last = i + 1 == files->size();
    auto w = WriteFileAtomic((folder / (*files)[i].name).string(), (*files)[i].bytes,
                             last ? Durability::kFileAndFolder : Durability::kFile);
    if (!w) return Fail(w.error().code, folder.string() + ": " + w.error().message);
  }
  std::string summary = folder.string() + "/";
  if (bill->amount_due) summary += "  amount due " + bill->amount_due->Display();
  summary += "  " + std::to_string(bill->findings.size()) + " finding" + (bill->findings.size() == 1 ? "" : "s");
  size_t letters = 0;  // letter-<kind>.pdf, not the application written beside one
  for (const auto& f : *files) {
    if (f.name.starts_with("letter-") && !f.name.ends_with("-application.pdf")) ++letters;
  }
  summary += "  " + std::to_string(letters) + " letter" + (letters == 1 ? "" : "s");
  return summary;
}

}  // namespace

int RunDroppedFiles(const std::string&, const std::vector<std::string>& files, CommandContext* ctx) {
  AnalyzeOptions analyze;
  BillOutputOptions outputs;
  outputs.today = Today();
  outputs.data_dir = ctx->data_dir;
  std::string profile_path = ctx->profile_path.empty() ? DefaultProfilePath() : ctx->profile_path;
  std::error_code ec;
  if (!ctx->profile_path.empty() && !fs::exists(profile_path, ec)) {
    std::fprintf(stderr, "billwise: %s: no such profile file\n", profile_path.c_str());
    return 2;
  }
  if (!profile_path.empty() && fs::exists(profile_path, ec)) {
    auto profile = LoadProfile(profile_path);
    if (!profile) {
      std::fprintf(stderr, "billwise: %s: %s\n", profile_path.c_str(), profile.error().message.c_str());
      return 2;
    }
    analyze.profile = *profile;
    outputs.profile = *profile;
  }
  auto engine = Engine::Load(EngineOptions{
      .data_dir = ctx->data_dir, .tables = TableLoading::kOnFirstUse});
  if (!engine) {
    std::fprintf(stderr, "billwise: %s\n", engine.error().message.c_str());
    return 2;
  }
  if (outputs.data_dir.empty()) outputs.data_dir = (*engine)->data_dir();
  int failed = 0;
  for (const std::string& file : files) {
    auto done = DropOne(**engine, file, analyze, outputs);
    if (done) {
      std::printf("%s: wrote %s\n", file.c_str(), done->c_str());
    } else {
      std::fprintf(stderr, "billwise: %s: %s\n", file.c_str(), done.error().message.c_str());
      ++failed;
    }
    std::fflush(stdout);
  }
  ctx->exit_code = failed ? 1 : 0;
  return ctx->exit_code;
}

}  // namespace billwise
