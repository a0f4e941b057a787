// billwise prices FILE --code CODE [--payer P] [--format text|json] [--cache-dir D] [--rebuild]
// billwise prices FILE --check [--format text|json]
//
// A hospital's standard-charges file: the first run indexes it into the cache folder, later
// runs answer from the index. Exit codes: 0 found, 1 the code is not in the file, 2 usage,
// 3 the file cannot be read.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/refdata/price_file_reader.h"
#include "pipeline/refdata/price_index.h"
#include "pipeline/refdata/price_index_format.h"

namespace billwise {

namespace {

struct PricesArgs {
  std::string file;
  std::string code;
  std::string payer;
  std::string format = "text";
  std::string cache_dir;
  bool rebuild = false;
  bool check = false;
};

int RunPrices(const PricesArgs& args) {
  bool json = args.format == "json";
  if (args.check) {
    auto info = ReadPriceFile(args.file, [](const PriceRecord&) {});
    if (!info) {
      std::fprintf(stderr, "billwise prices: %s\n", info.error().message.c_str());
      return 3;
    }
    std::string out = json ? PriceFileInfoToJson(*info) : PriceFileInfoToText(*info);
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  if (args.code.empty()) {
    std::fprintf(stderr, "billwise prices: --code is required (or --check)\n");
    return 2;
  }
  auto index = PriceIndex::OpenOrBuild(args.file, PriceIndexOptions{args.cache_dir, args.rebuild});
  if (!index) {
    std::fprintf(stderr, "billwise prices: %s\n", index.error().message.c_str());
    return index.error().code == ErrorCode::kIo ? 2 : 3;
  }
  auto prices = index->Lookup(args.code, args.payer);
  if (!prices) {
    std::fprintf(stderr, "billwise prices: %s: %s\n", index->index_path().c_str(), prices.error().message.c_str());
    return 2;
  }
  std::string out = json ? PublishedPricesToJson(index->info(), *prices) : PublishedPricesToText(index->info(), *prices);
  std::fputs(out.c_str(), stdout);
  return prices->rows > 0 ? 0 : 1;
}

}  // namespace

void AddPricesCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<PricesArgs>();
  CLI::App* cmd = app.add_subcommand("prices", "Show a code's prices in a hospital's standard-charges file "
                                               "(CMS JSON or CSV, any size, gzip or zip): gross, cash, negotiated "
                                               "min/median/max and each payer and plan");
  cmd->add_option("file", args->file, "The hospital's machine-readable price file")->required();
  cmd->add_option("--code", args->code, "Billing code (CPT, HCPCS, MS-DRG, ...)");
  cmd->add_option("--payer", args->payer, "Keep only payers or plans whose name contains this");
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--cache-dir", args->cache_dir, "Where indexes are kept (default $XDG_CACHE_HOME/billwise/prices)");
  cmd->add_flag("--rebuild", args->rebuild, "Index the file again even when an index exists");
  cmd->add_flag("--check", args->check, "Read the whole file without indexing and summarise it");
  cmd->callback([args, ctx] { ctx->exit_code = RunPrices(*args); });
}

}  // namespace billwise
