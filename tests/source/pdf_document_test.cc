#include "extract/source/pdf_document.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing/files.h"
#include "tests/testing/pdf_bytes.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

// A one-page PDF with Helvetica text, built with a correct xref table.
std::string MakePdf(const std::string& content, int rotate = 0, const char* mediabox = "0 0 612 792") {
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      std::string("<< /Type /Page /Parent 2 0 R /MediaBox [") + mediabox + "] /Rotate " +
          std::to_string(rotate) +
          " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
          "\nendstream",
  };
  return testing::PdfFromObjects(objs);
}

const char* kRow =
    "BT /F1 10 Tf 50 700 Td (01/05/2026) Tj ET\n"
    "BT /F1 10 Tf 130 700 Td (80053) Tj ET\n"
    "BT /F1 10 Tf 190 700 Td (Comprehensive metabolic panel) Tj ET\n"
    "BT /F1 10 Tf 500 700 Td (245.00) Tj ET\n"
    "BT /F1 10 Tf 50 686 Td (01/05/2026) Tj ET\n"
    "BT /F1 10 Tf 130 686 Td (36415) Tj ET\n"
    "BT /F1 10 Tf 190 686 Td (Venipuncture) Tj ET\n"
    "BT /F1 10 Tf 505 686 Td (42.00) Tj ET\n";

using testing::ReadFileBytes;

TEST(PdfDocumentTest, TextLayerGivesRowsAsLines) {
  auto doc = PdfDocument::Open(MakePdf(kRow));
  ASSERT_TRUE(doc.has_value()) << doc.error().message;
  EXPECT_EQ(doc->PageCount(), 1);
  auto page = doc->TextLayer(0);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->number, 1);
  EXPECT_EQ(page->origin, TextOrigin::kTextLayer);
  EXPECT_DOUBLE_EQ(page->width, 612);
  EXPECT_DOUBLE_EQ(page->height, 792);
  ASSERT_EQ(page->lines.size(), 2u);
  const Line& l = page->lines[0];
  ASSERT_EQ(l.cells.size(), 4u) << l.text;
  EXPECT_EQ(l.cells[2].text, "Comprehensive metabolic panel");
  // Top-left origin: baseline at 700 from the bottom is about 92 from the top.
  EXPECT_NEAR(l.box.y1, 792 - 700, 4);
  EXPECT_NEAR(l.cells[0].box.x0, 50, 1);
  EXPECT_TRUE(PdfDocument::HasUsableText(*page));
  // Amounts are right-aligned: both rows end in the same column.
  EXPECT_EQ(page->lines[0].text.size(), page->lines[1].text.size());
}

TEST(PdfDocumentTest, RotatedPageReadsInReadingOrientation) {
  // Content laid out for a landscape reader on a portrait MediaBox turned by /Rotate 90:
  // the text runs up the page in user space, so after rotation it reads left to right.
  const std::string content =
      "BT /F1 10 Tf 0 1 -1 0 300 50 Tm (Total charges) Tj ET\n"
      "BT /F1 10 Tf 0 1 -1 0 300 400 Tm (1,234.00) Tj ET\n";
  auto doc = PdfDocument::Open(MakePdf(content, 90));
  ASSERT_TRUE(doc.has_value());
  auto page = doc->TextLayer(0);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->rotation, 90);
  EXPECT_DOUBLE_EQ(page->width, 792);
  EXPECT_DOUBLE_EQ(page->height, 612);
  ASSERT_EQ(page->lines.size(), 1u);
  EXPECT_EQ(page->lines[0].cells.size(), 2u) << page->lines[0].text;
  EXPECT_EQ(page->lines[0].cells[0].text, "Total charges");
  EXPECT_EQ(page->lines[0].cells[1].text, "1,234.00");
}

TEST(PdfDocumentTest, RenderGivesUnpaddedGrayAndHonoursPixelLimit) {
  auto doc = PdfDocument::Open(MakePdf(kRow, 0, "0 0 201 100"));
  ASSERT_TRUE(doc.has_value());
  auto img = doc->Render(0, 72, 1'000'000);
  ASSERT_TRUE(img.has_value()) << img.error().message;
  EXPECT_EQ(img->width, 201);  // odd width: rows would be padded in poppler's buffer
  EXPECT_EQ(img->height, 100);
  EXPECT_EQ(img->dpi, 72);
  EXPECT_EQ(img->pixels.size(), 201u * 100u);
  auto big = doc->Render(0, 300, 1000);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(doc->Render(0, 5, 1'000'000).error().code, ErrorCode::kUsage);
  EXPECT_EQ(doc->Render(1, 72, 1'000'000).error().code, ErrorCode::kUsage);
  EXPECT_EQ(doc->TextLayer(-1).error().code, ErrorCode::kUsage);
}

TEST(PdfDocumentTest, RenderShowsInk) {
  auto doc = PdfDocument::Open(MakePdf(kRow));
  ASSERT_TRUE(doc.has_value());
  auto img = doc->Render(0, 100, 10'000'000);
  ASSERT_TRUE(img.has_value());
  size_t dark = 0;
  for (uint8_t p : img->pixels) dark += p < 128;
  EXPECT_GT(dark, 200u);
  EXPECT_LT(dark, img->pixels.size() / 20);
}

TEST(PdfDocumentTest, RenderRegionGivesThatPartOfThePage) {
  auto doc = PdfDocument::Open(MakePdf(kRow));
  ASSERT_TRUE(doc.has_value());
  auto dark = [](const GrayImage& img) {
    size_t n = 0;
    for (uint8_t p : img.pixels) n += p < 128;
    return n;
  };
  // The rows sit between about 80 and 110 points from the top.
  auto rows = doc->RenderRegion(0, Box{0, 70, 612, 120}, 72, 10'000'000);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->width, 612);
  EXPECT_EQ(rows->height, 50);
  EXPECT_GT(dark(*rows), 100u);
  auto foot = doc->RenderRegion(0, Box{0, 400, 612, 792}, 36, 10'000'000);
  ASSERT_TRUE(foot.has_value());
  EXPECT_EQ(foot->height, 196);
  EXPECT_EQ(dark(*foot), 0u);
  EXPECT_EQ(doc->RenderRegion(0, Box{700, 0, 800, 10}, 72, 10'000'000).error().code, ErrorCode::kUsage);
  EXPECT_EQ(doc->RenderRegion(0, Box{0, 0, 612, 792}, 300, 1000).error().code,
            ErrorCode::kLimitExceeded);
}

TEST(PdfDocumentTest, MayHoldImagesOnlyWhenAnImageIsNamed) {
  auto text = PdfDocument::Open(MakePdf(kRow));
  ASSERT_TRUE(text.has_value());
  EXPECT_FALSE(text->MayHoldImages());
  // A procedure set naming /ImageB is not an image.
  std::string procset = MakePdf(kRow);
  procset.insert(procset.find("/Resources <<") + 13, " /ProcSet [/PDF /Text /ImageB /ImageC]");
  auto with_procset = PdfDocument::Open(procset);
  ASSERT_TRUE(with_procset.has_value());
  EXPECT_FALSE(with_procset->MayHoldImages());
  // An unused image object is enough to say yes (the check is a cheap first filter).
  std::string pdf = MakePdf(kRow);
  pdf.insert(pdf.find("%%EOF"), "% /Subtype /Image\n");
  auto image = PdfDocument::Open(pdf);
  ASSERT_TRUE(image.has_value());
  EXPECT_TRUE(image->MayHoldImages());
}

TEST(PdfDocumentTest, BlankPageHasNoUsableText) {
  auto doc = PdfDocument::Open(MakePdf("BT /F1 10 Tf 50 700 Td (x) Tj ET"));
  ASSERT_TRUE(doc.has_value());
  auto page = doc->TextLayer(0);
  ASSERT_TRUE(page.has_value());
  EXPECT_FALSE(PdfDocument::HasUsableText(*page));
  EXPECT_FALSE(PdfDocument::HasUsableText(Page{}));
}

TEST(PdfDocumentTest, OpenCopiesTheBytes) {
  std::string bytes = MakePdf(kRow);
  auto doc = PdfDocument::Open(bytes);
  ASSERT_TRUE(doc.has_value());
  bytes.assign(bytes.size(), 'x');
  bytes.clear();
  bytes.shrink_to_fit();
  auto page = doc->TextLayer(0);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->lines.size(), 2u);
  PdfDocument moved = std::move(*doc);
  EXPECT_EQ(moved.PageCount(), 1);
}

TEST(PdfDocumentTest, HostileBytesGiveErrorsNotCrashes) {
  const std::string good = MakePdf(kRow);
  for (size_t cut : {size_t{0}, size_t{5}, size_t{9}, good.size() / 3, good.size() / 2,
                     good.size() - 30}) {
    auto doc = PdfDocument::Open(std::string_view(good).substr(0, cut));
    if (doc.has_value()) {
      // poppler can reconstruct some truncations; reading must still be safe.
      for (int i = 0; i < doc->PageCount(); ++i) {
        (void)doc->TextLayer(i);
        (void)doc->Render(i, 36, 10'000'000);
      }
    } else {
      EXPECT_EQ(doc.error().code, ErrorCode::kInvalidInput) << cut;
    }
  }
  auto garbage = PdfDocument::Open(std::string(4096, '\x9c'));
  ASSERT_FALSE(garbage.has_value());
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(garbage.error().message, "not a readable PDF (damaged or truncated)");
  auto header_only = PdfDocument::Open("%PDF-1.7\n%%EOF\n");
  ASSERT_FALSE(header_only.has_value());
  EXPECT_EQ(header_only.error().code, ErrorCode::kInvalidInput);
}

TEST(PdfDocumentTest, SelfReferencingPageTreeDoesNotCrash) {
  std::string pdf = MakePdf(kRow);
  // The page tree lists itself as its own kid.
  const std::string from = "/Kids [3 0 R]";
  pdf.replace(pdf.find(from), from.size(), "/Kids [2 0 R]");
  auto doc = PdfDocument::Open(pdf);
  if (doc.has_value()) {
    for (int i = 0; i < doc->PageCount() && i < 3; ++i) (void)doc->TextLayer(i);
  } else {
    EXPECT_EQ(doc.error().code, ErrorCode::kInvalidInput);
  }
}

TEST(PdfDocumentTest, EncryptedPdfNeedsAPassword) {
  if (std::system("command -v qpdf >/dev/null 2>&1") != 0) GTEST_SKIP() << "qpdf not installed";
  const fs::path dir = fs::temp_directory_path() /
                       ("billwise_source_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                        "_" + std::to_string(std::rand()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "plain.pdf", std::ios::binary) << MakePdf(kRow);
  }
  const std::string cmd = "qpdf --encrypt secret-user secret-owner 256 -- '" +
                          (dir / "plain.pdf").string() + "' '" + (dir / "locked.pdf").string() +
                          "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto doc = PdfDocument::Open(ReadFileBytes(dir / "locked.pdf"));
  fs::remove_all(dir);
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(doc.error().code, ErrorCode::kEncrypted);
  EXPECT_EQ(doc.error().message, "PDF is encrypted (needs a password)");
}

}  // namespace
}  // namespace billwise
