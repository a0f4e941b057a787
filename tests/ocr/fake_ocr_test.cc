// ReadDocument with a fake OCR engine passed in ReadOptions::ocr (the run-time seam of
// extract/ocr/ocr_backend.h): the failure paths of decoding and OCR without Tesseract,
// and that text never reaches the OCR backend.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "extract/ocr/document_reader.h"
#include "tests/testing/pdf_bytes.h"

namespace billwise {
namespace {

// A PNG signature is all ReadDocument sniffs; the fake backend does the "decoding".
const std::string kPngBytes = std::string("\x89PNG\r\n\x1a\n", 8) + "not really a png";

// Reads page `number` as one word "page<number>", or fails with `page_error` for the page
// numbered `failing_page`.
class FakeEngine final : public OcrEngine {
 public:
  FakeEngine(int failing_page, ErrorCode page_error) : failing_page_(failing_page), page_error_(page_error) {}
  Expected<Page> ReadPage(const GrayImage& image, int number) override {
    if (number == failing_page_) return Fail(page_error_, "the fake engine cannot read this page");
    Page page;
    page.number = number;
    page.origin = TextOrigin::kOcr;
    page.ocr_confidence = 95.f;
    Word word;
    word.text = "page" + std::to_string(number);
    word.box = Box{10, 10, 60, 20};
    word.confidence = 95.f;
    page.words.push_back(word);
    page.width = image.width;
    page.height = image.height;
    return page;
  }

 private:
  int failing_page_;
  ErrorCode page_error_;
};

class FakeBackend final : public OcrBackend {
 public:
  int pages = 3;
  std::optional<Error> decode_error;
  std::optional<Error> create_error;
  int failing_page = 0;  // 0 = none
  ErrorCode page_error = ErrorCode::kInternal;
  mutable std::atomic<int> decodes{0};
  mutable std::atomic<int> engines{0};

  Expected<std::vector<GrayImage>> DecodeImages(std::string_view, int64_t, int) const override {
    ++decodes;
    if (decode_error) return std::unexpected(*decode_error);
    std::vector<GrayImage> images(pages);
    for (auto& image : images) {
      image.width = 100;
      image.height = 50;
      image.pixels.assign(100 * 50, 255);
    }
    return images;
  }
  Expected<std::unique_ptr<OcrEngine>> CreateEngine() const override {
    ++engines;
    if (create_error) return std::unexpected(*create_error);
    return std::make_unique<FakeEngine>(failing_page, page_error);
  }
};

ReadOptions With(const FakeBackend& backend) {
  ReadOptions options;
  options.ocr = &backend;
  options.workers = 2;
  return options;
}

TEST(FakeOcr, ImagePagesComeBackInOrderFromTheGivenEngine) {
  FakeBackend backend;
  auto read = ReadDocument(kPngBytes, With(backend));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->pages.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(read->pages[i].number, i + 1);
    ASSERT_EQ(read->pages[i].words.size(), 1u);
    EXPECT_EQ(read->pages[i].words[0].text, "page" + std::to_string(i + 1));
  }
  EXPECT_EQ(read->text_origin, TextOrigin::kOcr);
  EXPECT_EQ(backend.decodes.load(), 1);
  EXPECT_GE(backend.engines.load(), 1);
}

TEST(FakeOcr, DecodeFailureIsTheDocumentsError) {
  FakeBackend backend;
  backend.decode_error = Error{ErrorCode::kInvalidInput, "broken image"};
  auto read = ReadDocument(kPngBytes, With(backend));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(backend.engines.load(), 0);
}

TEST(FakeOcr, MissingEngineStopsTheDocument) {
  FakeBackend backend;
  backend.create_error = Error{ErrorCode::kMissingDependency, "no tessdata"};
  auto read = ReadDocument(kPngBytes, With(backend));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kMissingDependency);
  EXPECT_EQ(read.error().message, "no tessdata");
}

TEST(FakeOcr, OneUnreadablePageIsAnEmptyPageAndAnErrorDiagnostic) {
  FakeBackend backend;
  backend.failing_page = 2;
  auto read = ReadDocument(kPngBytes, With(backend));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->pages.size(), 3u);
  EXPECT_EQ(read->pages[0].words.size(), 1u);
  EXPECT_TRUE(read->pages[1].words.empty());
  EXPECT_EQ(read->pages[1].number, 2);
  EXPECT_EQ(read->pages[2].words.size(), 1u);
  int errors = 0;
  for (const auto& d : read->diagnostics) {
    if (d.severity != Severity::kError) continue;
    ++errors;
    EXPECT_EQ(d.page, 2);
    EXPECT_NE(d.message.find("page 2 could not be read"), std::string::npos) << d.message;
  }
  EXPECT_EQ(errors, 1);
}

TEST(FakeOcr, APageOverTheLimitStopsTheDocument) {
  FakeBackend backend;
  backend.failing_page = 1;
  backend.page_error = ErrorCode::kLimitExceeded;
  auto read = ReadDocument(kPngBytes, With(backend));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kLimitExceeded);
}

TEST(FakeOcr, OcrOffCreatesNoEngine) {
  FakeBackend backend;
  ReadOptions options = With(backend);
  options.ocr_mode = OcrMode::kNever;
  auto read = ReadDocument(kPngBytes, options);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->pages.size(), 3u);
  EXPECT_EQ(backend.engines.load(), 0);
  EXPECT_FALSE(read->diagnostics.empty());
}

TEST(FakeOcr, PlainTextNeverReachesTheBackend) {
  FakeBackend backend;
  auto read = ReadDocument("Statement date 01/02/2026\nTotal due $12.00\n", With(backend));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->text_origin, TextOrigin::kPlainText);
  EXPECT_EQ(backend.decodes.load(), 0);
  EXPECT_EQ(backend.engines.load(), 0);
}

// A one-page text PDF: a line of Helvetica prose near the foot of the page and, when
// `with_image`, a dark picture (an image XObject) covering most of the rest.
std::string TextPdfWithPicture(bool with_image) {
  std::string content = "BT /F1 10 Tf 50 40 Td (Welcome to your statement explained here) Tj ET\n";
  if (with_image) content += "q 400 0 0 500 100 150 cm /Im1 Do Q\n";
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >>"
      " /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
  };
  if (with_image) {
    objs.push_back(
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
        " /BitsPerComponent 8 /Length 4 >>\nstream\n" + std::string(4, '\x20') + "\nendstream");
  }
  return testing::PdfFromObjects(objs);
}

TEST(FakeOcr, APictureOnATextPageIsReadAndItsWordsAdded) {
  FakeBackend backend;
  auto read = ReadDocument(TextPdfWithPicture(true), With(backend));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->pages.size(), 1u);
  EXPECT_EQ(backend.engines.load(), 1);
  const Page& page = read->pages[0];
  EXPECT_EQ(page.origin, TextOrigin::kTextLayer);
  bool prose = false, from_image = false;
  for (const Word& w : page.words) {
    prose |= w.text == "Welcome";
    from_image |= w.text == "page1";
  }
  EXPECT_TRUE(prose);
  EXPECT_TRUE(from_image);
  // The image's words make lines after the text layer's.
  ASSERT_FALSE(page.lines.empty());
  EXPECT_EQ(page.lines.back().text.find("page1") != std::string::npos, true);
  bool noted = false;
  for (const Diagnostic& d : read->diagnostics) noted |= d.message.find("from an image") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(FakeOcr, ATextPageWithoutAPictureIsNotOcrd) {
  FakeBackend backend;
  auto read = ReadDocument(TextPdfWithPicture(false), With(backend));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(backend.engines.load(), 0);
  ReadOptions off = With(backend);
  off.ocr_mode = OcrMode::kNever;
  auto never = ReadDocument(TextPdfWithPicture(true), off);
  ASSERT_TRUE(never.has_value()) << never.error().message;
  EXPECT_EQ(backend.engines.load(), 0);
}

}  // namespace
}  // namespace billwise
