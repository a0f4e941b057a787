// billwise letters FILE --kind KIND[,KIND...]|all --profile PROFILE.yaml --out DIR
//   [--lang en|es] [--allow-blanks] [--estimate FILE.json] [--gfe AMOUNT] [--days N]
//   [--to NAME] [--to-address LINE]... [--application FORM.pdf --application-map MAP.yaml]
// Analyzes FILE (a bill, or bill JSON from `billwise analyze --format json`) and writes
// DIR/KIND.pdf for each kind, atomically (temp file + rename), and beside the assistance
// letter the filled application (DIR/assistance-application.pdf). FILE may be omitted for
// gfe-request when --estimate is given. On a collection notice, the original creditor's
// address comes from an earlier bill of the same case in the case file (unless --no-store).
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

// The original creditor's address for a collection notice: the address printed on the
// latest earlier provider bill filed in the same case. Files the notice in its case (as
// writing its letters does anyway). Empty when the case file has none.
std::vector<std::string> CreditorAddressFromCases(const std::string& db_path, const Bill& notice) {
  auto store = CaseStore::Open(db_path);
  if (!store) return {};
  auto recorded = store->RecordDocument(notice, "");
  if (!recorded) return {};
  auto detail = store->GetCase(recorded->case_id, Today());
  if (!detail) return {};
  std::vector<std::string> address;
  std::optional<Date> latest;
  for (const StoredDocument& d : detail->facts.documents) {
    const Bill& b = d.bill;
    if (b.document_type == DocumentType::kCollectionNotice || b.document_type == DocumentType::kEob || b.collector ||
        b.provider.address.empty()) {
      continue;
    }
    if (address.empty() || (b.statement_date && (!latest || *b.statement_date > *latest))) {
      address = b.provider.address;
      latest = b.statement_date;
    }
  }
  return address;
}

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
    std::string application;
    std::string application_map;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("letters", "Write mail-ready negotiation letters (PDF) for a bill");
  cmd->add_option("file", args->file, "The bill (PDF, image, text, or bill JSON); optional for gfe-request");
  cmd->add_option("--kind", args->kinds,
                  "Comma-separated kinds, or all: itemized, dispute, lump-sum, payment-plan, assistance, "
                  "validation, gfe-dispute, gfe-request, appeal")
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
  cmd->add_option("--application", args->application,
                  "The hospital's own fillable assistance application, filled beside the assistance letter "
                  "(default: the generic application in templates/forms/)");
  cmd->add_option("--application-map", args->application_map, "Field map YAML for --application (see fill-form)");
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
    if (args->application.empty() != args->application_map.empty()) {
      return fail("--application", Error{ErrorCode::kUsage, "--application and --application-map go together"});
    }
    if (!args->application.empty()) {
      auto form = ReadWholeFile(args->application);
      if (!form) return fail(args->application, form.error());
      auto map = ReadWholeFile(args->application_map);
      if (!map) return fail(args->application_map, map.error());
      inputs.application_form_pdf = std::move(*form);
      inputs.application_map_yaml = std::move(*map);
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
      bool notice = bill->document_type == DocumentType::kCollectionNotice || bill->collector.has_value();
      if (notice && bill->provider.address.empty() && !ctx->no_store) {
        inputs.creditor_address = CreditorAddressFromCases(ctx->db_path, *bill);
      }
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
      auto package = RenderLetterPackage(k, inputs, options);
      if (!package) {
        fail(LetterKindName(k), package.error());
        ++failures;
        continue;
      }
      bool all_written = true;
      for (const LetterFile& file : *package) {
        fs::path path = fs::path(args->out) / file.name;
        auto written = WriteFileAtomic(path.string(), file.bytes);
        if (!written) {
          fail(LetterKindName(k), written.error());
          all_written = false;
          break;
        }
        std::printf("%s\n", path.string().c_str());
      }
      if (!all_written) {
        ++failures;
        continue;
      }
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
