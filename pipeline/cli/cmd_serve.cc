// Placeholder registration; replaced by the module that implements this command.
#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"

namespace billwise {

void AddServeCommand(CLI::App&, CommandContext*) {}

}  // namespace billwise
