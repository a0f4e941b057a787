#include "pipeline/refdata/pricing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/refdata/hospital_match.h"
#include "pipeline/refdata/reference_db.h"
#include "pipeline/refdata/reference_db_build.h"
#include "pipeline/cases/sqlite_db.h"
#include "tests/testing/files.h"
#include "pipeline/model/profile.h"
#include "tests/refdata/test_data.h"

namespace billwise {
namespace {

PriceLocation National() { return PriceLocation{nullptr, "no address found", false}; }

Money Pfs(const std::string& code, PfsSetting setting, const PriceLocation& where = National(),
          std::vector<std::string> mods = {}, double qty = 1, int year = 2025) {
  auto q = PricePfs(TestData(), Service{code, std::move(mods), qty}, where, year, setting);
  EXPECT_TRUE(q.has_value()) << code << ": " << (q ? "" : q.error().message);
  return q ? q->amount : Money{-1};
}

TEST(PricingTest, SpotValuesToTheCent) {
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility).cents, 8895);
  EXPECT_EQ(Pfs("99213", PfsSetting::kFacility).cents, 6372);
  EXPECT_EQ(Pfs("99214", PfsSetting::kNonFacility).cents, 12518);
  EXPECT_EQ(Pfs("99214", PfsSetting::kFacility).cents, 9380);
  auto clfs = PriceClfs(TestData(), Service{"80053", {}, 1});
  ASSERT_TRUE(clfs.has_value());
  EXPECT_EQ(clfs->amount.cents, 1056);
  auto opps = PriceOpps(TestData(), Service{"G0463", {}, 1});
  ASSERT_TRUE(opps.has_value());
  EXPECT_EQ(opps->amount.cents, 12887);
  EXPECT_NE(opps->basis.find("OPPS 2025"), std::string::npos);
}

TEST(PricingTest, Year2026UsesItsGpcisAndConversionFactor) {
  // 2.75 RVU x 33.4009 = 91.852475 -> $91.85 nationally.
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility, National(), {}, 1, 2026).cents, 9185);
  const ReferenceData& d = TestData();
  PriceLocation manhattan = ResolveLocation(d, std::string("10001"), std::nullopt);
  const Gpci* g = d.FindGpci(2026, *manhattan.locality);
  ASSERT_NE(g, nullptr);
  double dollars = (1.30 * g->work + 1.35 * g->pe + 0.10 * g->mp) * 33.4009;
  auto q = PricePfs(d, Service{"99213", {}, 1}, manhattan, 2026, PfsSetting::kNonFacility);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->amount.cents, RoundDollarsToCents(dollars).cents);
  EXPECT_NE(q->basis.find("2026"), std::string::npos);
  EXPECT_FALSE(PricePfs(d, Service{"99213", {}, 1}, manhattan, 2024, PfsSetting::kNonFacility).has_value());
}

TEST(PricingTest, ZipLocalities) {
  const ReferenceData& d = TestData();
  PriceLocation manhattan = ResolveLocation(d, std::string("10001"), std::nullopt);
  ASSERT_NE(manhattan.locality, nullptr);
  EXPECT_EQ(manhattan.locality->Id(), "13202/01");
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility, manhattan).cents, 10106);
  EXPECT_EQ(Pfs("99214", PfsSetting::kNonFacility, manhattan).cents, 14207);
  PriceLocation alabama = ResolveLocation(d, std::string("35004"), std::nullopt);
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility, alabama).cents, 8186);
  EXPECT_EQ(Pfs("99214", PfsSetting::kNonFacility, alabama).cents, 11549);
  auto q = PricePfs(d, Service{"99213", {}, 1}, manhattan, 2025, PfsSetting::kNonFacility);
  EXPECT_EQ(q->basis, "Medicare PFS 2025, locality 13202/01 (Manhattan, NY), non-facility");
}

TEST(PricingTest, UnknownZipIsNationalAndSaysSo) {
  const ReferenceData& d = TestData();
  PriceLocation where = ResolveLocation(d, std::string("00000"), std::nullopt);
  EXPECT_EQ(where.locality, nullptr);
  EXPECT_NE(where.Label().find("national"), std::string::npos);
  EXPECT_NE(where.Label().find("00000"), std::string::npos);
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility, where).cents, 8895);
  PriceLocation none = ResolveLocation(d, std::nullopt, std::nullopt);
  EXPECT_EQ(none.Label(), "national (no address found)");
  // An unknown ZIP with a known state falls back to the state.
  PriceLocation with_state = ResolveLocation(d, std::string("00000"), std::string("AL"));
  ASSERT_NE(with_state.locality, nullptr);
  EXPECT_EQ(with_state.locality->Id(), "10112/00");
}

TEST(PricingTest, MultiLocalityZip) {
  const ReferenceData& d = TestData();
  // 03579 (NH) spans localities; New Hampshire has one locality, which is used.
  PriceLocation nh = ResolveLocation(d, std::string("03579"), std::nullopt);
  EXPECT_TRUE(nh.zip_spans_localities);
  ASSERT_NE(nh.locality, nullptr);
  EXPECT_EQ(nh.locality->state, "NH");
  EXPECT_NE(nh.how.find("several localities"), std::string::npos);
  // 02324 (MA) spans localities in a state with two: CMS's ZIP-level default (99) is used.
  PriceLocation ma = ResolveLocation(d, std::string("02324"), std::nullopt);
  EXPECT_TRUE(ma.zip_spans_localities);
  ASSERT_NE(ma.locality, nullptr);
  EXPECT_EQ(ma.locality->Id(), "14212/99");
  EXPECT_NE(ma.Label().find("ZIP-level default"), std::string::npos);
}

TEST(PricingTest, ProfessionalTechnicalAndBilateralModifiers) {
  const ReferenceData& d = TestData();
  // 71046: global 1.01 RVU, -26 0.31, -TC 0.70 (x 32.3465).
  EXPECT_EQ(Pfs("71046", PfsSetting::kNonFacility).cents, 3267);
  EXPECT_EQ(Pfs("71046", PfsSetting::kNonFacility, National(), {"26"}).cents, 1003);
  EXPECT_EQ(Pfs("71046", PfsSetting::kNonFacility, National(), {"TC"}).cents, 2264);
  // Bilateral indicator 1 -> 150% with -50.
  const PfsRvu* knee = d.FindRvu("27447");
  ASSERT_NE(knee, nullptr);
  ASSERT_EQ(knee->bilateral, 1);
  Money one = Pfs("27447", PfsSetting::kFacility);
  EXPECT_EQ(one.cents, 125763);
  EXPECT_EQ(Pfs("27447", PfsSetting::kFacility, National(), {"50"}).cents, one.Scaled(1.5).cents);
  // -50 on a code whose indicator is not 1 or 3 changes nothing.
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility, National(), {"50"}).cents, 8895);
  // Quantity.
  EXPECT_EQ(Pfs("99213", PfsSetting::kNonFacility, National(), {}, 2).cents, 17790);
}

TEST(PricingTest, UnpayableStatusesAreExplained) {
  const ReferenceData& d = TestData();
  auto anes = PricePfs(d, Service{"00100", {}, 1}, National(), 2025, PfsSetting::kFacility);
  ASSERT_FALSE(anes.has_value());
  EXPECT_EQ(anes.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(anes.error().message.find("base units"), std::string::npos);
  auto missing = PricePfs(d, Service{"ZZZZZ", {}, 1}, National(), 2025, PfsSetting::kFacility);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  // 27447 is not done in an office: NA non-facility.
  auto office = PricePfs(d, Service{"27447", {}, 1}, National(), 2025, PfsSetting::kNonFacility);
  EXPECT_EQ(office.error().code, ErrorCode::kUnsupported);
  auto packaged = PriceOpps(d, Service{"36415", {}, 1});
  EXPECT_EQ(packaged.error().code, ErrorCode::kUnsupported);
}

TEST(PricingTest, OppsDrugRatePerUnitTimesQuantity) {
  // J1442 is $0.995 per microgram: 300 units -> $298.50 (not 300 x $1.00).
  auto q = PriceOpps(TestData(), Service{"J1442", {}, 300});
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->amount.cents, 29850);
}

// Independent check of the fee-schedule formula: recompute from the raw CMS-derived CSV
// columns in ../shared/refdata for random payable codes and localities.
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

TEST(PricingTest, FormulaMatchesRawCsvForRandomCodesAndLocalities) {
  std::string dir = std::string(BILLWISE_SHARED_DIR) + "/refdata/";
  std::ifstream rvu_file(dir + "pfs_rvu_2025_oct.csv");
  std::ifstream gpci_file(dir + "pfs_gpci_2025.csv");
  if (!rvu_file || !gpci_file) GTEST_SKIP() << "../shared/refdata not present";
  struct Raw { std::string code, mod; double work, penf, pef, mp; bool nf_na; };
  std::vector<Raw> rows;
  std::string line;
  std::getline(rvu_file, line);
  while (std::getline(rvu_file, line)) {
    auto f = SplitCsv(line);
    if (f.size() < 32) continue;
    if (f[2] != "A" && f[2] != "R" && f[2] != "T") continue;
    rows.push_back({f[0], f[1], std::stod(f[4]), std::stod(f[5]), std::stod(f[7]), std::stod(f[9]), f[6] == "NA"});
  }
  struct RawG { std::string mac, loc; double w, pe, mp; };
  std::vector<RawG> gpcis;
  std::getline(gpci_file, line);
  while (std::getline(gpci_file, line)) {
    auto f = SplitCsv(line);
    gpcis.push_back({f[0], f[2], std::stod(f[4]), std::stod(f[5]), std::stod(f[6])});
  }
  ASSERT_GT(rows.size(), 9000u);
  ASSERT_EQ(gpcis.size(), 109u);
  const ReferenceData& d = TestData();
  std::mt19937 rng(20250101);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    const Raw& r = rows[rng() % rows.size()];
    const RawG& g = gpcis[rng() % gpcis.size()];
    PriceLocation where{d.FindLocality(g.mac, g.loc), "test", false};
    ASSERT_NE(where.locality, nullptr);
    // CMS rounds each locality amount to the cent: round half up of the exact product.
    double fac = (r.work * g.w + r.pef * g.pe + r.mp * g.mp) * 32.3465;
    long long expected_fac = std::llround(std::floor(fac * 100 + 0.5 + 1e-7));
    std::vector<std::string> mods;
    if (!r.mod.empty()) mods.push_back(r.mod);
    auto q = PricePfs(d, Service{r.code, mods, 1}, where, 2025, PfsSetting::kFacility);
    ASSERT_TRUE(q.has_value()) << r.code << "-" << r.mod;
    bool capped = d.FindOppsCap(r.code, r.mod, *where.locality).has_value();
    if (capped) {
      EXPECT_LE(q->amount.cents, expected_fac) << r.code;
    } else {
      EXPECT_EQ(q->amount.cents, expected_fac) << r.code << "-" << r.mod << " at " << g.mac << "/" << g.loc;
    }
    if (!r.nf_na) {
      double nf = (r.work * g.w + r.penf * g.pe + r.mp * g.mp) * 32.3465;
      long long expected_nf = std::llround(std::floor(nf * 100 + 0.5 + 1e-7));
      auto qn = PricePfs(d, Service{r.code, mods, 1}, where, 2025, PfsSetting::kNonFacility);
      ASSERT_TRUE(qn.has_value());
      if (!capped) {
        EXPECT_EQ(qn->amount.cents, expected_nf) << r.code << "-" << r.mod;
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 400);
}

TEST(PricingTest, OppsCapLimitsImagingAmount) {
  const ReferenceData& d = TestData();
  const Locality* loc = d.FindLocality("01112", "05");
  ASSERT_NE(loc, nullptr);
  auto cap = d.FindOppsCap("0633T", "TC", *loc);
  ASSERT_TRUE(cap.has_value());
  EXPECT_EQ(cap->nonfacility.cents, 15069);
  PriceLocation where{loc, "test", false};
  auto q = PricePfs(d, Service{"0633T", {"TC"}, 1}, where, 2025, PfsSetting::kNonFacility);
  if (q) {
    EXPECT_LE(q->amount.cents, 15069);
  }
}

Bill OfficeBill() {
  Bill b;
  b.provider.name = "Lakeside Family Practice";
  b.provider.zip = "10001";
  b.provider.state = "NY";
  LineItem visit;
  visit.code = "99213";
  visit.code_type = CodeType::kCpt;
  visit.charge = Money::FromDollars(450);
  LineItem lab;
  lab.code = "80053";
  lab.code_type = CodeType::kCpt;
  lab.charge = Money::FromCents(2500);
  LineItem xray;
  xray.code = "71046";
  xray.modifiers = {"26"};
  xray.code_type = CodeType::kCpt;
  xray.charge = Money::FromDollars(30);
  LineItem internal;
  internal.code = "SUPPLY";
  internal.code_type = CodeType::kInternal;
  internal.charge = Money::FromDollars(5);
  b.line_items = {visit, lab, xray, internal};
  return b;
}

TEST(PriceBillTest, OfficeBillPricesEachLineAndFlagsThreeTimes) {
  Bill b = OfficeBill();
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 3u);
  EXPECT_EQ(b.pricing[0].line, 0u);
  EXPECT_EQ(b.pricing[0].schedule, "pfs");
  EXPECT_EQ(b.pricing[0].reference->cents, 10106);
  EXPECT_EQ(b.pricing[0].basis, "Medicare PFS 2025, locality 13202/01 (Manhattan, NY), non-facility");
  EXPECT_NEAR(*b.pricing[0].ratio, 450.0 / 101.06, 1e-9);
  EXPECT_FALSE(b.pricing[0].descriptor.has_value());  // CPT: no AMA text
  EXPECT_EQ(b.pricing[1].schedule, "clfs");
  EXPECT_EQ(b.pricing[1].reference->cents, 1056);
  EXPECT_EQ(b.pricing[2].schedule, "pfs");
  EXPECT_NE(b.pricing[2].basis.find("modifier 26"), std::string::npos);
  // 450 >= 3 x 101.06: one price finding, excess over 3x = 450 - 303.18.
  int price_findings = 0;
  for (const Finding& f : b.findings) {
    if (f.kind != FindingKind::kPrice) continue;
    ++price_findings;
    EXPECT_EQ(f.lines, std::vector<size_t>{0});
    EXPECT_EQ(f.amount_at_stake.cents, 45000 - 30318);
    EXPECT_NE(f.explanation.find("RVU25D"), std::string::npos);
    EXPECT_NE(f.rule.find("Medicare PFS 2025"), std::string::npos);
  }
  EXPECT_EQ(price_findings, 1);
  // Running again replaces, not duplicates.
  PriceBill(TestData(), PricingOptions{}, &b);
  EXPECT_EQ(b.pricing.size(), 3u);
}

TEST(PriceBillTest, HospitalBillUsesOppsAndFacility) {
  Bill b;
  b.provider.name = "Providence Alaska Medical Center";
  b.provider.zip = "99508";
  LineItem clinic;
  clinic.code = "G0463";
  clinic.code_type = CodeType::kHcpcs;
  clinic.revenue_code = "0510";
  clinic.charge = Money::FromDollars(600);
  LineItem visit;  // a clinic E/M code on the facility side: Medicare pays it as G0463
  visit.code = "99213";
  visit.revenue_code = "0510";
  visit.charge = Money::FromDollars(300);
  LineItem prof;  // professional fee on the hospital statement
  prof.code = "99213";
  prof.revenue_code = "0960";
  prof.charge = Money::FromDollars(200);
  b.line_items = {clinic, visit, prof};
  ASSERT_TRUE(IsHospitalBill(b));
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 3u);
  EXPECT_EQ(b.pricing[0].schedule, "opps");
  EXPECT_EQ(b.pricing[0].reference->cents, 12887);
  ASSERT_TRUE(b.pricing[0].descriptor.has_value());
  EXPECT_NE(b.pricing[0].descriptor->find("clinic visit"), std::string::npos);
  EXPECT_EQ(b.pricing[1].schedule, "opps");
  EXPECT_EQ(b.pricing[1].reference->cents, 12887);
  EXPECT_EQ(b.pricing[2].schedule, "pfs");
  EXPECT_NE(b.pricing[2].basis.find("facility"), std::string::npos);
  EXPECT_NE(b.pricing[2].basis.find("Alaska"), std::string::npos);
}

TEST(PriceBillTest, DrugLineWithoutRevenueCodeUsesAspLimit) {
  Bill b = OfficeBill();
  LineItem drug;
  drug.code = "J1885";
  drug.code_type = CodeType::kHcpcs;
  drug.quantity = 2;
  drug.charge = Money::FromDollars(40);
  b.line_items = {drug};
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 1u);
  ASSERT_EQ(b.pricing[0].schedule, "asp");
  ASSERT_TRUE(b.pricing[0].reference.has_value());
  EXPECT_EQ(b.pricing[0].reference->cents, 61);  // ASP Q4 2025: $0.303 per 15 mg x 2 = $0.606
  EXPECT_NE(b.pricing[0].basis.find("$0.303 per 15 MG, x2"), std::string::npos) << b.pricing[0].basis;
  EXPECT_NE(b.pricing[0].basis.find("ASP payment limits 2025 Q4"), std::string::npos) << b.pricing[0].basis;
  EXPECT_EQ(b.pricing[0].descriptor, "Injection, ketorolac tromethamine, per 15 mg");
}

LineItem Line(const char* code, double charge_dollars, const char* date = nullptr, double quantity = 1) {
  LineItem li;
  li.code = code;
  li.code_type = CodeType::kHcpcs;
  li.charge = Money::FromDollars(charge_dollars);
  li.quantity = quantity;
  if (date) li.date_of_service = Date::FromIso(date);
  return li;
}

TEST(PriceBillTest, LabsPricedWithTheClfsInForceOnTheDate) {
  Bill b;
  b.line_items = {Line("36415", 30, "2025-06-01"), Line("36415", 30, "2026-02-10"), Line("36415", 30, "2026-06-01")};
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 3u);
  EXPECT_EQ(b.pricing[0].reference->cents, 909);  // 2025: $9.09
  EXPECT_NE(b.pricing[0].basis.find("CLFS 2025"), std::string::npos) << b.pricing[0].basis;
  EXPECT_EQ(b.pricing[1].reference->cents, 934);  // 2026 Q1: $9.34
  EXPECT_NE(b.pricing[1].basis.find("CMS CLFS 2026 Q1"), std::string::npos) << b.pricing[1].basis;
  EXPECT_EQ(b.pricing[1].basis.find("after this release"), std::string::npos);
  EXPECT_EQ(b.pricing[2].reference->cents, 934);  // newest loaded, and the basis says so
  EXPECT_NE(b.pricing[2].basis.find("after this release's last day (2026-03-31)"), std::string::npos)
      << b.pricing[2].basis;
}

// Each line is priced with the PFS year of its date of service: 2026 lines with the 2026
// conversion factor and GPCIs on the 2025 RVUs (the newest CMS RVU file billwise has), and
// the basis says so; a line without a date takes the bill's year.
TEST(PriceBillTest, PfsYearOfEachLinesDateOfService) {
  Bill b;
  b.line_items = {Line("99213", 300, "2025-06-01"), Line("99213", 300, "2026-06-01"), Line("99213", 300),
                  Line("99213", 300, "2024-03-01")};
  PricingOptions options;
  options.state = "AL";
  PriceBill(TestData(), options, &b);
  ASSERT_EQ(b.pricing.size(), 4u);
  const ReferenceData& d = TestData();
  PriceLocation where = ResolveLocation(d, std::nullopt, std::string("AL"));
  auto y2025 = PricePfs(d, Service{"99213", {}, 1}, where, 2025, PfsSetting::kNonFacility);
  auto y2026 = PricePfs(d, Service{"99213", {}, 1}, where, 2026, PfsSetting::kNonFacility);
  ASSERT_TRUE(y2025 && y2026);
  ASSERT_NE(y2025->amount, y2026->amount);
  EXPECT_EQ(*b.pricing[0].reference, y2025->amount);
  EXPECT_EQ(b.pricing[0].basis.find("2026"), std::string::npos) << b.pricing[0].basis;
  EXPECT_EQ(*b.pricing[1].reference, y2026->amount);
  EXPECT_NE(b.pricing[1].basis.find("Medicare PFS 2026 (2025 RVUs with 2026 GPCIs and CF)"), std::string::npos)
      << b.pricing[1].basis;
  EXPECT_EQ(*b.pricing[2].reference, y2025->amount);  // no date: the bill's year (2025)
  EXPECT_EQ(*b.pricing[3].reference, y2025->amount);  // before every year billwise has: the oldest
}

TEST(PriceBillTest, DurableEquipmentByStateNonRural) {
  Bill b;
  LineItem cpap = Line("E0601", 250, "2026-02-01");
  cpap.modifiers = {"RR"};
  LineItem feeding = Line("B4035", 40, "2026-02-01");
  b.line_items = {cpap, feeding};
  PricingOptions o;
  o.state = "CA";
  PriceBill(TestData(), o, &b);
  ASSERT_EQ(b.pricing.size(), 2u);
  EXPECT_EQ(b.pricing[0].schedule, "dmepos");
  EXPECT_EQ(b.pricing[0].reference->cents, 5044);  // CA non-rural $50.44
  EXPECT_NE(b.pricing[0].basis.find("DMEPOS fee schedule, CA, modifier RR"), std::string::npos) << b.pricing[0].basis;
  EXPECT_NE(b.pricing[0].basis.find("rural amount is $93.04"), std::string::npos) << b.pricing[0].basis;
  EXPECT_EQ(b.pricing[1].schedule, "dmepos");
  EXPECT_NE(b.pricing[1].basis.find("PEN fee schedule"), std::string::npos) << b.pricing[1].basis;
  // Rural on request.
  auto rural = PriceDmepos(TestData(), Service{"K0001", {"RR"}, 1}, "CA", true, "2026-02-01");
  ASSERT_TRUE(rural) << rural.error().message;
  EXPECT_EQ(rural->amount.cents, 5364);
  auto enteral = PriceDmepos(TestData(), Service{"B4035", {}, 1}, "AL", false, "2026-02-01");
  ASSERT_TRUE(enteral);
  EXPECT_EQ(enteral->amount.cents, 709);
  EXPECT_FALSE(PriceDmepos(TestData(), Service{"E0601", {}, 1}, "", false));
}

TEST(PriceBillTest, AnesthesiaBaseAndTimeUnits) {
  Bill b;
  b.line_items = {Line("00790", 3000, "2026-03-01", 60), Line("00790", 3000, "2026-03-01", 1)};
  PriceBill(TestData(), PricingOptions{}, &b);  // no address: the national CF, $20.3178
  ASSERT_EQ(b.pricing.size(), 2u);
  EXPECT_EQ(b.pricing[0].schedule, "anesthesia");
  EXPECT_EQ(b.pricing[0].reference->cents, 22350);  // (7 + 60/15) x 20.3178 = 223.4958
  EXPECT_NE(b.pricing[0].basis.find("7 base units + 4.0 time units (60 minutes)"), std::string::npos)
      << b.pricing[0].basis;
  EXPECT_NE(b.pricing[0].basis.find("CY2022"), std::string::npos);
  EXPECT_EQ(b.pricing[1].schedule, "none");  // no minutes printed: the base amount, no total
  EXPECT_NE(b.pricing[1].basis.find("$142.22 before time"), std::string::npos) << b.pricing[1].basis;
  // A locality's own anesthesia CF when the place is known.
  PriceLocation alabama = ResolveLocation(TestData(), std::nullopt, std::string("AL"));
  auto q = PriceAnesthesia(TestData(), Service{"00100", {}, 1}, alabama, 30.0, "2025-05-01");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->amount.cents, RoundDollarsToCents((5 + 2.0) * 19.31).cents);
}

TEST(PriceBillTest, SurgeryCenterFacilityFeeFromAddendumAa) {
  Bill b;
  b.provider.name = "Lakeside Surgery Center";
  b.line_items = {Line("66984", 4000, "2026-05-01"), Line("0095T", 500, "2026-05-01")};
  ASSERT_TRUE(IsSurgeryCenterBill(b));
  ASSERT_FALSE(IsHospitalBill(b));
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 2u);
  EXPECT_EQ(b.pricing[0].schedule, "asc");
  EXPECT_EQ(b.pricing[0].reference->cents, 125573);
  EXPECT_NE(b.pricing[0].basis.find("not wage-adjusted: billwise ships no ZIP-to-CBSA crosswalk"), std::string::npos);
  EXPECT_EQ(b.pricing[1].schedule, "none");
  EXPECT_NE(b.pricing[1].basis.find("packaged"), std::string::npos) << b.pricing[1].basis;
}

TEST(PriceBillTest, UnpricedLinesSayWhyAndTheShareIsReported) {
  Bill b;
  b.provider.name = "Providence Alaska Medical Center";
  LineItem observation;
  observation.revenue_code = "0762";
  observation.description = "OBSERVATION HOURS";
  observation.charge = Money::FromDollars(900);
  LineItem clinic = Line("G0463", 100);
  clinic.revenue_code = "0510";
  b.line_items = {observation, clinic};
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 2u);
  EXPECT_EQ(b.pricing[0].schedule, "none");
  EXPECT_FALSE(b.pricing[0].reference.has_value());
  EXPECT_EQ(b.pricing[0].basis.rfind("no public Medicare rate for revenue code 0762, observation hours", 0), 0u)
      << b.pricing[0].basis;
  bool share = false;
  for (const Diagnostic& d : b.diagnostics) {
    if (d.message.find("cover $100.00 of the $1,000.00 charged (10%") != std::string::npos) share = true;
  }
  EXPECT_TRUE(share);
}

TEST(PriceBillTest, HospitalFoundInCmsListIsHospitalOutpatient) {
  Bill b;
  b.provider.name = "Stanford Health Care";
  b.provider.state = "CA";
  b.line_items = {Line("99284", 2400, "2025-08-01")};  // an ED visit, no revenue code
  ASSERT_FALSE(IsHospitalBill(b));                     // no hospital word in the name
  PriceBill(TestData(), PricingOptions{}, &b);
  ASSERT_EQ(b.pricing.size(), 1u);
  EXPECT_EQ(b.pricing[0].schedule, "opps");
  EXPECT_NE(b.pricing[0].basis.find("facility charge"), std::string::npos) << b.pricing[0].basis;
  bool setting = false;
  for (const Diagnostic& d : b.diagnostics) {
    if (d.message.find("hospital outpatient") != std::string::npos &&
        d.message.find("CCN 050441") != std::string::npos) {
      setting = true;
    }
  }
  EXPECT_TRUE(setting);
  // --setting office overrides the match.
  PricingOptions office;
  office.setting = "office";
  PriceBill(TestData(), office, &b);
  ASSERT_EQ(b.pricing.size(), 1u);
  EXPECT_EQ(b.pricing[0].schedule, "none");  // CMS sets no office amount for an ED visit
  EXPECT_NE(b.pricing[0].basis.find("no non-facility (office) amount"), std::string::npos) << b.pricing[0].basis;
  // A hospital by name alone: the PFS facility rate, no OPPS facility charge.
  Bill named;
  named.provider.name = "Jilo Health System";
  named.line_items = {Line("99232", 400)};  // subsequent hospital care: no office amount
  PriceBill(TestData(), PricingOptions{}, &named);
  ASSERT_EQ(named.pricing.size(), 1u);
  EXPECT_EQ(named.pricing[0].schedule, "pfs");
  EXPECT_NE(named.pricing[0].basis.find(", facility"), std::string::npos) << named.pricing[0].basis;
  // A provider CMS does not list is an office.
  Bill clinic;
  clinic.provider.name = "Lakeside Family Practice";
  clinic.provider.state = "CA";
  clinic.line_items = {Line("99213", 200)};
  PriceBill(TestData(), PricingOptions{}, &clinic);
  ASSERT_EQ(clinic.pricing.size(), 1u);
  EXPECT_NE(clinic.pricing[0].basis.find("non-facility"), std::string::npos);
}

TEST(PriceBillTest, LocalityFromThePatientNotTheInsurer) {
  Bill eob;
  eob.document_type = DocumentType::kEob;
  eob.provider.name = "Blue Plan";
  eob.provider.zip = "10001";  // the insurer's address
  eob.provider.state = "NY";
  eob.line_items = {Line("99213", 200)};
  PriceBill(TestData(), PricingOptions{}, &eob);
  ASSERT_EQ(eob.pricing.size(), 1u);
  EXPECT_EQ(eob.pricing[0].basis.find("Manhattan"), std::string::npos) << eob.pricing[0].basis;
  PricingOptions patient;
  patient.patient_zip = "99508";  // Anchorage
  PriceBill(TestData(), patient, &eob);
  EXPECT_NE(eob.pricing[0].basis.find("Alaska"), std::string::npos) << eob.pricing[0].basis;
  PricingOptions over = patient;
  over.zip = "10001";
  PriceBill(TestData(), over, &eob);
  EXPECT_NE(eob.pricing[0].basis.find("Manhattan"), std::string::npos) << eob.pricing[0].basis;
  Profile profile;
  profile.address = {"12 Elm St", "Anchorage, AK 99508-1234"};
  EXPECT_EQ(PatientZip(profile), "99508");
}

TEST(PriceBillTest, DateAfterTheNewestReleaseWarns) {
  Bill b;
  b.line_items = {Line("36415", 30, "2026-06-01"), Line("36415", 30, "2026-02-01")};
  PriceBill(TestData(), PricingOptions{}, &b);
  int warnings = 0;
  for (const Diagnostic& d : b.diagnostics) {
    if (d.severity == Severity::kWarning && d.message.find("2026-06-01 is later than the newest release") != std::string::npos) {
      ++warnings;
      EXPECT_NE(d.message.find("CMS CLFS 2026 Q1 (26CLABQ1), in force to 2026-03-31"), std::string::npos) << d.message;
    }
  }
  EXPECT_EQ(warnings, 1);
}

// An OPPS release the user imported (CMS's published Addendum B layout, a cut of it) is the
// one priced with: the basis names it, and a later date of service is warned against it.
TEST(PriceBillTest, ImportedReleaseIsNamedAndWarnedAgainst) {
  testing::TempDir home;
  ASSERT_FALSE(home.path().empty());
  const char* saved = std::getenv("XDG_DATA_HOME");
  const std::string before = saved ? saved : "";
  ::setenv("XDG_DATA_HOME", home.path().c_str(), 1);
  {
    std::filesystem::create_directories(std::filesystem::path(UserReleasesPath()).parent_path());
    sqlite::OpenOptions options;
    options.wal = false;
    auto db = sqlite::Database::Open(UserReleasesPath(), options);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(CreateReferenceSchema(*db));
    auto table = ImportReleaseFile(
        *db, std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/cms/2025 NFRM Addendum B.11122024.txt",
        {"OPPS cut", "2025-07-01", "2025-12-31"});
    ASSERT_TRUE(table) << table.error().message;
  }
  auto data = ReferenceData::Load(BILLWISE_SOURCE_DIR);
  if (saved) {
    ::setenv("XDG_DATA_HOME", before.c_str(), 1);
  } else {
    ::unsetenv("XDG_DATA_HOME");
  }
  ASSERT_TRUE(data) << data.error().message;
  Bill b;
  b.line_items = {Line("G0463", 400, "2026-03-02")};
  b.line_items[0].revenue_code = "0510";
  PricingOptions options;
  options.setting = "hospital";
  PriceBill(**data, options, &b);
  ASSERT_EQ(b.pricing.size(), 1u);
  EXPECT_EQ(b.pricing[0].reference->cents, 12887);  // $128.87, the notes' spot value
  EXPECT_NE(b.pricing[0].basis.find("Medicare OPPS 2025"), std::string::npos) << b.pricing[0].basis;
  EXPECT_NE(b.pricing[0].basis.find("(OPPS cut)"), std::string::npos) << b.pricing[0].basis;
  int warnings = 0;
  for (const Diagnostic& d : b.diagnostics) {
    if (d.severity == Severity::kWarning &&
        d.message.find("2026-03-02 is later than the newest release billwise has of OPPS cut, in force to 2025-12-31") !=
            std::string::npos) {
      ++warnings;
    }
  }
  EXPECT_EQ(warnings, 1);
}

TEST(PriceAspTest, PerBillingUnitRoundedOnce) {
  auto q = PriceAsp(TestData(), Service{"J9271", {}, 200}, "2025-11-01");  // pembrolizumab 200 mg
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ(q->amount.cents, 1205820);  // $60.291 x 200
  EXPECT_EQ(q->unit_amount.cents, 6029);
  EXPECT_EQ(q->basis.find("no newer ASP release"), std::string::npos) << q->basis;
  auto later = PriceAsp(TestData(), Service{"J9271", {}, 1}, "2026-03-02");
  ASSERT_TRUE(later.has_value());
  EXPECT_NE(later->basis.find("after this release's last day (2025-12-31)"), std::string::npos) << later->basis;
  auto earlier = PriceAsp(TestData(), Service{"J9271", {}, 1}, "2025-03-02");
  ASSERT_TRUE(earlier.has_value());
  EXPECT_NE(earlier->basis.find("before this release"), std::string::npos) << earlier->basis;
  EXPECT_FALSE(PriceAsp(TestData(), Service{"99213", {}, 1}, "").has_value());
  EXPECT_FALSE(PriceAsp(TestData(), Service{"A9606", {}, 1}, "").has_value());  // CMS lists N/A
}

TEST(ReferenceDataTest, NonProfitHospitalByCcnOrUniqueName) {
  EXPECT_EQ(TestData().IsNonProfitHospital("330101"), std::optional<bool>(true));
  EXPECT_EQ(TestData().IsNonProfitHospital("450388"), std::optional<bool>(false));
  EXPECT_EQ(TestData().IsNonProfitHospital("", "Southeast Health Medical Center", "Dothan", "AL"),
            std::optional<bool>(false));
  EXPECT_EQ(TestData().IsNonProfitHospital("", "Hospital", "", ""), std::nullopt);  // no state: no match
  EXPECT_EQ(TestData().IsNonProfitHospital("999999"), std::nullopt);
}

TEST(PriceBillTest, NoAddressIsNationalAndStateOverride) {
  Bill b = OfficeBill();
  b.provider.zip.reset();
  b.provider.state.reset();
  PriceBill(TestData(), PricingOptions{}, &b);
  EXPECT_EQ(b.pricing[0].reference->cents, 8895);
  EXPECT_NE(b.pricing[0].basis.find("national (no address found)"), std::string::npos);
  PricingOptions o;
  o.state = "AL";
  PriceBill(TestData(), o, &b);
  EXPECT_EQ(b.pricing[0].reference->cents, 8186);
}

TEST(PriceBillTest, PriceFileFindingAndAbsentFile) {
  Bill b = OfficeBill();
  auto list = std::make_shared<HospitalPriceList>();
  list->hospital_name = "Lakeside";
  list->source = "lakeside_standardcharges.csv";
  list->by_code["80053"] = StandardCharge{Money{9000}, Money{9000}, Money{1800}, Money{2000}};
  PricingOptions o;
  o.hospital_prices = list;
  PriceBill(TestData(), o, &b);
  bool found = false;
  for (const Finding& f : b.findings) {
    if (f.kind == FindingKind::kPrice && f.lines == std::vector<size_t>{1}) {
      found = true;
      EXPECT_EQ(f.amount_at_stake.cents, 500);  // 25.00 - 20.00 (highest published cash price)
      EXPECT_NE(f.explanation.find("discounted cash price"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
  // A missing price file is a diagnostic, not a failure.
  Bill c = OfficeBill();
  PricingOptions missing;
  missing.price_file = "/nonexistent/prices.csv";
  PriceBill(TestData(), missing, &c);
  EXPECT_EQ(c.pricing.size(), 3u);
  ASSERT_FALSE(c.diagnostics.empty());
  EXPECT_EQ(c.diagnostics.back().stage, "pricing");
}

}  // namespace
TEST(PriceBillTest, ShippedSliceUsedWhenTheProviderMatches) {
  const ReferenceData& d = TestData();
  Party p;
  p.name = "Providence Alaska Medical Center";
  p.state = "AK";
  auto exact = MatchShippedHospital(d, p);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->hospital->ccn, "020001");
  EXPECT_EQ(exact->confidence, "high");
  p.state.reset();
  auto no_state = MatchShippedHospital(d, p);
  ASSERT_TRUE(no_state.has_value());
  EXPECT_EQ(no_state->confidence, "medium");
  p.name = "Medical Center";  // too common to name one hospital
  EXPECT_FALSE(MatchShippedHospital(d, p).has_value());

  // A hospital bill from it: the 99213 charge is compared with the slice's cash price
  // ($205.92, ReferenceDataTest.HospitalSlice), and the match is noted.
  Bill b = OfficeBill();
  b.provider.name = "PROVIDENCE ALASKA MEDICAL CENTER";
  b.provider.state = "AK";
  b.provider.zip = "99508";
  PriceBill(d, PricingOptions{}, &b);
  bool cash_finding = false;
  for (const Finding& f : b.findings) {
    if (f.kind == FindingKind::kPrice && f.lines == std::vector<size_t>{0} && f.rule.find("bundled cash-price slice") != std::string::npos) {
      cash_finding = true;
    }
  }
  EXPECT_TRUE(cash_finding);
  bool noted = false;
  for (const Diagnostic& diag : b.diagnostics) noted = noted || diag.message.find("high confidence") != std::string::npos;
  EXPECT_TRUE(noted);
  // Switched off: no slice.
  Bill c = OfficeBill();
  c.provider = b.provider;
  PricingOptions off;
  off.use_shipped_slice = false;
  PriceBill(d, off, &c);
  for (const Finding& f : c.findings) EXPECT_EQ(f.rule.find("bundled cash-price slice"), std::string::npos);
}

// The slice names hospitals as their files do ("MERCY CEDAR RAPIDS"); CMS Hospital General
// Information adds the street address, city and ZIP that a bill prints.
TEST(PricingTest, ShippedSliceMatchedByAddressOrCcn) {
  const ReferenceData& d = TestData();
  ASSERT_TRUE(d.FindHospitalGeneral("160079").has_value()) << "CMS Hospital General Information missing";
  Party p;
  p.name = "Mercy Medical Center";  // several in Iowa: the name alone is not enough
  p.state = "IA";
  EXPECT_FALSE(MatchShippedHospital(d, p).has_value());
  p.address = {"701 10th Street SE", "Cedar Rapids, IA 52403"};
  p.zip = "52403";
  auto by_zip = MatchShippedHospital(d, p);
  ASSERT_TRUE(by_zip.has_value());
  EXPECT_EQ(by_zip->hospital->ccn, "160079");
  EXPECT_EQ(by_zip->confidence, "high");
  EXPECT_NE(by_zip->how.find("address"), std::string::npos) << by_zip->how;
  // The city alone is less sure.
  p.address = {"PO Box 1", "Cedar Rapids, IA"};
  p.zip.reset();
  auto by_city = MatchShippedHospital(d, p);
  ASSERT_TRUE(by_city.has_value());
  EXPECT_EQ(by_city->hospital->ccn, "160079");
  EXPECT_EQ(by_city->confidence, "medium");
  // A ZIP of none of them: no match.
  p.address = {"1 Main Street", "Ames, IA 50010"};
  p.zip = "50010";
  EXPECT_FALSE(MatchShippedHospital(d, p).has_value());

  // A name unlike CMS's, placed by one of its words, the street address and the ZIP.
  Party q;
  q.name = "Providence Anchorage Hospital";
  q.state = "AK";
  q.address = {"3200 Providence Dr", "Anchorage, AK 99508"};
  q.zip = "99508";
  auto by_street = MatchShippedHospital(d, q);
  ASSERT_TRUE(by_street.has_value());
  EXPECT_EQ(by_street->hospital->ccn, "020001");
  EXPECT_EQ(by_street->confidence, "high");
  q.address = {"3300 Providence Dr", "Anchorage, AK 99508"};  // another street number
  EXPECT_FALSE(MatchShippedHospital(d, q).has_value());

  // A CCN printed with its label.
  Party r;
  r.name = "Billing Office";
  r.address = {"Medicare CCN: 16-0079"};
  auto by_ccn = MatchShippedHospital(d, r);
  ASSERT_TRUE(by_ccn.has_value());
  EXPECT_EQ(by_ccn->hospital->ccn, "160079");
  EXPECT_EQ(by_ccn->how, "CCN printed on the bill");
  r.address = {"Account 160079"};  // six digits without the label are not a CCN
  EXPECT_FALSE(MatchShippedHospital(d, r).has_value());
}

}  // namespace billwise
