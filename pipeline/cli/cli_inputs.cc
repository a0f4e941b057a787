#include "pipeline/cli/cli_inputs.h"

#include "pipeline/report/bill_json.h"

namespace billwise {

Expected<Bill> LoadBillArgument(const std::string& path, const std::string& data_dir, const AnalyzeOptions& options) {
  auto bytes = ReadWholeFile(path);
  if (!bytes) return std::unexpected(bytes.error());
  size_t first = bytes->find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (*bytes)[first] == '{') return BillFromJson(*bytes);
  auto engine = Engine::Load(EngineOptions{
      .data_dir = data_dir, .tables = TableLoading::kOnFirstUse});
  if (!engine) return std::unexpected(engine.error());
  return (*engine)->AnalyzeBytes(*bytes, path, options);
}

}  // namespace billwise
