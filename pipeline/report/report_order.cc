#include "pipeline/report/report_order.h"

namespace billwise {

bool IsPriceNote(const Finding& f) { return f.kind == FindingKind::kPrice; }

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

std::string DaysLeftText(int days, std::string_view language) {
  if (language == "es") {
    if (days == 0) return "hoy";
    if (days > 0) return days == 1 ? "queda 1 día" : "quedan " + std::to_string(days) + " días";
    return "venció hace " + std::to_string(-days) + (days == -1 ? " día" : " días");
  }
  if (days == 0) return "today";
  if (days > 0) return std::to_string(days) + (days == 1 ? " day left" : " days left");
  return "passed " + std::to_string(-days) + (days == -1 ? " day ago" : " days ago");
}

std::string StepDateText(const Date& date, std::string_view language) {
  if (language != "es") return date.Display();
  static const char* kMonths[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                  "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  int m = date.month >= 1 && date.month <= 12 ? date.month - 1 : 0;
  return std::to_string(date.day) + " de " + kMonths[m] + " de " + std::to_string(date.year);
}

const StepLabels& StepLabelsFor(std::string_view language) {
  static const StepLabels kEn{"What to do next",
                              "add your details (--profile FILE) for a step-by-step plan with dates.",
                              "By", "Letter", "How", "Why", "Hold back"};
  static const StepLabels kEs{"Qué hacer ahora",
                              "agregue sus datos (--profile ARCHIVO) para un plan paso a paso con fechas.",
                              "Antes del", "Carta", "Cómo", "Por qué", "No haga todavía"};
  return language == "es" ? kEs : kEn;
}

}  // namespace billwise
