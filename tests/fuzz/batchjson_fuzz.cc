// Fuzz target: the batch's own JSON as `batch --resume` and `batch --merge` read it back:
// a per-input result marker (RowFromJson) and a summary (SummaryFromJson), pipeline/batch/
// summary.h; what loads is written again as JSON, CSV and HTML. Contract: a row or summary
// that loads writes JSON that loads to the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/batch/summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  if (auto row = RowFromJson(json)) {
    std::string once = RowToJson(*row);
    auto again = RowFromJson(once);
    if (!again || RowToJson(*again) != once) std::abort();
    (void)SummaryCsv({*row});
  }
  if (auto summary = SummaryFromJson(json)) {
    std::string once = SummaryJson(summary->rows, summary->scope);
    auto again = SummaryFromJson(once);
    if (!again || SummaryJson(again->rows, again->scope) != once) std::abort();
    (void)SummaryCsv(summary->rows);
    (void)SummaryHtml(summary->rows);
  }
  return 0;
}
