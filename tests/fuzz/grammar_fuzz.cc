// Fuzz target: the line grammar on arbitrary text. The text becomes pages as a plain-text
// statement does (PagesFromPlainText), and ParseBill reads it with the real templates of
// templates/layouts; the Bill is then written as JSON, as `billwise analyze` would.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "extract/grammar/layout_set.h"
#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"
#include "pipeline/report/bill_json.h"

namespace {

const billwise::LayoutSet& Layouts() {
  static const billwise::LayoutSet* set = [] {
    auto loaded = billwise::LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    if (!loaded) {
      std::fprintf(stderr, "cannot load templates: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return new billwise::LayoutSet(std::move(*loaded));
  }();
  return *set;
}

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 9;
    if (n == 9 || i + n >= s.size()) return false;
    uint32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Layouts();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Bill bill;
  ParseBill(Layouts(), PagesFromPlainText(text), &bill);
  // Only valid UTF-8 reaches the grammar in a real run (the sniffer sends anything else
  // elsewhere, poppler and Tesseract emit UTF-8), and then the Bill must be writable.
  if (IsUtf8(text)) {
    std::string json = BillToJson(bill);
    if (json.empty()) std::abort();
  }
  return 0;
}
