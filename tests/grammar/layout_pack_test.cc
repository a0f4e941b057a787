// The layout pack (extract/grammar/layout_pack.h): the shipped pack is current, reading it
// gives the same bills as reading the YAML, and a stale or damaged pack is never used.
#include "extract/grammar/layout_pack.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <filesystem>

#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"
#include "tests/grammar/bill_view.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFileBytes;

const std::string kShipped = BILLWISE_SOURCE_DIR "/templates/layouts";

NamedTemplates Sources(const std::string& dir) {
  auto sources = ReadTemplateFolder(dir);
  EXPECT_TRUE(sources.has_value()) << sources.error().message;
  return sources.value_or(NamedTemplates{});
}

LayoutSet FromYaml(const NamedTemplates& sources) {
  auto set = LayoutSet::LoadStrings(sources);
  EXPECT_TRUE(set.has_value()) << set.error().message;
  return std::move(*set);
}

// A copy of the shipped templates and pack in a scratch folder.
void CopyShipped(const std::string& to) {
  for (const auto& e : fs::directory_iterator(kShipped)) {
    if (e.is_regular_file()) fs::copy_file(e.path(), fs::path(to) / e.path().filename());
  }
}

TEST(LayoutPack, BuiltPackIsCurrent) {
  const NamedTemplates sources = Sources(kShipped);
  const std::string pack = PackLayouts(FromYaml(sources), sources);
  EXPECT_TRUE(pack == ReadFileBytes(kShipped + "/" + kLayoutPackFile))
      << "templates/layouts/" << kLayoutPackFile
      << " is stale: the build regenerates it (target layout_pack_file)";
}

TEST(LayoutPack, PackingIsDeterministicAndRoundTrips) {
  const NamedTemplates sources = Sources(kShipped);
  const std::string pack = PackLayouts(FromYaml(sources), sources);
  EXPECT_EQ(pack, PackLayouts(FromYaml(sources), sources));
  auto unpacked = UnpackLayouts(pack, kShipped, sources);
  ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
  EXPECT_EQ(PackLayouts(*unpacked, sources), pack);
  const LayoutSet yaml = FromYaml(sources);
  ASSERT_EQ(unpacked->layouts().size(), yaml.layouts().size());
  for (size_t i = 0; i < yaml.layouts().size(); ++i) {
    EXPECT_EQ(unpacked->layouts()[i]->id, yaml.layouts()[i]->id);
    EXPECT_EQ(unpacked->layouts()[i]->file, yaml.layouts()[i]->file);
    EXPECT_EQ(unpacked->layouts()[i]->labels.size(), yaml.layouts()[i]->labels.size());
    EXPECT_EQ(unpacked->layouts()[i]->items.columns, yaml.layouts()[i]->items.columns);
  }
}

// Every template case reads to the same bill through the pack as through the YAML.
TEST(LayoutPack, BillsReadThroughThePackEqualBillsReadThroughYaml) {
  const NamedTemplates sources = Sources(kShipped);
  const LayoutSet yaml = FromYaml(sources);
  auto packed = UnpackLayouts(ReadFileBytes(kShipped + "/" + kLayoutPackFile), kShipped, sources);
  ASSERT_TRUE(packed.has_value()) << packed.error().message;
  int cases = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(BILLWISE_SOURCE_DIR) / "tests/grammar/cases")) {
    if (e.path().extension() != ".txt") continue;
    const std::string text = ReadFileBytes(e.path());
    Bill from_yaml, from_pack;
    ParseBill(yaml, PagesFromPlainText(text), &from_yaml);
    ParseBill(*packed, PagesFromPlainText(text), &from_pack);
    EXPECT_EQ(BillView(from_pack), BillView(from_yaml)) << e.path();
    ++cases;
  }
  EXPECT_GT(cases, 10);
}

TEST(LayoutPack, AnEditedTemplateMakesThePackStaleAndTheYamlIsRead) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  CopyShipped(tmp.path());
  const std::string eob = tmp.path() + "/eob.yaml";
  std::string text = ReadFileBytes(eob);
  ASSERT_NE(text.find("\nid: eob"), std::string::npos);
  text.replace(text.find("\nid: eob"), 8, "\nid: eob_edited");
  ASSERT_TRUE(WriteFileBytes(eob, text));

  auto stale = UnpackLayouts(ReadFileBytes(tmp.path() + "/" + kLayoutPackFile), tmp.path(), Sources(tmp.path()));
  ASSERT_FALSE(stale.has_value());
  EXPECT_NE(stale.error().message.find("made from other templates"), std::string::npos) << stale.error().message;
  auto set = LayoutSet::LoadDir(tmp.path());
  ASSERT_TRUE(set.has_value()) << set.error().message;
  EXPECT_NE(set->Find("eob_edited"), nullptr);
  EXPECT_EQ(set->Find("eob"), nullptr);
}

TEST(LayoutPack, AnAddedOrRemovedTemplateMakesThePackStale) {
  const std::string pack = ReadFileBytes(kShipped + "/" + kLayoutPackFile);
  NamedTemplates sources = Sources(kShipped);
  NamedTemplates added = sources;
  added.emplace_back(kShipped + "/zz_new.yaml", "id: zz_new\nkeywords: [zz]\n");
  EXPECT_FALSE(UnpackLayouts(pack, kShipped, added).has_value());
  NamedTemplates removed(sources.begin(), sources.end() - 1);
  EXPECT_FALSE(UnpackLayouts(pack, kShipped, removed).has_value());

  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  CopyShipped(tmp.path());
  ASSERT_TRUE(WriteFileBytes(tmp.path() + "/zz_new.yaml", "id: zz_new\nkeywords: [zz]\n"));
  auto set = LayoutSet::LoadDir(tmp.path());
  ASSERT_TRUE(set.has_value()) << set.error().message;
  EXPECT_NE(set->Find("zz_new"), nullptr);
}

TEST(LayoutPack, ABadTemplateIsReportedEvenWithAPackPresent) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  CopyShipped(tmp.path());
  ASSERT_TRUE(WriteFileBytes(tmp.path() + "/zz_bad.yaml", "id: zz_bad\nfields:\n  due_date: '(?P<due_date>[0-9'\n"));
  auto set = LayoutSet::LoadDir(tmp.path());
  ASSERT_FALSE(set.has_value());
  EXPECT_NE(set.error().message.find("zz_bad.yaml: fields.due_date: bad pattern"), std::string::npos)
      << set.error().message;
}

TEST(LayoutPack, EveryDamagedOrTruncatedPackIsRefused) {
  const NamedTemplates sources = Sources(kShipped);
  const std::string pack = ReadFileBytes(kShipped + "/" + kLayoutPackFile);
  ASSERT_FALSE(pack.empty());
  for (size_t i = 0; i < pack.size(); ++i) {
    std::string damaged = pack;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    EXPECT_FALSE(UnpackLayouts(damaged, kShipped, sources).has_value()) << "byte " << i;
  }
  for (size_t n : {size_t{0}, size_t{5}, pack.size() / 2, pack.size() - 1}) {
    EXPECT_FALSE(UnpackLayouts(pack.substr(0, n), kShipped, sources).has_value()) << "truncated to " << n;
  }
}

TEST(LayoutPack, PatternsFromThePackCompileOnUseOrAllAtOnce) {
  const NamedTemplates sources = Sources(kShipped);
  auto set = UnpackLayouts(ReadFileBytes(kShipped + "/" + kLayoutPackFile), kShipped, sources);
  ASSERT_TRUE(set.has_value()) << set.error().message;
  const Layout* generic = set->Find("generic");
  ASSERT_NE(generic, nullptr);
  const Pattern* first = nullptr;
  ForEachPattern(*generic, [&](const Pattern& p) {
    if (first == nullptr) first = &p;
  });
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE((*first)->ok());  // compiled on this first use
  set->CompileAll();
  int patterns = 0;
  for (const auto& l : set->layouts()) {
    ForEachPattern(*l, [&](const Pattern& p) {
      EXPECT_TRUE(p->ok()) << l->id << ": " << p.text();
      ++patterns;
    });
  }
  EXPECT_GT(patterns, 20);
}

}  // namespace
}  // namespace billwise
