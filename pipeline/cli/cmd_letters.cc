// billwise letters FILE --kind KIND[,KIND...]|all [--profile PROFILE.yaml] --out DIR
//   [--lang en|es] [--allow-blanks] [--estimate FILE.json] [--gfe AMOUNT] [--days N]
//   [--to NAME] [--to-address LINE]... [--application FORM.pdf --application-map MAP.yaml]
// Analyzes FILE (a bill, or bill JSON from `billwise analyze --format json`) and writes
// DIR/KIND.pdf for each kind, atomically (temp file + rename), and beside the assistance
// letter the filled application (DIR/assistance-application.pdf). A file holding several
// documents gets the letters of each, named DIR/docN-KIND.pdf (N from 1, in page order). FILE may be omitted for
// gfe-request when --estimate is given. On a collection notice, the original creditor's
// address comes from an earlier bill of the same case in the case file (unless --no-store).
// The bill, the letters and their record in the case file are one Job (pipeline/run/job.h).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>

#include "pipeline/batch/atomic_file.h"
#include "pipeline/cases/case_checks.h"  // ParseMoneyArgument
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/model/person_name.h"
#include "pipeline/run/job.h"

namespace billwise {

namespace fs = std::filesystem;

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
  cmd->add_option("--profile", args->profile,
                  "Patient profile YAML (default: the top-level --profile, $BILLWISE_PROFILE, else "
                  "$XDG_CONFIG_HOME/billwise/profile.yaml)");
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
    auto request = RequestFromFlags(*ctx, args->profile);
    if (!request) return fail("", request.error());
    if (!request->analyze.profile) {
      return fail("--profile", Error{ErrorCode::kUsage, "no profile: give --profile FILE, set $BILLWISE_PROFILE "
                                                        "or write $XDG_CONFIG_HOME/billwise/profile.yaml"});
    }
    const Profile& profile = *request->analyze.profile;
    request->letter_language = args->lang;
    request->letter_options.allow_blanks = args->allow_blanks;
    request->letter_options.days_to_pay = args->days;
    if (!args->to.empty()) request->letter_options.recipient_name = args->to;
    request->letter_options.recipient_address = args->to_address;
    request->list_blanks = true;
    request->analyze.today = Today();
    if (!args->gfe.empty()) {
      request->analyze.good_faith_estimate = ParseMoneyArgument(args->gfe);
      if (!request->analyze.good_faith_estimate) {
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
      request->application_form_pdf = std::move(*form);
      request->application_map_yaml = std::move(*map);
    }
    if (!args->estimate.empty()) {
      auto text = ReadWholeFile(args->estimate);
      if (!text) return fail(args->estimate, text.error());
      auto est = ParseEstimateJson(*text);
      if (!est) return fail(args->estimate, est.error());
      request->estimate = std::move(*est);
    }

    if (args->kinds == "all") {
      if (args->file.empty()) return fail("--kind all", Error{ErrorCode::kUsage, "needs a bill FILE"});
      request->applicable_letters = true;
      if (request->estimate) request->letter_kinds.push_back(LetterKind::kGfeRequest);
    } else {
      std::stringstream ss(args->kinds);
      std::string name;
      while (std::getline(ss, name, ',')) {
        auto k = ParseLetterKind(name);
        if (!k) return fail("--kind", Error{ErrorCode::kUsage, "unknown letter kind '" + name + "'"});
        request->letter_kinds.push_back(*k);
      }
    }
    if (args->file.empty()) {
      for (LetterKind k : request->letter_kinds) {
        if (k != LetterKind::kGfeRequest) {
          return fail(LetterKindName(k), Error{ErrorCode::kUsage, "needs a bill FILE"});
        }
      }
      if (!request->estimate && args->to.empty()) {
        return fail("gfe-request", Error{ErrorCode::kUsage, "needs a bill FILE, --estimate FILE.json or --to NAME"});
      }
    } else {
      request->inputs.push_back(JobInput::File(args->file));
      request->split = true;  // every document the file holds gets its letters
      request->bill_json = true;
    }

    auto result = Job(CommandEngineOptions(*ctx)).Run(*request);
    if (!result) return fail(args->file, result.error());
    // One pass per document of the file (one pass for the letters written without a bill).
    // With several documents each file name starts with its document number
    // ("doc2-validation.pdf") and each message with "document N: ".
    std::vector<const JobDocument*> documents;
    if (!result->inputs.empty()) {
      const auto& read = result->inputs.front().documents;
      if (!read) return fail(args->file, read.error());
      for (const JobDocument& d : *read) documents.push_back(&d);
    }
    std::error_code ec;
    fs::create_directories(args->out, ec);
    if (ec) return fail(args->out, Error{ErrorCode::kIo, "cannot create the output folder"});

    const bool several = documents.size() > 1;
    int failures = 0;
    size_t written = 0;
    const size_t passes = std::max<size_t>(documents.size(), 1);
    for (size_t d = 0; d < passes; ++d) {
      const JobDocument* document = documents.empty() ? nullptr : documents[d];
      const std::vector<JobLetter>& letters = document ? document->letters : result->letters;
      const Bill* bill = document ? &document->bill : nullptr;
      const std::string label = several ? "document " + std::to_string(d + 1) + ": " : "";
      const std::string prefix = several ? "doc" + std::to_string(d + 1) + "-" : "";
      if (bill && profile.name && bill->patient.name && NamesDiffer(*profile.name, *bill->patient.name)) {
        std::fprintf(stderr,
                     "billwise letters: %swarning: the name in the profile differs from the patient named on the "
                     "bill; check that the bill is yours, or that you write as the patient's parent, guardian or "
                     "representative\n",
                     label.c_str());
      }
      if (document) {
        for (const auto& [kind, why] : document->skipped) {
          std::fprintf(stderr, "billwise letters: %s%s: skipped: %s\n", label.c_str(), LetterKindName(kind),
                       why.c_str());
        }
      }
      for (const JobLetter& letter : letters) {
        const std::string kind = label + LetterKindName(letter.kind);
        if (!letter.blanks.empty()) {
          std::string keys;
          for (const auto& b : letter.blanks) keys += (keys.empty() ? "" : ", ") + b;
          std::fprintf(stderr, "billwise letters: %s: warning: not found on the bill, left blank to fill by hand: %s\n",
                       kind.c_str(), keys.c_str());
        }
        if (!letter.files) {
          fail(kind, letter.files.error());
          ++failures;
          continue;
        }
        bool all_written = true;
        for (const LetterFile& file : *letter.files) {
          fs::path path = fs::path(args->out) / (prefix + file.name);
          auto saved = WriteFileAtomic(path.string(), file.bytes);
          if (!saved) {
            fail(kind, saved.error());
            all_written = false;
            break;
          }
          std::printf("%s\n", path.string().c_str());
        }
        if (all_written) ++written;
        else ++failures;
      }
      if (document && document->letters_recorded && !*document->letters_recorded) {
        std::fprintf(stderr, "billwise letters: %swarning: not recorded in the case file: %s\n", label.c_str(),
                     document->letters_recorded->error().message.c_str());
      }
      if (letters.empty() && bill) {
        std::fprintf(stderr, "billwise letters: %sno letter applies to this %s\n", label.c_str(),
                     several ? "document" : "bill");
      }
    }
    if (written == 0 && failures == 0 && several && !request->letter_kinds.empty() && !request->applicable_letters) {
      // Every kind asked for was skipped as not fitting any document of the file.
      std::fprintf(stderr, "billwise letters: none of the kinds asked for fits a document of this file\n");
      ++failures;
    }
    ctx->exit_code = failures == 0 ? 0 : 2;
  });
}

}  // namespace billwise
