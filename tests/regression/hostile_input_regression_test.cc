// Regression tests for issue-16 crashes in the bill JSON contract and amount parsing: a file
// name that is not UTF-8 aborted every JSON writer (nlohmann throws on invalid UTF-8), and
// `amount_due: 1e308` became INT64_MIN through an undefined double-to-int conversion.
#include <string>

#include <gtest/gtest.h>

#include "extract/grammar/normalize.h"
#include "pipeline/model/utf8.h"
#include "pipeline/report/bill_json.h"

namespace billwise {
namespace {

TEST(HostileInputRegression, BillJsonCarriesANameThatIsNotUtf8Losslessly) {
  Bill bill;
  bill.source.path = "scans/Factura_A\xF1o.pdf";
  bill.provider.name = "Cl\xEDnica";  // Latin-1 text from a plain-text bill
  const std::string json = BillToJson(bill);
  EXPECT_TRUE(IsValidUtf8(json));
  EXPECT_NE(json.find("\"path_bytes\": \"scans/Factura_A%F1o.pdf\""), std::string::npos) << json;
  EXPECT_NE(json.find("Cl\xEF\xBF\xBDnica"), std::string::npos);  // U+FFFD, not an abort
  auto back = BillFromJson(json);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->source.path, bill.source.path);  // exact bytes
  // A valid name has no path_bytes: the contract is unchanged for ordinary files.
  bill.source.path = "Factura_A\xC3\xB1o.pdf";
  EXPECT_EQ(BillToJson(bill).find("path_bytes"), std::string::npos);
}

TEST(HostileInputRegression, BillJsonRefusesAnImplausibleAmount) {
  auto huge = BillFromJson(R"({"schema":"billwise.bill/1","amount_due":1e308})");
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(huge.error().message, "amount_due: 1e+308 is not a plausible amount (the limit is $100,000,000.00)");
  auto line = BillFromJson(R"({"schema":"billwise.bill/1","line_items":[{"charge":-2e10}]})");
  ASSERT_FALSE(line.has_value());
  EXPECT_NE(line.error().message.find("charge"), std::string::npos);
  auto quantity = BillFromJson(R"({"schema":"billwise.bill/1","line_items":[{"quantity":1e300,"charge":5}]})");
  ASSERT_FALSE(quantity.has_value());
  auto fine = BillFromJson(R"({"schema":"billwise.bill/1","amount_due":100000000.00})");
  ASSERT_TRUE(fine.has_value());
  EXPECT_EQ(fine->amount_due->cents, 10'000'000'000);
}

// Fields of the wrong type made nlohmann's value() throw (an abort); indexes past the line
// items reached letters and reports.
TEST(HostileInputRegression, BillJsonOfTheWrongShapeIsReadDefensively) {
  auto bill = BillFromJson(R"({"schema":"billwise.bill/1",
      "source":{"pages":"many","path":7},
      "line_items":[{"charge":5,"source":{"page":"x","line":1e99,"confidence":"high"}}],
      "pricing":[{"line":99,"reference":1},{"line":-1},{"line":0,"reference":2}],
      "findings":[{"kind":"duplicate","lines":[0,5,18446744073709551615]}],
      "plan":{"payment_plan":{"monthly":10,"months":"twelve","interest":"none"},
              "assistance":{"poverty_percent":[1]}}})");
  ASSERT_TRUE(bill.has_value()) << bill.error().message;
  EXPECT_EQ(bill->source.pages, 0);
  ASSERT_EQ(bill->pricing.size(), 1u);
  EXPECT_EQ(bill->pricing[0].line, 0u);
  ASSERT_EQ(bill->findings.size(), 1u);
  EXPECT_EQ(bill->findings[0].lines, std::vector<size_t>{0});
  EXPECT_EQ(bill->plan->payment_plan->months, 0);
  // A finding's kind is one of the closed set billwise writes.
  auto unknown = BillFromJson(R"({"schema":"billwise.bill/1","findings":[{"kind":"x"}]})");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidInput);
}

TEST(HostileInputRegression, PrintedAmountsPastTheLimitAreNotAmounts) {
  EXPECT_EQ(ParseMoney("$99,999,999.99")->cents, 9'999'999'999);
  EXPECT_FALSE(ParseMoney("$999,999,999,999.00").has_value());
  EXPECT_FALSE(ParseMoney("(123456789012345.00)").has_value());
}

}  // namespace
}  // namespace billwise
