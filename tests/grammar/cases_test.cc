// Layout-template cases: tests/grammar/cases/<template>/<case>.txt is read through the
// plain-text path and the grammar; the fields listed in <case>.expected.json must match
// (keys not listed are not checked; line_items must have the same length). The case's
// folder names the template that must have been chosen.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "extract/grammar/document_type.h"
#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"
#include "tests/grammar/bill_view.h"
#include "tests/testing/files.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

using testing::ReadFileBytes;

std::vector<fs::path> Cases() {
  std::vector<fs::path> out;
  fs::path root = fs::path(BILLWISE_SOURCE_DIR) / "tests/grammar/cases";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().extension() == ".txt") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class TemplateCaseTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(TemplateCaseTest, MatchesExpected) {
  static const LayoutSet layouts = [] {
    auto s = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    if (!s) {
      ADD_FAILURE() << s.error().message;
      std::abort();
    }
    return std::move(*s);
  }();
  static const DocumentTypeRules types = [] {
    auto r = DocumentTypeRules::LoadFile(BILLWISE_SOURCE_DIR "/templates/document_types.yaml");
    if (!r) {
      ADD_FAILURE() << r.error().message;
      std::abort();
    }
    return std::move(*r);
  }();
  const fs::path& txt = GetParam();
  Bill bill;
  // As the engine reads a document: its kind from the weighed cues, then the layout.
  std::vector<Page> pages = PagesFromPlainText(ReadFileBytes(txt));
  const DocumentType decided = TypeOfKind(ClassifyDocument(types, pages).kind);
  ParseBill(layouts, std::move(pages), &bill, decided);
  nlohmann::json actual = BillView(bill);
  if (std::getenv("BILLWISE_PRINT_CASES")) std::cout << actual.dump(2) << "\n";
  fs::path expected_path = txt;
  expected_path.replace_extension(".expected.json");
  ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
  nlohmann::json expected = nlohmann::json::parse(ReadFileBytes(expected_path));
  EXPECT_EQ(actual["layout"], txt.parent_path().filename().string());
  std::vector<std::string> diffs;
  CompareJson(expected, actual, "", &diffs);
  for (const auto& d : diffs) ADD_FAILURE() << txt.filename() << d;
}

INSTANTIATE_TEST_SUITE_P(Cases, TemplateCaseTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) {
                           std::string n = info.param.parent_path().filename().string() + "_" +
                                           info.param.stem().string();
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(TemplateCasesTest, EveryTemplateHasACase) {
  auto set = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
  ASSERT_TRUE(set);
  for (const auto& l : set->layouts()) {
    fs::path dir = fs::path(BILLWISE_SOURCE_DIR) / "tests/grammar/cases" / l->id;
    bool any = fs::exists(dir) && std::any_of(fs::directory_iterator(dir), fs::directory_iterator(),
                                              [](const auto& e) { return e.path().extension() == ".txt"; });
    EXPECT_TRUE(any) << "template " << l->id << " has no case in " << dir;
  }
}

}  // namespace
}  // namespace billwise
