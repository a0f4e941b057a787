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

}  // namespace
}  // namespace billwise
