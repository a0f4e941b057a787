// billwise estimate CODE[xQTY] [CODE...] [--zip ZIP | --state XX] [--price-file MRF]
//                  [--hospital CCN|NAME] [--year 2025] [--format text|json]
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/refdata/estimate.h"
#include "pipeline/refdata/hospital_prices.h"
#include "pipeline/refdata/reference_data.h"
#include "pipeline/run/run.h"

namespace billwise {

namespace {

struct EstimateArgs {
  std::vector<std::string> codes;
  std::string zip;
  std::string state;
  std::string price_file;
  std::string hospital;
  int year = 2025;
  std::string format = "text";
};

int RunEstimate(const EstimateArgs& args, const CommandContext& ctx) {
  EstimateRequest req;
  for (const std::string& c : args.codes) {
    auto s = ParseServiceArgument(c);
    if (!s) {
      std::fprintf(stderr, "billwise estimate: %s\n", s.error().message.c_str());
      return 2;
    }
    req.services.push_back(*s);
  }
  if (!args.zip.empty()) req.zip = args.zip;
  if (!args.state.empty()) req.state = args.state;
  if (!args.hospital.empty()) req.hospital = args.hospital;
  req.year = args.year;
  if (!args.price_file.empty()) {
    auto prices = LoadHospitalPrices(args.price_file);
    if (!prices) {
      std::fprintf(stderr, "billwise estimate: %s\n", prices.error().message.c_str());
      return 2;
    }
    req.hospital_prices = std::make_shared<const HospitalPriceList>(std::move(*prices));
  }
  std::string root = ctx.data_dir.empty() ? FindDataRoot() : ctx.data_dir;
  if (root.empty()) {
    std::fprintf(stderr, "billwise estimate: data/ not found (use --data-dir)\n");
    return 2;
  }
  // One lookup: read only the table blocks it needs; a bad row found there is an error.
  auto data = ReferenceData::Load(root, TableLoading::kOnFirstUse);
  if (!data) {
    std::fprintf(stderr, "billwise estimate: %s\n", data.error().message.c_str());
    return 2;
  }
  auto est = EstimateServices(**data, req);
  if (auto ok = (*data)->Status(); !ok) {
    std::fprintf(stderr, "billwise estimate: %s\n", ok.error().message.c_str());
    return 2;
  }
  if (!est) {
    std::fprintf(stderr, "billwise estimate: %s\n", est.error().message.c_str());
    return 2;
  }
  std::string out = args.format == "json" ? EstimateToJson(*est) : EstimateToText(*est);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

void AddEstimateCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<EstimateArgs>();
  CLI::App* cmd = app.add_subcommand("estimate", "Price planned services in every setting (office, hospital "
                                                 "outpatient, lab) before treatment");
  cmd->add_option("codes", args->codes, "CPT/HCPCS codes, each optionally xQTY: 99213 80053 J1885x2")->required();
  auto* zip = cmd->add_option("--zip", args->zip, "ZIP code of the provider: prices at its Medicare locality");
  cmd->add_option("--state", args->state, "Two-letter state, when the ZIP is not known")->excludes(zip);
  cmd->add_option("--price-file", args->price_file,
                  "The hospital's standard-charges file (CMS CSV tall/wide or JSON) for its gross and cash prices");
  cmd->add_option("--hospital", args->hospital,
                  "A hospital of the bundled cash-price slice (CCN or name words) for its gross and cash prices");
  cmd->add_option("--year", args->year, "Fee-schedule year: 2025 (default) or 2026")->check(CLI::Range(2025, 2026));
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, ctx] { ctx->exit_code = RunEstimate(*args, *ctx); });
}

}  // namespace billwise
