#include "pipeline/model/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace billwise {
namespace {

TEST(Utf8Test, ValidatesWellFormedSequencesOnly) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain.pdf"));
  EXPECT_TRUE(IsValidUtf8("Factura_A\xC3\xB1o.pdf"));    // n with tilde
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));          // an emoji
  EXPECT_FALSE(IsValidUtf8("Factura_A\xF1o.pdf"));       // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                 // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));             // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));         // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));                 // truncated
}

TEST(Utf8Test, ReplacementKeepsValidTextAndMarksEachBadByte) {
  EXPECT_EQ(ToValidUtf8("Caf\xC3\xA9"), "Caf\xC3\xA9");
  EXPECT_EQ(ToValidUtf8("A\xF1o"), "A\xEF\xBF\xBDo");
  EXPECT_EQ(ToValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8Test, EscapeIsReversibleForEveryByte) {
  EXPECT_EQ(EscapeBytes("Factura_A\xF1o.pdf"), "Factura_A%F1o.pdf");
  EXPECT_EQ(EscapeBytes("100%.pdf"), "100%25.pdf");
  EXPECT_EQ(EscapeBytes("Caf\xC3\xA9"), "Caf\xC3\xA9");  // valid UTF-8 stays as it is
  std::string all;
  for (int b = 1; b < 256; ++b) all += static_cast<char>(b);
  const std::string escaped = EscapeBytes(all);
  EXPECT_TRUE(IsValidUtf8(escaped));
  EXPECT_EQ(UnescapeBytes(escaped), all);
  EXPECT_FALSE(UnescapeBytes("bad%4").has_value());
  EXPECT_FALSE(UnescapeBytes("bad%zz").has_value());
  EXPECT_EQ(UnescapeBytes("a%2fb"), "a/b");
}

}  // namespace
}  // namespace billwise
