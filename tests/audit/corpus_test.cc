// Corpus tests: the planted errors of ../shared/corpus that the reference data can support,
// on Bills built by hand from the line items the corpus lists (the extraction stage will
// later feed the same documents parsed from their PDFs). Skips when ../shared is absent.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/tables/gzip.h"
#include "tests/audit/bills.h"
#include "tests/testing/files.h"

namespace billwise::testing {
namespace {

namespace fs = std::filesystem;

LineItem Priced(const char* date, const char* code, double qty, double unit, double total, const char* desc) {
  LineItem it = Line(date, code, qty, total, {}, desc);
  it.unit_price = Usd(unit);
  return it;
}

const Finding* FindOn(const Bill& b, const std::string& kind, size_t line) {
  for (const auto& f : b.findings) {
    if (FindingKindName(f.kind) == kind && std::find(f.lines.begin(), f.lines.end(), line) != f.lines.end()) return &f;
  }
  return nullptr;
}

std::string Dump(const Bill& b) {
  std::string s;
  for (const auto& f : b.findings) {
    s += std::string(FindingKindName(f.kind)) + " [";
    for (size_t l : f.lines) s += std::to_string(l) + " ";
    s += "] " + f.amount_at_stake.Display() + " " + f.rule + "\n";
  }
  return s;
}

// The reference database holds the CMS active-pair CSV: every 97th pair is found with both
// modifier indicators, and a pair of a practitioner-only edit is not found for hospitals.
TEST(CorpusPtpTest, DatabaseHoldsTheCmsCsv) {
  SKIP_WITHOUT_SHARED("refdata/ncci_ptp_active_2024q3.csv");
  auto csv = ReadFileInflating((SharedDir() / "refdata/ncci_ptp_active_2024q3.csv").string());
  ASSERT_TRUE(csv);
  const AuditData& d = Data();
  size_t pos = csv->find('\n') + 1, line = 0, checked = 0;
  while (pos < csv->size()) {
    size_t end = csv->find('\n', pos);
    if (line++ % 97 == 0) {
      std::string row = csv->substr(pos, end - pos);
      std::vector<std::string> f;
      for (size_t a = 0, b; ; a = b + 1) {
        b = row.find(',', a);
        f.push_back(row.substr(a, b == std::string::npos ? std::string::npos : b - a));
        if (b == std::string::npos) break;
      }
      ASSERT_EQ(f.size(), 6u) << row;
      auto prac = d.FindPtp(f[0], f[1], NcciSetting::kPractitioner);
      auto oph = d.FindPtp(f[0], f[1], NcciSetting::kOutpatientHospital);
      ASSERT_EQ(prac.has_value(), !f[2].empty()) << row;
      ASSERT_EQ(oph.has_value(), !f[3].empty()) << row;
      if (prac) {
        EXPECT_EQ(std::to_string(prac->modifier_indicator), f[2]) << row;
      }
      if (oph) {
        EXPECT_EQ(std::to_string(oph->modifier_indicator), f[3]) << row;
      }
      ++checked;
    }
    pos = end + 1;
  }
  EXPECT_EQ(line, 1675639u);
  EXPECT_GT(checked, 17000u);
}

// ---------------------------------------------------------------- fairward-billbuster

// Stanford Health Care ER visit, 2025-01-05 (professional-style statement: no revenue codes).
Bill StanfordMartinez() {
  Bill b = Itemized({
      Priced("2025-01-05", "99285", 1, 1850, 1850, "ER Visit - Level 5 (High Complexity)"),
      Priced("2025-01-05", "G0380", 1, 450, 450, "ER Facility Fee Level 5"),
      Priced("2025-01-05", "73610", 1, 385, 385, "Ankle X-Ray Complete (3+ views)"),
      Priced("2025-01-05", "73610", 1, 385, 385, "Ankle X-Ray Complete (3+ views)"),
      Priced("2025-01-05", "99070", 1, 275, 275, "Medical Supplies - Ankle Splint"),
      Priced("2025-01-05", "73700", 1, 680, 680, "CT Scan Lower Extremity w/o Contrast"),
      Priced("2025-01-05", "36415", 1, 25, 25, "Venipuncture - Blood Draw"),
      Priced("2025-01-05", "80053", 1, 45, 45, "Comprehensive Metabolic Panel"),
      Priced("2025-01-05", "J1100", 4, 18, 72, "Dexamethasone Injection 1mg"),
      Priced("2025-01-05", "J2550", 1, 22.5, 22.5, "Promethazine HCl Injection 50mg"),
      Priced("2025-01-05", "97140", 1, 65, 65, "Manual Therapy (Manipulation)"),
      Priced("2025-01-05", "A4590", 2, 16, 32, "Medical Supply - Elastic Wrap"),
  });
  b.statement_date = D("2025-01-08");
  b.totals.charges = Usd(4287.50);
  b.totals.patient_paid = Usd(0);
  b.amount_due = Usd(4287.50);
  return b;
}

TEST(CorpusFairwardTest, StanfordDuplicateXrayAndUnbundledFacilityFee) {
  SKIP_WITHOUT_SHARED("corpus/fairward-billbuster/RED_FLAGS_SUMMARY.md");
  Bill b = Audited(StanfordMartinez());
  SCOPED_TRACE(Dump(b));
  // Red flag 1: 73610 charged twice at $385.00.
  const Finding* dup = FindOn(b, "duplicate", 3);
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->amount_at_stake, Usd(385));
  // Red flag 5: the G0380 facility fee billed separately from the ED visit (NCCI PTP
  // 99285 / G0380, indicator 1, no modifier).
  const Finding* fee = FindOn(b, "bundling", 1);
  ASSERT_NE(fee, nullptr);
  EXPECT_EQ(fee->amount_at_stake, Usd(450));
  EXPECT_NE(fee->rule.find("column1 99285 / column2 G0380"), std::string::npos);
  // Not planted, but true of the PDF: its items add up to $4,286.50, not the $4,287.50 printed.
  auto math = FindingsOf(b, "math");
  ASSERT_EQ(math.size(), 1u);
  EXPECT_EQ(math[0]->amount_at_stake, Usd(1));
}

// UCSF outpatient cholecystectomy, 2024-12-18.
Bill UcsfChen() {
  const char* d = "2024-12-18";
  Bill b = Itemized({
      Priced(d, "47600", 1, 5200, 5200, "Cholecystectomy - Open Approach"),
      Priced(d, "49320", 1, 850, 850, "Laparoscopy, surgical; diagnostic"),
      Priced(d, "00790", 1, 450, 450, "Anesthesia for laparoscopy"),
      Priced(d, "01991", 9, 85, 765, "Anesthesia base unit fee"),
      Priced(d, "99140", 1, 250, 250, "Anesthesia emergency add-on"),
      Priced(d, "C1300", 9, 320, 2880, "Operating Room Time (per 15 min)"),
      Priced(d, "99211", 1, 125, 125, "Pre-operative Assessment"),
      Priced(d, "99232", 1, 185, 185, "Post-operative Recovery Room"),
      Priced(d, "C1789", 1, 280, 280, "Laparoscopic instrument tray"),
      Priced(d, "C1300", 1, 425, 425, "Surgical stapler device"),
      Priced(d, "A4649", 1, 95, 95, "Surgical drapes & gowns"),
      Priced(d, "A4550", 5, 12, 60, "Surgical gloves (sterile)"),
      Priced(d, "80053", 1, 52, 52, "Comprehensive Metabolic Panel"),
      Priced(d, "85025", 1, 38, 38, "Complete Blood Count (CBC)"),
      Priced(d, "85610", 1, 28, 28, "Prothrombin Time (PT)"),
      Priced(d, "80053", 1, 52, 52, "Comprehensive Metabolic Panel"),
      Priced(d, "J2405", 2, 95, 190, "Ondansetron Injection 4mg"),
      Priced(d, "J1100", 1, 24, 24, "Dexamethasone Injection 4mg"),
      Priced(d, "J2250", 5, 8.5, 42.5, "Midazolam HCl Injection 1mg"),
      Priced(d, "J2001", 10, 3.2, 32, "Lidocaine HCl Injection 10mg/ml"),
      Priced(d, "J3490", 3, 12, 36, "Fentanyl Citrate 100mcg"),
      Priced(d, "J1200", 1, 15, 15, "Diphenhydramine HCl 50mg"),
      Priced(d, "88304", 1, 185, 185, "Surgical pathology - gallbladder"),
      Priced(d, "88305", 1, 95, 95, "Pathology consultation"),
  });
  b.statement_date = D("2025-01-10");
  b.totals.charges = Usd(12845);
  b.amount_due = Usd(12845);
  return b;
}

TEST(CorpusFairwardTest, UcsfDuplicateMetabolicPanel) {
  SKIP_WITHOUT_SHARED("corpus/fairward-billbuster/RED_FLAGS_SUMMARY.md");
  Bill b = Audited(UcsfChen());
  SCOPED_TRACE(Dump(b));
  // Red flag 5: 80053 charged twice at $52.00.
  const Finding* dup = FindOn(b, "duplicate", 15);
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->amount_at_stake, Usd(52));
  EXPECT_EQ(dup->lines, (std::vector<size_t>{12, 15}));
  // The duplicate is not counted again as excess units (80053 MUE 1).
  EXPECT_EQ(FindOn(b, "units", 15), nullptr);
  // NCCI also bundles the diagnostic laparoscopy into the cholecystectomy (indicator 0).
  const Finding* lap = FindOn(b, "bundling", 1);
  ASSERT_NE(lap, nullptr);
  EXPECT_EQ(lap->amount_at_stake, Usd(850));
  EXPECT_EQ(lap->severity, Severity::kError);
  // Not planted, but true of the PDF: its 24 items add up to $12,354.50, not the $12,845.00 printed.
  auto math = FindingsOf(b, "math");
  ASSERT_EQ(math.size(), 1u);
  EXPECT_EQ(math[0]->amount_at_stake, Usd(490.50));
}

// Kaiser Oakland maternity stay, 2024-12-28..30 (room lines carry revenue codes: a facility bill).
Bill KaiserWilliams() {
  const char* d1 = "2024-12-28";
  const char* d2 = "2024-12-29";
  auto room = [](const char* rev, double qty, double unit, double total, const char* desc) {
    // As the extraction stage records a revenue code printed in the code column.
    LineItem it = RevLine("2024-12-28", rev, rev, qty, total, desc);
    it.code_type = CodeType::kRevenue;
    it.unit_price = Usd(unit);
    return it;
  };
  Bill b = Itemized({
      Priced(d1, "59400", 1, 3800, 3800, "Vaginal Delivery Package"),
      room("0118", 2, 950, 1900, "Private Room - Maternity (per day)"),
      room("0115", 2, 425, 850, "Nursery Room - Level I (per day)"),
      Priced(d1, "59409", 1, 1250, 1250, "Vaginal delivery - physician fee"),
      Priced(d1, "01967", 1, 385, 385, "Epidural Setup & Prep (Not Used)"),
      Priced(d1, "59430", 1, 175, 175, "Postpartum care"),
      Priced(d1, "96360", 1, 125, 125, "IV Hydration - first hour"),
      Priced(d1, "96361", 7, 45, 315, "IV Hydration - additional hour"),
      Priced(d1, "59514", 1, 0, 0, "Cesarean delivery preparation"),
      Priced(d1, "85025", 1, 42, 42, "Complete Blood Count (CBC)"),
      Priced(d1, "85027", 1, 18, 18, "Hemoglobin only"),
      Priced(d1, "85014", 1, 16, 16, "Hematocrit"),
      Priced(d1, "36415", 1, 22, 22, "Venipuncture"),
      Priced(d2, "80055", 1, 125, 125, "Obstetric Panel"),
      Priced(d2, "87086", 1, 35, 35, "Urine Culture"),
      Priced(d1, "J1956", 1, 28, 28, "Levofloxacin injection 250mg"),
      Priced(d1, "J2405", 2, 18.5, 37, "Ondansetron injection 4mg"),
      Priced(d1, "00400", 20, 4.75, 95, "Ibuprofen 600mg tablets"),
      Priced(d1, "J1200", 1, 12, 12, "Diphenhydramine 50mg"),
      Priced(d2, "00167", 12, 1.8, 21.6, "Acetaminophen 500mg tablets"),
      Priced(d2, "J1100", 1, 22, 22, "Dexamethasone 4mg"),
      Priced(d1, "99460", 1, 225, 225, "Initial newborn care"),
      Priced(d2, "99462", 1, 140, 140, "Subsequent newborn care - day 1"),
      Priced("2024-12-30", "99462", 1, 140, 140, "Subsequent newborn care - day 2"),
      Priced(d1, "99464", 1, 195, 195, "Newborn attendance at delivery"),
      Priced(d1, "54150", 1, 285, 285, "Circumcision - newborn"),
      Priced(d1, "92587", 1, 65, 65, "Newborn Hearing Screening - Right"),
      Priced(d1, "92588", 1, 65, 65, "Newborn Hearing Screening - Left"),
      Priced(d2, "92587", 1, 65, 65, "Newborn Hearing Screening - Right"),
      Priced(d2, "92588", 1, 65, 65, "Newborn Hearing Screening - Left"),
      Priced(d1, "36416", 1, 22, 22, "Newborn capillary blood draw"),
      Priced(d1, "80100", 1, 85, 85, "Newborn metabolic screening"),
      Priced(d1, "86803", 1, 32, 32, "Newborn blood type"),
      Priced(d1, "82947", 1, 18, 18, "Glucose screening"),
  });
  b.statement_date = D("2025-01-12");
  b.totals.charges = Usd(9472.50);
  b.totals.adjustments = Usd(0);
  b.totals.patient_paid = Usd(0);
  b.amount_due = Usd(9472.50);
  return b;
}

TEST(CorpusFairwardTest, KaiserUnbundledBloodCountComponents) {
  SKIP_WITHOUT_SHARED("corpus/fairward-billbuster/RED_FLAGS_SUMMARY.md");
  Bill b = Audited(KaiserWilliams());
  SCOPED_TRACE(Dump(b));
  EXPECT_EQ(BillSetting(b), NcciSetting::kOutpatientHospital);
  // Red flag 3: 85027 and 85014 billed with the CBC 85025 ($34.00).
  const Finding* hgb = FindOn(b, "bundling", 10);
  const Finding* hct = FindOn(b, "bundling", 11);
  ASSERT_NE(hgb, nullptr);
  ASSERT_NE(hct, nullptr);
  EXPECT_EQ(hgb->amount_at_stake + hct->amount_at_stake, Usd(34));
  EXPECT_NE(hgb->rule.find("(outpatient hospital) column1 85025 / column2 85027"), std::string::npos);
  // Red flag 2: the epidural the bill itself marks "(Not Used)", $385.00.
  const Finding* epidural = FindOn(b, "not_rendered", 4);
  ASSERT_NE(epidural, nullptr);
  EXPECT_EQ(epidural->amount_at_stake, Usd(385));
  // Red flag 5 (hearing screening repeated on the next day) is not a same-day duplicate.
  EXPECT_EQ(FindOn(b, "duplicate", 28), nullptr);
  // The PDF's 34 items add up to $10,675.60 while it prints $9,472.50: reported, with nothing
  // at stake for the patient since the printed total is the lower figure.
  auto math = FindingsOf(b, "math");
  ASSERT_EQ(math.size(), 1u);
  EXPECT_EQ(math[0]->severity, Severity::kWarning);
  EXPECT_EQ(math[0]->amount_at_stake, Money{});
}

// ---------------------------------------------------------------- clearbill-ai

TEST(CorpusClearbillTest, DuplicateVenipunctureAndEobDeniedDuplicate) {
  SKIP_WITHOUT_SHARED("corpus/clearbill-ai/sample_eob.pdf");
  const char* d = "2026-07-10";
  Bill bill = Itemized({Line(d, "99285", 1, 15270, {}, "Emergency Dept Visit, High Complexity / Trauma"),
                        Line(d, "74177", 1, 17197, {}, "CT Abdomen-Pelvis with Contrast"),
                        Line(d, "80053", 1, 1243, {}, "Comprehensive Metabolic Panel"),
                        Line(d, "85025", 1, 445, {}, "CBC with Automated Differential"),
                        Line(d, "36415", 1, 112, {}, "Venipuncture, Routine Collection"),
                        Line(d, "36415", 1, 112, {}, "Venipuncture, Routine Collection")});
  bill.statement_date = D("2026-07-16");
  bill.totals.charges = Usd(34379);
  bill.amount_due = Usd(34379);

  Bill eob;
  eob.document_type = DocumentType::kEob;
  struct Row { const char* code; double billed, allowed, paid, resp; const char* note; };
  Row rows[] = {{"99285", 15270, 6108, 4886.40, 1221.60, nullptr},
                {"74177", 17197, 6878.80, 5503.04, 1375.76, nullptr},
                {"80053", 1243, 497.20, 397.76, 99.44, nullptr},
                {"85025", 445, 178, 142.40, 35.60, nullptr},
                {"36415", 112, 44.80, 35.84, 8.96, nullptr},
                {"36415", 112, 44.80, 0, 0, "DENIED - duplicate of prior line item"}};
  for (const Row& r : rows) {
    LineItem it = Line("", r.code, 1, r.billed);  // the EOB prints one date for the claim
    it.allowed = Usd(r.allowed);
    it.insurance_paid = Usd(r.paid);
    it.patient_responsibility = Usd(r.resp);
    if (r.note) it.eob_note = r.note;
    eob.line_items.push_back(it);
  }
  eob.totals.patient_responsibility = Usd(2741.36);

  Bill b = Audited(bill, &eob);
  SCOPED_TRACE(Dump(b));
  const Finding* dup = FindOn(b, "duplicate", 5);
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->amount_at_stake, Usd(112));
  auto bb = FindingsOf(b, "balance_billing");
  ASSERT_EQ(bb.size(), 2u);
  EXPECT_EQ(bb[0]->lines, (std::vector<size_t>{5}));  // the line the EOB denied as a duplicate
  EXPECT_EQ(bb[0]->amount_at_stake, Usd(112));
  // $34,379.00 asked - $2,741.36 owed = $31,637.64, less the $112.00 counted above.
  EXPECT_EQ(bb[1]->amount_at_stake, Usd(31525.64));
  EXPECT_TRUE(FindingsOf(b, "math").empty());
  EXPECT_TRUE(FindingsOf(b, "bundling").empty());
}

// ---------------------------------------------------------------- medbilldozer-benchmarks

TEST(CorpusMedbilldozerTest, ExpectedDuplicatesFoundAndCleanBillsSilent) {
  fs::path dir = SharedDir() / "corpus/medbilldozer-benchmarks/expected_outputs";
  if (!fs::exists(dir)) GTEST_SKIP() << "no medbilldozer-benchmarks";
  int duplicates = 0, clean = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    std::ifstream in(path);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << path;
    const nlohmann::json* items = nullptr;
    if (!j.contains("expected_facts")) continue;
    for (const char* key : {"medical_line_items", "dental_line_items"}) {
      if (j["expected_facts"].contains(key)) items = &j["expected_facts"][key];
    }
    if (items == nullptr || items->empty()) continue;
    Bill b = Itemized({});
    for (const auto& it : *items) {
      std::string code = it.value("cpt_code", it.value("cdt_code", ""));
      std::string date = it.value("date_of_service", "");
      b.line_items.push_back(Line(date.c_str(), code.c_str(), 1, it.value("billed_amount", 0.0), {},
                                  it.value("description", "").c_str()));
    }
    bool expects_duplicate = false;
    for (const auto& issue : j.value("expected_issues", nlohmann::json::array())) {
      expects_duplicate = expects_duplicate || issue.value("type", "") == "duplicate_charge";
    }
    b = Audited(b);
    SCOPED_TRACE(path.filename().string() + "\n" + Dump(b));
    if (expects_duplicate) {
      ++duplicates;
      auto d = FindingsOf(b, "duplicate");
      ASSERT_EQ(d.size(), 1u);
      EXPECT_EQ(d[0]->lines.size(), 2u);
      EXPECT_EQ(d[0]->amount_at_stake, *b.line_items[d[0]->lines[1]].charge);
    } else {
      EXPECT_TRUE(FindingsOf(b, "duplicate").empty());
    }
    if (j.value("expected_issues", nlohmann::json::array()).empty()) {
      ++clean;
      for (const char* kind : {"bundling", "units", "math"}) EXPECT_TRUE(FindingsOf(b, kind).empty()) << kind;
    }
  }
  EXPECT_EQ(duplicates, 3);  // medical_bill_duplicate, dental_bill_duplicate, patient_050
  EXPECT_GE(clean, 2);
}

}  // namespace
}  // namespace billwise::testing
