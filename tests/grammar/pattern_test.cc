// Pattern::PartialMatch (extract/grammar/layout_set.h): a `(?i)` pattern matched through
// its case-folded form answers exactly as RE2 does with the original pattern.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

bool Original(const Pattern& p, const std::string& text) {
  re2::RE2 re(p.text());
  return re2::RE2::PartialMatch(text, re);
}

// Every line of the template test cases, as printed, upper-cased and lower-cased, plus a
// few lines written to hit the patterns' keywords in unusual case.
std::vector<std::string> Lines() {
  std::vector<std::string> lines = {
      "PAGE 2 OF 3", "Page Subtotal", "TOTAL AMOUNT DUE  $1,234.56", "Payment - Thank You  (25.00)",
      "Contractual ADJUSTMENT  -68.90", "Blue Cross Blue Shield payment", "  continued  ", "Sales Tax 1.00",
      "Previous Balance 10.00", "AGING: Current 31-60 61-90", "Pmt: Check #1042", "café total due",
      "Ins Pmt - MEDICARE", "", "$$$", "Amount Enclosed: ______"};
  for (const auto& e : fs::recursive_directory_iterator(fs::path(BILLWISE_SOURCE_DIR) / "tests/grammar/cases")) {
    if (e.path().extension() != ".txt") continue;
    std::istringstream in(testing::ReadFileBytes(e.path()));
    for (std::string line; std::getline(in, line);) {
      std::string upper = line, lower = line;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      lines.push_back(line);
      lines.push_back(upper);
      lines.push_back(lower);
    }
  }
  return lines;
}

TEST(PatternPartialMatch, AgreesWithRe2OnEveryShippedPatternAndTestLine) {
  auto set = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
  ASSERT_TRUE(set.has_value()) << set.error().message;
  const std::vector<std::string> lines = Lines();
  ASSERT_GT(lines.size(), 500u);
  int patterns = 0, matches = 0;
  for (const auto& layout : set->layouts()) {
    ForEachPattern(*layout, [&](const Pattern& p) {
      ++patterns;
      const re2::RE2 original(p.text());
      for (const std::string& line : lines) {
        const bool expected = re2::RE2::PartialMatch(line, original);
        EXPECT_EQ(p.PartialMatch(line), expected) << layout->id << ": " << p.text() << "\n  on: " << line;
        matches += expected;
      }
    });
  }
  EXPECT_GT(patterns, 30);
  EXPECT_GT(matches, 100);  // the lines do exercise the patterns
}

TEST(PatternPartialMatch, PatternsThatCannotBeFoldedStillMatchAsWritten) {
  // Upper-case letters in the pattern, Unicode classes, another flag group, non-ASCII.
  for (const char* text : {"(?i)[A-Z]{2} \\d{5}", "(?i)\\pL+ total", "(?i)total(?-i:Due)", "(?i)café",
                           "(?i)\\x41mount", "(?i)\\Qa.b\\E", "total due", "(?i)^\\W*balance\\s+due\\b"}) {
    const Pattern p = Pattern::Deferred(text);
    for (const char* line : {"NY 10001", "Total Due", "total due", "TOTAL DUE", "CAFÉ", "café", "Amount",
                             "a.b", "A.B", "  Balance  Due", "abc"}) {
      EXPECT_EQ(p.PartialMatch(line), Original(p, line)) << text << " on " << line;
    }
  }
}

}  // namespace
}  // namespace billwise
