// The case commands through the built executable: cases add (bill JSON), due, cases,
// case, sent, reply, plan, paid, gfe, export and import, and several billwise processes
// writing one database at once.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/report/bill_json.h"
#include "tests/cases/fixtures.h"

namespace billwise {
namespace {

using testing_cases::CollectionNotice;
using testing_cases::Eob;
using testing_cases::Statement;
using testing_cases::TempDir;

struct RunResult {
  int code = -1;
  std::string out;
};

// Runs `billwise --db DB ARGS` with SOURCE_DATE_EPOCH = 2026-03-05.
RunResult Billwise(const std::string& db, const std::string& args) {
  std::string cmd = "SOURCE_DATE_EPOCH=1772668800 '" + std::string(BILLWISE_BINARY) + "' --db '" + db + "' " + args +
                    " 2>&1";
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Write(const TempDir& tmp, const std::string& name, const Bill& bill) {
  std::string path = tmp / name;
  std::ofstream(path) << BillToJson(bill);
  return path;
}

class CasesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BILLWISE_BINARY)) GTEST_SKIP() << "billwise is not built";
  }
  TempDir tmp_;
};

TEST_F(CasesCliTest, WholeCaseThroughTheCommands) {
  std::string db = tmp_ / "cases.db";
  std::string files = Write(tmp_, "stmt.json", Statement()) + " " + Write(tmp_, "eob.json", Eob()) + " " +
                      Write(tmp_, "coll.json", CollectionNotice());
  RunResult add = Billwise(db, "cases add " + files);
  ASSERT_EQ(add.code, 0) << add.out;
  EXPECT_NE(add.out.find("collection_amount_mismatch"), std::string::npos) << add.out;

  RunResult cases = Billwise(db, "cases --format json");
  ASSERT_EQ(cases.code, 0) << cases.out;
  auto j = nlohmann::json::parse(cases.out);
  ASSERT_EQ(j["cases"].size(), 1u);
  EXPECT_EQ(j["cases"][0]["documents"].size(), 3u);
  EXPECT_EQ(j["cases"][0]["status"], "in collections");
  EXPECT_EQ(j["cases"][0]["next_deadline"]["date"], "2026-04-10");

  RunResult due = Billwise(db, "due --format json");
  ASSERT_EQ(due.code, 0) << due.out;
  auto d = nlohmann::json::parse(due.out);
  ASSERT_GE(d["deadlines"].size(), 2u);
  EXPECT_EQ(d["deadlines"][0]["case"], 1);
  EXPECT_EQ(d["deadlines"][0]["date"], "2026-04-10");
  EXPECT_EQ(nlohmann::json::parse(Billwise(db, "due --within 30 --format json").out)["deadlines"].size(), 0u);

  RunResult ics = Billwise(db, "due --format ics");
  ASSERT_EQ(ics.code, 0);
  EXPECT_NE(ics.out.find("DTSTART;VALUE=DATE:20260410\r\n"), std::string::npos);
  EXPECT_NE(ics.out.find("DTSTAMP:20260305T000000Z\r\n"), std::string::npos);

  EXPECT_EQ(Billwise(db, "sent 1 --letter debt_validation --date 2026-03-06 --method certified --tracking 9400").code, 0);
  EXPECT_EQ(Billwise(db, "reply 1 --date 2026-03-20 --note 'verification received'").code, 0);
  EXPECT_EQ(Billwise(db, "plan 1 --monthly 85 --start 2026-04-01").code, 0);
  EXPECT_EQ(Billwise(db, "paid 1 85 --date 2026-04-01").code, 0);
  EXPECT_EQ(Billwise(db, "gfe 1 --amount 1000 --date 2025-12-01").code, 0);
  RunResult show = Billwise(db, "case 1");
  ASSERT_EQ(show.code, 0) << show.out;
  for (const char* text : {"certified", "verification received", "paid $85.00", "in plan", "collection_amount_mismatch",
                           "gfe_exceeded"}) {
    EXPECT_NE(show.out.find(text), std::string::npos) << text << "\n" << show.out;
  }
  // Errors are usage errors.
  EXPECT_EQ(Billwise(db, "paid 9 10").code, 2);
  EXPECT_EQ(Billwise(db, "paid 1 ten").code, 2);
  EXPECT_EQ(Billwise(db, "--no-store cases").code, 2);

  // Backup round trip through files.
  std::string backup = tmp_ / "backup.json";
  ASSERT_EQ(Billwise(db, "export --format json --output '" + backup + "'").code, 0);
  std::string db2 = tmp_ / "restored.db";
  RunResult imported = Billwise(db2, "import '" + backup + "'");
  ASSERT_EQ(imported.code, 0) << imported.out;
  EXPECT_EQ(Billwise(db2, "export").out, Billwise(db, "export").out);
}

TEST_F(CasesCliTest, ScriptAndCallLogOpenADialogueWithAFollowUp) {
  std::string db = tmp_ / "cases.db";
  std::string stmt = Write(tmp_, "stmt.json", Statement());
  ASSERT_EQ(Billwise(db, "cases add " + stmt).code, 0);

  RunResult script = Billwise(db, "script 1");
  ASSERT_EQ(script.code, 0) << script.out;
  for (const char* part : {"Phone script: Springfield Memorial Hospital, Inc., account 00-4417-2209",
                           "itemized bill", "financial-assistance", "0 % interest", "on hold",
                           "Write down during the call", "billwise call 1 --date"}) {
    EXPECT_NE(script.out.find(part), std::string::npos) << part << "\n" << script.out;
  }
  RunResult by_file = Billwise(db, "script " + stmt);
  ASSERT_EQ(by_file.code, 0) << by_file.out;
  EXPECT_NE(by_file.out.find("billwise call 1 --date"), std::string::npos) << by_file.out;
  RunResult missing = Billwise(db, "script " + (tmp_ / "nope.pdf"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("no such file or case"), std::string::npos) << missing.out;

  RunResult call = Billwise(db, "call 1 --date 2026-03-02 --with 'Dana, billing' --ref R-77 --note 'account on hold'");
  ASSERT_EQ(call.code, 0) << call.out;
  EXPECT_NE(call.out.find("follow up by 2026-03-16"), std::string::npos) << call.out;
  RunResult shown = Billwise(db, "case 1");
  ASSERT_EQ(shown.code, 0) << shown.out;
  EXPECT_NE(shown.out.find("call with Dana, billing, reference R-77: account on hold (follow up 2026-03-16)"),
            std::string::npos)
      << shown.out;
  RunResult due = Billwise(db, "due");
  ASSERT_EQ(due.code, 0) << due.out;
  EXPECT_NE(due.out.find("2026-03-16"), std::string::npos) << due.out;
  EXPECT_NE(due.out.find("follow up on the call of 2026-03-02 with Dana, billing (reference R-77)"), std::string::npos)
      << due.out;
  auto json = nlohmann::json::parse(Billwise(db, "case 1 --format json").out);
  ASSERT_EQ(json["cases"][0]["calls"].size(), 1u);
  EXPECT_EQ(json["cases"][0]["calls"][0]["follow_up"], "2026-03-16");

  EXPECT_EQ(Billwise(db, "call 1 --with x --note y --date 03/02/2026").code, 2);
  EXPECT_EQ(Billwise(db, "call 1 --with x --note y --follow-up soon").code, 2);
  EXPECT_EQ(Billwise(db, "call 9 --with x --note y").code, 2);
  EXPECT_NE(Billwise(db, "call 1 --note y").code, 0);  // --with is required
}

TEST_F(CasesCliTest, SeveralProcessesAddAtOnce) {
  std::string db = tmp_ / "cases.db";
  constexpr int kProcesses = 4;
  constexpr int kFiles = 10;
  std::vector<FILE*> pipes;
  for (int p = 0; p < kProcesses; ++p) {
    std::string args;
    for (int i = 0; i < kFiles; ++i) {
      Bill b = Statement("2026-01-12", 100 + i, 200 + i, "");
      b.source.sha256 = std::to_string(p * 1000 + i);
      b.account_number = "A-" + std::to_string(i % 2);
      args += " '" + Write(tmp_, b.source.sha256 + ".json", b) + "'";
    }
    std::string cmd = "'" + std::string(BILLWISE_BINARY) + "' --db '" + db + "' cases add" + args + " 2>&1";
    pipes.push_back(popen(cmd.c_str(), "r"));
  }
  for (FILE* p : pipes) {
    ASSERT_NE(p, nullptr);
    char buf[4096];
    while (fread(buf, 1, sizeof buf, p) > 0) {
    }
    int status = pclose(p);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto j = nlohmann::json::parse(Billwise(db, "cases --format json").out);
  ASSERT_EQ(j["cases"].size(), 2u);
  // `case add` is the same command; a file already stored is reported, not duplicated.
  RunResult again = Billwise(db, "case add '" + tmp_ / "0.json" + "'");
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("already in case"), std::string::npos) << again.out;
  EXPECT_EQ(Billwise(db, "case").code, 2);
  EXPECT_EQ(j["cases"][0]["documents"].size() + j["cases"][1]["documents"].size(),
            static_cast<size_t>(kProcesses * kFiles));
}

}  // namespace
}  // namespace billwise
