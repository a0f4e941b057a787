// `billwise serve ...`: replaces this process with the web server program, billwise-serve
// (serve_main.cc), given the same arguments, so `billwise --db F serve --port 0` and
// `billwise serve --help` mean what they say. The program is found beside the executable or
// where it is installed (pipeline/model/program_files.h).
//
// Why a program of its own: cpp-httplib is Debian's shared library, built with OpenSSL and
// brotli, and loading it initialises OpenSSL's tables before main. That cost about 6 ms of
// CPU at the start of every command (a quarter of reading a one-page digital bill) while
// only the server uses HTTP. The server program links it normally; billwise does not.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/model/program_files.h"

namespace billwise {

void AddServeLauncher(CLI::App& app, CommandContext* ctx, char** argv) {
  CLI::App* cmd = app.add_subcommand("serve", "Open the local web page: drop bills, see reports, download letters "
                                     "(billwise serve --help lists its options)");
  // Every argument after `serve`, --help included, is billwise-serve's to parse: kept as
  // extras here, not passed up to billwise's own options.
  cmd->prefix_command();
  cmd->fallthrough(false);
  cmd->set_help_flag();
  cmd->callback([ctx, argv] {
    ctx->exit_code = 2;
    const std::vector<std::string> candidates = CompanionFileCandidates("billwise-serve");
    for (const std::string& path : candidates) {
      if (access(path.c_str(), X_OK) != 0) continue;
      std::fflush(nullptr);
      execv(path.c_str(), argv);
      std::fprintf(stderr, "billwise: cannot start the web server %s: %s\n", path.c_str(), std::strerror(errno));
      return;
    }
    std::fprintf(stderr, "billwise: the web server program is not installed (looked for %s)\n",
                 candidates.empty() ? "billwise-serve beside the executable"
                                    : (candidates[0] + " and " + candidates[1]).c_str());
  });
}

}  // namespace billwise
