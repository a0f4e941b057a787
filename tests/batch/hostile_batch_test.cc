// Batch runs over hostile folders: names that are not UTF-8, folders and links that cannot
// be read, cells a spreadsheet would run, folder names that would be links with a scheme, and
// a marker that cannot be written. Fake analyzer; no pipeline needed.
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "pipeline/batch/batch.h"
#include "pipeline/batch/inputs.h"
#include "pipeline/batch/summary.h"
#include "pipeline/report/bill_json.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {
namespace fs = std::filesystem;

using testing::ReadFileBytes;
using testing::TempDir;

void Put(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// "bill PROVIDER CENTS" is a bill; anything else is not.
Expected<std::vector<Bill>> Analyze(const std::string& path) {
  std::istringstream in(ReadFileBytes(path));
  std::string verb, provider;
  int64_t cents = 0;
  in >> verb >> provider >> cents;
  if (verb != "bill") return Fail(ErrorCode::kUnsupported, "not a bill");
  Bill bill;
  bill.provider.name = provider;
  bill.amount_due = Money{cents};
  return std::vector<Bill>{bill};
}

Expected<std::vector<OutputFile>> Html(const Bill&) {
  return std::vector<OutputFile>{{"report.html", "<p>report</p>"}};
}

BatchOptions Options(const std::string& in, const std::string& out) {
  BatchOptions o;
  o.input_dir = in;
  o.out_dir = out;
  o.jobs = 2;
  o.progress = ProgressStyle::kNone;
  o.max_seconds_per_file = 20;
  o.outputs_tag = "json+html";
  return o;
}

const BatchRow* RowOf(const BatchResult& result, const std::string& path) {
  for (const BatchRow& r : result.rows) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

// A Latin-1 file name (not UTF-8) used to abort the worker and then the scheduler while
// writing JSON; now it is read, its JSON carries the exact bytes, and --resume reuses it.
TEST(HostileBatchTest, NameThatIsNotUtf8IsReadAndRoundTrips) {
  TempDir in, out;
  const std::string name = "Factura_A\xF1o.pdf";
  Put(in / name, "bill Mercy 1000");
  Put(in / "plain.pdf", "bill Quest 2000");
  for (Isolation isolation : {Isolation::kProcess, Isolation::kThread}) {
    BatchOptions o = Options(in.path(), out.path());
    o.isolation = isolation;
    auto result = RunBatch(o, Analyze, Html);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    ASSERT_EQ(result->rows.size(), 2u);
    EXPECT_EQ(result->errors, 0);
    const BatchRow* row = RowOf(*result, name);
    ASSERT_NE(row, nullptr);
    EXPECT_TRUE(row->ok) << row->error;
  }
  std::string json = ReadFileBytes(out / "summary.json");
  EXPECT_NE(json.find("\"path_bytes\": \"Factura_A%F1o.pdf\""), std::string::npos) << json;
  auto summary = SummaryFromJson(json);
  ASSERT_TRUE(summary.has_value());
  ASSERT_EQ(summary->rows.size(), 2u);
  EXPECT_EQ(summary->rows[0].path, name);  // the exact bytes back
  auto bill = BillFromJson(ReadFileBytes(out / "Factura_A\xF1o/bill.json"));
  ASSERT_TRUE(bill.has_value());
  EXPECT_EQ(bill->source.path, name);

  BatchOptions again = Options(in.path(), out.path());
  again.resume = true;
  auto resumed = RunBatch(again, Analyze, Html);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(resumed->reused, 2);  // the marker's path matched the real name byte for byte
}

// A symlink loop and a dangling symlink named like inputs used to vanish from the batch;
// now each is an error row naming its cause.
TEST(HostileBatchTest, LinksThatCannotBeReadAreErrorRowsWithTheirCause) {
  TempDir in, out;
  Put(in / "good.pdf", "bill Mercy 1000");
  fs::create_symlink("loop.pdf", in / "loop.pdf");
  fs::create_symlink("missing-target.pdf", in / "dangling.pdf");
  auto result = RunBatch(Options(in.path(), out.path()), Analyze, Html);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->rows.size(), 3u);
  const BatchRow* loop = RowOf(*result, "loop.pdf");
  ASSERT_NE(loop, nullptr);
  EXPECT_FALSE(loop->ok);
  EXPECT_NE(loop->error.find("symbolic links"), std::string::npos) << loop->error;
  const BatchRow* dangling = RowOf(*result, "dangling.pdf");
  ASSERT_NE(dangling, nullptr);
  EXPECT_EQ(dangling->error_code, "not_found");
  EXPECT_NE(dangling->error.find("no such file"), std::string::npos) << dangling->error;
  EXPECT_TRUE(RowOf(*result, "good.pdf")->ok);
}

// An unreadable subfolder used to be skipped silently (skip_permission_denied). Root reads
// every folder, so the test needs an ordinary user.
TEST(HostileBatchTest, UnreadableFolderIsAnErrorRow) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can list a folder of mode 000";
  TempDir in, out;
  Put(in / "good.pdf", "bill Mercy 1000");
  Put(in / "private/secret.pdf", "bill Hidden 1000");
  fs::permissions(in / "private", fs::perms::none);
  auto result = RunBatch(Options(in.path(), out.path()), Analyze, Html);
  fs::permissions(in / "private", fs::perms::owner_all);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const BatchRow* row = RowOf(*result, "private");
  ASSERT_NE(row, nullptr);
  EXPECT_FALSE(row->ok);
  EXPECT_NE(row->error.find("permission denied"), std::string::npos) << row->error;
  EXPECT_EQ(result->errors, 1);
}

// A provider or file name starting with = + - @ is a formula to a spreadsheet.
TEST(HostileBatchTest, SummaryCsvNeutralisesFormulaCells) {
  EXPECT_EQ(SpreadsheetText("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(SpreadsheetText("+1"), "'+1");
  EXPECT_EQ(SpreadsheetText("-2+3"), "'-2+3");
  EXPECT_EQ(SpreadsheetText("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(SpreadsheetText("Mercy Hospital"), "Mercy Hospital");
  EXPECT_EQ(SpreadsheetText("A\xF1o"), "A\xEF\xBF\xBDo");

  TempDir in, out;
  Put(in / "=cmd.pdf", "bill =HYPERLINK(\"http://evil\") 1000");
  Put(in / "credit.pdf", "bill @Mercy -4500");
  auto result = RunBatch(Options(in.path(), out.path()), Analyze, Html);
  ASSERT_TRUE(result.has_value());
  std::string csv = ReadFileBytes(out / "summary.csv");
  EXPECT_NE(csv.find("'=cmd.pdf,ok,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("credit.pdf,ok,unknown,'@Mercy,-45.00,"), std::string::npos) << csv;  // amounts stay numbers
}

// A folder named like a javascript: URL used to become the report's link target.
TEST(HostileBatchTest, ReportLinksCannotCarryAScheme) {
  TempDir in, out;
  Put(in / "javascript:alert(1)/x.pdf", "bill Mercy 1000");
  auto result = RunBatch(Options(in.path(), out.path()), Analyze, Html);
  ASSERT_TRUE(result.has_value());
  std::string html = ReadFileBytes(out / "report.html");
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"./javascript%3Aalert%281%29/x/report.html\""), std::string::npos) << html;
}

// The marker cannot be written (here its name is taken by a folder; on a full disk it is
// ENOSPC): the row says so, where it used to say "the worker wrote no result".
TEST(HostileBatchTest, UnwritableMarkerNamesItsCause) {
  TempDir in, out;
  Put(in / "a.pdf", "bill Mercy 1000");
  Put(out / "a/result.json/keep", "");
  auto result = RunBatch(Options(in.path(), out.path()), Analyze, Html);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->rows.size(), 1u);
  EXPECT_FALSE(result->rows[0].ok);
  EXPECT_EQ(result->rows[0].error.find("the worker wrote no result"), std::string::npos) << result->rows[0].error;
  EXPECT_NE(result->rows[0].error.find("result.json: cannot write the file"), std::string::npos)
      << result->rows[0].error;
}

TEST(HostileBatchTest, ErrnoNamesTheCause) {
  EXPECT_EQ(ErrorFromErrno(ENOSPC, "cannot write the file").message,
            "cannot write the file: disk full (no space left on the device)");
  EXPECT_EQ(ErrorFromErrno(EACCES, "cannot open").message, "cannot open: permission denied");
  EXPECT_EQ(ErrorFromErrno(ENOENT, "").code, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorFromErrno(ENOENT, "").message, "no such file");
  EXPECT_EQ(ErrorFromErrno(ELOOP, "").code, ErrorCode::kIo);
}

}  // namespace
}  // namespace billwise
