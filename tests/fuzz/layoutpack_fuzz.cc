// Fuzz target: layout pack decoding (UnpackLayouts, extract/grammar/layout_pack.h) on
// arbitrary bytes. The harness overwrites the last four bytes with the CRC-32 of the rest,
// so inputs get past the checksum, and checks them against the shipped templates' digests
// (the seed is the shipped pack). A pack that decodes is then used: every pattern is
// matched (compiling it) and the set reads a short document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "extract/grammar/layout_pack.h"
#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"
#include "pipeline/tables/byte_codec.h"
#include "pipeline/tables/gzip.h"

namespace {

constexpr char kDir[] = BILLWISE_SOURCE_DIR "/templates/layouts";
constexpr char kDocument[] =
    "Memorial Hospital                          STATEMENT\n"
    "Date        Code    Description                 Qty     Charges\n"
    "01/02/2026  99213   OFFICE VISIT                  1     $125.00\n"
    "Total Charges                                         $125.00\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  static const NamedTemplates sources = ReadTemplateFolder(kDir).value_or(NamedTemplates{});
  if (size < 4) return 0;
  std::string pack(reinterpret_cast<const char*>(data), size - 4);
  PutU32(Crc32(pack), &pack);
  auto set = UnpackLayouts(pack, kDir, sources);
  if (!set) return 0;
  for (const auto& layout : set->layouts()) {
    ForEachPattern(*layout, [](const Pattern& p) { (void)p.PartialMatch("Total due $12.00"); });
  }
  (void)set->Select("memorial hospital statement");
  Bill bill;
  ParseBill(*set, PagesFromPlainText(kDocument), &bill);
  return 0;
}
