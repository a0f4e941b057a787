// Job (pipeline/run/job.h): what one Run returns for files, bill JSON, bills already read and
// letters, and how it uses the case file. The Engine reads plain-text statements here, so
// no OCR is involved.
#include "pipeline/run/job.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "pipeline/report/bill_json.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStatement = R"(RIVERBEND REGIONAL HOSPITAL
ITEMIZED STATEMENT                         THIS IS NOT A BILL
Patient Account: 884120                    Statement Date: 03/02/2026

Date        Rev    CPT      Description                  Qty      Charges
02/11/2026  0450   99284    ER visit level 4               1     2,450.00
02/11/2026  0300   80053    Metabolic panel                1       120.00
                                              Total Charges:    2,570.00
                                              Amount Due:       2,570.00
)";

class JobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("job_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    statement_ = Write("statement.txt", kStatement);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  Job MakeJob(const std::string& data_dir = BILLWISE_SOURCE_DIR) {
    return Job(EngineOptions{.data_dir = data_dir, .tables = TableLoading::kOnFirstUse});
  }
  fs::path dir_;
  std::string statement_;
};

TEST_F(JobTest, ReadsEachInputAndKeepsGoingPastOneThatFails) {
  JobRequest request;
  request.inputs = {JobInput::File(statement_), JobInput::File((dir_ / "missing.pdf").string())};
  auto result = MakeJob().Run(request);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->inputs.size(), 2u);
  ASSERT_TRUE(result->inputs[0].documents) << result->inputs[0].documents.error().message;
  const Bill& bill = result->inputs[0].documents->front().bill;
  EXPECT_EQ(bill.source.path, statement_);
  EXPECT_EQ(bill.line_items.size(), 2u);
  EXPECT_FALSE(result->inputs[0].documents->front().filed);  // no store: nothing filed
  ASSERT_FALSE(result->inputs[1].documents);
  EXPECT_EQ(result->inputs[1].documents.error().code, ErrorCode::kNotFound);
}

TEST_F(JobTest, BillJsonIsTakenAsItIsWithoutLoadingTheEngine) {
  Bill bill;
  bill.provider.name = "Mercy General";
  bill.amount_due = Money{12345};
  std::string json = Write("bill.json", BillToJson(bill));
  JobRequest request;
  request.inputs = {JobInput::File(json)};
  request.bill_json = true;
  auto result = MakeJob((dir_ / "no-data-here").string()).Run(request);  // an Engine would fail to load
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_TRUE(result->inputs[0].documents);
  const Bill& read = result->inputs[0].documents->front().bill;
  EXPECT_EQ(read.provider.name, "Mercy General");
  EXPECT_EQ(read.source.path, json);  // a bill without a path is named by its file

  request.inputs = {JobInput::File(statement_)};  // a document needs the Engine
  auto failed = MakeJob((dir_ / "no-data-here").string()).Run(request);
  EXPECT_FALSE(failed);
}

TEST_F(JobTest, FilesBillsInTheCaseFileOnceAndReportsTheCase) {
  JobRequest request;
  request.inputs = {JobInput::File(statement_)};
  request.store = (dir_ / "cases.db").string();
  request.file_bills = true;
  Job job = MakeJob();
  auto first = job.Run(request);
  ASSERT_TRUE(first && first->inputs[0].documents);
  const auto& filed = first->inputs[0].documents->front().filed;
  ASSERT_TRUE(filed && *filed) << (filed && !*filed ? (*filed).error().message : "not filed");
  EXPECT_TRUE((*filed)->new_document);
  EXPECT_GT((*filed)->case_id, 0);

  auto again = job.Run(request);
  ASSERT_TRUE(again && again->inputs[0].documents);
  const auto& refiled = again->inputs[0].documents->front().filed;
  ASSERT_TRUE(refiled && *refiled);
  EXPECT_FALSE((*refiled)->new_document);
  EXPECT_EQ((*refiled)->case_id, (*filed)->case_id);

  request.store.reset();  // no store: nothing is filed even when asked
  auto none = job.Run(request);
  ASSERT_TRUE(none && none->inputs[0].documents);
  EXPECT_FALSE(none->inputs[0].documents->front().filed);
}

TEST_F(JobTest, WritesTheLettersAskedForAndTheReportThatLinksThem) {
  Bill bill;
  bill.provider.name = "Mercy General";
  bill.provider.address = {"1 Main St", "Springfield, IL 62701"};
  bill.amount_due = Money{123456};
  JobRequest request;
  request.inputs = {JobInput::FromBill(bill)};
  request.letter_kinds = {LetterKind::kItemized};
  request.letter_options.allow_blanks = true;
  request.report_html = true;
  auto result = MakeJob().Run(request);
  ASSERT_TRUE(result && result->inputs[0].documents);
  const JobDocument& document = result->inputs[0].documents->front();
  ASSERT_EQ(document.letters.size(), 1u);
  ASSERT_TRUE(document.letters[0].files) << document.letters[0].files.error().message;
  auto files = document.OutputFiles();
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].name, "report.html");
  EXPECT_EQ((*files)[1].name, "letter-itemized.pdf");
  EXPECT_TRUE((*files)[1].bytes.starts_with("%PDF"));
  EXPECT_NE((*files)[0].bytes.find("letter-itemized.pdf"), std::string::npos);
}

TEST_F(JobTest, ALetterThatFailsIsNamedAndTheOthersAreStillWritten) {
  Bill bill;
  bill.provider.name = "Mercy General";
  JobRequest request;
  request.inputs = {JobInput::FromBill(bill)};
  request.letter_kinds = {LetterKind::kItemized};
  request.letter_options.allow_blanks = true;
  request.letter_options.data_dir = (dir_ / "no-templates").string();
  auto result = MakeJob().Run(request);
  ASSERT_TRUE(result && result->inputs[0].documents);
  const JobDocument& document = result->inputs[0].documents->front();
  ASSERT_EQ(document.letters.size(), 1u);
  EXPECT_FALSE(document.letters[0].files);
  auto files = document.OutputFiles();
  ASSERT_FALSE(files);
  EXPECT_TRUE(files.error().message.starts_with("letter itemized: ")) << files.error().message;
}

}  // namespace
}  // namespace billwise
