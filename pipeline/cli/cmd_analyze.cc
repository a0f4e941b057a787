// billwise analyze FILE [--format text|json] [--profile P] [--eob EOB] [--price-file F]
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/report/text_report.h"
#include "pipeline/run/run.h"

namespace billwise {

void AddAnalyzeCommand(CLI::App& app, CommandContext* ctx) {
  struct Args {
    std::string file;
    std::string format = "text";
    std::string ocr = "auto";
    int max_pages = 200;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("analyze", "Read one bill and print what it says, its reference prices and problems");
  cmd->add_option("file", args->file, "PDF, PNG, JPEG or TIFF bill, or a plain-text statement")->required();
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--ocr", args->ocr, "auto (OCR pages without text), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--max-pages", args->max_pages, "Refuse documents with more pages (default 200)");
  cmd->callback([args, ctx] {
    auto engine = Engine::Load(EngineOptions{.data_dir = ctx->data_dir});
    if (!engine) {
      std::fprintf(stderr, "billwise: %s\n", engine.error().message.c_str());
      ctx->exit_code = 2;
      return;
    }
    AnalyzeOptions options;
    options.ocr_mode = args->ocr;
    options.limits.max_pages = args->max_pages;
    auto bill = (*engine)->AnalyzeFile(args->file, options);
    if (!bill) {
      std::fprintf(stderr, "billwise: %s: %s\n", args->file.c_str(), bill.error().message.c_str());
      ctx->exit_code = 2;
      return;
    }
    std::cout << (args->format == "json" ? BillToJson(*bill) + "\n" : TextReport(*bill));
    ctx->exit_code = 0;
  });
}

}  // namespace billwise
