// read_quality: how much of a document the parsed Bill accounts for.
#include "extract/grammar/read_quality.h"

#include <gtest/gtest.h>

#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"

namespace billwise {
namespace {

const LayoutSet& Layouts() {
  static LayoutSet* set = [] {
    auto s = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    EXPECT_TRUE(s) << s.error().message;
    return new LayoutSet(std::move(*s));
  }();
  return *set;
}

Bill Parse(std::string_view text) {
  Bill b;
  ParseBill(Layouts(), PagesFromPlainText(text), &b, DocumentType::kUnknown);
  b.read_quality = AssessReading(b);
  return b;
}

Line LineOf(std::string_view text) {
  auto pages = PagesFromPlainText(text);
  EXPECT_FALSE(pages.front().lines.empty());
  return pages.front().lines.front();
}

constexpr std::string_view kTable =
    "GREENFIELD CLINIC\n"
    "Account Number:   A-10023        Statement Date:  01/12/2026\n"
    "\n"
    "Date        Code     Description                 Qty    Charge\n"
    "12/30/2025  99284    ER visit level 4              1   2,450.00\n"
    "12/30/2025  80053    Metabolic panel               1     120.00\n";

TEST(ReadQualityTest, CompleteWhenItemsAddUpToThePrintedTotal) {
  Bill b = Parse(std::string(kTable) + "                               Total Charges:  $2,570.00\n");
  ASSERT_TRUE(b.read_quality);
  EXPECT_EQ(b.read_quality->status, ReadStatus::kComplete);
  EXPECT_EQ(b.read_quality->items_total, Money{257000});
  EXPECT_EQ(b.read_quality->printed_total, Money{257000});
  EXPECT_EQ(b.read_quality->unread_rows, 0);
}

TEST(ReadQualityTest, PartialWhenItemsFallShortOfThePrintedTotal) {
  Bill b = Parse(std::string(kTable) + "                               Total Charges:  $2,594.00\n");
  ASSERT_TRUE(b.read_quality);
  EXPECT_EQ(b.read_quality->status, ReadStatus::kPartial);
  ASSERT_FALSE(b.read_quality->notes.empty());
  EXPECT_NE(b.read_quality->notes[0].find("$24.00 less than the printed total of charges of $2,594.00"),
            std::string::npos)
      << b.read_quality->notes[0];
}

TEST(ReadQualityTest, NoTotalAndNothingLeftIsComplete) {
  Bill b = Parse(kTable);
  EXPECT_EQ(b.read_quality->status, ReadStatus::kComplete);
  EXPECT_FALSE(b.read_quality->printed_total);
}

TEST(ReadQualityTest, UnreadChargeRowsWithoutATotalArePartial) {
  Bill b;
  b.pages = PagesFromPlainText(
      "12/30/2025  99284    ER visit level 4              1   2,450.00\n"
      "12/30/2025  80053    Metabolic panel               1     120.00\n");
  b.line_items.emplace_back();
  b.line_items.back().charge = Money{245000};
  b.line_items.back().source = SourceRef{1, 0, 1.0};
  ReadQuality q = AssessReading(b);
  EXPECT_EQ(q.unread_rows, 1);
  EXPECT_EQ(q.status, ReadStatus::kPartial);
}

TEST(ReadQualityTest, UnreadableWithoutText) {
  Bill b;
  b.pages.emplace_back();
  ReadQuality q = AssessReading(b);
  EXPECT_EQ(q.status, ReadStatus::kUnreadable);
  ASSERT_EQ(q.notes.size(), 1u);
  EXPECT_EQ(q.notes[0], "no text could be read from the document");
}

TEST(ReadQualityTest, UnreadableWhenNothingReadsAsABill) {
  Bill b = Parse("Dear neighbour,\nThe library opens at nine on Saturdays.\n");
  EXPECT_EQ(b.read_quality->status, ReadStatus::kUnreadable);
  EXPECT_TRUE(b.line_items.empty());
}

TEST(ReadQualityTest, PoorScanIsUnreadableNotEmpty) {
  Bill b;
  b.pages = PagesFromPlainText("~~ ,. 1l| :: ..\n");
  b.source.ocr_confidence = 21.0;
  ReadQuality q = AssessReading(b);
  EXPECT_EQ(q.status, ReadStatus::kUnreadable);
  EXPECT_NE(q.notes[0].find("OCR confidence 21%"), std::string::npos) << q.notes[0];
  EXPECT_EQ(q.ocr_confidence, 21.0);
}

TEST(ReadQualityTest, ChargeRowShapes) {
  EXPECT_TRUE(LooksLikeChargeRow(LineOf("99213   Office Visit - Est Patient   $350.00")));
  EXPECT_TRUE(LooksLikeChargeRow(LineOf("01/25/2022  Venipuncture    36415   25.00")));
  EXPECT_TRUE(LooksLikeChargeRow(LineOf("0450  Emergency room   1,200.00")));
  EXPECT_FALSE(LooksLikeChargeRow(LineOf("Total Charges   99284   $2,570.00")));
  EXPECT_FALSE(LooksLikeChargeRow(LineOf("01/02/2026  Insurance payment   -1,200.00")));
  EXPECT_FALSE(LooksLikeChargeRow(LineOf("Deductible Met YTD: $840.00")));
  EXPECT_FALSE(LooksLikeChargeRow(LineOf("01/25/2022 to 01/25/2022   $17.13   $0.00   CO45")));
  EXPECT_FALSE(LooksLikeChargeRow(LineOf("Office visit with the doctor")));
}

}  // namespace
}  // namespace billwise
