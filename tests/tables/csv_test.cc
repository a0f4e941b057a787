#include "pipeline/tables/csv.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace billwise {
namespace {

std::vector<std::string> Record(CsvReader* r) {
  std::vector<std::string_view> f;
  if (!r->Next(&f)) return {"<end>"};
  return std::vector<std::string>(f.begin(), f.end());
}

using Strings = std::vector<std::string>;

TEST(CsvReaderTest, Rfc4180QuotesLineEndsAndBlankLines) {
  CsvReader r("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\n\r\n\"two\nlines\",x,\n,\nlast");
  EXPECT_EQ(Record(&r), (Strings{"a", "b, c", "say \"hi\""}));
  EXPECT_EQ(r.line(), 1);
  EXPECT_EQ(Record(&r), (Strings{"two\nlines", "x", ""}));
  EXPECT_EQ(r.line(), 4);
  EXPECT_EQ(Record(&r), (Strings{"", ""}));
  EXPECT_EQ(r.line(), 6);
  EXPECT_EQ(Record(&r), (Strings{"last"}));
  EXPECT_FALSE(r.unterminated_quote());
  EXPECT_EQ(Record(&r), (Strings{"<end>"}));
}

TEST(CsvReaderTest, FieldsPointIntoTheTextUnlessUnescaped) {
  std::string text = "plain,\"quoted\",\"a\"\"b\"\n";
  CsvReader r(text);
  std::vector<std::string_view> f;
  ASSERT_TRUE(r.Next(&f));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].data(), text.data());
  EXPECT_EQ(f[1].data(), text.data() + 7);
  EXPECT_EQ(f[2], "a\"b");
}

TEST(CsvReaderTest, ReportsAnUnclosedQuote) {
  CsvReader r("a,\"open\nb,c\n");
  std::vector<std::string_view> f;
  ASSERT_TRUE(r.Next(&f));
  EXPECT_TRUE(r.unterminated_quote());
  EXPECT_EQ(f.back(), "open\nb,c\n");
}

// The reading CsvReader implements, byte by byte: the reference the block scanner must match.
struct Reference {
  std::string_view text;
  size_t pos = 0;
  int next_line = 1;
  bool Next(Strings* fields, int* line, bool* unterminated) {
    fields->clear();
    *unterminated = false;
    const size_t n = text.size();
    while (pos < n && (text[pos] == '\n' || text[pos] == '\r')) next_line += text[pos++] == '\n';
    if (pos >= n) return false;
    *line = next_line;
    for (;;) {
      if (text[pos] == '"') {
        std::string f;
        for (++pos; pos < n; ++pos) {
          if (text[pos] == '"') {
            if (pos + 1 < n && text[pos + 1] == '"') {
              f += '"';
              ++pos;
              continue;
            }
            break;
          }
          next_line += text[pos] == '\n';
          f += text[pos];
        }
        if (pos < n) ++pos;
        else *unterminated = true;
        fields->push_back(f);
        while (pos < n && text[pos] != ',' && text[pos] != '\n') ++pos;
      } else {
        size_t start = pos;
        while (pos < n && text[pos] != ',' && text[pos] != '\n') ++pos;
        size_t end = pos > start && (pos >= n || text[pos] == '\n') && text[pos - 1] == '\r' ? pos - 1 : pos;
        fields->push_back(std::string(text.substr(start, end - start)));
      }
      if (pos >= n) return true;
      if (text[pos++] == ',') {
        if (pos >= n) {
          fields->push_back("");
          return true;
        }
        continue;
      }
      ++next_line;
      return true;
    }
  }
};

TEST(CsvReaderTest, SameRecordsAsAByteByByteReading) {
  // Random texts over the bytes that matter, long enough for records and quoted fields to
  // cross the scanner's 64-byte blocks and end at every offset of a block.
  std::mt19937 rng(19);
  const std::string alphabet = "ab,,,\"\"\n\r x";
  for (int round = 0; round < 3000; ++round) {
    std::string text(rng() % 300, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    CsvReader reader(text);
    Reference ref{text};
    std::vector<std::string_view> got;
    Strings want;
    int want_line = 0;
    bool want_open = false;
    for (int record = 0;; ++record) {
      bool more = ref.Next(&want, &want_line, &want_open);
      ASSERT_EQ(reader.Next(&got), more) << "round " << round << " record " << record;
      if (!more) break;
      ASSERT_EQ(Strings(got.begin(), got.end()), want) << "round " << round << " record " << record;
      ASSERT_EQ(reader.line(), want_line);
      ASSERT_EQ(reader.unterminated_quote(), want_open);
    }
    EXPECT_EQ(reader.next_line(), 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n')));
  }
}

TEST(CsvTableTest, ColumnsByNameShortRowsAndErrors) {
  std::string text = "\xEF\xBB\xBF" "code,price,note\n99213,88.95,x\n80053\n";
  CsvTable t(text, "data/t.csv");
  ASSERT_TRUE(t.Open({"code", "price"}));
  EXPECT_EQ(t.Column("code"), 0);
  EXPECT_EQ(t.Column("note"), 2);
  EXPECT_EQ(t.Column("missing"), -1);
  ASSERT_TRUE(t.Next());
  EXPECT_EQ(t.Field(t.Column("price")), "88.95");
  ASSERT_TRUE(t.Next());
  EXPECT_EQ(t.Field(t.Column("price")), "");
  EXPECT_EQ(t.Field(-1), "");
  Error e = t.BadRow("bad number in price");
  EXPECT_EQ(e.code, ErrorCode::kBadData);
  EXPECT_EQ(e.message, "data/t.csv line 3: bad number in price");
  EXPECT_FALSE(t.Next());

  CsvTable missing(text, "data/t.csv");
  auto m = missing.Open({"code", "units"});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, "data/t.csv line 1: missing column units");
  CsvTable empty("\n\n", "data/e.csv");
  EXPECT_FALSE(empty.Open({}));
}

TEST(CsvRowsTest, WholeTableOutlivesMoves) {
  auto rows = ParseCsvRows("code,text\n1,\"a \"\"quoted\"\" word\"\n\n2,plain\n", "r.csv", {"text"});
  ASSERT_TRUE(rows) << rows.error().message;
  CsvRows moved = std::move(*rows);
  ASSERT_EQ(moved.row_count(), 2u);
  EXPECT_EQ(moved.header(), (Strings{"code", "text"}));
  EXPECT_EQ(moved.Row(0)[moved.Column("text")], "a \"quoted\" word");
  EXPECT_EQ(moved.Row(1)[0], "2");
  EXPECT_EQ(moved.Row(1)[1], "plain");
}

TEST(CsvRowsTest, StrictAboutShape) {
  auto wrong = ParseCsvRows("a,b\n1,2\n\n3\n", "w.csv", {});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kBadData);
  EXPECT_EQ(wrong.error().message, "w.csv line 4: 1 fields, expected 2");
  auto open = ParseCsvRows("a,b\n1,\"2\n", "q.csv", {});
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().message, "q.csv line 2: unterminated quote");
  auto missing = ParseCsvRows("a,b\n", "m.csv", {"c"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "m.csv line 1: missing column c");
  EXPECT_FALSE(ParseCsvRows("", "e.csv", {}));
  auto header_only = ParseCsvRows("a,b\n", "h.csv", {"a"});
  ASSERT_TRUE(header_only);
  EXPECT_EQ(header_only->row_count(), 0u);
}

TEST(CellTest, NumbersAndMoney) {
  EXPECT_EQ(ParseDecimal(" 1.25 ").value(), 1.25);
  EXPECT_EQ(ParseDecimal("+2").value(), 2.0);
  EXPECT_FALSE(ParseDecimal("").value().has_value());
  EXPECT_FALSE(ParseDecimal("1.2x"));
  EXPECT_FALSE(ParseDecimal("+"));
  EXPECT_EQ(ParseInt(" 7x").error().message, "bad integer '7x'");
  EXPECT_EQ(ParseInt("42").value(), 42);
  EXPECT_FALSE(ParseInt("4.2"));
  EXPECT_EQ(ParseMoneyCell("$1,234.56").value()->cents, 123456);
  EXPECT_EQ(ParseMoneyCell("-$5").value()->cents, -500);
  EXPECT_EQ(ParseMoneyCell("0.125").value()->cents, 13);
  EXPECT_EQ(ParseMoneyCell("7.5").value()->cents, 750);
  EXPECT_FALSE(ParseMoneyCell(" ").value().has_value());
  EXPECT_FALSE(ParseMoneyCell("12a"));
  EXPECT_FALSE(ParseMoneyCell("$").value().has_value());
  Money m;
  ASSERT_TRUE(ParsePlainMoney("1234.56", &m));
  EXPECT_EQ(m.cents, 123456);
  ASSERT_TRUE(ParsePlainMoney("12.", &m));
  EXPECT_EQ(m.cents, 1200);
  ASSERT_TRUE(ParsePlainMoney("7.5", &m));
  EXPECT_EQ(m.cents, 750);
  ASSERT_TRUE(ParsePlainMoney("999999999999999", &m));
  EXPECT_EQ(m.cents, 99999999999999900);
  for (const char* other : {"", "0.125", "1,234", "$5", " 5", "-5", ".5", "5 ", "1234567890123456"}) {
    EXPECT_FALSE(ParsePlainMoney(other, &m)) << other;
  }
}

}  // namespace
}  // namespace billwise
