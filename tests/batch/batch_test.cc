// Batch runner: walk, shards, atomic writes, summaries, timeouts, crashes, resume after
// SIGKILL and merge, with a fake analyzer (no pipeline needed).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "pipeline/batch/atomic_file.h"
#include "pipeline/batch/batch.h"
#include "pipeline/batch/inputs.h"
#include "pipeline/run/sha256.h"
#include "pipeline/batch/summary.h"
#include "pipeline/report/bill_json.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {
namespace fs = std::filesystem;

using testing::TempDir;

void Put(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Get(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fake reader: files start with a verb. "bill NAME CENTS" is a bill with one finding,
// "hang" never returns, "crash" aborts, "slow" takes 40 ms, "pid CENTS" is a bill whose
// provider is the id of the process that read it, "two NAME CENTS" is a file holding two
// such bills, anything else is not a bill.
Expected<Bill> FakeBill(const std::string& path);

Expected<std::vector<Bill>> FakeAnalyze(const std::string& path) {
  auto bill = FakeBill(path);
  if (!bill) return std::unexpected(bill.error());
  std::vector<Bill> documents{*bill};
  if (Get(path).starts_with("two ")) {
    documents.push_back(*bill);
    documents.back().provider.name = *bill->provider.name + " (remittance)";
    documents.back().document_type = DocumentType::kEob;
  }
  return documents;
}

Expected<Bill> FakeBill(const std::string& path) {
  std::string text = Get(path);
  std::istringstream in(text);
  std::string verb;
  in >> verb;
  if (verb == "hang") std::this_thread::sleep_for(std::chrono::hours(1));
  if (verb == "crash") std::abort();
  if (verb == "slow") {
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    verb = "bill";
  }
  std::string name;
  if (verb == "pid") {
    name = std::to_string(getpid());
    verb = "bill";
  }
  if (verb == "two") verb = "bill";
  if (verb != "bill") {
    if (text.empty()) return Fail(ErrorCode::kInvalidInput, "file is empty");
    return Fail(ErrorCode::kUnsupported, "not a bill, \"quoted\", with a comma");
  }
  int64_t cents = 0;
  if (name.empty()) in >> name;
  in >> cents;
  Bill bill;
  bill.source.pages = 2;
  bill.document_type = DocumentType::kItemizedStatement;
  bill.provider.name = name;
  bill.amount_due = Money{cents};
  bill.totals.charges = Money{cents * 2};
  Pricing price;
  price.basis = "test";
  price.reference = Money{cents / 2};
  bill.pricing.push_back(price);
  Finding finding;
  finding.kind = FindingKind::kPrice;
  finding.amount_at_stake = Money{cents / 4};
  bill.findings.push_back(finding);
  return bill;
}

Expected<std::vector<OutputFile>> FakeExtras(const Bill& bill) {
  return std::vector<OutputFile>{{"report.html", "<p>" + bill.provider.name.value_or("") + "</p>"}};
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

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(*Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(*Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  TempDir dir;
  std::string big(200000, 'x');
  Put(dir / "big", big);
  EXPECT_EQ(*Sha256File(dir / "big"), *Sha256Hex(big));
  EXPECT_FALSE(Sha256File(dir / "missing").has_value());
}

TEST(AtomicFileTest, WritesReplacesAndLeavesNoTemporary) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "a/b/out.txt", "one").has_value());
  EXPECT_EQ(Get(dir / "a/b/out.txt"), "one");
  ASSERT_TRUE(WriteFileAtomic(dir / "a/b/out.txt", "two").has_value());
  EXPECT_EQ(*ReadWholeFile(dir / "a/b/out.txt"), "two");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "a/b")) ++entries;
  EXPECT_EQ(entries, 1);
  EXPECT_EQ(ReadWholeFile(dir / "nope").error().code, ErrorCode::kNotFound);
}

TEST(InputsTest, RecursiveSortedFilteredAndDisambiguated) {
  TempDir dir;
  for (const char* f : {"b.pdf", "a/z.PNG", "a/y.jpeg", "c.txt", "c.pdf", "notes.md", ".hidden.pdf",
                        ".git/x.pdf", "old.billwise/report.pdf", "out/done.pdf", "scan.tiff"}) {
    Put(dir / f, "x");
  }
  auto inputs = ListBatchInputs(dir.path(), dir / "out");
  ASSERT_TRUE(inputs.has_value());
  std::vector<std::string> rel, out;
  for (const BatchInput& i : *inputs) {
    rel.push_back(i.relative_path);
    out.push_back(i.output_dir);
  }
  EXPECT_EQ(rel, (std::vector<std::string>{"a/y.jpeg", "a/z.PNG", "b.pdf", "c.pdf", "c.txt", "scan.tiff"}));
  EXPECT_EQ(out, (std::vector<std::string>{"a/y", "a/z", "b", "c_pdf", "c_txt", "scan"}));
  EXPECT_FALSE(ListBatchInputs(dir / "missing", "").has_value());
}

TEST(ShardTest, ParsesAndPartitionsEveryInputExactlyOnce) {
  EXPECT_EQ(ParseShard("2/4")->index, 2);
  EXPECT_EQ(ParseShard("2/4")->count, 4);
  for (const char* bad : {"4/4", "-1/4", "1", "a/b", "1/0", "1/4x", ""}) EXPECT_FALSE(ParseShard(bad)) << bad;
  std::vector<BatchInput> inputs;
  for (int i = 0; i < 500; ++i) {
    inputs.push_back({"dir" + std::to_string(i % 7) + "/bill" + std::to_string(i) + ".pdf", "", std::nullopt});
  }
  for (int n : {1, 2, 3, 8}) {
    std::multiset<std::string> seen;
    for (int k = 0; k < n; ++k) {
      auto part = SelectShard(inputs, Shard{k, n});
      if (n > 1) {
        EXPECT_GT(part.size(), inputs.size() / n / 2) << "shard " << k << "/" << n << " is badly unbalanced";
      }
      for (const BatchInput& in : part) seen.insert(in.relative_path);
    }
    EXPECT_EQ(seen.size(), inputs.size());
    for (const BatchInput& in : inputs) EXPECT_EQ(seen.count(in.relative_path), 1u);
  }
}

TEST(SummaryTest, CsvQuotingFollowsRfc4180) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(SummaryTest, RowRoundTripsThroughMarker) {
  BatchRow row;
  row.path = "a/b.pdf";
  row.output_dir = "a/b";
  row.ok = true;
  row.sha256 = "00ff";
  row.pages = 3;
  row.document_type = "eob";
  row.provider = "General, \"Hospital\"";
  row.amount_due = "1234.05";
  row.total_charges = "-45.10";
  row.findings = 2;
  row.dollars_at_stake = "0.00";
  row.files = {"bill.json"};
  row.outputs = "json";
  auto back = RowFromJson(RowToJson(row));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(SummaryCsv({*back}), SummaryCsv({row}));
  EXPECT_EQ(back->outputs, "json");
  EXPECT_EQ(back->files, row.files);
  EXPECT_EQ(back->reference_total, "");
}

class BatchRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Put(in_ / "clinic/er.pdf", "bill Mercy 123456");
    Put(in_ / "clinic/lab.png", "bill Quest 9900");
    Put(in_ / "empty.pdf", "");
    Put(in_ / "junk.pdf", "%PDF-1.7 truncated");
    Put(in_ / "z/scan.tif", "bill Valley,Clinic 50000");
  }
  TempDir in_, out_;
};

TEST_F(BatchRunTest, WritesOutputsRowsAndSummaries) {
  auto result = RunBatch(Options(in_.path(), out_.path()), FakeAnalyze, FakeExtras);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->rows.size(), 5u);
  EXPECT_EQ(result->errors, 2);
  EXPECT_EQ(result->listed, 5);

  std::string csv = Get(out_ / "summary.csv");
  std::istringstream lines(csv);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], "path,status,document_type,provider,amount_due,total_charges,reference_total,findings,"
                     "dollars_at_stake,error,reading\r");
  EXPECT_EQ(rows[1], "clinic/er.pdf,ok,itemized_statement,Mercy,1234.56,2469.12,617.28,1,308.64,,\r");
  EXPECT_EQ(rows[3], "empty.pdf,error,,,,,,,,invalid_input: file is empty,\r");
  EXPECT_EQ(rows[4], "junk.pdf,error,,,,,,,,\"unsupported: not a bill, \"\"quoted\"\", with a comma\",\r");
  EXPECT_EQ(rows[5], "z/scan.tif,ok,itemized_statement,\"Valley,Clinic\",500.00,1000.00,250.00,1,125.00,,\r");

  auto bill = BillFromJson(Get(out_ / "clinic/er/bill.json"));
  ASSERT_TRUE(bill.has_value());
  EXPECT_EQ(bill->source.path, "clinic/er.pdf");
  EXPECT_EQ(bill->source.sha256, *Sha256File(in_ / "clinic/er.pdf"));
  EXPECT_EQ(Get(out_ / "clinic/lab/report.html"), "<p>Quest</p>");
  EXPECT_TRUE(fs::exists(out_ / "empty/result.json"));
  EXPECT_FALSE(fs::exists(out_ / "empty/bill.json"));

  auto summary = SummaryFromJson(Get(out_ / "summary.json"));
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->rows.size(), 5u);
  std::string html = Get(out_ / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("href=\"./clinic/er/report.html\""), std::string::npos);
  EXPECT_EQ(html.find("http"), html.find("http://www.w3.org/2000/svg"));  // no external assets
}

// A file holding two documents: a summary row and outputs for each.
TEST(BatchDocumentsTest, OneRowPerDocument) {
  TempDir in, out;
  Put(in / "pair.pdf", "two Mercy 1000");
  Put(in / "one.pdf", "bill Quest 500");
  auto result = RunBatch(Options(in.path(), out.path()), FakeAnalyze, FakeExtras);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->rows.size(), 2u);  // one per input
  EXPECT_EQ(result->errors, 0);
  std::string csv = Get(out / "summary.csv");
  std::istringstream lines(csv);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 4u);  // the header and three documents
  EXPECT_EQ(rows[1].substr(0, 28), "one.pdf,ok,itemized_statemen");
  EXPECT_EQ(rows[2].substr(0, 35), "pair.pdf,ok,itemized_statement,Merc");
  EXPECT_EQ(rows[3].substr(0, 20), "pair.pdf#2,ok,eob,Me");
  EXPECT_TRUE(fs::exists(out / "pair/bill.json"));
  EXPECT_TRUE(fs::exists(out / "pair/document-2-bill.json"));
  EXPECT_TRUE(fs::exists(out / "pair/document-2-report.html"));
  auto second = BillFromJson(Get(out / "pair/document-2-bill.json"));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->provider.name, "Mercy (remittance)");
  // The marker keeps the second document, so a resumed run writes the same summary.
  BatchOptions o = Options(in.path(), out.path());
  o.resume = true;
  auto again = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->reused, 2);
  EXPECT_EQ(Get(out / "summary.csv"), csv);
  auto summary = SummaryFromJson(Get(out / "summary.json"));
  ASSERT_TRUE(summary.has_value());
  ASSERT_EQ(summary->rows.size(), 2u);
  EXPECT_EQ(summary->rows[1].documents.size(), 1u);
  EXPECT_NE(SummaryHtml(summary->rows).find("pair/document-2-report.html"), std::string::npos);
}

TEST_F(BatchRunTest, ThreadAndProcessIsolationAgree) {
  TempDir other;
  auto a = RunBatch(Options(in_.path(), out_.path()), FakeAnalyze, FakeExtras);
  BatchOptions o = Options(in_.path(), other.path());
  o.isolation = Isolation::kThread;
  auto b = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(Get(out_ / "summary.csv"), Get(other / "summary.csv"));
  EXPECT_EQ(Get(out_ / "summary.json"), Get(other / "summary.json"));
}

TEST_F(BatchRunTest, HangAndCrashBecomeErrorRowsAndTheBatchGoesOn) {
  Put(in_ / "hang.pdf", "hang");
  Put(in_ / "crash.pdf", "crash");
  BatchOptions o = Options(in_.path(), out_.path());
  o.max_seconds_per_file = 1;
  auto start = std::chrono::steady_clock::now();
  auto result = RunBatch(o, FakeAnalyze, FakeExtras);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.has_value());
  EXPECT_LT(seconds, 10);
  ASSERT_EQ(result->rows.size(), 7u);
  EXPECT_EQ(result->errors, 4);
  std::string csv = Get(out_ / "summary.csv");
  EXPECT_NE(csv.find("hang.pdf,error,,,,,,,,limit_exceeded: took longer than the 1 s time limit per file"),
            std::string::npos) << csv;
  EXPECT_NE(csv.find("crash.pdf,error,,,,,,,,internal: the reader crashed (signal 6)"), std::string::npos) << csv;
  EXPECT_NE(csv.find("clinic/er.pdf,ok"), std::string::npos);
}

// Process isolation keeps `jobs` long-lived workers: 30 inputs are read by 2 processes, plus
// one replacement for each worker lost to a crash or a timeout, and the inputs after a lost
// worker are still read.
TEST(BatchPoolTest, WorkersAreReusedAndReplacedWhenLost) {
  TempDir in, out;
  for (int i = 0; i < 30; ++i) Put(in / fmt::format("p{}.pdf", 100 + i), fmt::format("pid {}", i));
  Put(in / "p110x.pdf", "crash");
  Put(in / "p120x.pdf", "hang");
  BatchOptions o = Options(in.path(), out.path());
  o.max_seconds_per_file = 1;
  auto result = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->rows.size(), 32u);
  EXPECT_EQ(result->errors, 2);
  std::set<std::string> readers;
  for (const BatchRow& row : result->rows) {
    if (row.ok) readers.insert(row.provider);
  }
  EXPECT_GE(readers.size(), 1u);
  EXPECT_LE(readers.size(), 4u) << "a process per input instead of a pool";
  EXPECT_EQ(readers.count(std::to_string(getpid())), 0u) << "inputs read in the scheduler";
  std::string csv = Get(out / "summary.csv");
  EXPECT_NE(csv.find("p110x.pdf,error,,,,,,,,internal: the reader crashed (signal 6)"), std::string::npos) << csv;
  EXPECT_NE(csv.find("p120x.pdf,error,,,,,,,,limit_exceeded: took longer"), std::string::npos) << csv;
  EXPECT_NE(csv.find("p129.pdf,ok"), std::string::npos) << csv;
}

TEST_F(BatchRunTest, ResumeReusesCompleteOutputsAndRedoesChangedOnes) {
  ASSERT_TRUE(RunBatch(Options(in_.path(), out_.path()), FakeAnalyze, FakeExtras));
  std::string first = Get(out_ / "summary.csv");
  BatchOptions o = Options(in_.path(), out_.path());
  o.resume = true;
  auto again = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->reused, 5);
  EXPECT_EQ(Get(out_ / "summary.csv"), first);

  Put(in_ / "clinic/er.pdf", "bill Mercy 100");  // changed input
  fs::remove(out_ / "clinic/lab/report.html");   // incomplete outputs
  auto third = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->reused, 3);
  EXPECT_NE(Get(out_ / "summary.csv").find("clinic/er.pdf,ok,itemized_statement,Mercy,1.00,"), std::string::npos);
  EXPECT_EQ(Get(out_ / "clinic/lab/report.html"), "<p>Quest</p>");

  o.outputs_tag = "json+html+letters";  // more outputs asked for: everything is redone
  auto fourth = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->reused, 0);
}

int CountMarkers(const std::string& dir) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) n += e.path().filename() == "result.json";
  return n;
}

TEST(BatchKillTest, SigkillThenResumeGivesTheSameSummary) {
  TempDir in, killed, clean;
  for (int i = 0; i < 40; ++i) {
    Put(in / fmt::format("d{}/f{}.pdf", i % 3, i), i % 9 == 4 ? "broken" : fmt::format("slow P{} {}", i, 1000 + i));
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto r = RunBatch(Options(in.path(), killed.path()), FakeAnalyze, FakeExtras);
    _exit(r ? 0 : 2);
  }
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (CountMarkers(killed.path()) < 6 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_FALSE(fs::exists(killed / "summary.csv")) << "the run finished before it could be killed";
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // workers die with their parent
  int done_before = CountMarkers(killed.path());
  EXPECT_LT(done_before, 40);

  BatchOptions o = Options(in.path(), killed.path());
  o.resume = true;
  auto resumed = RunBatch(o, FakeAnalyze, FakeExtras);
  ASSERT_TRUE(resumed);
  EXPECT_GE(resumed->reused, 6);
  EXPECT_LT(resumed->reused, 40);
  ASSERT_TRUE(RunBatch(Options(in.path(), clean.path()), FakeAnalyze, FakeExtras));
  EXPECT_EQ(Get(killed / "summary.csv"), Get(clean / "summary.csv"));
  EXPECT_EQ(Get(killed / "summary.json"), Get(clean / "summary.json"));
  EXPECT_EQ(Get(killed / "report.html"), Get(clean / "report.html"));
  for (const auto& e : fs::recursive_directory_iterator(killed.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(BatchRunTest, ShardsMergeIntoTheUnshardedSummary) {
  for (int i = 0; i < 20; ++i) Put(in_ / ("more/b" + std::to_string(i) + ".pdf"), "bill P" + std::to_string(i) + " 700");
  TempDir whole, shards;
  std::string merged_dir = shards / "all";
  ASSERT_TRUE(RunBatch(Options(in_.path(), whole.path()), FakeAnalyze, FakeExtras));
  std::vector<std::string> dirs;
  size_t total = 0;
  for (int k = 0; k < 3; ++k) {
    BatchOptions o = Options(in_.path(), shards / ("shard-" + std::to_string(k)));
    o.shard = Shard{k, 3};
    auto r = RunBatch(o, FakeAnalyze, FakeExtras);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->listed, 25);
    total += r->rows.size();
    dirs.push_back(o.out_dir);
  }
  EXPECT_EQ(total, 25u);
  auto m = MergeBatchSummaries(dirs, merged_dir);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_TRUE(m->warnings.empty());
  EXPECT_EQ(Get(merged_dir + "/summary.csv"), Get(whole / "summary.csv"));
  EXPECT_NE(Get(merged_dir + "/report.html").find("href=\"./../shard-1/"), std::string::npos);

  auto partial = MergeBatchSummaries({dirs[0], dirs[2]}, shards / "partial");
  ASSERT_TRUE(partial);
  ASSERT_EQ(partial->warnings.size(), 1u);
  EXPECT_EQ(partial->warnings[0], "shard 1/3 is missing");
  EXPECT_FALSE(MergeBatchSummaries({dirs[0], dirs[0]}, shards / "twice"));
}

}  // namespace
}  // namespace billwise
