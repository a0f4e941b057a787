// Findings that need a complete reading are only notes to check by hand on a partial one.
#include "pipeline/audit/reading_gate.h"

#include <gtest/gtest.h>

#include "tests/audit/bills.h"

namespace billwise::testing {
namespace {

// Two lines that do not add up to the printed total, one duplicated undated line.
Bill Short(std::optional<ReadStatus> status) {
  Bill b = Itemized({Line("", "85025", 1, 38), Line("", "85025", 1, 38), Line("2026-02-11", "99284", 1, 900),
                     Line("2026-02-11", "80053", 1, 120)});
  b.totals.charges = Usd(2500);
  if (status) {
    ReadQuality q;
    q.status = *status;
    b.read_quality = q;
  }
  return b;
}

TEST(ReadingGateTest, CompleteReadingKeepsErrors) {
  Bill b = Audited(Short(ReadStatus::kComplete));
  auto math = FindingsOf(b, "math");
  ASSERT_EQ(math.size(), 1u);
  EXPECT_EQ(math[0]->severity, Severity::kError);
  EXPECT_FALSE(math[0]->check_by_hand);
  auto dup = FindingsOf(b, "duplicate");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0]->severity, Severity::kError);
}

TEST(ReadingGateTest, PartialReadingHoldsMathAndUndatedDuplicates) {
  Bill b = Audited(Short(ReadStatus::kPartial));
  auto math = FindingsOf(b, "math");
  ASSERT_EQ(math.size(), 1u);
  EXPECT_EQ(math[0]->severity, Severity::kInfo);
  EXPECT_TRUE(math[0]->check_by_hand);
  EXPECT_EQ(math[0]->explanation.rfind("Check by hand", 0), 0u) << math[0]->explanation;
  auto dup = FindingsOf(b, "duplicate");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0]->severity, Severity::kInfo);
  EXPECT_TRUE(dup[0]->check_by_hand);
  for (const Finding& f : b.findings) EXPECT_NE(f.severity, Severity::kError) << FindingKindName(f.kind);
}

TEST(ReadingGateTest, DatedDuplicateStaysAnErrorOnAPartialReading) {
  Bill b = Itemized({Line("2026-02-11", "85025", 1, 38), Line("2026-02-11", "85025", 1, 38)});
  ReadQuality q;
  q.status = ReadStatus::kPartial;
  b.read_quality = q;
  b = Audited(std::move(b));
  auto dup = FindingsOf(b, "duplicate");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0]->severity, Severity::kError);
  EXPECT_FALSE(dup[0]->check_by_hand);
}

TEST(ReadingGateTest, UnreadableHoldsSummaryBill) {
  Bill b;
  b.document_type = DocumentType::kSummaryStatement;
  b.amount_due = Usd(100);
  ReadQuality q;
  q.status = ReadStatus::kUnreadable;
  b.read_quality = q;
  b = Audited(std::move(b));
  auto summary = FindingsOf(b, "summary_bill");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_TRUE(summary[0]->check_by_hand);
  EXPECT_NE(summary[0]->explanation.find("could not be read"), std::string::npos);
}

TEST(ReadingGateTest, BillsBuiltByHandAreLeftAsTheyAre) {
  Bill b = Audited(Short(std::nullopt));
  ASSERT_EQ(FindingsOf(b, "math").size(), 1u);
  EXPECT_EQ(FindingsOf(b, "math")[0]->severity, Severity::kError);
}

}  // namespace
}  // namespace billwise::testing
