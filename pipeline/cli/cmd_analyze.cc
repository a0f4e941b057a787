// billwise analyze FILE [--format text|json] [--profile P] [--eob EOB] [--price-file F]
//                       [--gfe AMOUNT] [--ocr auto|always|never] [--max-pages N] [--max-memory MB]
// Reads one bill, prints the report, and (unless --no-store) records it in the case file.
// A file holding several documents prints one report each (a JSON array with --format json).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <memory>
#include <new>

#include <CLI/CLI.hpp>

#include "pipeline/cases/case_checks.h"  // ParseMoneyArgument
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/report/text_report.h"
#include "pipeline/model/sanitizer.h"

namespace billwise {
namespace {

struct AnalyzeArgs {
  std::string file;
  std::string format = "text";
  std::string ocr = "auto";
  std::string profile;
  std::string eob;
  std::string price_file;
  std::string gfe;
  std::string setting;  // office | hospital | asc
  std::string zip;
  std::string state;
  int max_pages = 200;
  int max_memory_mb = kDefaultMaxMemoryMb;  // 0 = no limit
};


int RunAnalyze(const AnalyzeArgs& args, const CommandContext& ctx);

// --max-memory: the bill is read in a child process whose address space is capped
// (RLIMIT_AS). poppler and Tesseract abort when an allocation fails, so the cap ends that
// child, never the machine, and this process turns its end into the one-line error (the
// child's stderr comes through a pipe and is dropped when it died: a dying library's last
// words are not the error line).
// AddressSanitizer reserves terabytes of address space up front: a sanitizer build keeps
// the child but not the cap.
int RunWithMemoryLimit(const AnalyzeArgs& args, const CommandContext& ctx) {
  std::fflush(nullptr);
  int err[2];
  if (pipe(err) != 0) return RunAnalyze(args, ctx);
  const pid_t pid = fork();
  if (pid < 0) {
    close(err[0]);
    close(err[1]);
    return RunAnalyze(args, ctx);
  }
  if (pid == 0) {
    dup2(err[1], STDERR_FILENO);
    close(err[0]);
    close(err[1]);
#ifndef BILLWISE_ASAN
    const rlim_t bytes = static_cast<rlim_t>(args.max_memory_mb) << 20;
    const struct rlimit limit = {bytes, bytes}, no_core = {0, 0};
    setrlimit(RLIMIT_AS, &limit);
    setrlimit(RLIMIT_CORE, &no_core);
#endif
    int code = 2;
    try {
      code = RunAnalyze(args, ctx);
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "billwise: %s: needs more than the --max-memory limit of %d MB\n", args.file.c_str(),
                   args.max_memory_mb);
    }
    std::fflush(nullptr);
    _exit(code);
  }
  close(err[1]);
  std::string messages;
  char buf[4096];
  for (ssize_t n; (n = read(err[0], buf, sizeof buf)) != 0;) {
    if (n > 0) messages.append(buf, static_cast<size_t>(n));
    else if (errno != EINTR) break;
  }
  close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    std::fwrite(messages.data(), 1, messages.size(), stderr);
    return WEXITSTATUS(status);
  }
  std::fprintf(stderr, "billwise: %s: could not be read within the --max-memory limit of %d MB (signal %d)\n",
               args.file.c_str(), args.max_memory_mb, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return 2;
}

int RunAnalyze(const AnalyzeArgs& args, const CommandContext& ctx) {
  auto request = RequestFromFlags(ctx, args.profile);
  if (!request) {
    std::fprintf(stderr, "billwise: %s\n", request.error().message.c_str());
    return 2;
  }
  request->inputs.push_back(JobInput::File(args.file));
  request->file_bills = true;
  request->analyze.ocr_mode = ParseOcrMode(args.ocr).value_or(OcrMode::kAuto);  // --ocr is checked
  request->analyze.limits.max_pages = args.max_pages;
  if (!args.eob.empty()) request->analyze.eob_path = args.eob;
  if (!args.price_file.empty()) request->analyze.price_file = args.price_file;
  if (!args.setting.empty()) request->analyze.setting = args.setting;
  if (!args.zip.empty()) request->analyze.zip = args.zip;
  if (!args.state.empty()) request->analyze.state = args.state;
  if (!args.gfe.empty()) {
    auto gfe = ParseMoneyArgument(args.gfe);
    if (!gfe) {
      std::fprintf(stderr, "billwise: --gfe: '%s' is not an amount from $0.00 to %s\n", args.gfe.c_str(),
                   kMaxAmount.Display().c_str());
      return 2;
    }
    request->analyze.good_faith_estimate = gfe;
  }

  auto result = Job(CommandEngineOptions(ctx)).Run(*request);
  if (!result) {
    std::fprintf(stderr, "billwise: %s\n", result.error().message.c_str());
    return 2;
  }
  auto& documents = result->inputs.front().documents;
  if (!documents) {
    std::fprintf(stderr, "billwise: %s: %s\n", args.file.c_str(), documents.error().message.c_str());
    return 2;
  }
  std::vector<Bill> bills;
  for (JobDocument& d : *documents) bills.push_back(std::move(d.bill));
  // One document: its object (or report). Several in one file: a JSON array, or the
  // reports one after the other.
  if (args.format == "json") {
    if (bills.size() == 1) {
      std::cout << BillToJson(bills.front()) << "\n";
    } else {
      std::cout << BillsToJsonArray(bills) << "\n";
    }
  } else {
    for (size_t i = 0; i < bills.size(); ++i) {
      if (bills.size() > 1) {
        std::cout << (i ? "\n" : "") << "=== Document " << i + 1 << " of " << bills.size() << " (pages "
                  << bills[i].source.first_page << "-" << bills[i].source.last_page << ") ===\n";
      }
      std::cout << TextReport(bills[i]);
    }
  }
  return 0;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand("analyze", "Read one bill and print what it says, its reference prices and problems");
  cmd->add_option("file", args->file, "PDF, PNG, JPEG or TIFF bill, or a plain-text statement")->required();
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--profile", args->profile,
                  "Patient profile YAML: adds the negotiation plan (default: the top-level --profile, "
                  "$BILLWISE_PROFILE, else $XDG_CONFIG_HOME/billwise/profile.yaml)");
  cmd->add_option("--eob", args->eob, "The insurer's explanation of benefits for the same services");
  cmd->add_option("--price-file", args->price_file, "The hospital's standard-charges file (CMS CSV or JSON)");
  cmd->add_option("--gfe", args->gfe, "Total of the good-faith estimate you were given, in dollars");
  cmd->add_option("--setting", args->setting, "Price as office, hospital (outpatient) or asc (surgery center)")
      ->check(CLI::IsMember({"office", "hospital", "asc"}));
  cmd->add_option("--zip", args->zip, "ZIP code to price at (default: the profile's, else the provider's)")
      ->check([](const std::string& z) {
        bool ok = z.size() == 5;
        for (char c : z) ok = ok && c >= '0' && c <= '9';
        return ok ? std::string() : std::string("must be a five-digit ZIP code");
      });
  cmd->add_option("--state", args->state, "Two-letter state to price at, when the ZIP is not known")
      ->check([](const std::string& s) {
        bool ok = s.size() == 2 && std::isalpha(static_cast<unsigned char>(s[0])) &&
                  std::isalpha(static_cast<unsigned char>(s[1]));
        return ok ? std::string() : std::string("must be a two-letter state such as CA");
      });
  cmd->add_option("--ocr", args->ocr, "auto (OCR pages without text), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--max-pages", args->max_pages, "Refuse documents with more pages (default 200)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-memory", args->max_memory_mb, "Fail a document that needs more memory, in MB (default 4096; 0 = no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([args, ctx] {
    ctx->exit_code = args->max_memory_mb > 0 ? RunWithMemoryLimit(*args, *ctx) : RunAnalyze(*args, *ctx);
  });
}

}  // namespace billwise
