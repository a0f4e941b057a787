// Placeholder registration; replaced by the module that implements this command.
#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"

namespace billwise {

void AddBatchCommand(CLI::App&, CommandContext*) {}

}  // namespace billwise
