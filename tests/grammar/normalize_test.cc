#include "extract/grammar/normalize.h"

#include <gtest/gtest.h>

namespace billwise {
namespace {

int64_t Cents(std::string_view s) {
  auto m = ParseMoney(s);
  EXPECT_TRUE(m.has_value()) << s;
  return m ? m->cents : -999999;
}

TEST(ParseMoneyTest, CommonForms) {
  EXPECT_EQ(Cents("$1,234.56"), 123456);
  EXPECT_EQ(Cents("1234.56"), 123456);
  EXPECT_EQ(Cents("$ 45.00"), 4500);
  EXPECT_EQ(Cents("$200"), 20000);
  EXPECT_EQ(Cents("$2,540"), 254000);
  EXPECT_EQ(Cents("0.00"), 0);
  EXPECT_EQ(Cents("USD 12.5"), 1250);
  EXPECT_EQ(Cents("1 234.56"), 123456);
}

TEST(ParseMoneyTest, CreditsAreNegative) {
  EXPECT_EQ(Cents("(45.00)"), -4500);
  EXPECT_EQ(Cents("($45.00)"), -4500);
  EXPECT_EQ(Cents("45.00-"), -4500);
  EXPECT_EQ(Cents("-45.00"), -4500);
  EXPECT_EQ(Cents("-$2,500.00"), -250000);
  EXPECT_EQ(Cents("$-45.00"), -4500);
  EXPECT_EQ(Cents("45.00 CR"), -4500);
  EXPECT_EQ(Cents("45.00CR"), -4500);
  EXPECT_EQ(Cents("CR 45.00"), -4500);
  EXPECT_EQ(Cents("\xE2\x88\x92" "12.00"), -1200);  // Unicode minus
}

TEST(ParseMoneyTest, OcrNoise) {
  EXPECT_EQ(Cents("1O0.00"), 10000);
  EXPECT_EQ(Cents("S45.00"), 4500);
  EXPECT_EQ(Cents("$1,2O0.0O"), 120000);
  EXPECT_EQ(Cents("l2.50"), 1250);
}

TEST(ParseMoneyTest, DecimalComma) {
  EXPECT_EQ(Cents("42,00"), 4200);
  EXPECT_EQ(Cents("1.234,56"), 123456);
}

TEST(ParseMoneyTest, RejectsNonAmounts) {
  for (std::string_view s : {"", "abc", "12 units", "Total", "1,23,4.00", "15.5000", "$",
                             "12/05/2026", "1 23.00", "ISO", "Room 2B", "1.2.3"}) {
    EXPECT_FALSE(ParseMoney(s).has_value()) << s;
  }
}

TEST(ParseMoneyTest, LooksLikeMoney) {
  EXPECT_TRUE(LooksLikeMoney("$200"));
  EXPECT_TRUE(LooksLikeMoney("12.50"));
  EXPECT_TRUE(LooksLikeMoney("(4.00)"));
  EXPECT_FALSE(LooksLikeMoney("12"));
  EXPECT_FALSE(LooksLikeMoney("99213"));
}

std::string Iso(std::string_view s, DateOrder o = DateOrder::kMonthFirst) {
  auto d = ParseDate(s, o);
  return d ? d->Iso() : "none";
}

TEST(ParseDateTest, AllForms) {
  EXPECT_EQ(Iso("01/05/2026"), "2026-01-05");
  EXPECT_EQ(Iso("01/05/26"), "2026-01-05");
  EXPECT_EQ(Iso("1/5/26"), "2026-01-05");
  EXPECT_EQ(Iso("2026-01-05"), "2026-01-05");
  EXPECT_EQ(Iso("Jan 5, 2026"), "2026-01-05");
  EXPECT_EQ(Iso("January 5, 2026"), "2026-01-05");
  EXPECT_EQ(Iso("January 05, 2025"), "2025-01-05");
  EXPECT_EQ(Iso("Jan. 5 2026"), "2026-01-05");
  EXPECT_EQ(Iso("Sept 30, 2025"), "2025-09-30");
  EXPECT_EQ(Iso("05-Jan-2026"), "2026-01-05");
  EXPECT_EQ(Iso("05-JAN-26"), "2026-01-05");
  EXPECT_EQ(Iso("5 January 2026"), "2026-01-05");
  EXPECT_EQ(Iso("01-05-2026"), "2026-01-05");
  EXPECT_EQ(Iso("2026/01/05"), "2026-01-05");
  EXPECT_EQ(Iso("12/28/2024 11:42 AM"), "2024-12-28");
  EXPECT_EQ(Iso("03/22/75"), "1975-03-22");
}

TEST(ParseDateTest, OrderAndValidity) {
  EXPECT_EQ(Iso("05/01/2026", DateOrder::kDayFirst), "2026-01-05");
  EXPECT_EQ(Iso("25/01/2026"), "2026-01-25");  // impossible month: read day first
  EXPECT_EQ(Iso("02/30/2026"), "none");
  EXPECT_EQ(Iso("13/13/2026"), "none");
  EXPECT_EQ(Iso("12/28-30/24"), "none");
  EXPECT_EQ(Iso("99213"), "none");
  EXPECT_EQ(Iso("January"), "none");
  EXPECT_EQ(Iso("01/05/2026 extra"), "none");
}

TEST(FindDateTest, InsideText) {
  size_t b = 0, e = 0;
  auto d = FindDate("Call us by November 10, 2026, to dispute", DateOrder::kMonthFirst, &b, &e);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->Iso(), "2026-11-10");
  EXPECT_EQ(b, 11u);
  EXPECT_FALSE(FindDate("Invoice 12345 for 3 items"));
}

TEST(ParseQuantityTest, Forms) {
  EXPECT_EQ(ParseQuantity("1"), 1.0);
  EXPECT_EQ(ParseQuantity("2.5"), 2.5);
  EXPECT_EQ(ParseQuantity("1.00 kg"), 1.0);
  EXPECT_EQ(ParseQuantity("x3"), 3.0);
  EXPECT_EQ(ParseQuantity("10 units"), 10.0);
  EXPECT_FALSE(ParseQuantity("$5.00"));
  EXPECT_FALSE(ParseQuantity("abc"));
}

TEST(CodeTest, Classify) {
  EXPECT_EQ(ClassifyCode("99213"), CodeType::kCpt);
  EXPECT_EQ(ClassifyCode("00790"), CodeType::kCpt);
  EXPECT_EQ(ClassifyCode("3074F"), CodeType::kCpt);
  EXPECT_EQ(ClassifyCode("0042T"), CodeType::kCpt);
  EXPECT_EQ(ClassifyCode("G0380"), CodeType::kHcpcs);
  EXPECT_EQ(ClassifyCode("J1100"), CodeType::kHcpcs);
  EXPECT_EQ(ClassifyCode("0450"), CodeType::kRevenue);
  EXPECT_EQ(ClassifyCode("00002143380"), CodeType::kNdc);
  EXPECT_EQ(ClassifyCode("0002-1433-80"), CodeType::kNdc);
  EXPECT_EQ(ClassifyCode("O1234"), CodeType::kNone);  // no O-codes in Level II
  EXPECT_EQ(ClassifyCode("9921"), CodeType::kNone);
  EXPECT_EQ(ClassifyCode("992134"), CodeType::kNone);
}

TEST(CodeTest, RevenueCodes) {
  EXPECT_EQ(NormalizeRevenueCode("450"), "0450");
  EXPECT_EQ(NormalizeRevenueCode("0450"), "0450");
  EXPECT_EQ(NormalizeRevenueCode("O45O"), "0450");
  EXPECT_FALSE(NormalizeRevenueCode("45"));
  EXPECT_FALSE(NormalizeRevenueCode("99213"));
}

TEST(CodeTest, Modifiers) {
  struct Case {
    const char* in;
    const char* code;
    std::vector<std::string> mods;
  };
  for (const Case& c : std::vector<Case>{{"99213-25", "99213", {"25"}},
                                         {"99213 25", "99213", {"25"}},
                                         {"99213-25-59", "99213", {"25", "59"}},
                                         {"27447-RT", "27447", {"RT"}},
                                         {"99213 mod 25", "99213", {"25"}},
                                         {"99213:25", "99213", {"25"}},
                                         {"g0380", "G0380", {}},
                                         {"992l3", "99213", {}},
                                         {"9921З", "", {}}}) {
    auto p = ParseCodeCell(c.in);
    if (std::string(c.code).empty()) {
      EXPECT_FALSE(p) << c.in;
      continue;
    }
    ASSERT_TRUE(p) << c.in;
    EXPECT_EQ(p->code, c.code) << c.in;
    EXPECT_EQ(p->modifiers, c.mods) << c.in;
  }
  EXPECT_EQ(ParseCodeCell("0002-1433-80")->code, "00002-1433-80");
  EXPECT_EQ(ParseCodeCell("0450")->type, CodeType::kRevenue);
  EXPECT_FALSE(ParseCodeCell("Office visit"));
  EXPECT_FALSE(ParseCodeCell("99213 office visit"));
}

TEST(CodeTest, RepairsOnlyCodeLikeTokens) {
  EXPECT_EQ(ParseCodeCell("99Z13")->code, "99213");
  EXPECT_EQ(ParseCodeCell("S9083")->code, "S9083");  // a real Level II S-code stays
  EXPECT_FALSE(ParseCodeCell("SURGERY"));
}

TEST(CodeTest, FindInText) {
  size_t b = 0, e = 0;
  auto c = FindCodeInText("CPT 99214 - Office Visit, Detailed", &b, &e);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->code, "99214");
  EXPECT_EQ(b, 0u);
  c = FindCodeInText("Office Visit (99214)", &b, &e);
  ASSERT_TRUE(c);
  EXPECT_EQ(std::string("Office Visit (99214)").substr(b, e - b), "(99214)");
  c = FindCodeInText("CT HEAD W/O CONTRAST 70450");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->code, "70450");
  c = FindCodeInText("Knee replacement 27447-RT");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->modifiers, std::vector<std::string>{"RT"});
  EXPECT_FALSE(FindCodeInText("Ibuprofen 600mg tablets"));
  EXPECT_FALSE(FindCodeInText("Paid $15,270.00"));
  EXPECT_FALSE(FindCodeInText("Call 12345-6789"));
}

TEST(LabelTest, Normalize) {
  EXPECT_EQ(NormalizeLabel("  Unit Price ($) "), "unit price");
  EXPECT_EQ(NormalizeLabel("Account #:"), "account #");
  EXPECT_EQ(NormalizeLabel("CPT/HCPCS"), "cpt/hcpcs");
  EXPECT_EQ(NormalizeLabel("Patient Resp."), "patient resp");
}

}  // namespace
}  // namespace billwise
