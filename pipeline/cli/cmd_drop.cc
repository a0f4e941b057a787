// Placeholder; replaced by the batch module (dropped files write STEM.billwise/ folders).
#include <cstdio>

#include "pipeline/cli/commands.h"

namespace billwise {

int RunDroppedFiles(const std::string&, const std::vector<std::string>&, CommandContext*) {
  std::fputs("billwise: dropped files are not handled yet\n", stderr);
  return 2;
}

}  // namespace billwise
