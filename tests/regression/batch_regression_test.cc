// Regression tests for the batch's own JSON (pipeline/batch/summary.h): each reproduces a
// report from a fuzz target (tests/fuzz/README.md) and fails under the sanitizer build
// without its fix.
#include <gtest/gtest.h>

#include <string>

#include "pipeline/batch/summary.h"

namespace billwise {
namespace {

// batchjson_fuzz: a result.json (as `batch --resume` reads it) without "findings" or
// "pages" was read with j["findings"] on a const object after j.value() found it absent,
// which indexes past the object's keys (heap-buffer-overflow in nlohmann::json).
TEST(BatchRegression, ResultRowWithoutFindingsOrPagesIsReadNotOverread) {
  auto row = RowFromJson(R"({"schema":"billwise.batch-result/1","path":"a.pdf","status":"ok",)"
                         R"("error_cofindings":4,"amount_due":2737.92})");
  ASSERT_TRUE(row.has_value()) << row.error().message;
  EXPECT_EQ(row->findings, 0);
  EXPECT_EQ(row->pages, 0);
  EXPECT_FALSE(row->amount_due.empty());
  auto summary = SummaryFromJson(R"({"schema":"billwise.batch/1","rows":[{"path":"b.pdf","status":"error"}]})");
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  ASSERT_EQ(summary->rows.size(), 1u);
  EXPECT_EQ(summary->rows[0].findings, 0);
}

// batchjson_fuzz: a result.json or summary.json holding a bare number ("1") reached
// json::value() on a non-object, which throws type_error 306; nothing caught it, so
// `batch --resume` or `--merge` ended in std::terminate. Now an error, as is a value of the
// wrong type inside the summary.
TEST(BatchRegression, NonObjectOrMistypedJsonIsAnErrorNotAnAbort) {
  for (const char* text : {"1", "[]", "\"x\"", "null", "true"}) {
    EXPECT_FALSE(RowFromJson(text).has_value()) << text;
    EXPECT_FALSE(SummaryFromJson(text).has_value()) << text;
  }
  auto s = SummaryFromJson(R"({"schema":"billwise.batch/1","shard":{"index":"x"},"rows":[]})");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(SummaryFromJson(R"({"schema":"billwise.batch/1","listed_inputs":"7","rows":[]})").has_value());
}

}  // namespace
}  // namespace billwise
