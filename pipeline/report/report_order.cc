#include "pipeline/report/report_order.h"

namespace billwise {

bool IsPriceNote(const Finding& f) { return f.kind.find("price") != std::string::npos; }

std::vector<const Finding*> FindingsInReportOrder(const Bill& bill) {
  auto group = [](const Finding& f) {
    if (f.severity == Severity::kInfo) return 3;
    if (IsPriceNote(f)) return 2;
    return f.severity == Severity::kError ? 0 : 1;
  };
  std::vector<const Finding*> out;
  for (int g = 0; g <= 3; ++g) {
    for (const Finding& f : bill.findings) {
      if (group(f) == g) out.push_back(&f);
    }
  }
  return out;
}

std::string LineNumbers(const std::vector<size_t>& lines) {
  std::string out;
  for (size_t l : lines) out += (out.empty() ? "" : ", ") + std::to_string(l + 1);
  return out;
}

std::string DaysLeftText(int days) {
  if (days == 0) return "today";
  if (days > 0) return std::to_string(days) + (days == 1 ? " day left" : " days left");
  return "passed " + std::to_string(-days) + (days == -1 ? " day ago" : " days ago");
}

}  // namespace billwise
