// billwise letters FILE --kind KIND[,KIND...]|all --profile PROFILE.yaml --out DIR
//   [--lang en|es] [--allow-blanks] [--estimate FILE.json] [--gfe AMOUNT] [--days N]
//   [--to NAME] [--to-address LINE]...
// Analyzes FILE (a bill, or bill JSON from `billwise analyze --format json`) and writes
// DIR/KIND.pdf for each kind, atomically (temp file + rename). FILE may be omitted for
// gfe-request when --estimate is given.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>

#include "pipeline/audit/profile.h"
#include "pipeline/batch/atomic_file.h"
#include "pipeline/cases/case_store.h"
#include "pipeline/cases/case_checks.h"  // ParseMoneyArgument
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/model/person_name.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/run.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;


}  // namespace

void AddLettersCommand(CLI::App& app, CommandContext* ctx) {
  struct Args {
    std::string file;
    std::string kinds;
    std::string profile;
    std::string out;
    std::string lang;
    bool allow_blanks = false;
    std::string estimate;
    std::string gfe;
    int days = 30;
    std::string to;
    std::vector<std::string> to_address;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("letters", "Write mail-ready negotiation letters (PDF) for a bill");
  cmd->add_option("file", args->file, "The bill (PDF, image, text, or bill JSON); optional for gfe-request");
  cmd->add_option("--kind", args->kinds,
                  "Comma-separated kinds, or all: itemized, dispute, lump-sum, payment-plan, assistance, "
                  "validation, gfe-dispute, gfe-request")
      ->required();
  cmd->add_option("--profile", args->profile, "Patient profile YAML")->required();
  cmd->add_option("--out", args->out, "Folder to write KIND.pdf files into")->required();
  cmd->add_option("--lang", args->lang, "en or es (default: the profile's language)")
      ->check(CLI::IsMember({"en", "es"}));
  cmd->add_flag("--allow-blanks", args->allow_blanks, "Print a blank line to fill by hand for missing values");
  cmd->add_option("--estimate", args->estimate, "Output of `billwise estimate --format json` (for gfe-request)");
  cmd->add_option("--gfe", args->gfe, "The good-faith estimate you were given, in dollars (for gfe-dispute)");
  cmd->add_option("--days", args->days, "Lump-sum offer: days to pay after written acceptance (default 30)")
      ->check(CLI::Range(1, 365));
  cmd->add_option("--to", args->to, "Recipient name (overrides the provider or collector on the bill)");
  cmd->add_option("--to-address", args->to_address, "Recipient address line (repeat for each line)");
  cmd->callback([args, ctx] {
    ctx->exit_code = 2;
    auto fail = [](const std::string& what, const Error& e) {
      std::fprintf(stderr, "billwise letters: %s%s%s\n", what.c_str(), what.empty() ? "" : ": ", e.message.c_str());
    };
    auto profile = LoadProfile(args->profile);
    if (!profile) return fail(args->profile, profile.error());

    LetterOptions options;
    options.language = args->lang.empty() ? profile->language : args->lang;
    options.allow_blanks = args->allow_blanks;
    options.days_to_pay = args->days;
    options.data_dir = ctx->data_dir.empty() ? FindDataRoot() : ctx->data_dir;
    if (!args->to.empty()) options.recipient_name = args->to;
    options.recipient_address = args->to_address;

    LetterInputs inputs;
    inputs.profile = &*profile;
    inputs.today = Today();
    if (!args->gfe.empty()) {
      inputs.good_faith_estimate = ParseMoneyArgument(args->gfe);
      if (!inputs.good_faith_estimate) {
        return fail("--gfe", Error{ErrorCode::kUsage, "not a dollar amount: " + args->gfe});
      }
    }
    if (!args->estimate.empty()) {
      auto text = ReadWholeFile(args->estimate);
      if (!text) return fail(args->estimate, text.error());
      auto est = ParseEstimateJson(*text);
      if (!est) return fail(args->estimate, est.error());
      inputs.estimate = std::move(*est);
    }

    std::optional<Bill> bill;
    if (!args->file.empty()) {
      AnalyzeOptions analyze;
      analyze.profile = *profile;
      analyze.good_faith_estimate = inputs.good_faith_estimate;
      analyze.today = inputs.today;
      auto loaded = LoadBillArgument(args->file, ctx->data_dir, analyze);
      if (!loaded) return fail(args->file, loaded.error());
      bill = std::move(*loaded);
      inputs.bill = &*bill;
    }

    if (bill && profile->name && bill->patient.name && NamesDiffer(*profile->name, *bill->patient.name)) {
      std::fprintf(stderr,
                   "billwise letters: warning: the name in the profile differs from the patient named on the bill; "
                   "check that the bill is yours, or that you write as the patient's parent, guardian or "
                   "representative\n");
    }
    std::vector<LetterKind> kinds;
    if (args->kinds == "all") {
      if (!bill) return fail("--kind all", Error{ErrorCode::kUsage, "needs a bill FILE"});
      kinds = ApplicableLetters(*bill, &*profile, inputs.good_faith_estimate);
      if (inputs.estimate) kinds.push_back(LetterKind::kGfeRequest);
    } else {
      std::stringstream ss(args->kinds);
      std::string name;
      while (std::getline(ss, name, ',')) {
        auto k = ParseLetterKind(name);
        if (!k) return fail("--kind", Error{ErrorCode::kUsage, "unknown letter kind '" + name + "'"});
        kinds.push_back(*k);
      }
    }
    if (!bill) {
      for (LetterKind k : kinds) {
        if (k != LetterKind::kGfeRequest) {
          return fail(LetterKindName(k), Error{ErrorCode::kUsage, "needs a bill FILE"});
        }
      }
      if (!inputs.estimate && args->to.empty()) {
        return fail("gfe-request", Error{ErrorCode::kUsage, "needs a bill FILE, --estimate FILE.json or --to NAME"});
      }
    }
    std::error_code ec;
    fs::create_directories(args->out, ec);
    if (ec) return fail(args->out, Error{ErrorCode::kIo, "cannot create the output folder"});

    int failures = 0;
    std::vector<LetterKind> written_kinds;
    for (LetterKind k : kinds) {
      if (auto blanks = LetterBlanks(k, inputs, options); blanks && !blanks->empty()) {
        std::string keys;
        for (const auto& b : *blanks) keys += (keys.empty() ? "" : ", ") + b;
        std::fprintf(stderr, "billwise letters: %s: warning: not found on the bill, left blank to fill by hand: %s\n",
                     LetterKindName(k), keys.c_str());
      }
      auto pdf = RenderLetterPdf(k, inputs, options);
      if (!pdf) {
        fail(LetterKindName(k), pdf.error());
        ++failures;
        continue;
      }
      fs::path path = fs::path(args->out) / (std::string(LetterKindName(k)) + ".pdf");
      auto written = WriteFileAtomic(path.string(), *pdf);
      if (!written) {
        fail(LetterKindName(k), written.error());
        ++failures;
        continue;
      }
      std::printf("%s\n", path.string().c_str());
      written_kinds.push_back(k);
    }
    if (bill && !ctx->no_store && !written_kinds.empty()) {
      std::vector<std::string> names;
      for (LetterKind k : written_kinds) names.push_back(LetterKindName(k));
      if (auto recorded = RecordLettersForBill(ctx->db_path, *bill, names, inputs.today,
                                               options.recipient_name.value_or(""));
          !recorded) {
        std::fprintf(stderr, "billwise letters: warning: not recorded in the case file: %s\n",
                     recorded.error().message.c_str());
      }
    }
    if (kinds.empty()) std::fprintf(stderr, "billwise letters: no letter applies to this bill\n");
    ctx->exit_code = failures == 0 ? 0 : 2;
  });
}

}  // namespace billwise
