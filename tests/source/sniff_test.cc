#include "extract/source/sniff.h"

#include <gtest/gtest.h>

#include <string>

namespace billwise {
namespace {

TEST(SniffTest, Magics) {
  EXPECT_EQ(SniffKind("%PDF-1.7\n..."), FileKind::kPdf);
  EXPECT_EQ(SniffKind(std::string(500, ' ') + "%PDF-1.4"), FileKind::kPdf);
  EXPECT_EQ(SniffKind(std::string(2000, 'x') + "%PDF-1.4"), FileKind::kText);
  EXPECT_EQ(SniffKind(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)), FileKind::kPng);
  EXPECT_EQ(SniffKind("\xFF\xD8\xFF\xE0\x00\x10JFIF"), FileKind::kJpeg);
  EXPECT_EQ(SniffKind(std::string("II*\0\x08\0\0\0", 8)), FileKind::kTiff);
  EXPECT_EQ(SniffKind(std::string("MM\0*\0\0\0\x08", 8)), FileKind::kTiff);
}

TEST(SniffTest, NameNeverMattersOnlyBytes) {
  // What a PNG renamed to bill.pdf looks like to the sniffer: just PNG bytes.
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR%PDF-", 21);
  EXPECT_EQ(SniffKind(png), FileKind::kPng);
}

TEST(SniffTest, TextAndUnknown) {
  EXPECT_EQ(SniffKind(""), FileKind::kUnknown);
  EXPECT_EQ(SniffKind("   \n\n"), FileKind::kUnknown);
  EXPECT_EQ(SniffKind("STATEMENT\nTotal due  $12.00\n"), FileKind::kText);
  EXPECT_EQ(SniffKind("\xEF\xBB\xBFNi\xC3\xB1o 3.00\n"), FileKind::kText);
  EXPECT_EQ(SniffKind("bad \xC3 utf8"), FileKind::kUnknown);
  EXPECT_EQ(SniffKind(std::string("a\0b", 3)), FileKind::kUnknown);
  EXPECT_EQ(SniffKind("\x01\x02\x03\x04\x05xyz"), FileKind::kUnknown);
  EXPECT_EQ(SniffKind("\xC0\xAF overlong"), FileKind::kUnknown);
}

TEST(SniffTest, Names) {
  EXPECT_STREQ(FileKindName(FileKind::kPdf), "pdf");
  EXPECT_STREQ(FileKindName(FileKind::kPng), "png");
  EXPECT_STREQ(FileKindName(FileKind::kJpeg), "jpeg");
  EXPECT_STREQ(FileKindName(FileKind::kTiff), "tiff");
  EXPECT_STREQ(FileKindName(FileKind::kText), "text");
  EXPECT_STREQ(FileKindName(FileKind::kUnknown), "unknown");
}

}  // namespace
}  // namespace billwise
