// The case-file commands:
//   billwise cases [--format text|json]          billwise cases add FILE...
//   billwise case CASE [--format text|json]      billwise case add FILE... (= cases add)
//   billwise due [--within DAYS] [--format text|json|ics]
//   billwise sent CASE --letter KIND [--date D] [--method M] [--tracking N] [--to WHO]
//   billwise reply CASE --date D --note TEXT [--file DOC]
//   billwise call CASE --date D --with NAME [--ref N] --note TEXT [--follow-up D]
//   billwise plan CASE --monthly AMOUNT --start DATE [--months N]
//   billwise paid CASE AMOUNT [--date D]         billwise gfe CASE --amount AMOUNT [--date D]
//   billwise export [--format json] [--output F] billwise import FILE
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>

#include "pipeline/cases/case_format.h"
#include "pipeline/cases/case_store.h"
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/run/job.h"

namespace billwise {
namespace {

int Report(const Error& e) {
  std::fprintf(stderr, "billwise: %s\n", e.message.c_str());
  return e.code == ErrorCode::kNotFound || e.code == ErrorCode::kUsage ? 2 : ExitCodeFor(e);
}

// Opens the store, runs `body`, stores its exit code. --no-store refuses every case command.
void WithStore(CommandContext* ctx, const std::function<int(CaseStore&)>& body) {
  if (ctx->no_store) {
    std::fputs("billwise: --no-store: the case file is not used\n", stderr);
    ctx->exit_code = 2;
    return;
  }
  auto store = CaseStore::Open(ctx->db_path);
  if (!store) {
    ctx->exit_code = Report(store.error());
    return;
  }
  ctx->exit_code = body(*store);
}

std::optional<Date> ParseDateArg(const std::string& text, const char* flag) {
  if (text.empty()) return Today();
  auto d = Date::FromIso(text);
  if (!d) std::fprintf(stderr, "billwise: %s wants a date as YYYY-MM-DD\n", flag);
  return d;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  *out = buf.str();
  return true;
}

bool WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return true;
  }
  // Case data is health data: files we write are private to the user (0600).
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

// `cases add FILE...`: a bill JSON (from `analyze --format json`) is stored as is; any
// other file is analyzed first; the Job files each in its case. WithStore has opened the
// case file already, so a bad --db fails before any file is read.
int AddFiles(CaseStore&, const std::vector<std::string>& files, const CommandContext& ctx) {
  JobRequest request;
  for (const std::string& file : files) request.inputs.push_back(JobInput::File(file));
  request.split = false;
  request.bill_json = true;
  request.store = ctx.db_path;
  request.file_bills = true;
  auto result = Job(CommandEngineOptions(ctx)).Run(request);
  if (!result) return Report(result.error());
  int failed = 0;
  for (const JobInputResult& input : result->inputs) {
    const char* file = input.path.c_str();
    if (!input.documents) {
      std::fprintf(stderr, "billwise: %s: %s\n", file, input.documents.error().message.c_str());
      ++failed;
      continue;
    }
    const JobDocument& document = input.documents->front();
    const Expected<RecordResult>& filed = *document.filed;
    if (!filed) {
      std::fprintf(stderr, "billwise: %s: %s\n", file, filed.error().message.c_str());
      ++failed;
      continue;
    }
    std::printf("%s: %s case %lld (%s)\n", file, filed->new_document ? "added to" : "already in",
                static_cast<long long>(filed->case_id), DocumentTypeName(document.bill.document_type));
    for (const Finding& f : filed->findings) {
      std::printf("  [%s] %s: %s\n", SeverityName(f.severity), FindingKindName(f.kind), f.explanation.c_str());
    }
  }
  return failed == 0 ? 0 : 1;
}

struct CaseArg {
  std::string ref;
  // Resolves the reference; prints the error and returns nullopt on failure.
  std::optional<int64_t> Resolve(CaseStore& store, int* exit_code) const {
    auto id = store.ResolveCase(ref);
    if (!id) {
      std::fprintf(stderr, "billwise: case %s: %s\n", ref.c_str(), id.error().message.c_str());
      *exit_code = 2;
      return std::nullopt;
    }
    return *id;
  }
};

}  // namespace

void AddCaseCommands(CLI::App& app, CommandContext* ctx) {
  // cases [--format] / cases add FILE...
  {
    auto format = std::make_shared<std::string>("text");
    auto files = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = app.add_subcommand("cases", "List cases: provider, account, status, balance, next deadline");
    cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
    CLI::App* add = cmd->add_subcommand("add", "Analyze documents (or read bill JSON) and file them into cases");
    add->add_option("files", *files, "Bills, EOBs, collection notices, or bill JSON files")->required();
    add->callback([ctx, files] {
      WithStore(ctx, [&](CaseStore& store) { return AddFiles(store, *files, *ctx); });
    });
    cmd->require_subcommand(0, 1);
    cmd->callback([ctx, format, cmd] {
      if (!cmd->get_subcommands().empty()) return;
      WithStore(ctx, [&](CaseStore& store) {
        auto cases = store.ListCases(Today());
        if (!cases) return Report(cases.error());
        std::cout << (*format == "json" ? CasesToJson(*cases) : CasesText(*cases));
        return 0;
      });
    });
  }
  // case CASE
  {
    auto arg = std::make_shared<CaseArg>();
    auto format = std::make_shared<std::string>("text");
    auto files = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = app.add_subcommand("case", "Show one case: documents, findings, letters, replies, payments");
    cmd->add_option("case", arg->ref, "Case number (or its account number)");
    cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
    CLI::App* add = cmd->add_subcommand("add", "Same as `billwise cases add`");
    add->add_option("files", *files, "Bills, EOBs, collection notices, or bill JSON files")->required();
    add->callback([ctx, files] {
      WithStore(ctx, [&](CaseStore& store) { return AddFiles(store, *files, *ctx); });
    });
    cmd->require_subcommand(0, 1);
    cmd->callback([ctx, arg, format, cmd] {
      if (!cmd->get_subcommands().empty()) return;
      if (arg->ref.empty()) {
        std::fputs("billwise: case wants a case number (see `billwise cases`)\n", stderr);
        ctx->exit_code = 2;
        return;
      }
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = arg->Resolve(store, &code);
        if (!id) return code;
        auto detail = store.GetCase(*id, Today());
        if (!detail) return Report(detail.error());
        if (*format == "json") {
          std::cout << CasesToJson({detail->summary});
        } else {
          std::cout << CaseText(*detail);
        }
        return 0;
      });
    });
  }
  // due
  {
    auto format = std::make_shared<std::string>("text");
    auto within = std::make_shared<int>(-1);
    auto output = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("due", "List open deadlines across cases, soonest first");
    cmd->add_option("--within", *within, "Only deadlines in the next DAYS days")->check(CLI::NonNegativeNumber);
    cmd->add_option("--format", *format, "text, json or ics (a calendar file)")
        ->check(CLI::IsMember({"text", "json", "ics"}));
    cmd->add_option("--output,-o", *output, "Write to this file instead of standard output");
    cmd->callback([ctx, format, within, output] {
      WithStore(ctx, [&](CaseStore& store) {
        Date today = Today();
        auto deadlines = store.Deadlines(today, *within >= 0 ? std::optional<int>(*within) : std::nullopt);
        if (!deadlines) return Report(deadlines.error());
        std::string text = *format == "json"  ? DeadlinesToJson(*deadlines)
                           : *format == "ics" ? DeadlinesToIcs(*deadlines, CalendarStamp())
                                              : DeadlinesText(*deadlines, today);
        if (!WriteOutput(*output, text)) {
          std::fprintf(stderr, "billwise: cannot write %s\n", output->c_str());
          return 2;
        }
        return 0;
      });
    });
  }
  // sent CASE --letter KIND
  {
    struct Args {
      CaseArg c;
      std::string letter, date, method = "mail", to;
      std::optional<std::string> tracking;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("sent", "Mark a letter of a case as sent");
    cmd->add_option("case", a->c.ref, "Case number")->required();
    cmd->add_option("--letter", a->letter, "Letter kind, as `billwise letters` names it (dispute, validation, assistance, itemized, ...)")
        ->required();
    cmd->add_option("--date", a->date, "Date sent, YYYY-MM-DD (default today)");
    cmd->add_option("--method", a->method, "mail, certified, fax or portal")
        ->check(CLI::IsMember({"mail", "certified", "fax", "portal"}));
    cmd->add_option("--tracking", a->tracking, "Tracking or confirmation number");
    cmd->add_option("--to", a->to, "Recipient, when the letter was not recorded before");
    cmd->callback([ctx, a] {
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = a->c.Resolve(store, &code);
        if (!id) return code;
        auto date = ParseDateArg(a->date, "--date");
        if (!date) return 2;
        if (!a->to.empty()) {
          if (auto ok = store.RecordLetter(*id, a->letter, *date, a->to); !ok) return Report(ok.error());
        }
        auto letter = store.MarkSent(*id, a->letter, *date, a->method, a->tracking);
        if (!letter) return Report(letter.error());
        std::printf("case %lld: %s letter sent %s by %s\n", static_cast<long long>(*id), a->letter.c_str(),
                    date->Iso().c_str(), a->method.c_str());
        return 0;
      });
    });
  }
  // reply CASE --date D --note TEXT [--file DOC]
  {
    struct Args {
      CaseArg c;
      std::string date, note;
      std::optional<std::string> file;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("reply", "Record an answer received for a case");
    cmd->add_option("case", a->c.ref, "Case number")->required();
    cmd->add_option("--date", a->date, "Date received, YYYY-MM-DD")->required();
    cmd->add_option("--note", a->note, "What the answer says")->required();
    cmd->add_option("--file", a->file, "The answer's scan or PDF");
    cmd->callback([ctx, a] {
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = a->c.Resolve(store, &code);
        if (!id) return code;
        auto date = ParseDateArg(a->date, "--date");
        if (!date) return 2;
        auto reply = store.RecordReply(*id, *date, a->note, a->file);
        if (!reply) return Report(reply.error());
        std::printf("case %lld: reply of %s recorded\n", static_cast<long long>(*id), date->Iso().c_str());
        return 0;
      });
    });
  }
  // call CASE --date D --with NAME [--ref N] --note TEXT [--follow-up D]
  {
    struct Args {
      CaseArg c;
      std::string date, with, note, follow_up;
      std::optional<std::string> ref;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("call", "Log a phone call about a case (see `billwise script`)");
    cmd->add_option("case", a->c.ref, "Case number")->required();
    cmd->add_option("--date", a->date, "Date of the call, YYYY-MM-DD (default today)");
    cmd->add_option("--with", a->with, "Who you spoke with (name, ID, department)")->required();
    cmd->add_option("--ref", a->ref, "The call's reference number");
    cmd->add_option("--note", a->note, "What was asked, said and promised")->required();
    cmd->add_option("--follow-up", a->follow_up, "When to check back, YYYY-MM-DD (default 14 days after the call)");
    cmd->callback([ctx, a] {
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = a->c.Resolve(store, &code);
        if (!id) return code;
        auto date = ParseDateArg(a->date, "--date");
        if (!date) return 2;
        std::optional<Date> follow_up;
        if (!a->follow_up.empty()) {
          follow_up = ParseDateArg(a->follow_up, "--follow-up");
          if (!follow_up) return 2;
        }
        auto call = store.RecordCall(*id, *date, a->with, a->ref, a->note, follow_up);
        if (!call) return Report(call.error());
        std::printf("case %lld: call of %s logged; follow up by %s\n", static_cast<long long>(*id),
                    date->Iso().c_str(), follow_up.value_or(date->AddDays(kCallFollowUpDays)).Iso().c_str());
        return 0;
      });
    });
  }
  // plan CASE --monthly AMOUNT --start DATE [--months N]
  {
    struct Args {
      CaseArg c;
      std::string monthly, start;
      std::optional<int> months;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("plan", "Record an agreed payment plan");
    cmd->add_option("case", a->c.ref, "Case number")->required();
    cmd->add_option("--monthly", a->monthly, "Monthly amount, e.g. 85 or 85.50")->required();
    cmd->add_option("--start", a->start, "First payment date, YYYY-MM-DD")->required();
    cmd->add_option("--months", a->months, "Number of payments agreed");
    cmd->callback([ctx, a] {
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = a->c.Resolve(store, &code);
        if (!id) return code;
        auto monthly = ParseMoneyArgument(a->monthly);
        auto start = Date::FromIso(a->start);
        if (!monthly || !start) {
          std::fprintf(stderr, "billwise: plan wants --monthly AMOUNT (at most %s) and --start YYYY-MM-DD\n",
                       kMaxAmount.Display().c_str());
          return 2;
        }
        auto plan = store.RecordPlan(*id, *monthly, *start, a->months);
        if (!plan) return Report(plan.error());
        std::printf("case %lld: plan of %s a month from %s recorded\n", static_cast<long long>(*id),
                    monthly->Display().c_str(), start->Iso().c_str());
        return 0;
      });
    });
  }
  // paid CASE AMOUNT [--date D]
  {
    struct Args {
      CaseArg c;
      std::string amount, date;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("paid", "Record a payment made on a case");
    cmd->add_option("case", a->c.ref, "Case number")->required();
    cmd->add_option("amount", a->amount, "Amount paid, e.g. 85 or 85.50")->required();
    cmd->add_option("--date", a->date, "Date paid, YYYY-MM-DD (default today)");
    cmd->callback([ctx, a] {
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = a->c.Resolve(store, &code);
        if (!id) return code;
        auto amount = ParseMoneyArgument(a->amount);
        if (!amount) {
          std::fprintf(stderr, "billwise: paid wants an amount such as 85 or 85.50 (at most %s)\n",
                       kMaxAmount.Display().c_str());
          return 2;
        }
        auto date = ParseDateArg(a->date, "--date");
        if (!date) return 2;
        auto payment = store.RecordPayment(*id, *amount, *date);
        if (!payment) return Report(payment.error());
        std::printf("case %lld: payment of %s on %s recorded\n", static_cast<long long>(*id),
                    amount->Display().c_str(), date->Iso().c_str());
        return 0;
      });
    });
  }
  // gfe CASE --amount AMOUNT [--date D]
  {
    struct Args {
      CaseArg c;
      std::string amount, date;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("gfe", "Record the good-faith estimate received before the care");
    cmd->add_option("case", a->c.ref, "Case number")->required();
    cmd->add_option("--amount", a->amount, "The estimate's total")->required();
    cmd->add_option("--date", a->date, "Date of the estimate, YYYY-MM-DD (default today)");
    cmd->callback([ctx, a] {
      WithStore(ctx, [&](CaseStore& store) {
        int code = 0;
        auto id = a->c.Resolve(store, &code);
        if (!id) return code;
        auto amount = ParseMoneyArgument(a->amount);
        if (!amount) {
          std::fprintf(stderr, "billwise: gfe wants --amount such as 1200 or 1200.00 (at most %s)\n",
                       kMaxAmount.Display().c_str());
          return 2;
        }
        auto date = ParseDateArg(a->date, "--date");
        if (!date) return 2;
        auto estimate = store.RecordEstimate(*id, *amount, *date);
        if (!estimate) return Report(estimate.error());
        std::printf("case %lld: good-faith estimate of %s recorded\n", static_cast<long long>(*id),
                    amount->Display().c_str());
        return 0;
      });
    });
  }
  // export / import
  {
    auto format = std::make_shared<std::string>("json");
    auto output = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("export", "Write the whole case file as JSON (backup)");
    cmd->add_option("--format", *format, "json")->check(CLI::IsMember({"json"}));
    cmd->add_option("--output,-o", *output, "Write to this file instead of standard output");
    // The callback owns `format` too: CLI11 writes --format into it while parsing, after
    // this block has ended.
    cmd->callback([ctx, format, output] {
      WithStore(ctx, [&](CaseStore& store) {
        auto json = store.ExportJson();
        if (!json) return Report(json.error());
        if (!WriteOutput(*output, *json)) {
          std::fprintf(stderr, "billwise: cannot write %s\n", output->c_str());
          return 2;
        }
        return 0;
      });
    });
  }
  {
    auto file = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("import", "Merge a JSON backup into the case file");
    cmd->add_option("file", *file, "A file written by `billwise export`")->required();
    cmd->callback([ctx, file] {
      WithStore(ctx, [&](CaseStore& store) {
        std::string text;
        if (!ReadFile(*file, &text)) {
          std::fprintf(stderr, "billwise: %s: cannot read the file\n", file->c_str());
          return 2;
        }
        auto added = store.ImportJson(text);
        if (!added) return Report(added.error());
        std::printf("imported %d new documents\n", *added);
        return 0;
      });
    });
  }
}

}  // namespace billwise
