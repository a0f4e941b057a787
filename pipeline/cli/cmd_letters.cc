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
#include "pipeline/cli/commands.h"
#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/run.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

Expected<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "$1,234.56", "1234.56" or "1234" -> Money.
std::optional<Money> ParseAmount(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c == '$' || c == ',' || c == ' ') continue;
    if ((c < '0' || c > '9') && c != '.') return std::nullopt;
    digits += c;
  }
  if (digits.empty()) return std::nullopt;
  size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  if (frac.size() > 2 || frac.find('.') != std::string::npos || whole.size() > 12) return std::nullopt;
  while (frac.size() < 2) frac += '0';
  return Money::FromCents(std::stoll(whole.empty() ? "0" : whole) * 100 + std::stoll(frac));
}

Expected<void> WriteAtomically(const fs::path& path, const std::string& bytes) {
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(ErrorCode::kIo, "cannot write " + tmp.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Fail(ErrorCode::kIo, "cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Fail(ErrorCode::kIo, "cannot rename into " + path.string());
  }
  return {};
}

bool LooksLikeJson(const std::string& bytes) {
  size_t i = bytes.find_first_not_of(" \t\r\n");
  return i != std::string::npos && bytes[i] == '{';
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
      inputs.good_faith_estimate = ParseAmount(args->gfe);
      if (!inputs.good_faith_estimate) {
        return fail("--gfe", Error{ErrorCode::kUsage, "not a dollar amount: " + args->gfe});
      }
    }
    if (!args->estimate.empty()) {
      auto text = ReadAll(args->estimate);
      if (!text) return fail(args->estimate, text.error());
      auto est = ParseEstimateJson(*text);
      if (!est) return fail(args->estimate, est.error());
      inputs.estimate = std::move(*est);
    }

    std::optional<Bill> bill;
    if (!args->file.empty()) {
      auto bytes = ReadAll(args->file);
      if (!bytes) return fail(args->file, bytes.error());
      if (LooksLikeJson(*bytes)) {
        auto parsed = BillFromJson(*bytes);
        if (!parsed) return fail(args->file, parsed.error());
        bill = std::move(*parsed);
      } else {
        auto engine = Engine::Load(EngineOptions{.data_dir = ctx->data_dir});
        if (!engine) return fail("", engine.error());
        AnalyzeOptions analyze;
        analyze.profile = *profile;
        analyze.good_faith_estimate = inputs.good_faith_estimate;
        analyze.today = inputs.today;
        auto analyzed = (*engine)->AnalyzeBytes(*bytes, args->file, analyze);
        if (!analyzed) return fail(args->file, analyzed.error());
        bill = std::move(*analyzed);
      }
      inputs.bill = &*bill;
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
      auto written = WriteAtomically(path, *pdf);
      if (!written) {
        fail(LetterKindName(k), written.error());
        ++failures;
        continue;
      }
      std::printf("%s\n", path.string().c_str());
    }
    if (kinds.empty()) std::fprintf(stderr, "billwise letters: no letter applies to this bill\n");
    ctx->exit_code = failures == 0 ? 0 : 2;
  });
}

}  // namespace billwise
