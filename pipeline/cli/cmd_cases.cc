// Placeholder registration; replaced by the module that implements these commands.
#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"

namespace billwise {

void AddCaseCommands(CLI::App&, CommandContext*) {}

}  // namespace billwise
