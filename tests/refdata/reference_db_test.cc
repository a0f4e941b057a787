// The built reference database (BILLWISE_REFERENCE_DB, made from data/cms by refdb_build),
// checked against the spot values CMS publishes (../shared/refdata/incoming/PROVENANCE.md),
// and the import of release files by their columns.
#include "pipeline/refdata/reference_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <utility>
#include <vector>

#include "pipeline/refdata/reference_db_build.h"

namespace billwise {
namespace {

const ReferenceDb& Db() {
  static ReferenceDb* db = [] {
    auto opened = ReferenceDb::Open(BILLWISE_REFERENCE_DB);
    if (!opened) {
      ADD_FAILURE() << opened.error().message;
      return static_cast<ReferenceDb*>(nullptr);
    }
    return new ReferenceDb(std::move(*opened));
  }();
  return *db;
}

TEST(ReferenceDb, AspLimitsPerBillingUnit) {
  auto j1885 = Db().FindAspLimit("J1885");
  ASSERT_TRUE(j1885.has_value()) << j1885.error().message;
  ASSERT_TRUE(j1885->has_value());
  EXPECT_EQ((*j1885)->limit_mills, 303);  // ketorolac, $0.303 per 15 mg
  EXPECT_EQ((*j1885)->dosage, "15 MG");
  EXPECT_DOUBLE_EQ(*(*j1885)->coinsurance_pct, 20.0);
  EXPECT_EQ((*j1885)->For(4)->cents, 121);  // 4 x 0.303 = 1.212, rounded once
  EXPECT_EQ((*j1885)->release, "CMS ASP payment limits 2025 Q4 (Oct 2025)");

  auto j9271 = Db().FindAspLimit("J9271", "2025-11-15");
  ASSERT_TRUE(j9271 && *j9271);
  EXPECT_EQ((*j9271)->limit_mills, 60291);  // pembrolizumab, $60.291 per mg
  auto j0897 = Db().FindAspLimit("J0897");
  ASSERT_TRUE(j0897 && *j0897);
  EXPECT_EQ((*j0897)->limit_mills, 29380);
  EXPECT_NEAR(*(*j0897)->coinsurance_pct, 17.508, 1e-9);
  EXPECT_EQ((*j0897)->notes, "Inflation-adjusted coinsurance");
  auto j0585 = Db().FindAspLimit("J0585");
  ASSERT_TRUE(j0585 && *j0585);
  EXPECT_EQ((*j0585)->limit_mills, 6497);
  auto unlimited = Db().FindAspLimit("A9606");  // CMS lists "N/A"
  ASSERT_TRUE(unlimited && *unlimited);
  EXPECT_FALSE((*unlimited)->limit_mills.has_value());
  EXPECT_FALSE((*unlimited)->For(1).has_value());
  auto none = Db().FindAspLimit("99213");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST(ReferenceDb, AscAddendumAaNationalRates) {
  struct Spot {
    const char* code;
    int64_t cents;
  };
  for (Spot s : {Spot{"66984", 125573}, Spot{"45378", 51049}, Spot{"43239", 49785}, Spot{"29881", 164487},
                 Spot{"64483", 48551}}) {
    auto rate = Db().FindAscRate(s.code);
    ASSERT_TRUE(rate && *rate) << s.code;
    ASSERT_TRUE((*rate)->national_rate.has_value()) << s.code;
    EXPECT_EQ((*rate)->national_rate->cents, s.cents) << s.code;
  }
  auto cataract = Db().FindAscRate("66984");
  EXPECT_EQ((*cataract)->payment_indicator, "A2");
  EXPECT_NEAR(*(*cataract)->weight, 22.2955, 1e-9);
  auto packaged = Db().FindAscRate("0095T");
  ASSERT_TRUE(packaged && *packaged);
  EXPECT_EQ((*packaged)->payment_indicator, "N1");
  EXPECT_FALSE((*packaged)->national_rate.has_value());
}

TEST(ReferenceDb, HospitalTypeAndOwnershipByCcn) {
  auto nyp = Db().FindHospital("330101");
  ASSERT_TRUE(nyp && *nyp);
  EXPECT_EQ((*nyp)->type, "Acute Care Hospitals");
  EXPECT_TRUE((*nyp)->NonProfit());
  auto dothan = Db().FindHospital("010001");
  ASSERT_TRUE(dothan && *dothan);
  EXPECT_EQ((*dothan)->name, "SOUTHEAST HEALTH MEDICAL CENTER");
  EXPECT_EQ((*dothan)->city, "DOTHAN");
  EXPECT_FALSE((*dothan)->NonProfit());  // government: hospital district or authority
  auto methodist = Db().FindHospital("450388");
  ASSERT_TRUE(methodist && *methodist);
  EXPECT_EQ((*methodist)->ownership, "Proprietary");
  EXPECT_FALSE((*methodist)->NonProfit());
  auto providence = Db().FindHospital("020001");
  ASSERT_TRUE(providence && *providence);
  EXPECT_TRUE((*providence)->NonProfit());
}

TEST(ReferenceDb, HospitalsByNameCityAndState) {
  auto found = Db().FindHospitalsByName("southeast health", "al", "dothan");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().ccn, "010001");
  auto elsewhere = Db().FindHospitalsByName("southeast health", "NY");
  ASSERT_TRUE(elsewhere);
  EXPECT_TRUE(elsewhere->empty());
}

// CLFS 2026 Q1 spot values (incoming/PROVENANCE.md §1); 2025 dates use the 2025 release.
TEST(ReferenceDb, ClfsByDateOfService) {
  struct Spot {
    const char* code;
    int64_t cents;
  };
  for (Spot s : {Spot{"80053", 1056}, Spot{"85025", 777}, Spot{"84443", 1680}, Spot{"80061", 1339},
                 Spot{"36415", 934}}) {
    auto fee = Db().FindClfs(s.code, "", "2026-02-10");
    ASSERT_TRUE(fee && *fee) << s.code;
    EXPECT_EQ((*fee)->rate.cents, s.cents) << s.code;
    EXPECT_EQ((*fee)->release, "CMS CLFS 2026 Q1 (26CLABQ1)");
  }
  auto venipuncture_2025 = Db().FindClfs("36415", "", "2025-06-01");
  ASSERT_TRUE(venipuncture_2025 && *venipuncture_2025);
  EXPECT_EQ((*venipuncture_2025)->rate.cents, 909);  // 2025 Q2 had $9.09
  EXPECT_EQ((*venipuncture_2025)->release_effective_from, "2025-01-01");
  auto waived = Db().FindClfs("80053", "QW", "2026-02-10");
  ASSERT_TRUE(waived && *waived);
  EXPECT_EQ((*waived)->modifier, "QW");
  auto unmodified = Db().FindClfs("80053", "XX", "2026-02-10");  // falls back to the code's own row
  ASSERT_TRUE(unmodified && *unmodified);
  EXPECT_EQ((*unmodified)->modifier, "");
  EXPECT_FALSE(Db().FindClfs("99213", "", "2026-02-10")->has_value());
}

// DMEPOS and PEN January 2026 spot values (incoming/PROVENANCE.md §2).
TEST(ReferenceDb, DmeposByStateAndRural) {
  auto cpap = Db().FindDmepos("E0601", "CA", "2026-02-01");
  ASSERT_TRUE(cpap) << cpap.error().message;
  ASSERT_EQ(cpap->size(), 1u);
  EXPECT_EQ(cpap->front().modifier, "RR");
  EXPECT_EQ(cpap->front().category, "CR");
  EXPECT_EQ(cpap->front().nonrural->cents, 5044);
  EXPECT_EQ(cpap->front().rural->cents, 9304);
  auto wheelchair = Db().FindDmepos("K0001", "CA");
  ASSERT_TRUE(wheelchair);
  bool found = false;
  for (const DmeposFee& f : *wheelchair) {
    if (f.modifier == "RR") {
      found = true;
      EXPECT_EQ(f.nonrural->cents, 2796);
      EXPECT_EQ(f.rural->cents, 5364);
    }
  }
  EXPECT_TRUE(found);
  auto cane = Db().FindDmepos("E0114", "CA");
  ASSERT_TRUE(cane);
  for (const DmeposFee& f : *cane) {
    if (f.modifier == "RR") EXPECT_EQ(f.nonrural->cents, 1221);  // the ceiling, $12.21
  }
  auto enteral = Db().FindDmepos("B4035", "AL");
  ASSERT_TRUE(enteral);
  ASSERT_EQ(enteral->size(), 1u);
  EXPECT_EQ(enteral->front().nonrural->cents, 709);
  EXPECT_EQ(enteral->front().release, "CMS PEN fee schedule January 2026");
  EXPECT_EQ(enteral->front().category, "");
  EXPECT_TRUE(Db().FindDmepos("99213", "CA")->empty());
}

// CY2022 base units (incoming/PROVENANCE.md §6).
TEST(ReferenceDb, AnesthesiaBaseUnits) {
  for (auto [code, units] : std::vector<std::pair<const char*, int>>{
           {"00100", 5}, {"00142", 4}, {"00790", 7}, {"00811", 4}, {"00812", 3}, {"00840", 6}, {"01402", 7},
           {"01967", 5}}) {
    auto base = Db().FindAnesthesiaBase(code, "2026-03-01");
    ASSERT_TRUE(base && *base) << code;
    EXPECT_EQ((*base)->base_units, units) << code;
  }
  EXPECT_FALSE(Db().FindAnesthesiaBase("99213")->has_value());
}

TEST(ReferenceDb, EachTableListsItsRelease) {
  auto releases = Db().Releases();
  ASSERT_TRUE(releases) << releases.error().message;
  ASSERT_EQ(releases->size(), 17u);
  for (const TableRelease& r : *releases) {
    EXPECT_GT(r.rows, 0) << r.table;
    EXPECT_FALSE(r.effective_from.empty()) << r.table;
  }
}

// Published spot values (../shared/refdata/PROVENANCE.md) of the tables loaded from their CSV
// form: PFS RVUs, OPPS, the OPPS caps, HCPCS Level II, ZIP localities, MUE and PTP.
TEST(ReferenceDb, CodeTablesSpotValues) {
  auto rvus = Db().FindRvus("71046");
  ASSERT_TRUE(rvus) << rvus.error().message;
  ASSERT_EQ(rvus->size(), 3u);  // global, -26, -TC
  EXPECT_EQ((*rvus)[0].modifier, "");
  EXPECT_EQ((*rvus)[1].modifier, "26");
  EXPECT_EQ((*rvus)[2].modifier, "TC");
  auto visit = Db().FindRvus("99213");
  ASSERT_TRUE(visit && visit->size() == 1u);
  EXPECT_EQ((*visit)[0].status, 'A');
  EXPECT_EQ((*visit)[0].global_days, "XXX");
  auto g0463 = Db().FindOpps("G0463");
  ASSERT_TRUE(g0463 && g0463->has_value());
  EXPECT_EQ((*g0463)->apc, "5012");
  EXPECT_DOUBLE_EQ(*(*g0463)->payment_rate, 128.87);
  auto a4341 = Db().FindOpps("A4341");  // published with a stray byte after the code
  ASSERT_TRUE(a4341 && a4341->has_value());
  auto cap = Db().FindOppsCap("0633T", "TC", "01112", "05");
  ASSERT_TRUE(cap && cap->has_value());
  EXPECT_EQ((*cap)->facility.cents, 15069);
  auto j1885 = Db().FindHcpcs("J1885");
  ASSERT_TRUE(j1885 && j1885->has_value());
  EXPECT_EQ((*j1885)->long_desc, "Injection, ketorolac tromethamine, per 15 mg");
  auto modifier = Db().FindHcpcs("A1");  // modifiers are not codes
  ASSERT_TRUE(modifier);
  EXPECT_FALSE(modifier->has_value());
  for (auto [zip, carrier, locality] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"10001", "13202", "01"}, {"35004", "10112", "00"}, {"90210", "01182", "18"},
           {"99501", "02102", "01"}, {"77030", "04412", "18"}}) {
    auto z = Db().FindZip(zip);
    ASSERT_TRUE(z && z->has_value()) << zip;
    EXPECT_EQ((*z)->mac, carrier) << zip;
    EXPECT_EQ((*z)->locality, locality) << zip;
  }
  auto mue = Db().FindMues("85025", "outpatient_hospital");
  ASSERT_TRUE(mue && mue->size() == 1u);
  EXPECT_EQ((*mue)[0].value, 4);
  EXPECT_EQ((*mue)[0].mai, 3);
  auto ptp = Db().FindPtp("80053", "80048");
  ASSERT_TRUE(ptp && ptp->has_value());
  EXPECT_EQ((*ptp)->prac_mod, 0);
  EXPECT_EQ((*ptp)->oph_mod, 0);
  EXPECT_EQ((*ptp)->release, "NCCI PTP 2024Q3 (v30.2)");
  auto none = Db().FindPtp("99213", "36415");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

// MUE releases by date of service: the newest in force that lists the code, newest first.
TEST(ReferenceDb, MueReleasesByDateOfService) {
  auto j0585 = Db().FindMues("J0585", "practitioner", "2026-05-01");
  ASSERT_TRUE(j0585 && j0585->size() == 2u);
  EXPECT_EQ((*j0585)[0].value, 800);  // 2026 Q2
  EXPECT_EQ((*j0585)[1].value, 600);  // 2024 Q3
  auto before = Db().FindMues("J0585", "practitioner", "2025-05-01");
  ASSERT_TRUE(before && before->size() == 1u);
  EXPECT_EQ((*before)[0].value, 600);
  auto early = Db().FindMues("J0585", "practitioner", "2020-01-01");  // before every release: the oldest
  ASSERT_TRUE(early && early->size() == 1u);
  EXPECT_EQ((*early)[0].release, "NCCI MUE 2024Q3");
}

TEST(ReferenceDb, MissingOrForeignFileIsAClearError) {
  auto missing = ReferenceDb::Open("/nonexistent/reference.sqlite");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto not_db = ReferenceDb::Open(std::string(BILLWISE_SOURCE_DIR) + "/data/cms/releases.csv");
  ASSERT_FALSE(not_db);
  EXPECT_NE(not_db.error().message.find("releases.csv"), std::string::npos);
}

// A scratch database file removed at the end of the test.
class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("refdb_test_" + std::to_string(::getpid()) + ".sqlite")).string();
    sqlite::OpenOptions options;
    options.wal = false;
    auto db = sqlite::Database::Open(path_, options);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(CreateReferenceSchema(db_));
  }
  void TearDown() override {
    db_ = sqlite::Database();
    std::filesystem::remove(path_);
  }
  std::string path_;
  sqlite::Database db_;
};

TEST_F(ImportTest, UnknownFileNamesWhatWasExpected) {
  std::string file = path_ + ".csv";
  std::ofstream(file) << "code,price\n99213,100\n";
  auto result = ImportReleaseFile(db_, file, {"x", "2026-01-01", ""});
  std::filesystem::remove(file);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(result.error().message.find(file), std::string::npos);
  EXPECT_NE(result.error().message.find("ASC Addendum AA"), std::string::npos);
  EXPECT_NE(result.error().message.find("Hospital General Information"), std::string::npos);
}

TEST_F(ImportTest, BadRowNamesFileAndLine) {
  std::string file = path_ + ".csv";
  std::ofstream(file) << "Title,,,,\n,,,,\nHCPCS Code,HCPCS Code Dosage,Payment Limit,Co-insurance Percentage,Notes\n"
                         "J1885,15 MG,0.303,20.000,\nJ1100,1 MG,abc,20.000,\n";
  auto result = ImportReleaseFile(db_, file, {"x", "2026-01-01", ""});
  std::filesystem::remove(file);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("line 5"), std::string::npos) << result.error().message;
  // The transaction rolled back: nothing of the bad file is left.
  EXPECT_EQ(db_.QueryInt("SELECT count(*) FROM asp_limit")->value_or(-1), 0);
}

TEST_F(ImportTest, CsvFormOfACodeTableChecksItsCells) {
  std::string file = path_ + ".csv";
  std::ofstream(file) << "hcpcs,setting,mue_value,mai,rationale\n36415,practitioner,2,3,Clinical\n"
                         "99213,practitioner,lots,3,Clinical\n";
  auto result = ImportReleaseFile(db_, file, {"x", "2026-01-01", ""});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(file + " line 3: bad number in mue_value"), std::string::npos)
      << result.error().message;
  std::ofstream(file, std::ios::trunc) << "hcpcs,mue_value,mai\n36415,2,3\n";
  auto ok = ImportReleaseFile(db_, file, {"x", "2026-01-01", ""});
  std::filesystem::remove(file);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "mue");
  EXPECT_EQ(db_.QueryInt("SELECT count(*) FROM mue WHERE setting = 'practitioner'")->value_or(-1), 1);
}

// The published originals import as they are (preamble, Windows-1252, CPT columns present);
// a second release is chosen by date of service.
TEST_F(ImportTest, PublishedOriginalsAndReleaseByDate) {
  const std::string incoming = std::string(BILLWISE_SHARED_DIR) + "/refdata/incoming";
  if (!std::filesystem::exists(incoming + "/asp_2025_q4/asp_pricing.csv")) GTEST_SKIP() << "no ../shared";
  auto asp = ImportReleaseFile(db_, incoming + "/asp_2025_q4/asp_pricing.csv", {"ASP 2025 Q4", "2025-10-01", ""});
  ASSERT_TRUE(asp) << asp.error().message;
  EXPECT_EQ(*asp, "asp_limit");
  std::string later = path_ + ".csv";
  std::ofstream(later) << "HCPCS Code,HCPCS Code Dosage,Payment Limit,Co-insurance Percentage,Notes\n"
                          "J1885,15 MG,0.400,20.000,\n";
  ASSERT_TRUE(ImportReleaseFile(db_, later, {"ASP 2026 Q1", "2026-01-01", ""}));
  std::filesystem::remove(later);
  // Addendum BB lacks AA's multiple-procedure column: recognised as BB, into the same table.
  auto bb = ImportReleaseFile(db_, incoming + "/asc_2026_q2/BB.csv", {"BB", "2026-04-01", ""});
  ASSERT_TRUE(bb) << bb.error().message;
  EXPECT_EQ(*bb, "asc_rate");
  EXPECT_EQ(db_.QueryInt("SELECT count(*) FROM asc_rate WHERE release = 'BB'")->value_or(-1), 2526);
  // The anesthesia base units as CMS publishes them: tab-separated, a header over three lines.
  auto anes = ImportReleaseFile(db_, incoming + "/anesthesia_base_units_2022/CY_2022_Anesthesia_Base_Units_110921.txt",
                                {"ANES 2022", "2022-01-01", "2022-12-31"});
  ASSERT_TRUE(anes) << anes.error().message;
  EXPECT_EQ(*anes, "anesthesia_base");
  db_ = sqlite::Database();

  auto db = ReferenceDb::Open(path_);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db->FindAspLimit("J1885", "2025-12-01"))->limit_mills, 303);
  EXPECT_EQ((*db->FindAspLimit("J1885", "2026-02-01"))->limit_mills, 400);
  EXPECT_EQ((*db->FindAspLimit("J1885", ""))->release, "ASP 2026 Q1");
  EXPECT_EQ((*db->FindAspLimit("J1885", "2024-01-01"))->release, "ASP 2025 Q4");  // before all: oldest
  EXPECT_EQ((*db->FindAspLimit("J0585", "2025-11-01"))->limit_mills, 6497);
}

// Small cuts of CMS's release files in their published layout (tests/refdata/fixtures/cms,
// README there): each is recognised by its header, dated by what it states, and its rows give
// the spot values of the project's reference-data notes.
class PublishedLayoutTest : public ImportTest {
 protected:
  // Imports a fixture with the dates it states; returns the table it went into ("" on error).
  std::string Import(const std::string& name, ReleaseInfo* used) {
    auto table = ImportReleaseFile(db_, std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/cms/" + name,
                                   {}, used);
    EXPECT_TRUE(table) << name << ": " << table.error().message;
    return table ? *table : "";
  }
};

TEST_F(PublishedLayoutTest, EachTableFromItsPublishedForm) {
  ReleaseInfo rvu, opps, aa, bb, mue;
  // PFS RVU: the header is written over five rows under a title and notes.
  EXPECT_EQ(Import("PPRRVU25_OCT.csv", &rvu), "pfs_rvu");
  EXPECT_EQ(rvu.effective_from, "2025-10-01");  // "2025 ... October Release"
  // OPPS Addendum B: tab-separated Latin-1 text, "$" amounts and "." for none.
  EXPECT_EQ(Import("2025 NFRM Addendum B.11122024.txt", &opps), "opps_rate");
  EXPECT_EQ(opps.effective_from, "2025-01-01");  // "for CY 2025"
  EXPECT_EQ(Import("AA.csv", &aa), "asc_rate");
  EXPECT_EQ(Import("BB.csv", &bb), "asc_rate");
  EXPECT_EQ(bb.effective_from, "2026-04-01");
  // MUE: the header's first cell spans two lines; the date is in CMS's file name.
  EXPECT_EQ(Import("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", &mue), "mue");
  EXPECT_EQ(mue.effective_from, "2026-07-01");
  db_ = sqlite::Database();

  auto db = ReferenceDb::Open(path_);
  ASSERT_TRUE(db) << db.error().message;
  auto rvus = db->FindRvus("99213");
  ASSERT_TRUE(rvus && rvus->size() == 1u);
  const PfsRvu& r = rvus->front();
  EXPECT_EQ(r.status, 'A');
  EXPECT_DOUBLE_EQ(r.work, 1.30);
  EXPECT_DOUBLE_EQ(r.pe_nonfacility, 1.35);
  EXPECT_DOUBLE_EQ(r.pe_facility, 0.57);
  EXPECT_DOUBLE_EQ(r.malpractice, 0.10);
  // 2.75 RVU x 32.3465 = $88.95 national non-facility (the notes' spot value).
  EXPECT_EQ(std::llround((r.work + r.pe_nonfacility + r.malpractice) * 32.3465 * 100), 8895);
  auto ecg = db->FindRvus("93000");
  ASSERT_TRUE(ecg && ecg->size() == 1u);
  EXPECT_TRUE(ecg->front().facility_na);  // "NA" in the FACILITY NA INDICATOR column
  EXPECT_EQ(ecg->front().pctc, 4);

  auto g0463 = db->FindOpps("G0463");
  ASSERT_TRUE(g0463 && g0463->has_value());
  EXPECT_EQ((*g0463)->apc, "5012");
  EXPECT_DOUBLE_EQ(*(*g0463)->payment_rate, 128.87);
  auto capped = db->FindOpps("0071T");
  ASSERT_TRUE(capped && capped->has_value());
  EXPECT_DOUBLE_EQ(*(*capped)->payment_rate, 3179.53);  // "$3,179.53"
  EXPECT_EQ((*capped)->copay->cents, 63591);            // the minimum copayment; "." is none

  auto cataract = db->FindAscRate("66984", "2026-05-01");
  ASSERT_TRUE(cataract && cataract->has_value());
  EXPECT_EQ((*cataract)->national_rate->cents, 125573);
  EXPECT_TRUE((*cataract)->multiple_procedure_discount);
  EXPECT_EQ((*cataract)->release, aa.release);
  auto ketorolac = db->FindAscRate("J1885", "2026-05-01");  // in BB only, a release of the same date
  ASSERT_TRUE(ketorolac && ketorolac->has_value());
  EXPECT_EQ((*ketorolac)->payment_indicator, "K2");
  EXPECT_EQ((*ketorolac)->national_rate->cents, 34);
  EXPECT_EQ((*ketorolac)->release, bb.release);

  auto mues = db->FindMues("0009U", "practitioner", "2026-08-01");
  ASSERT_TRUE(mues && mues->size() == 1u);
  EXPECT_EQ(mues->front().value, 2);
  EXPECT_EQ(mues->front().mai, 3);  // "3 Date of Service Edit: Clinical"
  EXPECT_EQ(mues->front().rationale, "Nature of Analyte");
}

}  // namespace
}  // namespace billwise
