// What every mail-ready letter must satisfy once read back from its PDF with pdftotext:
// the sums add up, nothing of the patient's finances or the program's reasoning and no
// markup leaks, the continuation pages say whose letter they are, and Spanish letters are
// Spanish. Shared by the read-back tests of the samples and of the generated documents.
#ifndef BILLWISE_TESTS_LETTERS_READBACK_CHECKS_H_
#define BILLWISE_TESTS_LETTERS_READBACK_CHECKS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "tests/testing/shell.h"

namespace billwise::testing {

// "$5,475.92" -> cents; -1 when it holds no digit.
inline int64_t Cents(const std::string& dollars) {
  std::string digits;
  for (char c : dollars) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits.empty() ? -1 : std::stoll(digits);
}

// The PDF's text, in layout order; pages end with a form feed.
inline std::string PdfText(const std::string& pdf) { return Shell("pdftotext -layout '" + pdf + "' -").out; }

// The text with every run of white space (line ends and layout gaps too) made one space, to
// find a phrase wherever the layout wrapped it.
inline std::string Flat(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\f' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

inline int PageCount(const std::string& text) {
  int pages = 0;
  for (char c : text) pages += c == '\f';
  return pages;
}

// The text of each page.
inline std::vector<std::string> Pages(const std::string& text) {
  std::vector<std::string> pages;
  size_t start = 0;
  for (size_t at = text.find('\f'); at != std::string::npos; at = text.find('\f', start)) {
    pages.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  if (start < text.size() && text.find_first_not_of(" \n", start) != std::string::npos) {
    pages.push_back(text.substr(start));
  }
  return pages;
}

// Things a letter must never carry, whatever its kind and language: the patient's finances,
// the program's reasoning, markup, and text mangled on its way to the page.
inline void ExpectNothingLeaks(const std::string& text, const std::string& what,
                               const std::vector<std::string>& finances = {"$46,500", "$41,000"}) {
  for (const char* bad : {"**", "{{", "}}", "you have available", "lowest defensible", "pair it with",
                          "reference total", "poverty", "pobreza", "typical band", "billwise", "amount_at_stake",
                          "severity", "@sender", "@recipient", "@re ", "@signature", "@enclosures", "@footer",
                          "| |", "\\|", "\\*", "\xEF\xBF\xBD" /* U+FFFD */, "\xC3\xA2\xE2\x82\xAC" /* mojibake */,
                          "\xE2\x80\xA2\xE2\x80\xA2" /* doubled bullet */, "(null)", "nullopt", "$nan", "{page}",
                          "{pages}"}) {
    EXPECT_EQ(text.find(bad), std::string::npos) << what << " carries \"" << bad << "\"\n" << text;
  }
  for (const std::string& money : finances) {
    EXPECT_EQ(text.find(money), std::string::npos) << what << " tells the patient's finances " << money;
  }
  // A bullet is a list item: it starts a line, never sits inside a sentence.
  static const std::regex inline_bullet(R"([A-Za-z0-9.,;:] *\xE2\x80\xA2 *[a-z])");
  std::smatch m;
  EXPECT_FALSE(std::regex_search(text, m, inline_bullet)) << what << " has a bullet inside a line: " << m.str();
  // A singular "line" before several line numbers ("(line 1 and 2)").
  static const std::regex singular(R"(\((line|l\xC3\xADnea) \d+(, \d+)* (and|y) \d+)");
  EXPECT_FALSE(std::regex_search(text, m, singular)) << what << " says " << m.str();
  // Lines that still start like markup: a "# Heading" (not the dispute table's "# Line"
  // column heads) or a "| cell |" row.
  static const std::regex markup_line(R"((^|\n)[ \t]*(#[ ](?!Line|L\xC3\xADnea)[A-Za-z\xC3]|\|[ ]))");
  EXPECT_FALSE(std::regex_search(text, m, markup_line)) << what << " has a markup line\n" << text;
}

// English sentence pieces that would show an untranslated insert in a Spanish letter.
inline void ExpectSpanish(const std::string& text, const std::string& what) {
  for (const char* english : {" the ", "Please", " charge", " which ", " line ", "The bill", " times ", " billed ",
                              "Medicare pays", "Dear ", " and ", " for the ", " was ", " were ", " not ",
                              " this ", " your ", " of the ", "Page "}) {
    EXPECT_EQ(text.find(english), std::string::npos) << what << " has English \"" << english << "\"\n" << text;
  }
}

// The letter above its subject line: the sender and recipient windows and the date.
inline std::string Head(const std::string& text) {
  for (const char* subject : {"RE: ", "Asunto: "}) {
    size_t at = text.find(subject);
    if (at != std::string::npos) return text.substr(0, at);
  }
  return text.substr(0, 600);
}

// Pages 2 and later carry the patient's name, the account number (when known) and the page
// number, in the letter's language.
inline void ExpectContinuationHeads(const std::string& text, const std::string& account, const std::string& lang,
                                    const std::string& what) {
  std::vector<std::string> pages = Pages(text);
  for (size_t i = 1; i < pages.size(); ++i) {
    std::string top = pages[i].substr(0, 400);
    std::string number = (lang == "es" ? "Página " : "Page ") + std::to_string(i + 1) + (lang == "es" ? " de " : " of ") +
                         std::to_string(pages.size());
    EXPECT_NE(top.find(number), std::string::npos) << what << " page " << i + 1 << " lacks \"" << number << "\"\n"
                                                   << top;
    if (!account.empty()) {
      EXPECT_NE(top.find(account), std::string::npos) << what << " page " << i + 1 << " lacks the account\n" << top;
    }
  }
}

// Checks the sums of a payment-plan, lump-sum or dispute letter against the balance, the
// monthly budget (cents; 0 = none) and the cash available (cents; -1 = none given).
inline void ExpectSums(const std::string& kind, const std::string& text, int64_t balance, int64_t budget, int64_t cash,
                       const std::string& what) {
  std::smatch m;
  if (kind == "payment-plan") {
    static const std::regex row(R"((\$[\d,]+\.\d\d)\s+(\d+)\s+(\$[\d,]+\.\d\d)\s+0%\s+(\$[\d,]+\.\d\d))");
    ASSERT_TRUE(std::regex_search(text, m, row)) << what << "\n" << text;
    int64_t monthly = Cents(m[1]), months = std::stoll(m[2]), last = Cents(m[3]), total = Cents(m[4]);
    EXPECT_EQ(monthly * (months - 1) + last, total) << what;
    EXPECT_EQ(total, balance) << what;
    EXPECT_GT(last, 0) << what;
    EXPECT_LE(last, monthly) << what;
    if (budget > 0) {
      EXPECT_LE(monthly, budget) << what;
    }
  } else if (kind == "lump-sum") {
    static const std::regex offer(R"((?:offer to pay|ofrezco pagar) (\$[\d,]+\.\d\d))");
    ASSERT_TRUE(std::regex_search(text, m, offer)) << what << "\n" << text;
    int64_t amount = Cents(m[1]);
    EXPECT_GT(amount, 0) << what;
    EXPECT_LT(amount, balance) << what;
    if (cash >= 0) {
      EXPECT_LE(amount, cash) << what;
    }
  } else if (kind == "dispute") {
    static const std::regex total(R"((?:reduce the balance by|reducen el saldo en) (\$[\d,]+\.\d\d))");
    ASSERT_TRUE(std::regex_search(text, m, total)) << what << "\n" << text;
    EXPECT_GT(Cents(m[1]), 0) << what;
    EXPECT_LE(Cents(m[1]), balance) << what;
    EXPECT_LE(PageCount(text), 2) << what << " runs to " << PageCount(text) << " pages";
  }
}

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_LETTERS_READBACK_CHECKS_H_
