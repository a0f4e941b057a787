// billwise-serve: the program behind `billwise serve` (serve_launcher.cc runs it with
// billwise's own arguments): the global options, then the one subcommand `serve`
// (cmd_serve.cc). Not meant to be run by hand, though it works the same.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"billwise serve: the local web page and JSON API of billwise"};
  app.set_version_flag("--version", "billwise 0.1.0");
  billwise::CommandContext ctx;
  billwise::AddGlobalOptions(app, &ctx);
  app.require_subcommand(1, 1);
  app.fallthrough();  // as in billwise: `serve --no-store` is the global option
  billwise::AddServeCommand(app, &ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}
