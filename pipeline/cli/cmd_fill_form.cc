// billwise fill-form FORM.pdf --map MAP.yaml [--profile PROFILE.yaml] [--bill FILE]
//   --out OUT.pdf [--flatten] [--allow-blanks] [--list]
// Fills any AcroForm PDF through a field map (templates/forms/README.md), writing
// appearance streams so every viewer shows the values; --flatten draws them into the
// page and removes the fields. --list prints the form's fields (name, type, states).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>

#include "pipeline/audit/profile.h"
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/letters/form_fill.h"
#include "pipeline/letters/pdf_writer.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/run/run.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

const char* TypeName(FormFieldType t) {
  switch (t) {
    case FormFieldType::kText: return "text";
    case FormFieldType::kCheckBox: return "checkbox";
    case FormFieldType::kRadio: return "radio";
    case FormFieldType::kChoice: return "choice";
    case FormFieldType::kButton: return "button";
    case FormFieldType::kSignature: return "signature";
    case FormFieldType::kUnknown: break;
  }
  return "unknown";
}

}  // namespace

void AddFillFormCommand(CLI::App& app, CommandContext* ctx) {
  struct Args {
    std::string form, map, profile, bill, out;
    bool flatten = false, allow_blanks = false, list = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("fill-form", "Fill a fillable PDF form (e.g. a hospital's assistance application)");
  cmd->add_option("form", args->form, "The fillable PDF form")->required();
  cmd->add_option("--map", args->map, "Field map YAML (field name -> template)");
  cmd->add_option("--profile", args->profile,
                  "Patient profile YAML (default: the top-level --profile, $BILLWISE_PROFILE, else "
                  "$XDG_CONFIG_HOME/billwise/profile.yaml)");
  cmd->add_option("--bill", args->bill, "The bill (PDF, image, text or bill JSON), for bill.* values");
  cmd->add_option("--out", args->out, "Output PDF");
  cmd->add_flag("--flatten", args->flatten, "Draw the values into the page and remove the fields");
  cmd->add_flag("--allow-blanks", args->allow_blanks, "Leave fields empty when their values are missing");
  cmd->add_flag("--list", args->list, "List the form's fields and exit");
  cmd->callback([args, ctx] {
    ctx->exit_code = 2;
    auto fail = [](const std::string& what, const std::string& msg) {
      std::fprintf(stderr, "billwise fill-form: %s: %s\n", what.c_str(), msg.c_str());
    };
    auto form = ReadWholeFile(args->form);
    if (!form) return fail(args->form, form.error().message);
    if (args->list) {
      auto fields = ListFormFields(*form);
      if (!fields) return fail(args->form, fields.error().message);
      for (const auto& f : *fields) {
        std::string extra;
        if (f.comb) extra += " comb=" + std::to_string(f.max_len);
        if (f.multiline) extra += " multiline";
        for (const auto& s : f.on_states) extra += " state=" + s;
        for (const auto& o : f.options) extra += " option=" + o;
        std::printf("%s\t%s%s\n", f.name.c_str(), TypeName(f.type), extra.c_str());
      }
      ctx->exit_code = 0;
      return;
    }
    if (args->map.empty() || args->out.empty()) {
      return fail("usage", "--map and --out are required (or --list)");
    }
    auto map = ReadWholeFile(args->map);
    if (!map) return fail(args->map, map.error().message);
    auto resolved = ResolveProfile(*ctx, args->profile);
    if (!resolved) {
      std::fprintf(stderr, "billwise fill-form: %s\n", resolved.error().message.c_str());
      return;
    }
    if (!*resolved) {
      return fail("--profile", "no profile: give --profile FILE, set $BILLWISE_PROFILE or write "
                               "$XDG_CONFIG_HOME/billwise/profile.yaml");
    }
    const std::optional<Profile>& profile = *resolved;
    std::optional<Bill> bill;
    if (!args->bill.empty()) {
      AnalyzeOptions analyze;
      analyze.profile = *profile;
      auto loaded = LoadBillArgument(args->bill, ctx->data_dir, analyze);
      if (!loaded) return fail(args->bill, loaded.error().message);
      bill = std::move(*loaded);
    }
    FillFormRequest request;
    request.form_pdf = *form;
    request.map_yaml = *map;
    request.map_name = args->map;
    request.profile = &*profile;
    request.bill = bill ? &*bill : nullptr;
    request.today = Today();
    request.flatten = args->flatten;
    request.allow_blanks = args->allow_blanks;
    auto pdf = FillFormFromMap(request);
    if (!pdf) return fail(args->form, pdf.error().message);
    fs::path tmp = args->out + ".tmp" + std::to_string(getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
      if (!out) return fail(args->out, "cannot write");
    }
    std::error_code ec;
    fs::rename(tmp, args->out, ec);
    if (ec) {
      fs::remove(tmp, ec);
      return fail(args->out, "cannot write");
    }
    std::printf("%s\n", args->out.c_str());
    ctx->exit_code = 0;
  });
}

}  // namespace billwise
