#include "extract/grammar/parse.h"

#include <gtest/gtest.h>

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
  ParseBill(Layouts(), PagesFromPlainText(text), &b);
  return b;
}

// The same text as OCR would give it (the reader then tolerates OCR's misreadings).
Bill ParseOcr(std::string_view text) {
  auto pages = PagesFromPlainText(text);
  for (auto& p : pages) p.origin = TextOrigin::kOcr;
  Bill b;
  ParseBill(Layouts(), std::move(pages), &b);
  return b;
}

TEST(ParseBillTest, SimpleTable) {
  Bill b = Parse(
      "GREENFIELD CLINIC\n"
      "12 Main Street\n"
      "Springfield, IL 62704\n"
      "\n"
      "Account Number:   A-10023        Statement Date:  01/12/2026\n"
      "\n"
      "Date        Code     Description                 Qty    Charge\n"
      "12/30/2025  99284    ER visit level 4              1   2,450.00\n"
      "12/30/2025  80053    Metabolic panel               1     120.00\n"
      "                                          Amount Due:  $2,570.00\n");
  ASSERT_EQ(b.line_items.size(), 2u);
  EXPECT_EQ(b.line_items[0].code, "99284");
  EXPECT_EQ(b.line_items[0].charge, Money{245000});
  EXPECT_EQ(b.line_items[1].description, "Metabolic panel");
  EXPECT_EQ(b.account_number, "A-10023");
  EXPECT_EQ(b.statement_date->Iso(), "2026-01-12");
  EXPECT_EQ(b.amount_due, Money{257000});
  EXPECT_EQ(b.provider.name, "GREENFIELD CLINIC");
  EXPECT_EQ(b.provider.zip, "62704");
  EXPECT_EQ(b.provider.state, "IL");
  EXPECT_EQ(b.document_type, DocumentType::kItemizedStatement);
  EXPECT_EQ(b.source.layout, "generic");
  EXPECT_EQ(b.pages.size(), 1u);
}

// OCR runs a label's words together: "DTOFSVC" names the "Dt of Svc" column and
// "STATEMENTDATE" the statement date, through the same synonyms with the spaces ignored.
TEST(ParseBillTest, OcrRunTogetherLabelWords) {
  Bill b = ParseOcr(
      "VALLEY CLINIC\n"
      "Account Number:   V-2231        STATEMENTDATE:  02/02/2026\n"
      "\n"
      "DTOFSVC      CPT          DESCRIPTION                   QTY      CHARGES\n"
      "01/15/2026   99213        Office visit                    1       175.00\n"
      "01/16/2026   87880        Rapid strep test                1        95.00\n"
      "                                          Amount Due:  $270.00\n");
  ASSERT_EQ(b.line_items.size(), 2u);
  ASSERT_TRUE(b.line_items[1].date_of_service.has_value());
  EXPECT_EQ(b.line_items[1].date_of_service->Iso(), "2026-01-16");
  ASSERT_TRUE(b.statement_date.has_value());
  EXPECT_EQ(b.statement_date->Iso(), "2026-02-02");
}

// Two header words OCR glued, losing a letter at the seam: "DESCRIPTIOBILLED" is the
// description and the billed amount.
TEST(ParseBillTest, OcrGluedHeaderWordsWithALostLetter) {
  Bill b = ParseOcr(
      "EXPLANATION OF BENEFITS\n"
      "\n"
      "DATE        SERVICECODE    SERVICE DESCRIPTIOBILLED    ALLOWED AMOUNT      PLANPAYMENT     YOUMAY OWE\n"
      "02/12/26    82728          Ferritin            105.10               60.95           35.95          25.00\n"
      "02/12/26    84153          PSA total            97.00               64.99           24.99          40.00\n"
      "TOTAL                                          202.10              125.94           60.94          65.00\n");
  ASSERT_EQ(b.line_items.size(), 2u);
  EXPECT_EQ(b.line_items[0].charge, Money{10510});
  EXPECT_EQ(b.line_items[1].charge, Money{9700});
}

// The same kind of table as OCR reads it off a scan: a misread header word, specks after
// values, a colon for a decimal point, a date merged with the code beside it.
TEST(ParseBillTest, OcrDefectsInAScannedTable) {
  Bill b = ParseOcr(
      "VALLEY CLINIC\n"
      "Account Number:   V-2231        Statement Date:  02/02/2026\n"
      "\n"
      "DATE         CPTIHCPCS    DESCRIPTlON                   QTY      CHARGES\n"
      "01/15/2026.  99213-25.    Office visit                    1       175.00\n"
      "01/15/2026   87880.       Rapid strep test                1       95:00 .\n"
      "01/15/2026. 81002         Urinalysis                      1       22.00\n"
      "                                          Amount Due:  $292.00\n");
  ASSERT_EQ(b.line_items.size(), 3u);
  EXPECT_EQ(b.line_items[0].code, "99213");
  ASSERT_EQ(b.line_items[0].modifiers.size(), 1u);
  EXPECT_EQ(b.line_items[0].modifiers[0], "25");
  EXPECT_EQ(b.line_items[1].code, "87880");
  EXPECT_EQ(b.line_items[1].charge, Money{9500});
  EXPECT_EQ(b.line_items[2].code, "81002");
  EXPECT_EQ(b.line_items[2].date_of_service->Iso(), "2026-01-15");
  EXPECT_EQ(b.line_items[2].description, "Urinalysis");
  // The same text from a text layer is not repaired: "CPTIHCPCS" names no column there.
  Bill digital = Parse(
      "DATE         CPTIHCPCS    DESCRIPTION                   QTY      CHARGES\n"
      "01/15/2026   87880        Rapid strep test                1       95.00\n");
  ASSERT_EQ(digital.line_items.size(), 1u);
  EXPECT_FALSE(digital.line_items[0].code.has_value());
}

TEST(ParseBillTest, PageSubtotalsAndDatedPaymentRowsAreNotItems) {
  Bill b = Parse(
      "Date        Code     Description                 Qty    Charge\n"
      "12/30/2025  99284    ER visit level 4              1   2,450.00\n"
      "                     PAGE SUBTOTAL                     2,450.00\n"
      "12/30/2025  80053    Metabolic panel               1     120.00\n"
      "01/20/2026           Insurance payment - Acme Mutual     (900.00)\n"
      "02/20/2026           Insurance payment - Acme Mutual      (50.00)\n"
      "01/20/2026           Payment - Prairie Health Co-op           (10.00)\n"
      "01/22/2026           Contractual adjustment               (70.00)\n"
      "            Totals                                      2,570.00\n");
  ASSERT_EQ(b.line_items.size(), 2u);
  EXPECT_EQ(b.totals.insurance_paid, Money{96000});
  EXPECT_EQ(b.totals.adjustments, Money{7000});
  EXPECT_EQ(b.totals.charges, Money{257000});
}

}  // namespace
}  // namespace billwise
