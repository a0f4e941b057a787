// The shared ASCII string helpers: what counts as white space and as a letter, and that
// bytes outside ASCII pass through.
#include "pipeline/model/strings.h"

#include <gtest/gtest.h>

namespace billwise {
namespace {

TEST(StringsTest, TrimRemovesAsciiWhiteSpaceAtBothEndsOnly) {
  EXPECT_EQ(Trim(" \t\r\n\v\fa b\t\r\n"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("x"), "x");
  const std::string blank = "  ";
  EXPECT_EQ(Trim(blank).data(), blank.data() + 2);  // empty, not null
  EXPECT_EQ(Trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // a no-break space is not ASCII
}

TEST(StringsTest, CaseChangesAsciiLettersOnly) {
  EXPECT_EQ(Upper("abc-xyz 09 \xC3\xA9"), "ABC-XYZ 09 \xC3\xA9");
  EXPECT_EQ(Lower("ABC-XYZ 09 \xC3\x89"), "abc-xyz 09 \xC3\x89");
  EXPECT_EQ(Upper(""), "");
  EXPECT_EQ(UpperNoSpace(" cpt 4\t"), "CPT4");
  EXPECT_EQ(UpperNoSpace("hcpcs\r\n/cpt \xC2\xA0"), "HCPCS/CPT\xC2\xA0");  // a no-break space stays
  EXPECT_EQ(UpperNoSpace(" \t"), "");
}

TEST(StringsTest, AffixesIgnoreCase) {
  EXPECT_TRUE(StartsWithNoCase("Statement.PDF", "statement"));
  EXPECT_TRUE(EndsWithNoCase("Statement.PDF", ".pdf"));
  EXPECT_FALSE(EndsWithNoCase("pdf", ".pdf"));
  EXPECT_FALSE(StartsWithNoCase("stat", "statement"));
  EXPECT_TRUE(StartsWithNoCase("x", ""));
}

TEST(StringsTest, SplitKeepsEmptyPieces) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string_view>{""}));
  EXPECT_EQ(Split("a,", ','), (std::vector<std::string_view>{"a", ""}));
}

}  // namespace
}  // namespace billwise
