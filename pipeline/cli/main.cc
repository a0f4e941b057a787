// billwise: parses argv, runs one subcommand, returns its exit code.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"

int main(int argc, char** argv) {
  // No OMP_THREAD_LIMIT re-exec: the Tesseract adapter (extract/ocr/tesseract_engine.cc) keeps
  // libtesseract's OpenMP regions on the calling thread itself, at run time. Re-executing
  // cost about 20 ms of CPU on every command (a second dynamic link of every library), a
  // sixth of a one-page digital bill's run.
  CLI::App app{"billwise: reads a US medical bill, finds what is wrong with it, prices every line "
               "against Medicare and writes the letters to negotiate it."};
  app.set_version_flag("--version", "billwise 0.1.0");
  billwise::CommandContext ctx;
  billwise::AddGlobalOptions(app, &ctx);
  std::vector<std::string> dropped;
  app.add_option("files", dropped, "Bills to read (what dropping files on billwise does)");
  app.require_subcommand(0, 1);
  app.fallthrough();

  billwise::AddAnalyzeCommand(app, &ctx);
  billwise::AddPriceCommand(app, &ctx);
  billwise::AddPricesCommand(app, &ctx);
  billwise::AddDataCommand(app, &ctx);
  billwise::AddEstimateCommand(app, &ctx);
  billwise::AddLettersCommand(app, &ctx);
  billwise::AddFillFormCommand(app, &ctx);
  billwise::AddBatchCommand(app, &ctx);
  billwise::AddServeLauncher(app, &ctx, argv);
  billwise::AddCaseCommands(app, &ctx);
  billwise::AddScriptCommand(app, &ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (app.get_subcommands().empty()) {
    if (dropped.empty()) {
      std::fputs(app.help().c_str(), stdout);
      return 2;
    }
    return billwise::RunDroppedFiles(argv[0], dropped, &ctx);
  }
  return ctx.exit_code;
}
