// extract/source/utf16.h against poppler-cpp's own ustring::to_utf8(): on chosen strings
// and on every word of the sample and corpus PDFs.
#include "extract/source/utf16.h"

#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <filesystem>
#include <memory>
#include <string>

#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

std::string Ours(const poppler::ustring& s) {
  return Utf16ToUtf8(reinterpret_cast<const uint16_t*>(s.data()), s.size());
}
std::string Popplers(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

TEST(Utf16ToUtf8, MatchesPopplerOnEveryScript) {
  for (const char* utf8 : {"", "Office visit 99213-25", "Caf\u00e9 \u2013 \u2019s \u00a7 \u20ac12.00",
                           "\u6025\u8a3a \u0417\u0434\u043e\u0440\u043e\u0432\u044c\u0435", "\U0001F3E5 \U0001D400"}) {
    const poppler::ustring s = poppler::ustring::from_utf8(utf8);
    EXPECT_EQ(Ours(s), utf8);
    EXPECT_EQ(Ours(s), Popplers(s));
  }
}

TEST(Utf16ToUtf8, UnpairedSurrogatesBecomeReplacementCharacters) {
  const uint16_t lone_high[] = {'a', 0xD83C, 'b'};
  EXPECT_EQ(Utf16ToUtf8(lone_high, 3), "a\uFFFDb");
  const uint16_t lone_low[] = {0xDC00};
  EXPECT_EQ(Utf16ToUtf8(lone_low, 1), "\uFFFD");
  const uint16_t with_bom[] = {0xFEFF, 'x'};
  EXPECT_EQ(Utf16ToUtf8(with_bom, 2), "x");
}

// Every word poppler finds in the PDFs we test with converts as poppler converts it.
TEST(Utf16ToUtf8, MatchesPopplerOnEveryWordOfTheTestPdfs) {
  std::vector<fs::path> pdfs;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(BILLWISE_SOURCE_DIR) / "samples")) {
    if (e.path().extension() == ".pdf") pdfs.push_back(e.path());
  }
  const fs::path corpus = testing::SharedDir() / "corpus";
  if (fs::exists(corpus)) {
    for (const auto& e : fs::recursive_directory_iterator(corpus)) {
      if (e.path().extension() == ".pdf") pdfs.push_back(e.path());
    }
  }
  int words = 0;
  for (const fs::path& pdf : pdfs) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
    if (!doc || doc->is_locked()) continue;
    for (int i = 0; i < std::min(doc->pages(), 5); ++i) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (!page) continue;
      for (const poppler::text_box& box : page->text_list(0)) {
        EXPECT_EQ(Ours(box.text()), Popplers(box.text())) << pdf << " page " << i + 1;
        ++words;
      }
    }
  }
  EXPECT_GT(words, 500);
}

}  // namespace
}  // namespace billwise
