// Filling a JobRequest (pipeline/run/job.h) from the command line: what every command
// shares. Errors carry a reason only, or "PATH: reason" for a file; the caller prints
// `billwise: ...`.
#ifndef BILLWISE_PIPELINE_CLI_CLI_INPUTS_H_
#define BILLWISE_PIPELINE_CLI_CLI_INPUTS_H_

#include <optional>
#include <string>

#include "pipeline/batch/atomic_file.h"  // ReadWholeFile
#include "pipeline/cli/commands.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"
#include "pipeline/run/job.h"

namespace billwise {

// The profile every command uses, the first found of: the command's own --profile
// (`command_flag`, "" = none), the top-level --profile, $BILLWISE_PROFILE, and
// $XDG_CONFIG_HOME/billwise/profile.yaml (~/.config when XDG_CONFIG_HOME is not an
// absolute path). A path named by a flag must exist ("PATH: no such profile file"); the
// variable's and the default one are skipped when absent. "" when none is found.
Expected<std::string> ProfilePath(const CommandContext& ctx, const std::string& command_flag);
// The profile at ProfilePath, loaded; nullopt when there is none.
Expected<std::optional<Profile>> ResolveProfile(const CommandContext& ctx, const std::string& command_flag);

// A request holding what the top-level flags say: the case file (--db; none with
// --no-store), the profile (ResolveProfile) and the letters' data folder (--data-dir). The
// command adds its inputs and its own options.
Expected<JobRequest> RequestFromFlags(const CommandContext& ctx, const std::string& command_profile);

// The options of a command's Job: --data-dir, and the reference tables read only where
// the command's documents need them.
EngineOptions CommandEngineOptions(const CommandContext& ctx);

// A bill from `path`: bill JSON (its first non-blank byte is '{') is read as it is; any
// other file is analyzed, as one document, with `options`.
Expected<Bill> LoadBillArgument(const std::string& path, const std::string& data_dir, const AnalyzeOptions& options);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_CLI_CLI_INPUTS_H_
