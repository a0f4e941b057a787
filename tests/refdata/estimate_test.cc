#include "pipeline/refdata/estimate.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/refdata/test_data.h"

namespace billwise {
namespace {

const SettingPrice* Setting(const ServiceEstimate& s, const std::string& name) {
  for (const SettingPrice& p : s.settings) {
    if (p.setting == name) return &p;
  }
  return nullptr;
}

EstimateRequest Request(std::vector<std::string> codes, std::optional<std::string> zip = std::nullopt) {
  EstimateRequest r;
  for (const std::string& c : codes) r.services.push_back(*ParseServiceArgument(c));
  r.zip = zip;
  return r;
}

TEST(EstimateTest, ParsesServiceArguments) {
  auto a = ParseServiceArgument("99213x2");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->code, "99213");
  EXPECT_EQ(a->quantity, 2);
  auto b = ParseServiceArgument("71046-26");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->modifiers, std::vector<std::string>{"26"});
  auto c = ParseServiceArgument("j1885X4");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->code, "J1885");
  EXPECT_EQ(c->quantity, 4);
  EXPECT_FALSE(ParseServiceArgument("9921").has_value());
  EXPECT_FALSE(ParseServiceArgument("99213x").has_value());
  EXPECT_FALSE(ParseServiceArgument("99213x-1").has_value());
}

TEST(EstimateTest, OfficeVisitInEverySetting) {
  auto e = EstimateServices(TestData(), Request({"99213"}));
  ASSERT_TRUE(e.has_value()) << e.error().message;
  ASSERT_EQ(e->services.size(), 1u);
  const ServiceEstimate& s = e->services[0];
  ASSERT_NE(Setting(s, "office"), nullptr);
  EXPECT_EQ(Setting(s, "office")->amount.cents, 8895);
  ASSERT_NE(Setting(s, "hospital_outpatient"), nullptr);
  // G0463 facility $128.87 + professional facility $63.72.
  EXPECT_EQ(Setting(s, "hospital_outpatient")->amount.cents, 12887 + 6372);
  EXPECT_EQ(s.cheapest_setting, "office");
  EXPECT_EQ(s.saving->cents, 12887 + 6372 - 8895);
  EXPECT_EQ(s.saving_versus, "hospital_outpatient");
  EXPECT_EQ(s.fair_range->low.cents, 8895);
  EXPECT_EQ(s.fair_range->high.cents, 2 * (12887 + 6372));
  EXPECT_FALSE(s.descriptor.has_value());
  ASSERT_FALSE(e->alternatives.empty());
  EXPECT_NE(e->alternatives[0].question.find("office"), std::string::npos);
}

TEST(EstimateTest, ZipLocalityManhattan) {
  auto e = EstimateServices(TestData(), Request({"99213"}, "10001"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Setting(e->services[0], "office")->amount.cents, 10106);
  EXPECT_EQ(e->location.locality->Id(), "13202/01");
}

TEST(EstimateTest, LabImagingAndDrug) {
  auto e = EstimateServices(TestData(), Request({"80053", "71046", "J1442x300", "27447"}));
  ASSERT_TRUE(e.has_value());
  const ServiceEstimate& lab = e->services[0];
  ASSERT_EQ(lab.settings.size(), 1u);
  EXPECT_EQ(lab.settings[0].setting, "lab");
  EXPECT_EQ(lab.settings[0].amount.cents, 1056);
  EXPECT_EQ(lab.cheapest_setting, "lab");
  const ServiceEstimate& xray = e->services[1];
  EXPECT_EQ(Setting(xray, "office")->amount.cents, 3267);
  // OPPS 71046 $88.05 + professional -26 at facility $10.03.
  EXPECT_EQ(Setting(xray, "hospital_outpatient")->amount.cents, 8805 + 1003);
  const ServiceEstimate& drug = e->services[2];
  ASSERT_NE(Setting(drug, "hospital_outpatient"), nullptr);
  EXPECT_EQ(Setting(drug, "hospital_outpatient")->amount.cents, 29850);
  ASSERT_TRUE(drug.descriptor.has_value());
  bool biosimilar = false;
  for (const Alternative& a : e->alternatives) {
    if (a.code == "J1442" && a.question.find("Q5") != std::string::npos) biosimilar = true;
  }
  EXPECT_TRUE(biosimilar);
  const ServiceEstimate& knee = e->services[3];
  EXPECT_EQ(Setting(knee, "office"), nullptr);  // NA in an office
  bool asc_note = false;
  for (const std::string& n : knee.notes) asc_note = asc_note || n.starts_with("asc:");
  EXPECT_TRUE(asc_note);
  ASSERT_TRUE(e->total_fair_range.has_value());
}

TEST(EstimateTest, LowAcuityEmergencyVisitSuggestsOfficeVisit) {
  auto e = EstimateServices(TestData(), Request({"99283"}));
  ASSERT_TRUE(e.has_value());
  const SettingPrice* ed = Setting(e->services[0], "hospital_outpatient");
  ASSERT_NE(ed, nullptr);
  EXPECT_GT(ed->amount.cents, 27689);  // OPPS $276.89 plus the professional amount
  bool office = false;
  for (const Alternative& a : e->alternatives) office = office || a.question.find("99213") != std::string::npos;
  EXPECT_TRUE(office);
}

TEST(EstimateTest, HospitalPricesFromPriceFileOrSlice) {
  auto req = Request({"99213", "80053x2"});
  auto list = std::make_shared<HospitalPriceList>();
  list->hospital_name = "Example";
  list->source = "example.csv";
  list->by_code["80053"] = StandardCharge{Money{12000}, Money{12000}, Money{4000}, Money{4000}};
  req.hospital_prices = list;
  auto e = EstimateServices(TestData(), req);
  ASSERT_TRUE(e.has_value());
  EXPECT_FALSE(e->services[0].hospital.has_value());
  ASSERT_TRUE(e->services[1].hospital.has_value());
  EXPECT_EQ(e->services[1].hospital->cash_min->cents, 8000);  // x2
  // Absent file: no hospital prices, no failure.
  auto plain = EstimateServices(TestData(), Request({"80053"}));
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->services[0].hospital.has_value());
  // Bundled slice, by CCN.
  auto slice = Request({"99213"});
  slice.hospital = "020001";
  auto s = EstimateServices(TestData(), slice);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ASSERT_TRUE(s->services[0].hospital.has_value());
  EXPECT_EQ(s->services[0].hospital->gross_min->cents, 26400);
  EXPECT_EQ(s->services[0].hospital->cash_min->cents, 20592);
  auto none = Request({"99213"});
  none.hospital = "no such hospital anywhere";
  EXPECT_FALSE(EstimateServices(TestData(), none).has_value());
}

TEST(EstimateTest, JsonKeysAreStable) {
  auto e = EstimateServices(TestData(), Request({"99213", "G0463"}, "10001"));
  ASSERT_TRUE(e.has_value());
  auto j = nlohmann::json::parse(EstimateToJson(*e));
  ASSERT_TRUE(j["services"].is_array());
  const auto& s = j["services"][0];
  EXPECT_EQ(s["code"], "99213");
  EXPECT_EQ(s["quantity"], 1);
  EXPECT_TRUE(s["descriptor"].is_null());
  EXPECT_EQ(s["cheapest_setting"], "office");
  EXPECT_DOUBLE_EQ(s["settings"][0]["amount"].get<double>(), 101.06);
  EXPECT_TRUE(s["settings"][0]["basis"].is_string());
  EXPECT_TRUE(s["fair_range"]["low"].is_number());
  EXPECT_TRUE(s["fair_range"]["high"].is_number());
  EXPECT_TRUE(s["fair_range"]["basis"].is_string());
  EXPECT_EQ(j["services"][1]["descriptor"], "Hospital outpatient clinic visit for assessment and management of a patient");
  EXPECT_EQ(j["locality"]["mac"], "13202");
  EXPECT_EQ(j["locality"]["locality"], "01");
  EXPECT_TRUE(j["total_fair_range"]["low"].is_number());
  EXPECT_FALSE(EstimateToText(*e).empty());
}

TEST(EstimateTest, RejectsBadRequests) {
  EXPECT_FALSE(EstimateServices(TestData(), EstimateRequest{}).has_value());
  auto r = Request({"99213"});
  r.year = 2019;
  EXPECT_EQ(EstimateServices(TestData(), r).error().code, ErrorCode::kUsage);
}

}  // namespace
}  // namespace billwise
