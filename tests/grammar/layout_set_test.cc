#include "extract/grammar/layout_set.h"

#include <gtest/gtest.h>

namespace billwise {
namespace {

Expected<LayoutSet> Load(std::vector<std::pair<std::string, std::string>> files) {
  return LayoutSet::LoadStrings(files);
}

TEST(LayoutSetTest, LoadsTheShippedTemplates) {
  auto set = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_NE(set->Find("generic"), nullptr);
  EXPECT_TRUE(set->Find("generic")->is_fallback);
  EXPECT_FALSE(set->Find("generic")->items.columns.empty());
}

TEST(LayoutSetTest, BadPatternNamesFileAndField) {
  auto set = Load({{"a.yaml", "id: a\nkeywords: [x]\nfields:\n  account_number: '(?P<account_number>[0-9'\n"}});
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kBadTemplate);
  EXPECT_NE(set.error().message.find("a.yaml"), std::string::npos);
  EXPECT_NE(set.error().message.find("fields.account_number"), std::string::npos);
  EXPECT_NE(set.error().message.find("[0-9"), std::string::npos);  // RE2's error_arg
}

TEST(LayoutSetTest, LookaroundIsRejected) {
  auto set = Load({{"b.yaml", "id: b\nitems:\n  rows: ['(?P<charge>\\d+)(?=x)']\n"}});
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("items.rows"), std::string::npos);
}

TEST(LayoutSetTest, UnknownKeysAndFieldsAreErrors) {
  EXPECT_FALSE(Load({{"c.yaml", "id: c\nkeywrods: [x]\n"}}));
  auto f = Load({{"d.yaml", "id: d\nfields:\n  acount: 'x(?P<acount>y)'\n"}});
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("fields.acount"), std::string::npos);
  auto g = Load({{"e.yaml", "id: e\nitems:\n  colums: {}\n"}});
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message.find("items.colums"), std::string::npos);
  auto h = Load({{"f.yaml", "id: f\nitems:\n  columns:\n    price: [Price]\n"}});
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("unknown column"), std::string::npos);
}

TEST(LayoutSetTest, PatternMustHaveItsGroup) {
  auto set = Load({{"g.yaml", "id: g\nfields:\n  due_date: 'Due (\\d+)'\n"}});
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("(?P<due_date>"), std::string::npos);
  auto rows = Load({{"h.yaml", "id: h\nitems:\n  rows: ['(?P<price>\\d+)']\n"}});
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().message.find("unknown group"), std::string::npos);
}

TEST(LayoutSetTest, YamlSyntaxErrorNamesFile) {
  auto set = Load({{"bad.yaml", "id: [unclosed\n"}});
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("bad.yaml"), std::string::npos);
}

TEST(LayoutSetTest, SelectionByKeywordsExcludeAndPriority) {
  auto set = Load({
      {"base.yaml", "id: base\nfallback: true\nlabels:\n  amount_due: [Amount Due]\n"
                    "items:\n  columns:\n    charge: [Charge]\n    date: [Date]\n"},
      {"one.yaml", "id: one\nextends: base\npriority: 5\nkeywords: [acme clinic]\n"},
      {"two.yaml", "id: two\nextends: base\npriority: 9\nkeywords: [acme clinic, eob]\n"
                   "exclude_keywords: [draft]\nitems:\n  columns:\n    qty: [Units]\n"},
      {"three.yaml", "id: three\nany_keywords: [zeta, eta]\n"},
  });
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->Select("acme clinic statement")->id, "one");
  EXPECT_EQ(set->Select("acme clinic eob")->id, "two");
  EXPECT_EQ(set->Select("acme clinic eob draft")->id, "one");
  EXPECT_EQ(set->Select("nothing here")->id, "base");
  EXPECT_EQ(set->Select("the eta letter")->id, "three");
  // Inheritance: labels and columns merged key by key.
  const Layout* two = set->Find("two");
  EXPECT_EQ(two->labels.count("amount due"), 1u);
  EXPECT_EQ(two->items.columns.count("charge"), 1u);
  EXPECT_EQ(two->items.columns.count("units"), 1u);
  EXPECT_FALSE(two->is_fallback);
}

TEST(LayoutSetTest, ExtendsErrors) {
  EXPECT_FALSE(Load({{"x.yaml", "id: x\nextends: nope\n"}}));
  EXPECT_FALSE(Load({{"x.yaml", "id: x\nextends: y\n"}, {"y.yaml", "id: y\nextends: x\n"}}));
  EXPECT_FALSE(Load({{"x.yaml", "id: x\n"}, {"y.yaml", "id: x\n"}}));
}

TEST(LayoutSetTest, MissingDirectory) {
  auto set = LayoutSet::LoadDir("/nonexistent/layouts");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace billwise
