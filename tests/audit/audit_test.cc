// Unit tests of each audit check on small hand-built bills, positive and negative.
#include "pipeline/audit/audit.h"

#include <gtest/gtest.h>

#include "tests/audit/bills.h"

namespace billwise::testing {
namespace {

// Every kind that must stay silent on a clean bill.
void ExpectNoErrorFindings(const Bill& b) {
  for (const char* kind : {"duplicate", "bundling", "units", "math"}) {
    EXPECT_TRUE(FindingsOf(b, kind).empty()) << kind << ": " << (FindingsOf(b, kind).empty() ? "" : FindingsOf(b, kind)[0]->rule);
  }
}

// ---------------------------------------------------------------- duplicate

TEST(DuplicateTest, SameDateCodeModifiersAndChargeIsFlagged) {
  Bill b = Audited(Itemized({Line("2025-01-05", "73610", 1, 385), Line("2025-01-05", "99213", 1, 150),
                             Line("2025-01-05", "73610", 1, 385)}));
  auto d = FindingsOf(b, "duplicate");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]->lines, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(d[0]->amount_at_stake, Usd(385));
  EXPECT_EQ(d[0]->severity, Severity::kError);
  EXPECT_NE(d[0]->explanation.find("73610"), std::string::npos);
}

TEST(DuplicateTest, ThreeCopiesPutTwoChargesAtStake) {
  Bill b = Audited(Itemized({Line("2025-01-05", "36415", 1, 25), Line("2025-01-05", "36415", 1, 25),
                             Line("2025-01-05", "36415", 1, 25)}));
  auto d = FindingsOf(b, "duplicate");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]->amount_at_stake, Usd(50));
  // The extra copies are not also counted as excess units (MUE 36415 = 2).
  EXPECT_TRUE(FindingsOf(b, "units").empty());
}

TEST(DuplicateTest, DifferentDateChargeOrModifierIsNotADuplicate) {
  Bill b = Audited(Itemized({Line("2025-01-05", "73610", 1, 385), Line("2025-01-06", "73610", 1, 385),
                             Line("2025-01-05", "73620", 1, 300), Line("2025-01-05", "73620", 1, 310),
                             Line("2025-01-05", "73630", 1, 200, {"LT"}), Line("2025-01-05", "73630", 1, 200, {"RT"})}));
  EXPECT_TRUE(FindingsOf(b, "duplicate").empty());
}

TEST(DuplicateTest, RepeatModifiersAreLegitimate) {
  Bill b = Audited(Itemized({Line("2025-01-05", "85025", 1, 40, {"91"}), Line("2025-01-05", "85025", 1, 40, {"91"}),
                             Line("2025-01-05", "71046", 1, 90, {"76"}), Line("2025-01-05", "71046", 1, 90, {"76"})}));
  EXPECT_TRUE(FindingsOf(b, "duplicate").empty());
}

TEST(DuplicateTest, CopyReversedByACreditIsNotFlagged) {
  Bill b = Itemized({Line("2025-01-05", "73610", 1, 385), Line("2025-01-05", "73610", 1, 385),
                     Line("2025-01-05", "73610", 1, -385)});
  b = Audited(b);
  EXPECT_TRUE(FindingsOf(b, "duplicate").empty());
}

TEST(DuplicateTest, RevenueCodeAndDescriptionWhenNoCode) {
  Bill b = Audited(Itemized({RevLine("2025-01-05", "0250", "", 1, 12.5, "Pharmacy - ibuprofen"),
                             RevLine("2025-01-05", "0250", "", 1, 12.5, "PHARMACY -  Ibuprofen"),
                             RevLine("2025-01-05", "0250", "", 1, 12.5, "Pharmacy - acetaminophen")}));
  auto d = FindingsOf(b, "duplicate");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]->lines, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(d[0]->amount_at_stake, Usd(12.5));
}

TEST(DuplicateTest, RevenueCodeCopiedIntoCodeIsTreatedAsRevenueCode) {
  // The extraction stage puts a revenue code printed in the code column into both fields.
  auto room = [](const char* desc) {
    LineItem it = RevLine("2024-12-28", "0118", "0118", 2, 1900, desc);
    it.code_type = CodeType::kRevenue;
    return it;
  };
  Bill same = Audited(Itemized({room("Private Room"), room("private room")}));
  ASSERT_EQ(FindingsOf(same, "duplicate").size(), 1u);
  EXPECT_NE(FindingsOf(same, "duplicate")[0]->explanation.find("revenue code 0118"), std::string::npos);
  Bill different = Audited(Itemized({room("Private Room"), room("Nursery Room")}));
  EXPECT_TRUE(FindingsOf(different, "duplicate").empty());
}

TEST(DuplicateTest, UndatedLinesOnAOneVisitBillAreCompared) {
  Bill one = Audited(Itemized({Line("", "99213", 1, 150), Line("", "99213", 1, 150), Line("", "36415", 1, 25)}));
  EXPECT_EQ(FindingsOf(one, "duplicate").size(), 1u);
  // With dated lines on two different days, undated lines may belong to either day.
  Bill days = Audited(Itemized({Line("2024-12-29", "99462", 1, 140), Line("2024-12-30", "99460", 1, 225),
                                Line("", "99462", 1, 140), Line("", "99462", 1, 140)}));
  EXPECT_TRUE(FindingsOf(days, "duplicate").empty());
  EXPECT_TRUE(FindingsOf(days, "units").empty());
}

TEST(DuplicateTest, LinesWithoutAnyCodeAreNotCompared) {
  Bill b = Audited(Itemized({Line("2025-01-05", "", 1, 20, {}, "Supplies"), Line("2025-01-05", "", 1, 20, {}, "Supplies")}));
  EXPECT_TRUE(FindingsOf(b, "duplicate").empty());
}

// ---------------------------------------------------------------- bundling

TEST(BundlingTest, PanelInsidePanelIndicatorZero) {
  Bill b = Audited(Itemized({Line("2025-03-01", "80053", 1, 120), Line("2025-03-01", "80048", 1, 90)}));
  auto f = FindingsOf(b, "bundling");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->lines, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(f[0]->amount_at_stake, Usd(90));
  EXPECT_EQ(f[0]->severity, Severity::kError);
  EXPECT_NE(f[0]->rule.find("NCCI PTP 2024Q3"), std::string::npos) << f[0]->rule;
  EXPECT_NE(f[0]->rule.find("(practitioner) column1 80053 / column2 80048, modifier indicator 0"), std::string::npos)
      << f[0]->rule;
}

TEST(BundlingTest, IndicatorZeroIgnoresModifier59) {
  Bill b = Audited(Itemized({Line("2025-03-01", "80053", 1, 120), Line("2025-03-01", "80048", 1, 90, {"59"})}));
  EXPECT_EQ(FindingsOf(b, "bundling").size(), 1u);
}

TEST(BundlingTest, IndicatorOneIsBypassedByNcciModifier) {
  Bill without = Audited(Itemized({Line("2025-03-01", "80053", 1, 120), Line("2025-03-01", "82947", 1, 18)}));
  auto f = FindingsOf(without, "bundling");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(18));
  EXPECT_NE(f[0]->rule.find("modifier indicator 1"), std::string::npos);
  for (const char* mod : {"59", "XU", "91"}) {
    Bill with = Audited(Itemized({Line("2025-03-01", "80053", 1, 120), Line("2025-03-01", "82947", 1, 18, {mod})}));
    EXPECT_TRUE(FindingsOf(with, "bundling").empty()) << mod;
  }
  // Modifier 25 on the E/M visit bypasses an E/M-with-procedure edit of indicator 1.
  Bill em = Audited(Itemized({Line("2025-03-01", "47600", 1, 5200), Line("2025-03-01", "99211", 1, 125, {"25"})}));
  EXPECT_TRUE(FindingsOf(em, "bundling").empty());
}

TEST(BundlingTest, DifferentDatesAreNotBundled) {
  Bill b = Audited(Itemized({Line("2025-03-01", "80053", 1, 120), Line("2025-03-02", "80048", 1, 90)}));
  EXPECT_TRUE(FindingsOf(b, "bundling").empty());
}

TEST(BundlingTest, PractitionerOnlyPairIsSilentOnHospitalBill) {
  // 99285 / 96374 is active in the practitioner table only (indicator 1): the ED physician
  // does not bill the IV push the hospital gives.
  Bill prof = Audited(Itemized({Line("2025-01-15", "99285", 1, 1800), Line("2025-01-15", "96374", 1, 210)}));
  EXPECT_EQ(BillSetting(prof), NcciSetting::kPractitioner);
  ASSERT_EQ(FindingsOf(prof, "bundling").size(), 1u);
  Bill hosp = Audited(Itemized({RevLine("2025-01-15", "0450", "99285", 1, 1800),
                                RevLine("2025-01-15", "0260", "96374", 1, 210)}));
  EXPECT_EQ(BillSetting(hosp), NcciSetting::kOutpatientHospital);
  EXPECT_TRUE(FindingsOf(hosp, "bundling").empty());
}

TEST(BundlingTest, FacilityBillsAreRecognisedWithoutRevenueCodes) {
  Bill g = Itemized({Line("2025-01-15", "G0463", 1, 300)});
  EXPECT_EQ(BillSetting(g), NcciSetting::kOutpatientHospital);
  Bill c = Itemized({Line("2025-01-15", "C1789", 1, 280)});
  EXPECT_EQ(BillSetting(c), NcciSetting::kOutpatientHospital);
  Bill named = Itemized({Line("2025-01-15", "99285", 1, 1800), Line("2025-01-15", "96374", 1, 210)});
  named.provider.name = "Springfield Memorial Hospital";
  EXPECT_EQ(BillSetting(named), NcciSetting::kOutpatientHospital);
  EXPECT_TRUE(FindingsOf(Audited(named), "bundling").empty());
  Bill clinic = Itemized({Line("2025-01-15", "99213", 1, 150)});
  clinic.provider.name = "Oak Street Family Practice";
  EXPECT_EQ(BillSetting(clinic), NcciSetting::kPractitioner);
}

TEST(BundlingTest, VisitWithProcedureOnStatementWithoutModifiersIsAQuestion) {
  // 96372 / 99213 (indicator 1): the visit needs modifier 25, which statements seldom print.
  Bill quiet = Audited(Itemized({Line("2025-03-01", "99213", 1, 150), Line("2025-03-01", "96372", 1, 45),
                                 Line("2025-03-01", "J1885", 2, 30)}));
  EXPECT_TRUE(FindingsOf(quiet, "bundling").empty());
  auto q = FindingsOf(quiet, "em_same_day_procedure");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]->severity, Severity::kInfo);
  EXPECT_EQ(q[0]->lines, (std::vector<size_t>{1, 0}));
  // When the statement prints modifiers, a missing 25 is meaningful: a bundling warning.
  Bill shown = Audited(Itemized({Line("2025-03-01", "99213", 1, 150), Line("2025-03-01", "96372", 1, 45),
                                 Line("2025-03-01", "20610", 1, 200, {"RT"})}));
  bool visit_flagged = false;
  for (const Finding* f : FindingsOf(shown, "bundling")) visit_flagged = visit_flagged || f->lines.back() == 0;
  EXPECT_TRUE(visit_flagged);
  EXPECT_TRUE(FindingsOf(shown, "em_same_day_procedure").empty());
  // Two visits the same day are a bundling finding whatever the statement prints.
  Bill two = Audited(Itemized({Line("2025-03-01", "99214", 1, 200), Line("2025-03-01", "99213", 1, 150)}));
  EXPECT_EQ(FindingsOf(two, "bundling").size(), 1u);
}

TEST(BundlingTest, SettingDecidesTheModifierIndicator) {
  // 0238U / 81317: practitioner indicator 0, outpatient-hospital indicator 1.
  Bill prof = Audited(Itemized({Line("2025-03-01", "0238U", 1, 900), Line("2025-03-01", "81317", 1, 400, {"59"})}));
  auto f = FindingsOf(prof, "bundling");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->rule.find("(practitioner)"), std::string::npos);
  EXPECT_NE(f[0]->rule.find("modifier indicator 0"), std::string::npos);
  Bill hosp = Audited(Itemized({RevLine("2025-03-01", "0300", "0238U", 1, 900),
                                [] { auto l = RevLine("2025-03-01", "0300", "81317", 1, 400); l.modifiers = {"59"}; return l; }()}));
  EXPECT_TRUE(FindingsOf(hosp, "bundling").empty());
  Bill hosp_no_mod = Audited(Itemized({RevLine("2025-03-01", "0300", "0238U", 1, 900),
                                       RevLine("2025-03-01", "0300", "81317", 1, 400)}));
  auto h = FindingsOf(hosp_no_mod, "bundling");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_NE(h[0]->rule.find("(outpatient hospital)"), std::string::npos);
  EXPECT_NE(h[0]->rule.find("modifier indicator 1"), std::string::npos);
}

TEST(BundlingTest, LabPanelWithItsComponentsThroughNestedPanels) {
  // 80050 has no PTP pairs with its components; the panel table expands 80050 -> 80053 -> 82947.
  Bill b = Audited(Itemized({Line("2025-03-01", "80050", 1, 200), Line("2025-03-01", "82947", 1, 18),
                             Line("2025-03-01", "84443", 1, 50)}));
  auto f = FindingsOf(b, "bundling");
  ASSERT_GE(f.size(), 1u);
  bool glucose = false;
  for (const Finding* x : f) {
    if (x->lines == std::vector<size_t>{0, 1}) {
      glucose = true;
      EXPECT_NE(x->rule.find("Lab panel 80050 includes 82947"), std::string::npos) << x->rule;
      EXPECT_EQ(x->amount_at_stake, Usd(18));
    }
  }
  EXPECT_TRUE(glucose);
}

TEST(BundlingTest, CbcComponentsBilledWithCbc) {
  Bill b = Audited(Itemized({Line("2024-12-28", "85025", 1, 42), Line("2024-12-28", "85027", 1, 18),
                             Line("2024-12-28", "85014", 1, 16)}));
  auto f = FindingsOf(b, "bundling");
  ASSERT_EQ(f.size(), 2u);
  Money total;
  for (const Finding* x : f) total += x->amount_at_stake;
  EXPECT_EQ(total, Usd(34));  // each component flagged once
}

TEST(BundlingTest, PanelBilledAsItsParts) {
  // The eight tests of a basic metabolic panel (80048), each on its own line.
  std::vector<LineItem> items;
  for (const char* code : {"82310", "82374", "82435", "82565", "82947", "84132", "84295", "84520"}) {
    items.push_back(Line("2025-03-01", code, 1, 20));
  }
  Bill b = Audited(Itemized(items));
  auto f = FindingsOf(b, "bundling");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->lines.size(), 8u);
  EXPECT_NE(f[0]->rule.find("Lab panel 80048 billed as its 8 component tests"), std::string::npos) << f[0]->rule;
  // Without the sodium test neither 80048 nor the electrolyte panel 80051 is complete.
  items.erase(items.begin() + 6);
  Bill seven = Audited(Itemized(items));
  EXPECT_TRUE(FindingsOf(seven, "bundling").empty()) << FindingsOf(seven, "bundling")[0]->rule;
  // Four electrolytes alongside other tests: the electrolyte panel 80051.
  Bill lytes = Audited(Itemized({Line("2025-03-01", "84295", 1, 20), Line("2025-03-01", "84132", 1, 20),
                                 Line("2025-03-01", "82435", 1, 20), Line("2025-03-01", "82374", 1, 20),
                                 Line("2025-03-01", "83036", 1, 35)}));
  auto l = FindingsOf(lytes, "bundling");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0]->rule.find("Lab panel 80051"), std::string::npos);
  // The CBC billed as 85027 + 85004: the PTP edit 85027 / 85004 (indicator 0) already says it.
  Bill cbc = Audited(Itemized({Line("2025-03-01", "85027", 1, 30), Line("2025-03-01", "85004", 1, 15)}));
  auto c = FindingsOf(cbc, "bundling");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0]->rule.find("column1 85027 / column2 85004"), std::string::npos);
}

TEST(BundlingTest, CommonCleanVisitHasNoEdits) {
  Bill b = Audited(Itemized({Line("2025-03-01", "99213", 1, 150), Line("2025-03-01", "36415", 1, 25),
                             Line("2025-03-01", "80053", 1, 60), Line("2025-03-01", "85025", 1, 40)}));
  EXPECT_TRUE(FindingsOf(b, "bundling").empty());
}

// ---------------------------------------------------------------- units

TEST(UnitsTest, AboveDateOfServiceMue) {
  Bill b = Audited(Itemized({Line("2025-03-01", "80053", 2, 120)}));
  auto f = FindingsOf(b, "units");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(60));
  EXPECT_NE(f[0]->rule.find("80053: 1 unit per day (MAI 3"), std::string::npos) << f[0]->rule;
}

TEST(UnitsTest, AtTheLimitIsFine) {
  Bill b = Audited(Itemized({Line("2025-03-01", "36415", 2, 50)}));
  EXPECT_TRUE(FindingsOf(b, "units").empty());
  Bill over = Audited(Itemized({Line("2025-03-01", "36415", 3, 75)}));
  ASSERT_EQ(FindingsOf(over, "units").size(), 1u);
  EXPECT_EQ(FindingsOf(over, "units")[0]->amount_at_stake, Usd(25));
}

TEST(UnitsTest, DateOfServiceMueAddsUnitsAcrossLines) {
  Bill b = Audited(Itemized({Line("2025-03-01", "85025", 1, 40), Line("2025-03-01", "85025", 1, 41),
                             Line("2025-03-01", "85025", 1, 42)}));
  auto f = FindingsOf(b, "units");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->lines.size(), 3u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(41));  // 123 x 1/3
}

TEST(UnitsTest, HospitalTableHasItsOwnLimits) {
  // 85025: practitioner MUE 2, outpatient hospital 4.
  Bill prof = Audited(Itemized({Line("2025-03-01", "85025", 3, 120)}));
  EXPECT_EQ(FindingsOf(prof, "units").size(), 1u);
  Bill hosp = Audited(Itemized({RevLine("2025-03-01", "0300", "85025", 3, 120)}));
  EXPECT_TRUE(FindingsOf(hosp, "units").empty());
}

TEST(UnitsTest, LineMueCountsEachLine) {
  // A6460: practitioner MUE 1 with MAI 1 (per claim line).
  Bill two_lines = Audited(Itemized({Line("2025-03-01", "A6460", 1, 10), Line("2025-03-01", "A6460", 1, 11)}));
  EXPECT_TRUE(FindingsOf(two_lines, "units").empty());
  Bill one_line = Audited(Itemized({Line("2025-03-01", "A6460", 2, 20)}));
  ASSERT_EQ(FindingsOf(one_line, "units").size(), 1u);
  EXPECT_NE(FindingsOf(one_line, "units")[0]->rule.find("per claim line"), std::string::npos);
}

TEST(UnitsTest, EditionInForceOnTheDateOfServiceWins) {
  // J9260: 20 units in 2024 Q3, 400 in the 2026 Q2 practitioner table (in force from 2026-04-01).
  Bill prof = Audited(Itemized({Line("2026-05-01", "J9260", 30, 300)}));
  EXPECT_TRUE(FindingsOf(prof, "units").empty());
  Bill earlier = Audited(Itemized({Line("2025-03-01", "J9260", 30, 300)}));
  auto e = FindingsOf(earlier, "units");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0]->rule.find("NCCI MUE 2024Q3 (practitioner) J9260: 20 units"), std::string::npos) << e[0]->rule;
  Bill hosp = Audited(Itemized({RevLine("2025-03-01", "0636", "J9260", 30, 300)}));
  auto f = FindingsOf(hosp, "units");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->rule.find("NCCI MUE 2024Q3 (outpatient hospital) J9260: 20 units"), std::string::npos) << f[0]->rule;
}

TEST(UnitsTest, SecondSameEmVisitIsAWarning) {
  // 99213 allows 2 units a day, but two same-level visits on one day are rare.
  Bill b = Audited(Itemized({Line("2025-03-01", "99213", 1, 150), Line("2025-03-01", "99213", 1, 160)}));
  auto f = FindingsOf(b, "units");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::kWarning);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(155));
  Bill days = Audited(Itemized({Line("2025-03-01", "99213", 1, 150), Line("2025-03-02", "99213", 1, 150)}));
  EXPECT_TRUE(FindingsOf(days, "units").empty());
}

TEST(UnitsTest, FacilityAndProfessionalPartsOfOneVisitAreNotTwoVisits) {
  Bill b = Audited(Itemized({RevLine("2025-03-01", "0450", "99284", 1, 1800, "ER facility"),
                             RevLine("2025-03-01", "0981", "99284", 1, 450, "ER physician"),
                             RevLine("2025-03-01", "0320", "71046", 1, 300),
                             [] { auto l = RevLine("2025-03-01", "0972", "71046", 1, 60); l.modifiers = {"26"}; return l; }()}));
  EXPECT_TRUE(FindingsOf(b, "units").empty());
  EXPECT_TRUE(FindingsOf(b, "duplicate").empty());
  Bill same_rev = Audited(Itemized({RevLine("2025-03-01", "0450", "99284", 1, 1800),
                                    RevLine("2025-03-01", "0450", "99284", 1, 1700)}));
  EXPECT_EQ(FindingsOf(same_rev, "units").size(), 1u);
}

TEST(UnitsTest, EmVisitAboveMueIsReportedOnce) {
  Bill b = Audited(Itemized({Line("2025-03-01", "99285", 2, 3000)}));  // practitioner MUE 1
  auto f = FindingsOf(b, "units");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->rule.find("NCCI MUE"), std::string::npos);
}

// ---------------------------------------------------------------- math

TEST(MathTest, ItemsDoNotAddUpToTotal) {
  Bill b = Itemized({Line("2025-01-05", "99213", 1, 150), Line("2025-01-05", "36415", 1, 25)});
  b.totals.charges = Usd(185);
  b.amount_due = Usd(185);
  b = Audited(b);
  auto f = FindingsOf(b, "math");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(10));
  EXPECT_EQ(f[0]->severity, Severity::kError);
}

TEST(MathTest, OneCentToleranceAndCredits) {
  Bill b = Itemized({Line("2025-01-05", "99213", 1, 150), Line("2025-01-05", "36415", 1, 25),
                     Line("2025-01-06", "", 1, -50, {}, "Payment - thank you")});
  b.totals.charges = Usd(175.01);
  b.totals.patient_paid = Usd(50);
  b.amount_due = Usd(125.01);
  b = Audited(b);
  EXPECT_TRUE(FindingsOf(b, "math").empty());
}

TEST(MathTest, SubtotalLinesAreNotCountedTwice) {
  Bill b = Itemized({Line("2025-01-05", "99213", 1, 150), Line("", "", 1, 150, {}, "Page 1 subtotal"),
                     Line("2025-01-05", "36415", 1, 25), Line("", "", 1, 25, {}, "Subtotal")});
  b.totals.charges = Usd(175);
  b.amount_due = Usd(175);
  b = Audited(b);
  EXPECT_TRUE(FindingsOf(b, "math").empty());
}

TEST(MathTest, BalanceIsNotChargesMinusPayments) {
  Bill b = Itemized({Line("2025-01-05", "99214", 1, 500)});
  b.totals.charges = Usd(500);
  b.totals.insurance_paid = Usd(200);
  b.totals.adjustments = Usd(100);
  b.amount_due = Usd(250);
  b = Audited(b);
  auto f = FindingsOf(b, "math");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(50));
  b.findings.clear();
  b.amount_due = Usd(200);
  b = Audited(b);
  EXPECT_TRUE(FindingsOf(b, "math").empty());
}

TEST(MathTest, QuantityTimesUnitPrice) {
  LineItem it = Line("2025-01-05", "J2405", 2, 210);
  it.unit_price = Usd(95);
  Bill b = Audited(Itemized({it}));
  auto f = FindingsOf(b, "math");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(20));
  LineItem ok = Line("2025-01-05", "J2405", 3, 100);
  ok.unit_price = Usd(33.33);  // 99.99 printed as 100.00: within half a cent per unit
  EXPECT_TRUE(FindingsOf(Audited(Itemized({ok})), "math").empty());
}

// ---------------------------------------------------------------- summary bill

TEST(SummaryBillTest, SummaryStatementOrBalanceWithoutItems) {
  Bill s;
  s.document_type = DocumentType::kSummaryStatement;
  s.amount_due = Usd(2450);
  s = Audited(s);
  ASSERT_EQ(FindingsOf(s, "summary_bill").size(), 1u);
  EXPECT_NE(FindingsOf(s, "summary_bill")[0]->explanation.find("$2,450.00"), std::string::npos);
  Bill u;
  u.amount_due = Usd(300);
  EXPECT_EQ(FindingsOf(Audited(u), "summary_bill").size(), 1u);
  Bill itemized = Itemized({Line("2025-01-05", "99213", 1, 150)});
  itemized.amount_due = Usd(150);
  EXPECT_TRUE(FindingsOf(Audited(itemized), "summary_bill").empty());
}

// ---------------------------------------------------------------- not rendered

TEST(NotRenderedTest, DescriptionSaysTheServiceDidNotHappen) {
  Bill b = Audited(Itemized({Line("2024-12-28", "01967", 1, 385, {}, "Epidural Setup & Prep (Not Used)"),
                             Line("2024-12-28", "73700", 1, 680, {}, "CT scan - cancelled"),
                             Line("2024-12-28", "99213", 1, 150, {}, "Office visit"),
                             Line("2024-12-28", "", 1, -40, {}, "Cancelled appointment credit"),
                             Line("2024-12-28", "J7030", 1, 20, {}, "Saline used during procedure")}));
  auto f = FindingsOf(b, "not_rendered");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0]->lines, (std::vector<size_t>{0}));
  EXPECT_EQ(f[0]->amount_at_stake, Usd(385));
  EXPECT_EQ(f[1]->lines, (std::vector<size_t>{1}));
}

// ---------------------------------------------------------------- balance billing

Bill SmallEob() {
  Bill eob;
  eob.document_type = DocumentType::kEob;
  LineItem a = Line("2026-07-10", "99285", 1, 1500);
  a.patient_responsibility = Usd(120);
  LineItem b = Line("2026-07-10", "36415", 1, 112);
  b.patient_responsibility = Usd(8.96);
  LineItem c = Line("2026-07-10", "36415", 1, 112);
  c.patient_responsibility = Usd(0);
  c.eob_note = "DENIED - duplicate of prior line item";
  eob.line_items = {a, b, c};
  eob.totals.patient_responsibility = Usd(128.96);
  return eob;
}

TEST(BalanceBillingTest, BillAsksMoreThanEobAndBillsDeniedDuplicate) {
  Bill b = Itemized({Line("2026-07-10", "99285", 1, 1500), Line("2026-07-10", "36415", 1, 112),
                     Line("2026-07-10", "36415", 1, 112)});
  SetConsistentTotals(&b);
  Bill eob = SmallEob();
  b = Audited(b, &eob);
  auto f = FindingsOf(b, "balance_billing");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0]->lines, (std::vector<size_t>{2}));  // the denied duplicate
  EXPECT_EQ(f[0]->amount_at_stake, Usd(112));
  // 1724.00 asked - 128.96 owed = 1595.04, less the 112.00 already counted.
  EXPECT_EQ(f[1]->amount_at_stake, Usd(1483.04));
  EXPECT_EQ(f[1]->lines, (std::vector<size_t>{0, 1}));
}

TEST(BalanceBillingTest, BillMatchingTheEobIsSilent) {
  Bill b = Itemized({Line("2026-07-10", "99285", 1, 1500), Line("2026-07-10", "36415", 1, 112)});
  b.totals.charges = Usd(1612);
  b.totals.insurance_paid = Usd(1483.04);
  b.amount_due = Usd(128.96);
  Bill eob = SmallEob();
  eob.line_items.pop_back();
  b = Audited(b, &eob);
  EXPECT_TRUE(FindingsOf(b, "balance_billing").empty());
}

TEST(BalanceBillingTest, EobWithOtherClaimsCountsOnlyMatchedLines) {
  Bill b = Itemized({Line("2026-07-10", "99285", 1, 1500)});
  SetConsistentTotals(&b);
  b.totals.insurance_paid = Usd(1380);
  b.amount_due = Usd(120);  // what the EOB says for this line
  Bill eob = SmallEob();
  LineItem other = Line("2026-07-12", "70450", 1, 900);
  other.patient_responsibility = Usd(300);
  eob.line_items.push_back(other);
  eob.totals.patient_responsibility = Usd(428.96);  // all claims on the EOB
  b = Audited(b, &eob);
  EXPECT_TRUE(FindingsOf(b, "balance_billing").empty());
  b.findings.clear();
  b.amount_due = Usd(200);
  b.totals.insurance_paid = Usd(1300);
  b = Audited(b, &eob);
  auto f = FindingsOf(b, "balance_billing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->amount_at_stake, Usd(80));
}

TEST(BalanceBillingTest, UnrelatedEobIsNotUsed) {
  Bill b = Itemized({Line("2026-07-10", "70450", 1, 900)});
  SetConsistentTotals(&b);
  Bill eob = SmallEob();
  b = Audited(b, &eob);
  EXPECT_TRUE(FindingsOf(b, "balance_billing").empty());
  EXPECT_FALSE(b.diagnostics.empty());
}

// ---------------------------------------------------------------- clean bills

TEST(CleanBillTest, TypicalCleanBillsHaveNoErrorFindings) {
  std::vector<Bill> bills = {
      Itemized({Line("2026-02-03", "99214", 1, 245), Line("2026-02-03", "36415", 1, 18),
                Line("2026-02-03", "80053", 1, 62), Line("2026-02-03", "85025", 1, 41),
                Line("2026-02-03", "83036", 1, 35), Line("2026-02-03", "84443", 1, 55)}),
      Itemized({Line("2026-01-15", "99285", 1, 2450, {"25"}), Line("2026-01-15", "71046", 1, 310),
                Line("2026-01-15", "93005", 1, 120), Line("2026-01-15", "J1885", 2, 60),
                Line("2026-01-15", "96374", 1, 210)}),
      Itemized({RevLine("2026-01-15", "0450", "99284", 1, 1800), RevLine("2026-01-15", "0320", "71046", 1, 410),
                RevLine("2026-01-15", "0301", "80053", 1, 140), RevLine("2026-01-15", "0305", "85025", 1, 95),
                RevLine("2026-01-15", "0300", "36415", 1, 30), RevLine("2026-01-15", "0250", "", 4, 48, "Pharmacy")}),
      Itemized({Line("2026-03-05", "99213", 1, 150), Line("2026-03-05", "90471", 1, 30),
                Line("2026-03-05", "90686", 1, 45), Line("2026-03-05", "96372", 1, 40),
                Line("2026-03-05", "J3301", 1, 20)}),
      Itemized({Line("2026-03-10", "99203", 1, 260), Line("2026-03-11", "99213", 1, 150),
                Line("2026-03-12", "99213", 1, 150), Line("2026-03-12", "97110", 3, 270)}),
  };
  for (Bill& b : bills) {
    SetConsistentTotals(&b);
    Bill audited = Audited(b);
    ExpectNoErrorFindings(audited);
    EXPECT_TRUE(FindingsOf(audited, "summary_bill").empty());
  }
}

TEST(EmCodeTest, Ranges) {
  EXPECT_TRUE(IsEmVisitCode("99213"));
  EXPECT_TRUE(IsEmVisitCode("99285"));
  EXPECT_TRUE(IsEmVisitCode("99232"));
  EXPECT_FALSE(IsEmVisitCode("99292"));  // critical-care add-on time
  EXPECT_FALSE(IsEmVisitCode("36415"));
  EXPECT_FALSE(IsEmVisitCode("G0463"));
}

}  // namespace
}  // namespace billwise::testing
