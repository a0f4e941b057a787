// billwise price CODE [--state XX] [--zip Z] [--year 2025] [--format text|json]
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/refdata/estimate.h"
#include "pipeline/refdata/price_quote.h"
#include "pipeline/refdata/reference_data.h"
#include "pipeline/run/run.h"

namespace billwise {

namespace {

struct PriceArgs {
  std::string code;
  std::string state;
  std::string zip;
  int year = 2025;
  std::string format = "text";
};

int RunPrice(const PriceArgs& args, const CommandContext& ctx) {
  std::string root = ctx.data_dir.empty() ? FindDataRoot() : ctx.data_dir;
  if (root.empty()) {
    std::fprintf(stderr, "billwise price: data/ not found (use --data-dir)\n");
    return 2;
  }
  // One lookup: read only the table blocks it needs; a bad row found there is an error.
  auto data = ReferenceData::Load(root, TableLoading::kOnFirstUse);
  if (!data) {
    std::fprintf(stderr, "billwise price: %s\n", data.error().message.c_str());
    return 2;
  }
  auto parsed = ParseServiceArgument(args.code);
  if (!parsed) {
    std::fprintf(stderr, "billwise price: %s\n", parsed.error().message.c_str());
    return 2;
  }
  Service service{parsed->code, parsed->modifiers, parsed->quantity};
  std::optional<std::string> zip = args.zip.empty() ? std::nullopt : std::optional<std::string>(args.zip);
  std::optional<std::string> state = args.state.empty() ? std::nullopt : std::optional<std::string>(args.state);
  auto prices = PriceCode(**data, service, zip, state, args.year);
  if (auto ok = (*data)->Status(); !ok) {
    std::fprintf(stderr, "billwise price: %s\n", ok.error().message.c_str());
    return 2;
  }
  if (!prices) {
    std::fprintf(stderr, "billwise price: %s\n", prices.error().message.c_str());
    return prices.error().code == ErrorCode::kNotFound ? 1 : 2;
  }
  std::string out = args.format == "json" ? CodePricesToJson(*prices) : CodePricesToText(*prices);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

void AddPriceCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<PriceArgs>();
  CLI::App* cmd = app.add_subcommand("price", "Print the Medicare reference prices of a CPT/HCPCS code "
                                              "(PFS office and facility, OPPS, CLFS)");
  cmd->add_option("code", args->code, "CPT/HCPCS code, optionally with modifiers and quantity: 71046-26, J1885x4")
      ->required();
  cmd->add_option("--state", args->state, "Two-letter state: price at the state's locality");
  cmd->add_option("--zip", args->zip, "ZIP code: price at its Medicare locality");
  cmd->add_option("--year", args->year, "Fee-schedule year: 2025 (default) or 2026")->check(CLI::Range(2025, 2026));
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, ctx] { ctx->exit_code = RunPrice(*args, *ctx); });
}

}  // namespace billwise
