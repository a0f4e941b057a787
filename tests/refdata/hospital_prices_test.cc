#include "pipeline/refdata/hospital_prices.h"

#include <gtest/gtest.h>

#include <string>

namespace billwise {
namespace {

std::string Fixture(const std::string& name) { return std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/" + name; }

TEST(HospitalPricesTest, CmsTallCsv) {
  auto list = LoadHospitalPrices(Fixture("tall_v2.csv"));
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_EQ(list->hospital_name, "Example Community Hospital");
  EXPECT_EQ(list->last_updated, "2025-01-01");
  EXPECT_EQ(list->source, "tall_v2.csv");
  const StandardCharge* v = list->Find("99213");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->gross_min->cents, 25000);
  EXPECT_EQ(v->cash_max->cents, 17500);  // the -26 row with 999.00 is skipped
  EXPECT_EQ(list->Find("80053")->gross_max->cents, 121050);
  EXPECT_EQ(list->Find("36415")->cash_min->cents, 3000);
  EXPECT_FALSE(list->Find("G0463")->cash_min.has_value());
  EXPECT_EQ(list->Find("G0463")->gross_min->cents, 41000);
  EXPECT_EQ(list->Find("0110"), nullptr);   // revenue codes are not CPT/HCPCS
  EXPECT_EQ(list->Find("12345"), nullptr);  // CDM codes are skipped by type
}

TEST(HospitalPricesTest, CmsWideCsvKeepsMinAndMax) {
  auto list = LoadHospitalPrices(Fixture("wide_v2.csv"));
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_EQ(list->hospital_name, "Wide Example Medical Center");
  const StandardCharge* ct = list->Find("70450");
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(ct->gross_min->cents, 210000);
  EXPECT_EQ(ct->gross_max->cents, 230000);
  EXPECT_EQ(ct->cash_min->cents, 84000);
  EXPECT_EQ(ct->cash_max->cents, 92000);
  EXPECT_EQ(list->Find("J1885")->cash_min->cents, 2100);
}

TEST(HospitalPricesTest, PlainCsvWithCommonHeaders) {
  auto list = LoadHospitalPrices(Fixture("simple.csv"));
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_EQ(list->Find("71046")->cash_min->cents, 20000);
  EXPECT_EQ(list->Find("80061")->gross_min->cents, 115000);
  EXPECT_EQ(list->by_code.size(), 2u);
}

TEST(HospitalPricesTest, CmsJsonV2) {
  auto list = LoadHospitalPrices(Fixture("v2.json"));
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_EQ(list->hospital_name, "JSON Example Hospital");
  const StandardCharge* v = list->Find("99214");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->gross_min->cents, 39000);
  EXPECT_EQ(v->cash_min->cents, 26000);
  EXPECT_EQ(v->cash_max->cents, 27350);
  EXPECT_EQ(list->Find("76700")->cash_min->cents, 61200);
  EXPECT_EQ(list->by_code.size(), 2u);  // the NDC row is skipped
}

TEST(HospitalPricesTest, RejectsFilesWithoutPrices) {
  EXPECT_FALSE(ParseHospitalPrices("", "x").has_value());
  EXPECT_FALSE(ParseHospitalPrices("a,b,c\n1,2,3\n", "x").has_value());
  EXPECT_FALSE(ParseHospitalPrices("{\"x\": [1, 2", "x").has_value());
  auto missing = LoadHospitalPrices("/nonexistent/file.csv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace billwise
