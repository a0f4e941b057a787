// Profile YAML loading: every key optional, unknown keys and wrong types are errors naming the key.
#include "pipeline/audit/profile.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace billwise {
namespace {

constexpr const char* kExample = R"(name: Jordan A. Rivera
address:                 # lines as they go on an envelope
  - 1200 Oak Street Apt 4
  - Springfield, IL 62704
phone: 217-555-0142
email: jordan.rivera@example.com
date_of_birth: 1984-03-09
household_size: 3
annual_income: 41000
state: IL
insured: no
insurer: null
member_id: null
language: en
monthly_budget: 150
lump_sum_available: 900
)";

TEST(ProfileTest, ParsesTheDocumentedExample) {
  auto p = ParseProfile(kExample);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->name, "Jordan A. Rivera");
  EXPECT_EQ(p->address, (std::vector<std::string>{"1200 Oak Street Apt 4", "Springfield, IL 62704"}));
  EXPECT_EQ(p->phone, "217-555-0142");
  EXPECT_EQ(p->date_of_birth, (Date{1984, 3, 9}));
  EXPECT_EQ(p->household_size, 3);
  EXPECT_EQ(p->annual_income, Money::FromDollars(41000));
  EXPECT_EQ(p->state, "IL");
  EXPECT_EQ(p->insured, false);
  EXPECT_FALSE(p->insurer);
  EXPECT_FALSE(p->member_id);
  EXPECT_EQ(p->language, "en");
  EXPECT_EQ(p->monthly_budget, Money::FromDollars(150));
  EXPECT_EQ(p->lump_sum_available, Money::FromDollars(900));
  EXPECT_TRUE(MissingProfileKeys(*p, {"name", "address", "household_size", "state"}).empty());
  EXPECT_EQ(MissingProfileKeys(*p, {"name", "insurer", "member_id"}), (std::vector<std::string>{"insurer", "member_id"}));
}

TEST(ProfileTest, EveryKeyIsOptional) {
  auto p = ParseProfile("");
  ASSERT_TRUE(p);
  EXPECT_EQ(MissingProfileKeys(*p, {"name", "address", "annual_income"}),
            (std::vector<std::string>{"name", "address", "annual_income"}));
  p = ParseProfile("state: ca\nannual_income: \"$41,000.50\"\nmember_id: 12345\naddress: One line only\n");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->state, "CA");
  EXPECT_EQ(p->annual_income, Money::FromCents(4100050));
  EXPECT_EQ(p->member_id, "12345");
  EXPECT_EQ(p->address.size(), 1u);
}

TEST(ProfileTest, UnknownKeyIsAnErrorNamingIt) {
  auto p = ParseProfile("name: A\nhousehold_sise: 3\n");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kBadData);
  EXPECT_NE(p.error().message.find("household_sise"), std::string::npos) << p.error().message;
  p = ParseProfile("nickname: null\n");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("nickname"), std::string::npos);
}

TEST(ProfileTest, WrongTypesAreErrorsNamingTheKey) {
  struct Case {
    const char* yaml;
    const char* key;
  } cases[] = {
      {"household_size: three\n", "household_size"},
      {"household_size: 0\n", "household_size"},
      {"annual_income: lots\n", "annual_income"},
      {"annual_income: [1, 2]\n", "annual_income"},
      {"insured: maybe\n", "insured"},
      {"state: Illinois\n", "state"},
      {"date_of_birth: 03/09/1984\n", "date_of_birth"},
      {"address: {street: x}\n", "address"},
      {"name: [a, b]\n", "name"},
      {"language: fr\n", "language"},
      {"monthly_budget: 12.345\n", "monthly_budget"},
  };
  for (const Case& c : cases) {
    auto p = ParseProfile(c.yaml);
    ASSERT_FALSE(p) << c.yaml;
    EXPECT_EQ(p.error().code, ErrorCode::kBadData);
    EXPECT_NE(p.error().message.find(c.key), std::string::npos) << p.error().message;
  }
}

TEST(ProfileTest, SyntaxErrorsAndFiles) {
  auto p = ParseProfile("name: [unclosed\n");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kBadData);
  p = ParseProfile("- just\n- a list\n");
  ASSERT_FALSE(p);
  auto missing = LoadProfile("/nonexistent/profile.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  std::string path = ::testing::TempDir() + "/billwise_profile_test.yaml";
  {
    std::ofstream(path) << kExample;
  }
  auto loaded = LoadProfile(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->household_size, 3);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace billwise

namespace billwise {
namespace {

TEST(ProfileLimitsTest, LongValuesAndAliasesAreClearErrors) {
  std::string long_name(kMaxProfileText + 1, 'x');
  auto p = ParseProfile("name: " + long_name + "\n");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(p.error().message.find("'name'"), std::string::npos) << p.error().message;
  EXPECT_EQ(p.error().message.find(long_name), std::string::npos) << "the value itself is never printed";
  // 200 characters of a two-byte script still fit.
  std::string greek;
  for (size_t i = 0; i < kMaxProfileText; ++i) greek += "\xCE\xB1";
  EXPECT_TRUE(ParseProfile("name: " + greek + "\n"));
  // YAML aliases repeat a value without repeating its text: each use is checked.
  std::string big(100000, 'y');
  p = ParseProfile("insurer: &a " + big + "\nmember_id: *a\n");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kLimitExceeded);
  p = ParseProfile("address: [&a " + std::string(300, 'z') + ", *a]\n");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("'address'"), std::string::npos);
  p = ParseProfile("address: [a, b, c, d, e, f, g, h, i]\n");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kLimitExceeded);
  p = ParseProfile(std::string(kMaxProfileBytes + 1, '#'));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kLimitExceeded);
}

TEST(ProfileLimitsTest, AnAddressBlockIsSplitIntoLines) {
  auto p = ParseProfile("address: |\n  1200 Oak Street\n\n  Springfield, IL 62704\n");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->address, (std::vector<std::string>{"1200 Oak Street", "Springfield, IL 62704"}));
}

}  // namespace
}  // namespace billwise
