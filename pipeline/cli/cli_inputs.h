// Helpers the command files share: "a bill" given as a document (analyzed) or as bill JSON
// from `billwise analyze`, and the end of a one-shot engine.
// Errors carry a reason only; the caller prints `billwise: ARG: reason`.
#ifndef BILLWISE_PIPELINE_CLI_CLI_INPUTS_H_
#define BILLWISE_PIPELINE_CLI_CLI_INPUTS_H_

#include <memory>
#include <optional>
#include <string>

#include "pipeline/batch/atomic_file.h"  // ReadWholeFile
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/run/run.h"

namespace billwise {

// A bill from `path`: bill JSON (its first non-blank byte is '{') is read as it is; any
// other file is analyzed with `options` by an Engine loaded from `data_dir`.
Expected<Bill> LoadBillArgument(const std::string& path, const std::string& data_dir, const AnalyzeOptions& options);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_CLI_CLI_INPUTS_H_
