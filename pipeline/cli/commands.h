// The subcommands of the billwise executable (and of billwise-serve, its web server). Each Add*Command registers one CLI11
// subcommand on `app`; when the subcommand runs, its callback stores the process exit
// code in `ctx->exit_code` (0 ok, 1 some inputs failed, 2 usage or fatal error).
// Command files only parse flags and call a library entry point: no pipeline logic here.
#ifndef BILLWISE_PIPELINE_CLI_COMMANDS_H_
#define BILLWISE_PIPELINE_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace billwise {

// The address-space limit (MB) a document is read under by default: a batch worker's and
// `analyze`'s. Large enough for a 200-page scanned bill; `--max-memory 0` lifts it.
// AddressSanitizer reserves terabytes of address space: a sanitizer build has no default.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr int kDefaultMaxMemoryMb = 0;
#else
inline constexpr int kDefaultMaxMemoryMb = 4096;
#endif

struct CommandContext {
  int exit_code = 0;
  std::string data_dir;  // --data-dir: where templates/ and data/ live ("" = auto-detect)
  std::string db_path;   // --db: case database file ("" = XDG default)
  bool no_store = false; // --no-store: keep nothing in the case database
  std::string profile_path;  // top-level --profile for dropped files ("" = $BILLWISE_PROFILE or XDG default)
};

// The options taken before the subcommand: --data-dir, --db, --no-store, --profile.
void AddGlobalOptions(CLI::App& app, CommandContext* ctx);

void AddAnalyzeCommand(CLI::App& app, CommandContext* ctx);   // analyze FILE
void AddPriceCommand(CLI::App& app, CommandContext* ctx);     // price CODE
void AddEstimateCommand(CLI::App& app, CommandContext* ctx);  // estimate CODE...
void AddPricesCommand(CLI::App& app, CommandContext* ctx);    // prices FILE --code CODE
void AddLettersCommand(CLI::App& app, CommandContext* ctx);   // letters FILE
void AddFillFormCommand(CLI::App& app, CommandContext* ctx);  // fill-form FORM.pdf
void AddBatchCommand(CLI::App& app, CommandContext* ctx);     // batch DIR, merge OUT...
void AddServeCommand(CLI::App& app, CommandContext* ctx);     // serve (in billwise-serve)
// serve, in billwise: runs the web server program billwise-serve with this process's
// arguments (argv), in its place (serve_launcher.cc says why it is a program of its own).
void AddServeLauncher(CLI::App& app, CommandContext* ctx, char** argv);
void AddCaseCommands(CLI::App& app, CommandContext* ctx);     // cases, case, sent, reply, call, due, plan, paid, export, import
void AddDataCommand(CLI::App& app, CommandContext* ctx);      // data status
void AddScriptCommand(CLI::App& app, CommandContext* ctx);    // script FILE|CASE

// `billwise FILE...` with no subcommand: what dropping files on the program does.
int RunDroppedFiles(const std::string& argv0, const std::vector<std::string>& files, CommandContext* ctx);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_CLI_COMMANDS_H_
