// The streaming price-file reader and its index, on small fixtures of every shape.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/refdata/negotiated_rates.h"
#include "pipeline/refdata/price_file_reader.h"
#include "pipeline/refdata/price_index.h"
#include "pipeline/tables/gzip.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

std::string Fixture(const std::string& name) { return std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/" + name; }

using testing::ReadFileBytes;
using testing::WriteFileBytes;

struct Collected {
  PriceFileInfo info;
  std::vector<PriceRecord> records;
};

Expected<Collected> ReadAll(const std::string& path) {
  Collected c;
  auto info = ReadPriceFile(path, [&](const PriceRecord& r) { c.records.push_back(r); });
  if (!info) return std::unexpected(info.error());
  c.info = *info;
  return c;
}

Expected<Collected> ReadBytes(std::string_view bytes) {
  Collected c;
  auto src = PriceFileSource::FromBytes(bytes, "mem.json");
  auto info = ReadPriceSource(src, [&](const PriceRecord& r) { c.records.push_back(r); });
  if (!info) return std::unexpected(info.error());
  c.info = *info;
  return c;
}

const PriceRecord* Find(const Collected& c, std::string_view code, std::string_view setting = "") {
  for (const PriceRecord& r : c.records) {
    if (r.code == code && (setting.empty() || r.setting == setting)) return &r;
  }
  return nullptr;
}

TEST(PriceFileReaderTest, JsonV2) {
  auto c = ReadAll(Fixture("v2.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->info.shape, "json");
  EXPECT_EQ(c->info.hospital_name, "JSON Example Hospital");
  EXPECT_EQ(c->info.last_updated_on, "2025-02-01");
  EXPECT_EQ(c->info.version, "2.0.0");
  EXPECT_FALSE(c->info.partial);
  const PriceRecord* r = Find(*c, "99214");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->code_type, "CPT");
  EXPECT_EQ(r->gross->cents, 39000);
  EXPECT_EQ(r->cash->cents, 27350);
  ASSERT_EQ(r->rates.size(), 1u);
  EXPECT_EQ(r->rates[0].payer, "Aetna");
  EXPECT_EQ(r->rates[0].dollar->cents, 20000);
  EXPECT_EQ(r->rates[0].methodology, "fee schedule");
  ASSERT_NE(Find(*c, "4567"), nullptr);  // the CDM code of the same item is delivered too
  EXPECT_EQ(Find(*c, "76700")->gross->cents, 102000);  // "1,020.00" as a string
}

TEST(PriceFileReaderTest, JsonV11KeysAndPercentageRates) {
  auto c = ReadAll(Fixture("v11.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->info.version, "1.1");
  const PriceRecord* r = Find(*c, "70551");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->min->cents, 70000);
  EXPECT_EQ(r->max->cents, 140000);
  ASSERT_EQ(r->rates.size(), 4u);
  EXPECT_EQ(r->rates[0].dollar->cents, 90000);
  EXPECT_EQ(r->rates[0].methodology, "fee schedule");
  EXPECT_FALSE(r->rates[1].dollar.has_value());
  EXPECT_DOUBLE_EQ(*r->rates[1].percentage, 45.0);
  EXPECT_EQ(r->rates[1].estimated->cents, 144000);
}

TEST(PriceFileReaderTest, TallCsvWithMetadataRows) {
  auto c = ReadAll(Fixture("tall_v2.csv"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->info.shape, "csv-tall");
  EXPECT_EQ(c->info.hospital_name, "Example Community Hospital");
  EXPECT_EQ(c->info.last_updated_on, "2025-01-01");
  const PriceRecord* r = Find(*c, "99213");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->rates.size(), 1u);
  EXPECT_EQ(r->rates[0].payer, "Aetna");
  EXPECT_EQ(r->rates[0].plan, "PPO");
  EXPECT_EQ(r->rates[0].dollar->cents, 14000);
  EXPECT_EQ(r->min->cents, 12000);
  EXPECT_EQ(r->max->cents, 18000);
}

TEST(PriceFileReaderTest, WideCsvPayersFromColumnNames) {
  auto c = ReadAll(Fixture("wide_v2.csv"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->info.shape, "csv-wide");
  const PriceRecord* r = Find(*c, "70450", "inpatient");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->rates.size(), 1u);
  EXPECT_EQ(r->rates[0].payer, "Aetna");
  EXPECT_EQ(r->rates[0].plan, "PPO");
  EXPECT_EQ(r->rates[0].dollar->cents, 70000);
  EXPECT_EQ(r->gross->cents, 230000);
}

// The wide template's column header under two metadata rows (the fixture), under one, or
// alone: the same records.
TEST(PriceFileReaderTest, WideCsvUnderTwoOneOrNoMetadataRows) {
  std::string text = ReadFileBytes(Fixture("wide_v2.csv"));
  size_t row2 = text.find('\n') + 1;
  size_t row3 = text.find('\n', row2) + 1;
  for (const std::string& variant : {text, text.substr(row2), text.substr(row3)}) {
    auto src = PriceFileSource::FromBytes(variant, "wide.csv");
    std::vector<PriceRecord> got;
    auto info = ReadPriceSource(src, [&](const PriceRecord& r) { got.push_back(r); });
    ASSERT_TRUE(info.has_value()) << info.error().message;
    EXPECT_EQ(info->shape, "csv-wide");
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[1].code, "70450");
    EXPECT_EQ(got[1].setting, "inpatient");
    ASSERT_EQ(got[1].rates.size(), 1u);
    EXPECT_EQ(got[1].rates[0].payer, "Aetna");
    EXPECT_EQ(got[1].rates[0].dollar->cents, 70000);
  }
}

// Everything a record carries, as one line, to compare readings of the same prices.
std::string Summary(const PriceRecord& r) {
  auto money = [](const std::optional<Money>& m) { return m ? std::to_string(m->cents) : std::string("-"); };
  std::string out = r.code + "," + r.code_type + "," + r.setting + "," + r.modifiers + "," + money(r.gross) + "," +
                    money(r.cash) + "," + money(r.min) + "," + money(r.max);
  for (const NegotiatedRate& n : r.rates) {
    out += ";" + n.payer + "," + n.plan + "," + money(n.dollar) + "," +
           (n.percentage ? std::to_string(*n.percentage) : std::string("-")) + "," + n.algorithm + "," +
           money(n.estimated) + "," + n.methodology;
  }
  return out;
}

std::vector<std::string> Summaries(std::string_view text, PriceFileInfo* info = nullptr) {
  auto src = PriceFileSource::FromBytes(text, "split.csv");
  std::vector<std::string> got;
  auto read = ReadPriceSource(src, [&](const PriceRecord& r) { got.push_back(Summary(r)); });
  if (!read) return {"error: " + read.error().message};
  if (info != nullptr) *info = *read;
  return got;
}

// A fixture cut into its two metadata rows, its column names and its data rows.
struct CsvParts {
  std::string metadata, data;
  std::vector<std::string> names;
};

CsvParts Cut(const std::string& text) {
  size_t row2 = text.find('\n') + 1;
  size_t row3 = text.find('\n', row2) + 1;
  size_t row4 = text.find('\n', row3) + 1;
  CsvParts p{text.substr(0, row3), text.substr(row4), {}};
  std::string header = text.substr(row3, row4 - 1 - row3);
  for (size_t start = 0;;) {  // the template's column names hold no quotes or commas
    size_t comma = header.find(',', start);
    p.names.push_back(header.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return p;
}

std::string JoinRow(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i > 0 ? "," : "") + cells[i];
  return out + "\n";
}

// The header rows of a split header: `split(name, rows)` fills one cell per row for a column.
template <typename Split>
std::string SplitHeader(const std::vector<std::string>& names, size_t row_count, Split split) {
  std::vector<std::vector<std::string>> rows(row_count);
  std::string previous_group;
  for (const std::string& name : names) {
    std::vector<std::string> cells = split(name, &previous_group);
    for (size_t r = 0; r < row_count; ++r) rows[r].push_back(cells[r]);
  }
  std::string out;
  for (const auto& r : rows) out += JoinRow(r);
  return out;
}

// A header exported from a spreadsheet with merged cells spans two or three rows: the payer
// and plan (or standard_charge) over the field names. Read with or without the metadata rows
// above it, every such file gives the records of the one-row header.
TEST(PriceFileReaderTest, WideCsvHeaderSplitOverTwoOrThreeRows) {
  CsvParts wide = Cut(ReadFileBytes(Fixture("wide_v2.csv")));
  std::vector<std::string> want = Summaries(ReadFileBytes(Fixture("wide_v2.csv")));
  ASSERT_EQ(want.size(), 3u);
  const std::string group = "standard_charge|Aetna|PPO|";
  // Payer group over its fields; the other names on the top row (which reads alone).
  std::string top_names = SplitHeader(wide.names, 2, [&](const std::string& n, std::string* prev) {
    if (!n.starts_with(group)) return std::vector<std::string>{n, ""};
    bool first = *prev != "Aetna";
    *prev = "Aetna";
    return std::vector<std::string>{first ? "standard_charge|Aetna|PPO" : "", n.substr(group.size())};
  });
  // "Aetna|PPO" above its fields; the other names on the bottom row.
  std::string bottom_names = SplitHeader(wide.names, 2, [&](const std::string& n, std::string* prev) {
    if (!n.starts_with(group)) return std::vector<std::string>{"", n};
    bool first = *prev != "Aetna";
    *prev = "Aetna";
    return std::vector<std::string>{first ? "Aetna|PPO" : "", n.substr(group.size())};
  });
  // Payer, plan and field on three rows.
  std::string three = SplitHeader(wide.names, 3, [&](const std::string& n, std::string* prev) {
    if (!n.starts_with(group)) return std::vector<std::string>{"", "", n};
    bool first = *prev != "Aetna";
    *prev = "Aetna";
    return std::vector<std::string>{first ? "Aetna" : "", first ? "PPO" : "", n.substr(group.size())};
  });
  for (const std::string& header : {top_names, bottom_names, three}) {
    for (bool metadata : {true, false}) {
      PriceFileInfo info;
      EXPECT_EQ(Summaries((metadata ? wide.metadata : "") + header + wide.data, &info), want) << header;
      EXPECT_EQ(info.shape, "csv-wide");
      if (metadata) {
        EXPECT_EQ(info.hospital_name, "Wide Example Medical Center");
      }
    }
  }
}

TEST(PriceFileReaderTest, TallCsvHeaderSplitOverTwoRows) {
  CsvParts tall = Cut(ReadFileBytes(Fixture("tall_v2.csv")));
  std::vector<std::string> want = Summaries(ReadFileBytes(Fixture("tall_v2.csv")));
  ASSERT_GE(want.size(), 7u);
  const std::string group = "standard_charge|";
  // standard_charge over gross, discounted_cash, negotiated_dollar ... max.
  for (bool names_on_top : {true, false}) {
    std::string header = SplitHeader(tall.names, 2, [&](const std::string& n, std::string* prev) {
      bool in_group = n.starts_with(group);
      bool first = in_group && prev->empty();  // a merged cell over each run of charge columns
      *prev = in_group ? "standard_charge" : "";
      if (!in_group) return names_on_top ? std::vector<std::string>{n, ""} : std::vector<std::string>{"", n};
      return std::vector<std::string>{first ? "standard_charge" : "", n.substr(group.size())};
    });
    for (bool metadata : {true, false}) {
      PriceFileInfo info;
      EXPECT_EQ(Summaries((metadata ? tall.metadata : "") + header + tall.data, &info), want) << header;
      EXPECT_EQ(info.shape, "csv-tall");
    }
  }
}

// A first data row whose words would add a column to the header ("price" over "cash") is
// still data: it holds amounts.
TEST(PriceFileReaderTest, FirstDataRowIsNeverTakenForAHeaderRow) {
  auto c = ReadBytes("code,gross charge,price\n99213,100.00,cash\n80053,50.00,cash\n");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  ASSERT_EQ(c->records.size(), 2u);
  EXPECT_EQ(c->records[0].code, "99213");
  EXPECT_EQ(c->records[0].gross->cents, 10000);
}

TEST(PriceFileReaderTest, PlainCsv) {
  auto c = ReadAll(Fixture("simple.csv"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->info.shape, "csv");
  EXPECT_FALSE(c->records.empty());
}

TEST(PriceFileReaderTest, GzipAndZipGiveTheSameRecords) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto plain = ReadAll(Fixture("tall_v2.csv"));
  ASSERT_TRUE(plain.has_value());
  auto bytes = ReadFileInflating(Fixture("tall_v2.csv"));
  ASSERT_TRUE(bytes.has_value());
  ASSERT_TRUE(WriteGzipFile(dir / "prices.csv.gz", *bytes).has_value());
  auto gz = ReadAll(dir / "prices.csv.gz");
  ASSERT_TRUE(gz.has_value()) << gz.error().message;
  EXPECT_EQ(gz->info.container, "gzip");
  auto zip = ReadAll(Fixture("tall_v2.zip"));  // a readme entry first, then the CSV
  ASSERT_TRUE(zip.has_value()) << zip.error().message;
  EXPECT_EQ(zip->info.container, "zip");
  for (const Collected* c : {&*gz, &*zip}) {
    ASSERT_EQ(c->records.size(), plain->records.size());
    for (size_t i = 0; i < c->records.size(); ++i) {
      EXPECT_EQ(c->records[i].code, plain->records[i].code);
      EXPECT_EQ(c->records[i].gross, plain->records[i].gross);
      EXPECT_EQ(c->records[i].rates.size(), plain->records[i].rates.size());
    }
  }
}

TEST(PriceFileReaderTest, TruncatedJsonIsPartialWithByteOffset) {
  auto whole = ReadFileInflating(Fixture("v2.json"));
  ASSERT_TRUE(whole.has_value());
  size_t cut = whole->find("Ultrasound");  // inside the second item
  auto c = ReadBytes(std::string_view(*whole).substr(0, cut));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_TRUE(c->info.partial);
  EXPECT_NE(c->info.problem.find("mem.json: byte "), std::string::npos) << c->info.problem;
  EXPECT_NE(c->info.problem.find("truncated"), std::string::npos) << c->info.problem;
  EXPECT_NE(Find(*c, "99214"), nullptr);
  EXPECT_EQ(Find(*c, "76700"), nullptr);
  EXPECT_EQ(c->info.hospital_name, "JSON Example Hospital");  // metadata before the cut is kept
}

// Item ends are found 64 bytes at a time: brackets, quotes and backslashes inside strings
// must not end an item early, at any offset in a block and across the reader's 1 MiB reads.
TEST(PriceFileReaderTest, BracketsAndEscapesInsideStringsAtEveryBlockOffset) {
  std::string text = R"({"hospital_name": "A \"B\" {C}", "standard_charge_information": [)";
  const int kItems = 20000;  // about 2.6 MB: several reads
  std::vector<std::string> payers;
  for (int i = 0; i < kItems; ++i) {
    // Names of every length mod 64, with escaped quotes, backslashes and brackets.
    std::string payer = std::string(static_cast<size_t>(i % 67), 'p') + R"( \"}]\\ {[)" + std::string(i % 5, '\\') +
                        std::string(i % 5, '\\');
    payers.push_back(payer);
    text += (i ? "," : "") + std::string(R"({"code_information": [{"code": ")") + std::to_string(10000 + i) +
            R"(", "type": "CPT"}], "standard_charges": [{"setting": "outpatient", "gross_charge": 100, )" +
            R"("payers_information": [{"payer_name": ")" + payer + R"(", "plan_name": "x]}", "standard_charge_dollar": )" +
            std::to_string(i + 1) + "}]}]}";
  }
  text += "]}";
  auto c = ReadBytes(text);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_FALSE(c->info.partial) << c->info.problem;
  EXPECT_EQ(c->info.hospital_name, "A \"B\" {C}");
  ASSERT_EQ(c->records.size(), static_cast<size_t>(kItems));
  for (int i = 0; i < kItems; i += 997) {
    const PriceRecord& r = c->records[static_cast<size_t>(i)];
    EXPECT_EQ(r.code, std::to_string(10000 + i));
    ASSERT_EQ(r.rates.size(), 1u);
    EXPECT_EQ(r.rates[0].plan, "x]}");
    EXPECT_EQ(r.rates[0].dollar, Money::FromCents(100 * (i + 1)));
    // The payer name unescaped: \" becomes ", \\ becomes \.
    std::string want;
    for (size_t k = 0; k < payers[i].size(); ++k) {
      if (payers[i][k] == '\\') ++k;
      want += payers[i][k];
    }
    EXPECT_EQ(r.rates[0].payer, want);
  }
}

// The metadata rows and column header of the tall fixture, for CSVs built in the tests.
std::string TallHeader() {
  std::string text = ReadFileBytes(Fixture("tall_v2.csv"));
  size_t at = 0;
  for (int i = 0; i < 3; ++i) at = text.find('\n', at) + 1;
  return text.substr(0, at);
}

std::string TallRow(const std::string& payer, int code) {
  return "Visit," + std::to_string(code) + ",CPT,,,,outpatient,,,250.00,175.00," + payer +
         ",PPO,140.00,,,,fee schedule,120.00,180.00,\n";
}

TEST(PriceFileReaderTest, Latin1CsvIsReadAsLatin1) {
  std::string text = TallHeader() + TallRow("A\xE9tna", 99213);  // é in Latin-1
  auto src = PriceFileSource::FromBytes(text, "latin1.csv");
  std::vector<PriceRecord> got;
  auto info = ReadPriceSource(src, [&](const PriceRecord& r) { got.push_back(r); });
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_FALSE(info->partial);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].rates.size(), 1u);
  EXPECT_EQ(got[0].rates[0].payer, "A\xC3\xA9tna");  // é in UTF-8
}

TEST(PriceFileReaderTest, MixedEncodingsStopAtTheLineThatChanges) {
  std::string text = TallHeader() + TallRow("Zo\xC3\xAB", 99213);  // UTF-8
  int line = 5;
  while (text.size() < (size_t{3} << 20)) {  // past the first reads
    text += TallRow("Cigna", 10000 + line);
    ++line;
  }
  text += TallRow("Zo\xEB", 99214);  // Latin-1 on line `line`
  text += TallRow("Cigna", 99215);
  auto src = PriceFileSource::FromBytes(text, "mixed.csv");
  int64_t records = 0;
  auto info = ReadPriceSource(src, [&](const PriceRecord&) { ++records; });
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_TRUE(info->partial);
  EXPECT_NE(info->problem.find("mixed.csv: line " + std::to_string(line) + ": mixed text encodings"), std::string::npos)
      << info->problem;
  EXPECT_EQ(records, line - 4);  // every row before it
}

TEST(PriceFileReaderTest, JsonNotUtf8NamesTheItemsByte) {
  std::string item1 = R"({"code_information": [{"code": "99213", "type": "CPT"}], "standard_charges": [{"gross_charge": 10}]})";
  std::string item2 = "{\"code_information\": [{\"code\": \"99214\", \"type\": \"CPT\"}], \"standard_charges\": "
                      "[{\"gross_charge\": 20, \"payers_information\": [{\"payer_name\": \"A\xE9\"}]}]}";
  std::string head = R"({"version": "2.0.0", "standard_charge_information": [)";
  auto c = ReadBytes(head + item1 + "," + item2 + "]}");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_TRUE(c->info.partial);
  EXPECT_EQ(c->records.size(), 1u);
  size_t at = head.size() + item1.size() + 1;
  EXPECT_NE(c->info.problem.find("mem.json: byte " + std::to_string(at)), std::string::npos) << c->info.problem;
  EXPECT_NE(c->info.problem.find("UTF-8"), std::string::npos) << c->info.problem;
}

// Prices are read in every form JSON writes numbers, rounded to cents half away from zero;
// beyond $10 trillion a number is not a price.
TEST(PriceFileReaderTest, JsonPricesInEveryNumberForm) {
  const std::vector<std::pair<std::string, std::optional<Money>>> cases = {
      {"1234", Money::FromCents(123400)},       {"12.5", Money::FromCents(1250)},
      {"88.95", Money::FromCents(8895)},        {"-3.1", Money::FromCents(-310)},
      {"0", Money::FromCents(0)},               {"-0", Money::FromCents(0)},
      {"2.675", Money::FromCents(268)},         {"0.005", Money::FromCents(1)},
      {"1e3", Money::FromCents(100000)},        {"1.5E2", Money::FromCents(15000)},
      {"7.00 ", Money::FromCents(700)},         {"99999999999.99", Money::FromCents(9999999999999)},
      {"123456789012.5", Money::FromCents(12345678901250)}, {"12345678901234", std::nullopt},
      {"\"$1,234.50\"", Money::FromCents(123450)}, {"\"\"", std::nullopt}};
  std::string text = R"({"standard_charge_information": [)";
  for (size_t i = 0; i < cases.size(); ++i) {
    text += (i ? "," : "") + std::string(R"({"code_information": [{"code": ")") + std::to_string(10000 + i) +
            R"(", "type": "CPT"}], "standard_charges": [{"gross_charge": )" + cases[i].first + "}]}";
  }
  auto c = ReadBytes(text + "]}");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  ASSERT_EQ(c->records.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(c->records[i].gross, cases[i].second) << cases[i].first;
  // Not numbers: 01, 1., .5 and 1.2.3 stop the reading at their item.
  for (std::string bad : {"01", "1.", ".5", "1.2.3", "--1"}) {
    auto b = ReadBytes(R"({"standard_charge_information": [{"code_information": [{"code": "99213"}], "standard_charges": [{"gross_charge": )" +
                       bad + "}]}]}");
    EXPECT_FALSE(b.has_value()) << bad;
  }
}

// The items are parsed while the text is still being read; a bad item far into the file stops
// the reading there: the metadata written after it is not known, the bytes counted are those
// read up to it, and every item before it was delivered.
TEST(PriceFileReaderTest, BadItemFarIntoTheFileStopsThere) {
  std::string item = R"({"code_information": [{"code": "99213", "type": "CPT"}], "standard_charges": [{"gross_charge": 10}]})";
  std::string text = R"({"version": "2.0.0", "standard_charge_information": [)";
  int good = 0;
  while (text.size() < (size_t{5} << 20)) {  // several reads
    text += (good ? "," : "") + item;
    ++good;
  }
  size_t bad_at = text.size() + 1;
  text += ",{\"code_information\": [{\"code\": \"99214\"}], \"description\": \"\xE9\", \"standard_charges\": [{\"gross_charge\": 20}]}";
  for (int i = 0; i < 20000; ++i) text += "," + item;  // another megabyte and more
  text += R"(], "hospital_name": "After The Items"})";
  auto c = ReadBytes(text);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_TRUE(c->info.partial);
  EXPECT_NE(c->info.problem.find("mem.json: byte " + std::to_string(bad_at) + ": bad JSON"), std::string::npos) << c->info.problem;
  EXPECT_EQ(c->records.size(), static_cast<size_t>(good));
  EXPECT_EQ(c->info.version, "2.0.0");
  EXPECT_EQ(c->info.hospital_name, "");
  EXPECT_GE(c->info.bytes, bad_at);
  EXPECT_LT(c->info.bytes, text.size());
}

TEST(PriceFileReaderTest, UnknownSchemaVersionIsNamed) {
  auto c = ReadBytes(R"({"version": "9.1", "hospital_name": "X", "standard_charge_information": [{"items": [{"id": 1}]}]})");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(c.error().message.find("mem.json: schema version 9.1"), std::string::npos) << c.error().message;
}

TEST(PriceFileReaderTest, BrokenJsonBeforeAnyItemFailsNamingTheOffset) {
  auto c = ReadBytes(R"({"hospital_name": "X", "standard_charge_information": [{"code_information": [}]})");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(c.error().message.find("mem.json: byte 77"), std::string::npos) << c.error().message;
  auto empty = ReadBytes("  \n");
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
}

TEST(PriceFileReaderTest, CsvWithoutHeaderNamesTheLine) {
  std::string text;
  for (int i = 0; i < 12; ++i) text += "a,b,c\n";
  auto src = PriceFileSource::FromBytes(text, "nohead.csv");
  auto info = ReadPriceSource(src, [](const PriceRecord&) {});
  ASSERT_FALSE(info.has_value());
  EXPECT_NE(info.error().message.find("nohead.csv: line 10"), std::string::npos) << info.error().message;
}

TEST(PriceFileReaderTest, CorruptGzipFails) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string junk = "\x1f\x8b\x08\x00garbage that is not deflate";
  ASSERT_TRUE(WriteFileBytes(dir / "bad.json.gz", junk));
  auto c = ReadAll(dir / "bad.json.gz");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("bad.json.gz"), std::string::npos) << c.error().message;
}

// A gzip cut short mid-stream is an error naming the file and the content offset reached,
// never a short file read as if whole.
TEST(PriceFileReaderTest, TruncatedGzipFailsWithOffset) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto bytes = ReadFileInflating(Fixture("tall_v2.csv"));
  ASSERT_TRUE(bytes.has_value());
  ASSERT_TRUE(WriteGzipFile(dir / "whole.csv.gz", *bytes).has_value());
  const std::string gz = ReadFileBytes(dir / "whole.csv.gz");
  ASSERT_GT(gz.size(), 100u);
  ASSERT_TRUE(WriteFileBytes(dir / "cut.csv.gz", gz.substr(0, gz.size() / 2)));
  auto c = ReadAll(dir / "cut.csv.gz");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("cut.csv.gz: compressed data broken after byte"), std::string::npos)
      << c.error().message;
}

// A zip without its end (no central directory) is refused by name.
TEST(PriceFileReaderTest, TruncatedZipFails) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string zip = ReadFileBytes(Fixture("tall_v2.zip"));
  ASSERT_GT(zip.size(), 100u);
  ASSERT_TRUE(WriteFileBytes(dir / "cut.zip", zip.substr(0, zip.size() - 30)));
  auto c = ReadAll(dir / "cut.zip");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("cut.zip: not a readable zip"), std::string::npos) << c.error().message;
}

TEST(PriceIndexTest, BuildsOnceThenAnswersFromTheCache) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string file = dir / "v11.json";
  std::filesystem::copy_file(Fixture("v11.json"), file);
  PriceIndexOptions opts{dir / "cache", false};
  auto first = PriceIndex::OpenOrBuild(file, opts);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(first->built_now());
  auto p = first->Lookup("70551");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->rows, 1);
  EXPECT_EQ(p->gross_min->cents, 320000);
  EXPECT_EQ(p->cash_min->cents, 160000);
  ASSERT_EQ(p->rates.size(), 4u);
  EXPECT_EQ(p->rates[0].payer, "Aetna");  // sorted by payer
  // Amounts 700, 900, 1400 and the estimated 1440: median of four.
  EXPECT_EQ(p->negotiated_min->cents, 70000);
  EXPECT_EQ(p->negotiated_max->cents, 144000);
  EXPECT_EQ(p->negotiated_median->cents, 115000);
  auto humana = first->Lookup("70551", "medicare adv");
  ASSERT_TRUE(humana.has_value());
  ASSERT_EQ(humana->rates.size(), 1u);
  EXPECT_EQ(humana->rates[0].payer, "Humana");
  EXPECT_EQ(humana->negotiated_median->cents, 144000);
  auto missing = first->Lookup("99999");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->rows, 0);

  auto second = PriceIndex::OpenOrBuild(file, opts);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->built_now());
  EXPECT_EQ(second->info().last_updated_on, "2024-06-30");
  EXPECT_EQ(second->index_path(), first->index_path());

  // A changed file gets a new index.
  std::string text = ReadFileBytes(file);
  text.replace(text.find("\"standard_charge\": 900"), 22, "\"standard_charge\": 950");
  ASSERT_TRUE(WriteFileBytes(file, text));
  auto third = PriceIndex::OpenOrBuild(file, opts);
  ASSERT_TRUE(third.has_value());
  EXPECT_TRUE(third->built_now());
  EXPECT_NE(third->index_path(), first->index_path());
  EXPECT_EQ(third->Lookup("70551")->rates[1].dollar->cents, 95000);
}

TEST(PriceIndexTest, TallCsvRowsMergeAndModifierRowsStayApart) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto index = PriceIndex::OpenOrBuild(Fixture("tall_v2.csv"), PriceIndexOptions{dir.path(), false});
  ASSERT_TRUE(index.has_value()) << index.error().message;
  auto p = index->Lookup("99213");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->gross_max->cents, 25000);  // the modifier-26 row at 999.00 is not the base price
  EXPECT_EQ(p->negotiated_min->cents, 12000);
  EXPECT_EQ(p->negotiated_max->cents, 14000);
  bool modifier_row = false;
  for (const PayerPlanRate& r : p->rates) modifier_row = modifier_row || r.modifiers == "26";
  EXPECT_TRUE(modifier_row);
}

}  // namespace
}  // namespace billwise

namespace billwise {
namespace {

TEST(NegotiatedRatesTest, PlanRateAgainstAllowedAndBandWithoutPlan) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto index = PriceIndex::OpenOrBuild(Fixture("v11.json"), PriceIndexOptions{dir.path(), false});
  ASSERT_TRUE(index.has_value()) << index.error().message;
  auto prices = index->Lookup("70551");
  ASSERT_TRUE(prices.has_value());
  LineItem line;
  line.code = "70551";
  line.charge = Money{320000};
  line.allowed = Money{95000};
  std::vector<Finding> findings;
  PatientPlan plan{"blue cross", "ppo"};
  ASSERT_EQ(RatesForPlan(*prices, plan).size(), 1u);
  CheckNegotiatedRates(*prices, index->info(), plan, line, 0, "Line 1 (70551)", 1, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].amount_at_stake.cents, 5000);  // allowed 950 vs the plan's 900
  EXPECT_NE(findings[0].explanation.find("last updated 2024-06-30"), std::string::npos) << findings[0].explanation;
  // The allowed amount equal to the rate: nothing to say.
  findings.clear();
  line.allowed = Money{90000};
  CheckNegotiatedRates(*prices, index->info(), plan, line, 0, "Line 1", 1, &findings);
  EXPECT_TRUE(findings.empty());
  // No plan: a charge above every negotiated rate, measured from the median.
  findings.clear();
  line.allowed.reset();
  CheckNegotiatedRates(*prices, index->info(), PatientPlan{}, line, 0, "Line 1", 1, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kInfo);
  EXPECT_EQ(findings[0].amount_at_stake.cents, 320000 - 115000);
  EXPECT_NE(findings[0].explanation.find("$700.00 to $1,440.00"), std::string::npos) << findings[0].explanation;
}

}  // namespace
}  // namespace billwise
