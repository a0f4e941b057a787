// Every letter that applies to a generated document, read back from its PDF with pdftotext.
// samples/random_bills.py (fixed seed) writes bills, EOBs, collection notices and files
// holding several documents, laid out as the letters were never tuned to; each document is
// analyzed with the samples' profile, and every kind `--kind all` would write is rendered in
// English and Spanish and checked as readback_checks.h says: the sums, no leaked internals,
// the addressee (collector, original creditor, health plan or provider), both account
// numbers on collection-notice letters, continuation heads, the language, and that the kinds
// written never contradict each other.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/audit/profile.h"
#include "pipeline/letters/letters.h"
#include "pipeline/run/run.h"
#include "tests/letters/readback_checks.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;
using testing::ExpectContinuationHeads;
using testing::ExpectNothingLeaks;
using testing::ExpectSpanish;
using testing::ExpectSums;
using testing::Head;
using testing::PdfText;
using testing::Shell;

// Enough files to hold every kind of document (about 10 collection notices in 100, 16 EOBs,
// 12 files of several documents) while the test stays well under a minute on two cores.
constexpr int kFiles = 36;
constexpr int kSeed = 2026;

bool Contains(const std::vector<LetterKind>& kinds, LetterKind k) {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

class RandomLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveCommand("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
    if (!testing::HaveCommand("python3")) GTEST_SKIP() << "python3 is not installed";
    ASSERT_FALSE(dir_.path().empty());
    auto r = Shell("python3 '" + (fs::path(BILLWISE_SOURCE_DIR) / "samples" / "random_bills.py").string() +
                   "' --out '" + (dir_ / "docs") + "' --seed " + std::to_string(kSeed) + " --count " +
                   std::to_string(kFiles));
    ASSERT_EQ(r.status, 0) << r.out;
  }
  testing::TempDir dir_;
};

TEST_F(RandomLettersTest, EveryLetterOfEveryGeneratedDocumentIsMailReady) {
  auto engine = Engine::Load(EngineOptions{.data_dir = BILLWISE_SOURCE_DIR, .tables = TableLoading::kOnFirstUse});
  ASSERT_TRUE(engine) << engine.error().message;
  auto insured = LoadProfile((fs::path(BILLWISE_SOURCE_DIR) / "samples" / "profile.yaml").string());
  ASSERT_TRUE(insured) << insured.error().message;
  // The same patient uninsured: the letters of a self-pay patient; and a household above the
  // usual assistance bands: the payment offers.
  Profile uninsured = *insured;
  uninsured.insured = false;
  uninsured.coverage = Coverage::kUninsured;
  Profile comfortable = *insured;
  comfortable.annual_income = Money::FromDollars(250000);
  const int64_t budget = insured->monthly_budget->cents, cash = insured->lump_sum_available->cents;

  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_ / "docs")) {
    if (e.path().extension() == ".pdf") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), static_cast<size_t>(kFiles));

  std::map<std::string, int> written;  // letters per kind
  std::set<DocumentType> types_seen;
  for (size_t f = 0; f < files.size(); ++f) {
    const Profile& profile = f % 3 == 0 ? *insured : f % 3 == 1 ? uninsured : comfortable;
    AnalyzeOptions analyze;
    analyze.profile = profile;
    analyze.today = Date{2026, 12, 7};
    auto docs = (*engine)->AnalyzeFileDocuments(files[f].string(), analyze);
    ASSERT_TRUE(docs) << files[f] << ": " << docs.error().message;
    for (const Bill& bill : *docs) {
      types_seen.insert(bill.document_type);
      std::string doc_what = files[f].stem().string() + " #" + std::to_string(bill.source.document_index) + " (" +
                             DocumentTypeName(bill.document_type) + ")";
      std::vector<LetterKind> kinds = ApplicableLetters(bill, &profile);
      const bool eob = bill.document_type == DocumentType::kEob;
      const bool notice = bill.document_type == DocumentType::kCollectionNotice || bill.collector.has_value();
      // Never two letters that contradict each other.
      if (eob) {
        for (LetterKind k : kinds) EXPECT_EQ(k, LetterKind::kAppeal) << doc_what << ": " << LetterKindName(k);
      }
      if (notice || eob || Contains(kinds, LetterKind::kDispute) || Contains(kinds, LetterKind::kItemized)) {
        EXPECT_FALSE(Contains(kinds, LetterKind::kLumpSum)) << doc_what;
        EXPECT_FALSE(Contains(kinds, LetterKind::kPaymentPlan)) << doc_what;
      }
      if (notice) {
        ASSERT_FALSE(kinds.empty()) << doc_what;
        EXPECT_EQ(kinds.front(), LetterKind::kValidation) << doc_what;
      }
      std::optional<Money> balance = BalanceDue(bill);
      const std::string account = bill.account_number.value_or("");
      for (LetterKind kind : kinds) {
        for (const char* lang : {"en", "es"}) {
          std::string what = doc_what + " " + lang + " " + LetterKindName(kind);
          LetterInputs in;
          in.bill = &bill;
          in.profile = &profile;
          in.today = Date{2026, 12, 7};
          LetterOptions options;
          options.language = lang;
          options.allow_blanks = true;
          options.data_dir = BILLWISE_SOURCE_DIR;
          auto package = RenderLetterPackage(kind, in, options);
          ASSERT_TRUE(package) << what << ": " << package.error().message;
          fs::path pdf = dir_ / (files[f].stem().string() + "-" + std::to_string(bill.source.document_index) + "-" +
                                 LetterKindName(kind) + "." + lang + ".pdf");
          ASSERT_TRUE(testing::WriteFileBytes(pdf, package->front().bytes));
          std::string text = PdfText(pdf.string());
          ASSERT_FALSE(text.empty()) << what;
          ++written[LetterKindName(kind)];

          ExpectNothingLeaks(text, what, {"$46,500", "$250,000"});
          ExpectContinuationHeads(text, account, lang, what);
          if (std::string(lang) == "es") ExpectSpanish(text, what);
          if (balance && balance->cents > 0) {
            ExpectSums(LetterKindName(kind), text, balance->cents, budget, cash, what);
          }
          if (!account.empty()) {
            EXPECT_NE(text.find(account), std::string::npos) << what << " lacks the account number\n" << text;
          }
          std::string head = Head(text);
          if (notice) {
            if (bill.collector && bill.collector->reference) {
              EXPECT_NE(text.find(*bill.collector->reference), std::string::npos)
                  << what << " lacks the collector's reference\n"
                  << text;
            }
            if (bill.collector && bill.collector->name) {
              if (kind == LetterKind::kValidation) {
                EXPECT_NE(head.find(*bill.collector->name), std::string::npos) << what << "\n" << head;
              } else {
                EXPECT_EQ(head.find(*bill.collector->name), std::string::npos) << what << "\n" << head;
              }
            }
            EXPECT_EQ(text.find("totals only"), std::string::npos) << what;
          } else if (kind == LetterKind::kAppeal) {
            ASSERT_TRUE(profile.insurer);
            EXPECT_NE(head.find(*profile.insurer), std::string::npos) << what << "\n" << head;
            if (bill.provider.name) {
              EXPECT_EQ(head.find(*bill.provider.name), std::string::npos) << what << "\n" << head;
            }
          } else if (bill.provider.name) {
            EXPECT_NE(head.find(*bill.provider.name), std::string::npos) << what << "\n" << head;
            EXPECT_EQ(head.find(*insured->insurer), std::string::npos) << what << "\n" << head;
          }
          if (kind == LetterKind::kAssistance) {
            // The package writes the application beside the letter, and the letter says so.
            ASSERT_EQ(package->size(), 2u) << what;
            EXPECT_NE(testing::Flat(text).find(std::string(lang) == "es" ? "adjunta para la cuenta"
                                                                          : "enclosed application"),
                      std::string::npos)
                << what << "\n"
                << text;
          }
        }
      }
    }
  }
  // The set holds every kind of document, and the letters the generated documents call for.
  for (DocumentType t : {DocumentType::kItemizedStatement, DocumentType::kEob, DocumentType::kCollectionNotice}) {
    EXPECT_TRUE(types_seen.count(t)) << DocumentTypeName(t) << " was not generated";
  }
  for (const char* kind : {"validation", "itemized", "assistance", "appeal", "dispute", "lump-sum"}) {
    EXPECT_GT(written[kind], 0) << kind << " was written for no generated document";
  }
  std::string counts;
  for (const auto& [kind, n] : written) counts += " " + kind + "=" + std::to_string(n);
  std::printf("letters read back:%s\n", counts.c_str());
}

// `billwise letters FILE --kind all` on a file of several documents writes the letters of
// every document under distinct names (docN-KIND.pdf), and a collector's notice that follows
// the provider's statement in the same file gets the statement's address for the original
// creditor.
TEST_F(RandomLettersTest, LettersOfEveryDocumentOfAFile) {
  if (!fs::exists(BILLWISE_BINARY)) GTEST_SKIP() << "billwise is not built";
  auto engine = Engine::Load(EngineOptions{.data_dir = BILLWISE_SOURCE_DIR, .tables = TableLoading::kOnFirstUse});
  ASSERT_TRUE(engine) << engine.error().message;
  const std::string profile_path = (fs::path(BILLWISE_SOURCE_DIR) / "samples" / "profile.yaml").string();
  auto profile = LoadProfile(profile_path);
  ASSERT_TRUE(profile) << profile.error().message;
  int several = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "docs")) {
    std::string stem = e.path().stem().string();
    if (e.path().extension() != ".pdf" || stem.find("_multi") == std::string::npos) continue;
    AnalyzeOptions analyze;
    analyze.profile = *profile;
    auto docs = (*engine)->AnalyzeFileDocuments(e.path().string(), analyze);
    ASSERT_TRUE(docs) << stem;
    if (docs->size() < 2) continue;  // read as one document: the reader's concern, not the letters'
    ++several;
    fs::path out = fs::path(dir_.path()) / ("letters-" + stem);
    auto r = Shell(std::string("SOURCE_DATE_EPOCH=1796601600 '") + BILLWISE_BINARY + "' --no-store letters '" +
                   e.path().string() + "' --kind all --allow-blanks --profile '" + profile_path + "' --out '" +
                   out.string() + "'");
    ASSERT_EQ(r.status, 0) << stem << "\n" << r.out;
    // Every path printed is distinct, and each document that calls for letters has them
    // under its own number.
    std::set<std::string> printed;
    std::set<std::string> prefixes;
    std::stringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() < 4 || line.substr(line.size() - 4) != ".pdf") continue;
      EXPECT_TRUE(printed.insert(line).second) << stem << ": written twice: " << line;
      std::string name = fs::path(line).filename().string();
      ASSERT_EQ(name.rfind("doc", 0), 0u) << stem << ": " << name;
      prefixes.insert(name.substr(0, name.find('-')));
      EXPECT_TRUE(fs::exists(line)) << line;
    }
    for (size_t d = 0; d < docs->size(); ++d) {
      bool letters = !ApplicableLetters((*docs)[d], &*profile).empty();
      EXPECT_EQ(prefixes.count("doc" + std::to_string(d + 1)) == 1, letters)
          << stem << ": document " << d + 1 << " (" << DocumentTypeName((*docs)[d].document_type) << ")\n"
          << r.out;
    }
    // A statement then a notice about it: the itemized request to the original creditor
    // carries the statement's address, not a blank.
    fs::path itemized = out / "doc2-itemized.pdf";
    if (fs::exists(out / "doc2-validation.pdf") && fs::exists(itemized) && !(*docs)[0].provider.address.empty()) {
      std::string head = Head(PdfText(itemized.string()));
      EXPECT_NE(head.find((*docs)[0].provider.address.front()), std::string::npos) << stem << "\n" << head;
    }
  }
  EXPECT_GT(several, 0) << "the generated set holds no file read as several documents";
}

}  // namespace
}  // namespace billwise
