// The case file against hostile backups and rows: amounts that are no bill's, rows an older
// version let in, and a case file others could read.
#include <sys/stat.h>

#include <cstdint>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/cases/case_checks.h"
#include "pipeline/cases/case_format.h"
#include "pipeline/cases/case_store.h"
#include "pipeline/cases/sqlite_db.h"
#include "tests/cases/fixtures.h"

namespace billwise {
namespace {

using testing_cases::D;
using testing_cases::Statement;
using testing_cases::TempDir;
using testing_cases::Usd;

// A backup whose one document says `amount_due: 1e308` was accepted; afterwards `cases`
// and `case` crashed on the Money it became (INT64_MIN). Now the import is refused whole.
TEST(HostileCaseTest, ImportRefusesAnImplausibleAmount) {
  TempDir tmp;
  auto a = CaseStore::Open(tmp / "a.db");
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->RecordDocument(Statement(), ""));
  ASSERT_TRUE(a->RecordPayment(1, Usd(85), D("2026-04-01")));
  auto exported = a->ExportJson();
  ASSERT_TRUE(exported);

  auto b = CaseStore::Open(tmp / "b.db");
  ASSERT_TRUE(b);
  nlohmann::json huge_bill = nlohmann::json::parse(*exported);
  huge_bill["cases"][0]["documents"][0]["bill"]["amount_due"] = 1e308;
  auto refused = b->ImportJson(huge_bill.dump());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(refused.error().message.find("amount_due: 1e+308 is not a plausible amount"), std::string::npos)
      << refused.error().message;

  nlohmann::json huge_payment = nlohmann::json::parse(*exported);
  huge_payment["cases"][0]["payments"][0]["amount"] = 1e15;
  auto refused_payment = b->ImportJson(huge_payment.dump());
  ASSERT_FALSE(refused_payment);
  EXPECT_NE(refused_payment.error().message.find("payments"), std::string::npos) << refused_payment.error().message;

  auto cases = b->ListCases(D("2026-04-02"));
  ASSERT_TRUE(cases);
  EXPECT_TRUE(cases->empty());  // nothing of a refused backup was kept
  EXPECT_TRUE(b->ImportJson(*exported));
}

// Rows written before amounts were checked (or edited by hand) must not crash the readers.
TEST(HostileCaseTest, ExistingRowsWithAbsurdAmountsAreReadSafely) {
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->RecordDocument(Statement(), ""));
  ASSERT_TRUE(store->RecordPlan(1, Usd(50), D("2026-01-01"), std::nullopt));
  ASSERT_TRUE(store->RecordPayment(1, Usd(85), D("2026-02-01")));
  ASSERT_TRUE(store->RecordEstimate(1, Usd(80), D("2026-01-10")));
  ASSERT_TRUE(store->database().Exec(
      "UPDATE documents SET json = json_set(json, '$.amount_due', 1e308), amount_due_cents = -9223372036854775808;"
      "UPDATE payments SET amount_cents = 9223372036854775807;"
      "INSERT INTO payments (case_id, amount_cents, date) VALUES (1, 9223372036854775807, '2026-03-01');"
      "UPDATE estimates SET amount_cents = -9223372036854775808;"
      "UPDATE payment_plans SET monthly_cents = 1;"));
  auto list = store->ListCases(D("2026-04-02"));
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE(CasesToJson(*list).empty());
  auto detail = store->GetCase(1, D("2026-04-02"));
  ASSERT_TRUE(detail) << detail.error().message;
  EXPECT_FALSE(detail->timeline.empty());
  EXPECT_TRUE(store->Deadlines(D("2026-04-02"), std::nullopt));
  EXPECT_TRUE(store->ExportJson());
}

TEST(HostileCaseTest, CommandLineAmountsAreRangeChecked) {
  EXPECT_EQ(ParseMoneyArgument("100000000")->cents, 10'000'000'000);
  EXPECT_EQ(ParseMoneyArgument("$1,234.56")->cents, 123456);
  EXPECT_FALSE(ParseMoneyArgument("100000000.01"));
  EXPECT_FALSE(ParseMoneyArgument("1e308"));
  EXPECT_FALSE(ParseMoneyArgument("999999999999999"));
  EXPECT_FALSE(ParseMoneyArgument("nan"));
  TempDir tmp;
  auto store = CaseStore::Open(tmp / "cases.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->RecordDocument(Statement(), ""));
  EXPECT_FALSE(store->RecordPayment(1, Money{INT64_MAX}, D("2026-02-01")));
  EXPECT_FALSE(store->RecordPlan(1, Usd(50), D("2026-01-01"), 100000));
}

// A case file made 0644 (by an older version, a copy, a umask) is tightened when opened.
TEST(HostileCaseTest, ExistingCaseFileIsMadePrivate) {
  TempDir tmp;
  const std::string path = tmp / "cases.db";
  {
    auto store = CaseStore::Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->RecordDocument(Statement(), ""));
  }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace billwise
