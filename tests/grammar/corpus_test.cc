// The grammar on real documents nobody here wrote (../shared/corpus), through the same
// PdfDocument text layer and plain-text path the program uses. Skips when the corpus is
// absent. Expected line items live in tests/grammar/corpus/*.json (transcribed from the
// documents; "sum" is their charges added up, "printed_total" what the document prints:
// the fairward mock statements print totals that do not match their own lines). Set
// BILLWISE_PRINT_CORPUS=1 to print what was read and the measured F1.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include "extract/grammar/parse.h"
#include "extract/source/pdf_document.h"
#include "extract/source/plain_text.h"
#include "tests/grammar/bill_view.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using testing::ReadFileBytes;

fs::path Shared(const std::string& rel) { return testing::SharedDir() / "corpus" / rel; }

const LayoutSet& Layouts() {
  static LayoutSet* set = [] {
    auto s = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    if (!s) std::abort();
    return new LayoutSet(std::move(*s));
  }();
  return *set;
}

bool Print() { return std::getenv("BILLWISE_PRINT_CORPUS") != nullptr; }

Bill FromPdf(const fs::path& path) {
  Bill bill;
  auto doc = PdfDocument::Open(ReadFileBytes(path));
  EXPECT_TRUE(doc.has_value()) << path;
  if (!doc) return bill;
  std::vector<Page> pages;
  for (int i = 0; i < doc->PageCount(); ++i) {
    auto page = doc->TextLayer(i);
    EXPECT_TRUE(page.has_value()) << path << " page " << i;
    if (page) pages.push_back(std::move(*page));
  }
  ParseBill(Layouts(), std::move(pages), &bill);
  if (Print()) std::cout << path.filename() << "\n" << BillView(bill).dump(1) << "\n";
  return bill;
}

Bill FromText(const fs::path& path) {
  Bill bill;
  ParseBill(Layouts(), PagesFromPlainText(ReadFileBytes(path)), &bill);
  if (Print()) std::cout << path.filename() << "\n" << BillView(bill).dump(1) << "\n";
  return bill;
}

// Items as comparable keys: date|code|qty|charge.
std::string Key(const std::optional<Date>& d, const std::optional<std::string>& code, double qty,
                const std::optional<Money>& charge) {
  return (d ? d->Iso() : "-") + "|" + (code ? *code : "-") + "|" +
         std::to_string(std::llround(qty * 100)) + "|" + (charge ? charge->Plain() : "-");
}

struct Score {
  int tp = 0, fp = 0, fn = 0;
  double F1() const { return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn); }
};

// Multiset match of actual against expected keys.
Score Match(std::vector<std::string> expected, const std::vector<std::string>& actual,
            const std::string& what) {
  Score s;
  std::multiset<std::string> pool(expected.begin(), expected.end());
  for (const auto& a : actual) {
    auto it = pool.find(a);
    if (it != pool.end()) {
      ++s.tp;
      pool.erase(it);
    } else {
      ++s.fp;
      ADD_FAILURE() << what << ": unexpected item " << a;
    }
  }
  for (const auto& e : pool) {
    ++s.fn;
    ADD_FAILURE() << what << ": missing item " << e;
  }
  return s;
}

std::vector<std::string> ActualKeys(const Bill& b) {
  std::vector<std::string> out;
  for (const auto& it : b.line_items) out.push_back(Key(it.date_of_service, it.code, it.quantity, it.charge));
  return out;
}

// tests/grammar/corpus/<name>.json: {"items": [[date, code, qty, charge], ...], "sum": x}
std::vector<std::string> ExpectedKeys(const std::string& name, Money* total) {
  auto j = nlohmann::json::parse(ReadFileBytes(fs::path(BILLWISE_SOURCE_DIR) / "tests/grammar/corpus" / (name + ".json")));
  std::vector<std::string> out;
  Money sum;
  for (const auto& row : j["items"]) {
    std::optional<Date> d = row[0].is_null() ? std::nullopt : Date::FromIso(row[0].get<std::string>());
    std::optional<std::string> code = row[1].is_null() ? std::nullopt : std::optional(row[1].get<std::string>());
    Money charge{std::llround(row[3].get<double>() * 100)};
    sum += charge;
    out.push_back(Key(d, code, row[2].get<double>(), charge));
  }
  *total = Money{std::llround(j["sum"].get<double>() * 100)};
  EXPECT_EQ(sum, *total) << name << ": the transcription does not add up to its sum";
  return out;
}

Score CheckPdf(const std::string& rel, const std::string& name) {
  Bill b = FromPdf(Shared(rel));
  Money total;
  auto expected = ExpectedKeys(name, &total);
  Score s = Match(expected, ActualKeys(b), name);
  if (Print()) std::cout << name << ": tp " << s.tp << " fp " << s.fp << " fn " << s.fn << " F1 " << s.F1() << "\n";
  return s;
}

TEST(GrammarCorpusTest, FairwardStanford) {
  SKIP_WITHOUT_SHARED("corpus");
  CheckPdf("fairward-billbuster/Stanford_Hospital_Bill_Martinez.pdf", "fairward_stanford");
  Bill b = FromPdf(Shared("fairward-billbuster/Stanford_Hospital_Bill_Martinez.pdf"));
  EXPECT_EQ(b.document_type, DocumentType::kItemizedStatement);
  EXPECT_EQ(b.account_number, "PAT-847291");
  EXPECT_EQ(b.statement_date->Iso(), "2025-01-08");
  EXPECT_EQ(b.amount_due, Money{428750});
  EXPECT_EQ(b.totals.charges, Money{428750});
  EXPECT_EQ(b.patient.name, "Jennifer Martinez");
  EXPECT_EQ(b.provider.zip, "94305");
}

TEST(GrammarCorpusTest, FairwardUcsf) {
  SKIP_WITHOUT_SHARED("corpus");
  CheckPdf("fairward-billbuster/UCSF_Medical_Center_Bill_Chen.pdf", "fairward_ucsf");
  Bill b = FromPdf(Shared("fairward-billbuster/UCSF_Medical_Center_Bill_Chen.pdf"));
  EXPECT_EQ(b.account_number, "UCSF-2024-12847");
  EXPECT_EQ(b.amount_due, Money{1284500});
}

TEST(GrammarCorpusTest, FairwardKaiser) {
  SKIP_WITHOUT_SHARED("corpus");
  CheckPdf("fairward-billbuster/Kaiser_Oakland_Bill_Williams.pdf", "fairward_kaiser");
  Bill b = FromPdf(Shared("fairward-billbuster/Kaiser_Oakland_Bill_Williams.pdf"));
  EXPECT_EQ(b.account_number, "KP-OAK-348921");
  EXPECT_EQ(b.amount_due, Money{947250});
  // Revenue codes keep their leading zero.
  bool rev = std::any_of(b.line_items.begin(), b.line_items.end(),
                         [](const LineItem& it) { return it.revenue_code == "0118"; });
  EXPECT_TRUE(rev);
}

TEST(GrammarCorpusTest, ClearbillItemizedBill) {
  SKIP_WITHOUT_SHARED("corpus");
  CheckPdf("clearbill-ai/sample_itemized_bill.pdf", "clearbill_bill");
  Bill b = FromPdf(Shared("clearbill-ai/sample_itemized_bill.pdf"));
  EXPECT_EQ(b.account_number, "SHC-DEMO-00219");
  EXPECT_EQ(b.statement_date->Iso(), "2026-07-16");
  EXPECT_EQ(b.totals.charges, Money{3437900});
  EXPECT_EQ(b.amount_due, Money{3437900});
}

TEST(GrammarCorpusTest, ClearbillEob) {
  SKIP_WITHOUT_SHARED("corpus");
  Bill b = FromPdf(Shared("clearbill-ai/sample_eob.pdf"));
  EXPECT_EQ(b.document_type, DocumentType::kEob);
  ASSERT_EQ(b.line_items.size(), 6u);
  const LineItem& first = b.line_items[0];
  EXPECT_EQ(first.code, "99285");
  EXPECT_EQ(first.charge, Money{1527000});
  EXPECT_EQ(first.allowed, Money{610800});
  EXPECT_EQ(first.insurance_paid, Money{488640});
  EXPECT_EQ(first.patient_responsibility, Money{122160});
  EXPECT_EQ(first.date_of_service->Iso(), "2026-07-10");
  const LineItem& last = b.line_items[5];
  EXPECT_EQ(last.code, "36415");
  EXPECT_EQ(last.insurance_paid, Money{0});
  ASSERT_TRUE(last.eob_note);
  EXPECT_NE(last.eob_note->find("DENIED"), std::string::npos);
  EXPECT_EQ(b.totals.patient_responsibility, Money{274136});
  EXPECT_EQ(b.provider.name, "Stanford Health Care");
  EXPECT_EQ(b.patient.name, "Jordan A. Sample");
}

TEST(GrammarCorpusTest, ClearbillPrajwalNoCodesIsoDates) {
  SKIP_WITHOUT_SHARED("corpus");
  CheckPdf("clearbill-prajwal/sample_medical_bill.pdf", "clearbill_prajwal");
  Bill b = FromPdf(Shared("clearbill-prajwal/sample_medical_bill.pdf"));
  EXPECT_EQ(b.totals.charges, Money{469000});
  EXPECT_EQ(b.totals.adjustments, Money{250000});
  EXPECT_EQ(b.amount_due, Money{219000});
  ASSERT_FALSE(b.line_items.empty());
  EXPECT_EQ(b.line_items[1].description, "MRI Scan - Brain");
  EXPECT_EQ(b.line_items[1].unit_price, Money{320000});
}

TEST(GrammarCorpusTest, Invoice2dataPdfsDoNotCrashAndFindTotals) {
  SKIP_WITHOUT_SHARED("corpus");
  int with_total = 0, total = 0;
  for (const auto& dir : {"invoice2data/compare", "invoice2data/files"}) {
    for (const auto& e : fs::directory_iterator(Shared(dir))) {
      if (e.path().extension() != ".pdf") continue;
      Bill b = FromPdf(e.path());
      // Only invoices whose text layer prints a total count (some are scans or not invoices).
      std::string text;
      for (const auto& p : b.pages)
        for (const auto& l : p.lines) text += Lower(l.text) + "\n";
      if (text.find("total") == std::string::npos) continue;
      ++total;
      if (b.amount_due || b.totals.charges) ++with_total;
      if (Print()) std::cout << e.path().filename() << ": " << b.line_items.size() << " items\n";
    }
  }
  EXPECT_GT(total, 0);
  if (Print()) std::cout << "invoice2data: totals found in " << with_total << " of " << total << "\n";
  EXPECT_GE(with_total * 10, total * 8);
}

// medbilldozer-benchmarks: codes and amounts of the coded lines in expected_outputs.
TEST(GrammarCorpusTest, MedbilldozerTextFiles) {
  SKIP_WITHOUT_SHARED("corpus");
  fs::path root = Shared("medbilldozer-benchmarks");
  Score all;
  int files = 0;
  for (const auto& e : fs::directory_iterator(root / "expected_outputs")) {
    auto j = nlohmann::json::parse(ReadFileBytes(e.path()));
    if (!j.contains("expected_facts")) continue;
    const auto& items = j["expected_facts"]["medical_line_items"];
    if (!items.is_array() || items.empty()) continue;
    fs::path input = root / "inputs" / (e.path().stem().string() + ".txt");
    if (!fs::exists(input)) continue;
    ++files;
    Bill b = FromText(input);
    std::vector<std::string> expected, actual;
    for (const auto& it : items) {
      expected.push_back(it["cpt_code"].get<std::string>() + "|" +
                         Money{std::llround(it["billed_amount"].get<double>() * 100)}.Plain());
    }
    for (const auto& it : b.line_items) {
      if (it.code) actual.push_back(*it.code + "|" + (it.charge ? it.charge->Plain() : "-"));
    }
    Score s = Match(expected, actual, input.filename().string());
    all.tp += s.tp;
    all.fp += s.fp;
    all.fn += s.fn;
  }
  EXPECT_GT(files, 5);
  if (Print()) std::cout << "medbilldozer: " << files << " files, F1 " << all.F1() << "\n";
  EXPECT_GE(all.F1(), 0.98);
}

}  // namespace
}  // namespace billwise
