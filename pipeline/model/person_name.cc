#include "pipeline/model/person_name.h"

#include <algorithm>
#include <array>

namespace billwise {

std::vector<std::string> NameWords(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kSkip = {"jr", "sr", "ii", "iii", "iv", "mr", "mrs", "ms", "dr"};
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    if (cur.size() > 1 && std::find(kSkip.begin(), kSkip.end(), cur) == kSkip.end()) words.push_back(cur);
    cur.clear();
  };
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur += c;
    } else if (c >= 'A' && c <= 'Z') {
      cur += static_cast<char>(c - 'A' + 'a');
    } else if (c == '\'') {
      continue;  // O'Brien = OBrien
    } else {
      flush();
    }
  }
  flush();
  return words;
}

bool SamePersonName(std::string_view a, std::string_view b) {
  std::vector<std::string> wa = NameWords(a), wb = NameWords(b);
  if (wa.empty() || wb.empty()) return false;
  if (wa.size() > wb.size()) std::swap(wa, wb);
  return std::all_of(wa.begin(), wa.end(),
                     [&](const std::string& w) { return std::find(wb.begin(), wb.end(), w) != wb.end(); });
}

bool NamesDiffer(std::string_view a, std::string_view b) {
  if (NameWords(a).empty() || NameWords(b).empty()) return false;
  return !SamePersonName(a, b);
}

}  // namespace billwise
