// Fuzz target: layout template loading (LayoutSet::LoadStrings) on arbitrary YAML text.
// A template that loads is then used: selected against a short document and run over it,
// so a pattern that compiles but misbehaves at match time is found too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"

namespace {

constexpr char kDocument[] =
    "Memorial Hospital                          STATEMENT\n"
    "Account Number: 12345          Statement Date: 01/12/2026\n"
    "Date        Code    Description                 Qty     Charges\n"
    "01/02/2026  99213   OFFICE VISIT                  1     $125.00\n"
    "01/02/2026  0450    EMERGENCY ROOM                1   $1,234.56\n"
    "Total Charges                                         $1,359.56\n"
    "Amount Due                                            $1,359.56\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string yaml(reinterpret_cast<const char*>(data), size);
  auto set = LayoutSet::LoadStrings({{"fuzz.yaml", std::move(yaml)}});
  if (!set) return 0;
  (void)set->Select("memorial hospital statement");
  for (const auto& layout : set->layouts()) (void)set->Find(layout->id);
  Bill bill;
  ParseBill(*set, PagesFromPlainText(kDocument), &bill);
  return 0;
}
