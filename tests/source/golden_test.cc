// Golden tests over the whole pipeline: `billwise analyze SAMPLE --format json` on every
// generated sample must reproduce the extraction fields of SAMPLE.expected.json.
//
// Every sample must be claimed by a layout template (source.layout is never null).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace billwise {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct AnalyzeRun {
  int status = -1;
  std::string out, err;
};

AnalyzeRun Analyze(const fs::path& file) {
  const fs::path err_path = fs::temp_directory_path() /
                            ("billwise_golden_" + std::to_string(std::rand()) + ".err");
  const std::string cmd = std::string("'") + BILLWISE_BINARY + "' analyze '" + file.string() +
                          "' --format json --no-store 2>'" + err_path.string() + "'";
  AnalyzeRun run;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return run;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) run.out.append(buf, n);
  run.status = pclose(pipe.release());
  run.err = ReadFile(err_path);
  fs::remove(err_path);
  return run;
}

// Lower case, single spaces: descriptions are compared on their words.
std::string Words(std::string s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Same JSON value, numbers to the cent.
bool Same(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    return std::llround(a.get<double>() * 100) == std::llround(b.get<double>() * 100);
  }
  return a == b;
}

const json& Field(const json& j, const std::string& key) {
  static const json kNull;
  return j.is_object() && j.contains(key) ? j.at(key) : kNull;
}

void CompareBill(const json& want, const json& got) {
  for (const char* key : {"document_type", "account_number", "statement_date", "due_date",
                          "amount_due"}) {
    EXPECT_TRUE(Same(Field(want, key), Field(got, key)))
        << key << ": want " << Field(want, key) << ", got " << Field(got, key);
  }
  // The provider's name as printed; letter case is not compared ("LARKSPUR VALLEY ...").
  const json& want_name = Field(Field(want, "provider"), "name");
  const json& got_name = Field(Field(got, "provider"), "name");
  EXPECT_TRUE(want_name.is_string() && got_name.is_string()
                  ? Words(want_name.get<std::string>()) == Words(got_name.get<std::string>())
                  : want_name == got_name)
      << "provider.name: want " << Field(Field(want, "provider"), "name") << ", got "
      << Field(Field(got, "provider"), "name");
  for (const char* key : {"charges", "insurance_paid", "adjustments", "patient_paid"}) {
    const json& w = Field(Field(want, "totals"), key);
    if (w.is_null()) continue;  // not printed on the sample
    EXPECT_TRUE(Same(w, Field(Field(got, "totals"), key)))
        << "totals." << key << ": want " << w << ", got " << Field(Field(got, "totals"), key);
  }
  const json& wi = Field(want, "line_items");
  const json& gi = Field(got, "line_items");
  ASSERT_TRUE(gi.is_array());
  ASSERT_EQ(gi.size(), wi.size()) << "line item count";
  for (size_t i = 0; i < wi.size(); ++i) {
    SCOPED_TRACE("line item " + std::to_string(i));
    for (const char* key : {"date_of_service", "code", "modifiers", "revenue_code", "quantity",
                            "charge"}) {
      EXPECT_TRUE(Same(Field(wi[i], key), Field(gi[i], key)))
          << key << ": want " << Field(wi[i], key) << ", got " << Field(gi[i], key);
    }
    if (Field(want, "document_type") != "eob") {
      EXPECT_EQ(Words(Field(wi[i], "description").get<std::string>()),
                Words(Field(gi[i], "description").is_string()
                          ? Field(gi[i], "description").get<std::string>()
                          : std::string()));
    }
  }
  if (Field(want, "collector").is_object()) {
    for (const char* key : {"name", "creditor", "itemization_date", "validation_end_date"}) {
      EXPECT_TRUE(Same(Field(Field(want, "collector"), key), Field(Field(got, "collector"), key)))
          << "collector." << key;
    }
  }
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, AnalyzeMatchesExpected) {
  const fs::path dir = fs::path(BILLWISE_SOURCE_DIR) / "samples" / "generated";
  const fs::path pdf = dir / (GetParam() + ".pdf");
  if (!fs::exists(BILLWISE_BINARY)) GTEST_SKIP() << "billwise binary not built";
  const json want = json::parse(ReadFile(dir / (GetParam() + ".expected.json")));
  const AnalyzeRun run = Analyze(pdf);
  ASSERT_EQ(run.status, 0) << run.err;
  const json got = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(got.is_discarded()) << "analyze did not print JSON";
  EXPECT_FALSE(Field(Field(got, "source"), "layout").is_null()) << "no layout template";
  CompareBill(want, got);
}

std::vector<std::string> SampleNames() {
  std::vector<std::string> names;
  const fs::path dir = fs::path(BILLWISE_SOURCE_DIR) / "samples" / "generated";
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".pdf") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Samples, GoldenTest, ::testing::ValuesIn(SampleNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace billwise
