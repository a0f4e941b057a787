// billwise letters FILE --kind KIND[,KIND...]|all --profile PROFILE.yaml --out DIR
//   [--lang en|es] [--allow-blanks] [--estimate FILE.json] [--gfe AMOUNT] [--days N]
//   [--to NAME] [--to-address LINE]... [--application FORM.pdf --application-map MAP.yaml]
// Analyzes FILE (a bill, or bill JSON from `billwise analyze --format json`) and writes
// DIR/KIND.pdf for each kind, atomically (temp file + rename), and beside the assistance
// letter the filled application (DIR/assistance-application.pdf). A file holding several
// documents gets the letters of each, named DIR/docN-KIND.pdf (N from 1, in page order). FILE may be omitted for
// gfe-request when --estimate is given. On a collection notice, the original creditor's
// address comes from an earlier bill of the same case in the case file (unless --no-store).
#include <unistd.h>

#include <algorithm>
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

// The original creditor's address for document `notice` of a file: the address printed on
// the latest earlier provider bill of the same file (a statement followed by a collector's
// notice about it). Empty when none.
std::vector<std::string> CreditorAddressInFile(const std::vector<Bill>& bills, size_t notice) {
  for (size_t i = notice; i-- > 0;) {
    const Bill& b = bills[i];
    if (b.document_type == DocumentType::kCollectionNotice || b.document_type == DocumentType::kEob || b.collector) {
      continue;
    }
    if (!b.provider.address.empty()) return b.provider.address;
  }
  return {};
}

// The documents of `path`: bill JSON is one document; any other file is analyzed into the
// documents it holds (Engine::AnalyzeBytesDocuments), in page order.
Expected<std::vector<Bill>> LoadBillsArgument(const std::string& path, const std::string& data_dir,
                                              const AnalyzeOptions& options) {
  auto bytes = ReadWholeFile(path);
  if (!bytes) return std::unexpected(bytes.error());
  size_t first = bytes->find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (*bytes)[first] == '{') {
    auto bill = BillFromJson(*bytes);
    if (!bill) return std::unexpected(bill.error());
    return std::vector<Bill>{std::move(*bill)};
  }
  auto engine = Engine::Load(EngineOptions{.data_dir = data_dir, .tables = TableLoading::kOnFirstUse});
  if (!engine) return std::unexpected(engine.error());
  return (*engine)->AnalyzeBytesDocuments(*bytes, path, options);
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

    // Every document the file holds (a statement and its EOB, invoices, a statement and a
    // collector's notice); bill JSON is one document.
    std::vector<Bill> bills;
    if (!args->file.empty()) {
      AnalyzeOptions analyze;
      analyze.profile = *profile;
      analyze.good_faith_estimate = inputs.good_faith_estimate;
      analyze.today = inputs.today;
      auto loaded = LoadBillsArgument(args->file, ctx->data_dir, analyze);
      if (!loaded) return fail(args->file, loaded.error());
      bills = std::move(*loaded);
    }
    std::vector<LetterKind> explicit_kinds;
    if (args->kinds == "all") {
      if (bills.empty()) return fail("--kind all", Error{ErrorCode::kUsage, "needs a bill FILE"});
    } else {
      std::stringstream ss(args->kinds);
      std::string name;
      while (std::getline(ss, name, ',')) {
        auto k = ParseLetterKind(name);
        if (!k) return fail("--kind", Error{ErrorCode::kUsage, "unknown letter kind '" + name + "'"});
        explicit_kinds.push_back(*k);
      }
    }
    if (bills.empty()) {
      for (LetterKind k : explicit_kinds) {
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

    // One pass per document (one pass without a bill for gfe-request alone). With several
    // documents each file name starts with its document number ("doc2-validation.pdf").
    const bool several = bills.size() > 1;
    int failures = 0;
    size_t letters = 0;
    const size_t passes = std::max<size_t>(bills.size(), 1);
    for (size_t d = 0; d < passes; ++d) {
      const Bill* bill = bills.empty() ? nullptr : &bills[d];
      LetterInputs doc_inputs = inputs;
      doc_inputs.bill = bill;
      std::string label = several ? "document " + std::to_string(d + 1) + ": " : "";
      if (bill) {
        bool notice = bill->document_type == DocumentType::kCollectionNotice || bill->collector.has_value();
        if (notice && bill->provider.address.empty()) {
          doc_inputs.creditor_address = CreditorAddressInFile(bills, d);
          if (doc_inputs.creditor_address.empty() && !ctx->no_store) {
            doc_inputs.creditor_address = CreditorAddressFromCases(ctx->db_path, *bill);
          }
        }
        if (profile->name && bill->patient.name && NamesDiffer(*profile->name, *bill->patient.name)) {
          std::fprintf(stderr,
                       "billwise letters: %swarning: the name in the profile differs from the patient named on the "
                       "bill; check that the bill is yours, or that you write as the patient's parent, guardian or "
                       "representative\n",
                       label.c_str());
        }
      }
      std::vector<LetterKind> kinds;
      if (args->kinds == "all") {
        kinds = ApplicableLetters(*bill, &*profile, inputs.good_faith_estimate);
        if (inputs.estimate && d == 0) kinds.push_back(LetterKind::kGfeRequest);
      } else {
        for (LetterKind k : explicit_kinds) {
          // In a file of several documents a kind is written for the documents it fits.
          if (std::string misfit = several ? LetterMisfit(k, bill, &*profile) : ""; !misfit.empty()) {
            std::fprintf(stderr, "billwise letters: %s%s: skipped: %s\n", label.c_str(), LetterKindName(k),
                         misfit.c_str());
            continue;
          }
          if (k == LetterKind::kGfeRequest && d > 0) continue;  // one request, not one per document
          kinds.push_back(k);
        }
      }
      if (kinds.empty() && bill) {
        std::fprintf(stderr, "billwise letters: %sno letter applies to this %s\n", label.c_str(),
                     several ? "document" : "bill");
      }
      std::string prefix = several ? "doc" + std::to_string(d + 1) + "-" : "";
      std::vector<LetterKind> written_kinds;
      for (LetterKind k : kinds) {
        if (auto blanks = LetterBlanks(k, doc_inputs, options); blanks && !blanks->empty()) {
          std::string keys;
          for (const auto& b : *blanks) keys += (keys.empty() ? "" : ", ") + b;
          std::fprintf(stderr,
                       "billwise letters: %s%s: warning: not found on the bill, left blank to fill by hand: %s\n",
                       label.c_str(), LetterKindName(k), keys.c_str());
        }
        auto package = RenderLetterPackage(k, doc_inputs, options);
        if (!package) {
          fail(label + LetterKindName(k), package.error());
          ++failures;
          continue;
        }
        bool all_written = true;
        for (const LetterFile& file : *package) {
          fs::path path = fs::path(args->out) / (prefix + file.name);
          auto written = WriteFileAtomic(path.string(), file.bytes);
          if (!written) {
            fail(label + LetterKindName(k), written.error());
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
        ++letters;
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
    }
    if (letters == 0 && failures == 0 && !explicit_kinds.empty()) {
      // Every explicit kind was skipped as misfit for every document: say so and fail.
      std::fprintf(stderr, "billwise letters: none of the kinds asked for fits a document of this file\n");
      ++failures;
    }
    ctx->exit_code = failures == 0 ? 0 : 2;
  });
}

}  // namespace billwise
