// AuditData tables: spot checks against ../shared/refdata/PROVENANCE.md, releases by date
// of service, and load failures.
#include "pipeline/audit/audit_data.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/audit/bills.h"

namespace billwise::testing {
namespace {

TEST(AuditDataTest, PtpSpotChecks) {
  const AuditData& d = Data();
  auto e = d.FindPtp("80053", "82947", NcciSetting::kPractitioner);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->modifier_indicator, 1);
  EXPECT_EQ(e->rationale, "Laboratory panel");
  EXPECT_EQ(e->edition, "NCCI PTP 2024Q3 (v30.2)");
  e = d.FindPtp("85025", "85027", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->modifier_indicator, 1);
  EXPECT_EQ(e->rationale, "More extensive procedure");
  e = d.FindPtp("80053", "80048", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->modifier_indicator, 0);
  EXPECT_EQ(e->rationale, "CPT Manual or CMS manual coding instruction");
  EXPECT_TRUE(d.FindPtp("G0463", "99213", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("99213", "36415", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("36415", "99213", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("82947", "80053", NcciSetting::kPractitioner));  // order matters
  // Practitioner-only pair; lower-case input is accepted.
  EXPECT_TRUE(d.FindPtp("47600", "99211", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("47600", "99211", NcciSetting::kOutpatientHospital));
  // A pair whose hospital rationale differs from the practitioner one.
  auto p = d.FindPtp("0238U", "81317", NcciSetting::kPractitioner);
  auto h = d.FindPtp("0238u", "81317", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(p && h);
  EXPECT_EQ(p->modifier_indicator, 0);
  EXPECT_EQ(h->modifier_indicator, 1);
  EXPECT_NE(p->rationale, h->rationale);
  EXPECT_FALSE(d.FindPtp("8005", "82947", NcciSetting::kPractitioner));
}

TEST(AuditDataTest, MueSpotChecks) {
  const AuditData& d = Data();
  auto m = d.FindMue("36415", NcciSetting::kPractitioner);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 2);
  EXPECT_EQ(m->mai, 3);
  m = d.FindMue("99285", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 2);
  EXPECT_EQ(m->edition, "NCCI MUE 2024Q3");
  m = d.FindMue("99285", NcciSetting::kPractitioner);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 1);
  EXPECT_TRUE(m->edition.starts_with("NCCI MUE 2026Q2 (practitioner; MAI 3 codes only)")) << m->edition;
  m = d.FindMue("85025", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 4);
  m = d.FindMue("J1885", NcciSetting::kDmeSupplier);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 0);
  m = d.FindMue("J0585", NcciSetting::kPractitioner);  // 600 in 2024 Q3, 800 in 2026 Q2
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 800);
  m = d.FindMue("0001U", NcciSetting::kPractitioner);  // listed in the 2026 Q3 excerpt
  ASSERT_TRUE(m);
  EXPECT_EQ(m->edition, "NCCI MUE 2026Q3 (practitioner; first 44 rows only)");
  EXPECT_FALSE(d.FindMue("ZZZZZ", NcciSetting::kPractitioner));
}

// Each line is checked against the MUE release in force on its date of service; when that
// release holds only part of CMS's table and lacks the code, the older value is used and the
// edition says so.
TEST(AuditDataTest, MueByDateOfService) {
  const AuditData& d = Data();
  auto m = d.FindMue("J0585", NcciSetting::kPractitioner, "2025-06-01");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 600);
  EXPECT_EQ(m->edition, "NCCI MUE 2024Q3");
  m = d.FindMue("J0585", NcciSetting::kPractitioner, "2026-05-01");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 800);
  EXPECT_EQ(m->edition, "NCCI MUE 2026Q2 (practitioner; MAI 3 codes only)");
  m = d.FindMue("0001U", NcciSetting::kPractitioner, "2026-05-01");  // MAI 2: not in the 2026 Q2 subset
  ASSERT_TRUE(m);
  EXPECT_EQ(m->mai, 2);
  EXPECT_EQ(m->edition,
            "NCCI MUE 2024Q3; the newer NCCI MUE 2026Q2 (practitioner; MAI 3 codes only) does not list the code");
  m = d.FindMue("99285", NcciSetting::kOutpatientHospital, "2026-05-01");  // hospital: only 2024 Q3 exists
  ASSERT_TRUE(m);
  EXPECT_EQ(m->edition, "NCCI MUE 2024Q3");
  auto p = d.FindPtp("80053", "82947", NcciSetting::kPractitioner, "2026-05-01");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->edition, "NCCI PTP 2024Q3 (v30.2)");
}

TEST(AuditDataTest, PanelsExpandNestedPanels) {
  auto c = Data().PanelComponents("80050");
  auto has = [&](const char* code) {
    return std::any_of(c.begin(), c.end(), [&](const PanelComponent& p) { return p.component == code; });
  };
  EXPECT_TRUE(has("80053"));
  EXPECT_TRUE(has("82947"));  // through 80053
  EXPECT_TRUE(has("84443"));
  EXPECT_TRUE(has("85027"));  // through the CBC alternatives
  EXPECT_TRUE(Data().PanelComponents("99213").empty());
  EXPECT_EQ(Data().PanelComponents("80053").size(), 14u);
}

TEST(AuditDataTest, PovertyGuidelines) {
  const AuditData& d = Data();
  auto g = d.FindPovertyGuideline(2026, "IL", 4);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(33000));
  g = d.FindPovertyGuideline(2025, "AK", 4);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(40190));
  g = d.FindPovertyGuideline(2026, "hi", 4);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(37950));
  g = d.FindPovertyGuideline(2026, "", 10);  // beyond the table: 15,960 + 9 x 5,680
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(67080));
  EXPECT_FALSE(d.FindPovertyGuideline(2019, "IL", 2));
  EXPECT_FALSE(d.FindPovertyGuideline(2026, "IL", 0));
  EXPECT_EQ(d.poverty_years(), (std::vector<int>{2025, 2026}));
}

TEST(AuditDataTest, TablesReportEditionsAndRows) {
  const auto& t = Data().tables();
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0].file, "reference database: ptp_2024q3.csv.gz");
  EXPECT_EQ(t[0].edition, "NCCI PTP 2024Q3 (v30.2)");
  EXPECT_EQ(t[0].rows, 1675639u);
}

TEST(AuditDataTest, MissingFolderIsNotFound) {
  auto d = AuditData::Load("/nonexistent/billwise-data");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kNotFound);
}

TEST(AuditDataTest, CorruptTableIsBadData) {
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("bw_audit_data_" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::copy(fs::path(BILLWISE_SOURCE_DIR) / "data", tmp / "data", fs::copy_options::recursive);
  {
    std::ofstream(tmp / "data" / "labs" / "lab_panel_components.csv", std::ios::app) << "80053,82947\n";
  }
  auto d = AuditData::Load(tmp.string());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kBadData);
  EXPECT_NE(d.error().message.find("lab_panel_components.csv"), std::string::npos) << d.error().message;
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace billwise::testing
