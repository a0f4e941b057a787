#include "pipeline/refdata/reference_data.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/refdata/test_data.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

TEST(ReferenceDataTest, LoadsEveryTable) {
  const ReferenceData& d = TestData();
  EXPECT_GT(d.rvu_count(), 19000u);
  EXPECT_GT(d.zip_count(), 42000u);
  EXPECT_GT(d.cash_price_count(), 80000u);
  EXPECT_EQ(d.localities().size(), 109u);
  EXPECT_DOUBLE_EQ(*d.PfsConversionFactor(2025), 32.3465);
  EXPECT_DOUBLE_EQ(*d.PfsConversionFactor(2026), 33.4009);
  EXPECT_DOUBLE_EQ(*d.AnesthesiaConversionFactor(2025), 20.3178);
  EXPECT_FALSE(d.PfsConversionFactor(2019).has_value());
}

TEST(ReferenceDataTest, RvuRowsByCodeAndModifier) {
  const ReferenceData& d = TestData();
  const PfsRvu* r = d.FindRvu("99213");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, 'A');
  EXPECT_DOUBLE_EQ(r->work, 1.30);
  EXPECT_DOUBLE_EQ(r->pe_nonfacility, 1.35);
  EXPECT_DOUBLE_EQ(r->pe_facility, 0.57);
  EXPECT_DOUBLE_EQ(r->malpractice, 0.10);
  ASSERT_NE(d.FindRvu("71046", "26"), nullptr);
  ASSERT_NE(d.FindRvu("71046", "TC"), nullptr);
  EXPECT_EQ(d.FindRvu("99213", "26"), nullptr);
  EXPECT_EQ(d.FindRvu("ZZZZZ"), nullptr);
}

TEST(ReferenceDataTest, GpciByLocalityAndYear) {
  const ReferenceData& d = TestData();
  const Locality* manhattan = d.FindLocality("13202", "01");
  ASSERT_NE(manhattan, nullptr);
  EXPECT_EQ(manhattan->state, "NY");
  EXPECT_EQ(manhattan->name, "Manhattan");
  EXPECT_EQ(manhattan->Label(), "13202/01 (Manhattan, NY)");
  const Gpci* g25 = d.FindGpci(2025, *manhattan);
  const Gpci* g26 = d.FindGpci(2026, *manhattan);
  ASSERT_NE(g25, nullptr);
  ASSERT_NE(g26, nullptr);
  EXPECT_DOUBLE_EQ(g25->work, 1.065);
  EXPECT_DOUBLE_EQ(g25->pe, 1.166);
  EXPECT_DOUBLE_EQ(g25->mp, 1.656);
  EXPECT_EQ(d.FindGpci(2024, *manhattan), nullptr);
  const Locality* alaska = d.FindLocality("02102", "01");
  ASSERT_NE(alaska, nullptr);
  EXPECT_EQ(alaska->name, "Alaska");  // CMS's '*' floor marker removed
  EXPECT_DOUBLE_EQ(d.FindGpci(2025, *alaska)->work, 1.5);
  ASSERT_TRUE(alaska->anesthesia_cf.has_value());
}

TEST(ReferenceDataTest, ZipToLocality) {
  const ReferenceData& d = TestData();
  struct Case { const char* zip; const char* mac; const char* loc; } cases[] = {
      {"10001", "13202", "01"}, {"35004", "10112", "00"}, {"90210", "01182", "18"},
      {"99501", "02102", "01"}, {"77030", "04412", "18"}};
  for (const Case& c : cases) {
    const ZipLocality* z = d.FindZip(c.zip);
    ASSERT_NE(z, nullptr) << c.zip;
    EXPECT_EQ(z->mac, c.mac) << c.zip;
    EXPECT_EQ(z->locality, c.loc) << c.zip;
  }
  // Rows written in the compact form (repeating the previous ZIP) expand correctly.
  const ZipLocality* z = d.FindZip("00211");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->state, "NH");
  EXPECT_EQ(z->mac, "14312");
  EXPECT_EQ(d.FindZip("00000"), nullptr);
  EXPECT_EQ(d.FindZip("99999"), nullptr);
}

TEST(ReferenceDataTest, StateLocalities) {
  const ReferenceData& d = TestData();
  EXPECT_EQ(d.LocalitiesInState("NY").size(), 5u);
  EXPECT_EQ(d.LocalitiesInState("AL").size(), 1u);
  const Locality* ny = d.StateDefaultLocality("ny");
  ASSERT_NE(ny, nullptr);
  EXPECT_EQ(ny->Id(), "13282/99");  // rest of New York
  EXPECT_EQ(d.StateDefaultLocality("AL")->Id(), "10112/00");
  EXPECT_EQ(d.StateDefaultLocality("ZZ"), nullptr);
}

TEST(ReferenceDataTest, OppsClfsHcpcs) {
  const ReferenceData& d = TestData();
  const OppsRate* g = d.FindOpps("G0463");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->apc, "5012");
  EXPECT_DOUBLE_EQ(*g->payment_rate, 128.87);
  std::optional<ClfsFee> c = d.FindClfsFee("80053", "");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->rate.cents, 1056);
  const HcpcsDescriptor* h = d.FindHcpcs("J1885");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->long_desc, "Injection, ketorolac tromethamine, per 15 mg");
  // No CPT descriptor text is shipped.
  EXPECT_EQ(d.FindHcpcs("99213"), nullptr);
}

TEST(ReferenceDataTest, HospitalSlice) {
  const ReferenceData& d = TestData();
  const HospitalInfo* h = d.FindHospital("020001");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->name, "PROVIDENCE ALASKA MEDICAL CENTER");
  HospitalPriceList list = d.CashSlice(*h);
  const StandardCharge* c = list.Find("99213");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->gross_min->cents, 26400);
  EXPECT_EQ(c->cash_min->cents, 20592);
  auto by_name = d.FindHospitalsByName("providence alaska", "AK");
  ASSERT_FALSE(by_name.empty());
  EXPECT_EQ(by_name[0]->ccn, "020001");
}

// A malformed row is reported with its file and line.
TEST(ReferenceDataTest, BadRowNamesFileAndLine) {
  fs::path tmp = fs::temp_directory_path() / "billwise_refdata_bad";
  fs::remove_all(tmp);
  fs::create_directories(tmp / "data");
  fs::copy(fs::path(BILLWISE_SOURCE_DIR) / "data", tmp / "data", fs::copy_options::recursive);
  {
    std::ofstream out(tmp / "data/cms/pfs_gpci_2025.csv", std::ios::app);
    out << "99999,ZZ,01,NOWHERE,1,abc,1\n";
  }
  auto d = ReferenceData::Load(tmp.string());
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, ErrorCode::kBadData);
  EXPECT_NE(d.error().message.find("pfs_gpci_2025.csv line 111"), std::string::npos) << d.error().message;
  fs::remove(tmp / "data/cms/pfs_conversion_factors.csv");
  auto missing = ReferenceData::Load(tmp.string());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  fs::remove_all(tmp);
}

// Rows read from the database are kept: a second lookup returns the same row, so pointers
// stay valid for the life of the ReferenceData.
TEST(ReferenceDataTest, LookupsKeepTheRowsTheyRead) {
  const ReferenceData& d = TestData();
  const PfsRvu* first = d.FindRvu("71046", "26");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(d.FindRvu("71046", "26"), first);
  EXPECT_EQ(d.FindOpps("G0463"), d.FindOpps("G0463"));
  EXPECT_EQ(d.FindRvu("ZZZZZ"), nullptr);
  EXPECT_EQ(d.FindRvu("ZZZZZ"), nullptr);
  EXPECT_GT(d.hcpcs().size(), 8000u);
  EXPECT_TRUE(d.Status());
}

}  // namespace
}  // namespace billwise
