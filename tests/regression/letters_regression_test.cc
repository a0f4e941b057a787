// Regression tests for the letters and forms PDF writer: each reproduces a report from a
// fuzz target (tests/fuzz/README.md) and fails under the sanitizer build without its fix.
#include <gtest/gtest.h>

#include <string>

#include "pipeline/letters/markup.h"
#include "pipeline/letters/pdf_writer.h"

namespace billwise {
namespace {

// letter_fuzz: a template line "@re Solicit\xB1ores" (a stray continuation byte) became the
// PDF /Title, and PoDoFo's PdfString::InitFromUtf8 read past its buffer on the invalid
// UTF-8 (heap-buffer-overflow). Every string handed to PoDoFo is now valid UTF-8.
TEST(LettersRegression, InvalidUtf8InTheTitleIsReplacedNotOverread) {
  for (const char* bad : {"Solicitu\xB1ores", "tail \xE2\x80", "\xF0\x9F\x98\x80 \xFF\xFE", "\xC0\xAF"}) {
    LetterDocument letter;
    letter.re = bad;
    letter.title = bad;
    letter.sender = {"Jordan A. Rivera"};
    auto pdf = WriteLetterPdf(letter, PdfLetterStyle{});
    // The body text goes through the font check: a stray byte prints as U+FFFD; an emoji
    // has no letter font and is an error naming it.
    if (std::string(bad).find("\xF0\x9F\x98\x80") != std::string::npos) {
      ASSERT_FALSE(pdf.has_value());
      EXPECT_NE(pdf.error().message.find("U+1F600"), std::string::npos) << pdf.error().message;
    } else {
      EXPECT_TRUE(pdf.has_value()) << pdf.error().message;
    }
  }
}

// The same overread through a form value: fill-form writes each value as a PdfString.
TEST(LettersRegression, InvalidUtf8InAFormValueIsReplacedNotOverread) {
  FormSpec spec;
  spec.title = "T";
  FormFieldSpec field;
  field.name = "name";
  field.x = 72;
  field.y = 600;
  field.width = 200;
  field.height = 18;
  spec.fields.push_back(field);
  auto form = WriteFormPdf(spec, PdfLetterStyle{});
  ASSERT_TRUE(form.has_value()) << form.error().message;
  auto filled = FillFormPdf(*form, {{"name", "Jos\xE9 \xB1"}}, FormFillOptions{});
  ASSERT_TRUE(filled.has_value()) << filled.error().message;
  auto fields = ListFormFields(*filled);
  ASSERT_TRUE(fields.has_value());
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ((*fields)[0].value, "Jos\xEF\xBF\xBD \xEF\xBF\xBD");
}

}  // namespace
}  // namespace billwise
