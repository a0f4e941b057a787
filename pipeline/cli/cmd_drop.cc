// `billwise FILE...`: what dropping files on the program does. For each FILE, writes
// STEM.billwise/ beside it with report.html, bill.json and the letters that apply, and
// prints where. Inputs are never modified. The profile is found as for every command
// (ResolveProfile, cli_inputs.h); without one, letters carry visible blanks. Exit 0 when
// every file was read, 1 otherwise.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/batch/atomic_file.h"
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/job.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

Expected<std::string> DropOne(const Job& job, const JobRequest& shared, const std::string& file) {
  std::error_code ec;
  fs::file_status status = fs::status(file, ec);
  if (ec) return std::unexpected(ErrorFromErrno(ec.value(), ""));  // permission denied, a symlink loop...
  if (!fs::exists(status)) return Fail(ErrorCode::kNotFound, "no such file");
  if (!fs::is_regular_file(status)) return Fail(ErrorCode::kInvalidInput, "not a regular file");
  fs::path input(file);
  JobRequest request = shared;
  request.inputs.push_back(JobInput::File(file));
  request.inputs.back().source_path = input.filename().string();
  auto result = job.Run(request);
  if (!result) return std::unexpected(result.error());
  auto& documents = result->inputs.front().documents;
  if (!documents) return std::unexpected(documents.error());
  const JobDocument& document = documents->front();
  const Bill& bill = document.bill;
  auto files = document.OutputFiles();
  if (!files) return std::unexpected(files.error());
  files->push_back({"bill.json", BillToJson(bill) + "\n"});
  fs::path folder = input.parent_path() / (input.stem().string() + ".billwise");
  for (size_t i = 0; i < files->size(); ++i) {
    bool last = i + 1 == files->size();
    auto w = WriteFileAtomic((folder / (*files)[i].name).string(), (*files)[i].bytes,
                             last ? Durability::kFileAndFolder : Durability::kFile);
    if (!w) return Fail(w.error().code, folder.string() + ": " + w.error().message);
  }
  std::string summary = folder.string() + "/";
  if (bill.amount_due) summary += "  amount due " + bill.amount_due->Display();
  summary += "  " + std::to_string(bill.findings.size()) + " finding" + (bill.findings.size() == 1 ? "" : "s");
  size_t letters = 0;  // letter-<kind>.pdf, not the application written beside one
  for (const auto& f : *files) {
    if (f.name.starts_with("letter-") && !f.name.ends_with("-application.pdf")) ++letters;
  }
  summary += "  " + std::to_string(letters) + " letter" + (letters == 1 ? "" : "s");
  return summary;
}

}  // namespace

int RunDroppedFiles(const std::string&, const std::vector<std::string>& files, CommandContext* ctx) {
  auto request = RequestFromFlags(*ctx, "");
  if (!request) {
    std::fprintf(stderr, "billwise: %s\n", request.error().message.c_str());
    return 2;
  }
  // The folder beside each file holds everything; the case file is not touched.
  request->store.reset();
  request->split = false;
  request->applicable_letters = true;
  request->letter_options.allow_blanks = true;
  request->report_html = true;
  request->analyze.today = Today();
  Job job(CommandEngineOptions(*ctx));
  if (auto engine = job.engine(); !engine) {
    std::fprintf(stderr, "billwise: %s\n", engine.error().message.c_str());
    return 2;
  }
  int failed = 0;
  for (const std::string& file : files) {
    auto done = DropOne(job, *request, file);
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
