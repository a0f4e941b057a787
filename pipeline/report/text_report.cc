#include "pipeline/report/text_report.h"

#include <fmt/format.h>

#include "pipeline/report/plain_terms.h"
#include "pipeline/report/report_order.h"

namespace billwise {
namespace {

std::string Or(const std::optional<std::string>& s, const char* dash = "-") { return s ? *s : dash; }
std::string Or(const std::optional<Date>& d) { return d ? d->Iso() : "-"; }
std::string Or(const std::optional<Money>& m) { return m ? m->Display() : "-"; }

std::string Clip(const std::string& s, size_t width) {
  if (s.size() <= width) return s;
  // Cut on a UTF-8 boundary.
  size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "~";
}

std::string Mark(double confidence) { return confidence < kLowConfidence ? "?" : " "; }

// "Reading: partial - items $1,210.56 of printed total $1,234.56; 2 unread rows" and the
// notes of what to check by hand.
void ReadingLines(const ReadQuality& q, std::string* out) {
  std::string figures = "items " + q.items_total.Display();
  if (q.printed_total) figures += " of printed total " + q.printed_total->Display();
  if (q.unread_rows > 0) figures += fmt::format("; {} unread row{}", q.unread_rows, q.unread_rows == 1 ? "" : "s");
  *out += fmt::format("Reading:    {} - {}\n", ReadStatusName(q.status), figures);
  for (const std::string& note : q.notes) *out += fmt::format("  ! {}\n", note);
}

}  // namespace

std::string TextReport(const Bill& b) {
  std::string out;
  auto line = [&out](const std::string& s) { out += s; out += '\n'; };
  line(fmt::format("{}  ({} page{}, {}, layout {})", b.source.path, b.source.pages, b.source.pages == 1 ? "" : "s",
                   TextOriginName(b.source.text_origin), b.source.layout.empty() ? "-" : b.source.layout));
  if (b.source.ocr_confidence) line(fmt::format("OCR confidence {:.1f}%", *b.source.ocr_confidence));
  if (b.read_quality) ReadingLines(*b.read_quality, &out);
  line(fmt::format("Document:   {}", DocumentTypeName(b.document_type)));
  line(fmt::format("Provider:   {}", Or(b.provider.name)));
  if (b.collector) {
    line(fmt::format("Collector:  {}  (creditor {}, reference {})", Or(b.collector->name), Or(b.collector->creditor),
                     Or(b.collector->reference)));
    if (b.collector->original_creditor) line(fmt::format("Original creditor: {}", *b.collector->original_creditor));
    if (b.collector->validation_end_date) {
      line(fmt::format("Validation period ends {}", b.collector->validation_end_date->Iso()));
    }
  }
  line(fmt::format("Patient:    {}", Or(b.patient.name)));
  line(fmt::format("Account:    {}", Or(b.account_number)));
  if (b.claim_number || b.member_id) {
    line(fmt::format("Claim:      {}    Member ID: {}", Or(b.claim_number), Or(b.member_id)));
  }
  line(fmt::format("Statement:  {}    Due: {}", Or(b.statement_date), Or(b.due_date)));
  line(fmt::format("Amount due: {}", Or(b.amount_due)));
  line(fmt::format("Totals:     charges {}  insurance paid {}  adjustments {}  patient paid {}", Or(b.totals.charges),
                   Or(b.totals.insurance_paid), Or(b.totals.adjustments), Or(b.totals.patient_paid)));
  for (const auto& [field, conf] : b.field_confidence) {
    if (conf < kLowConfidence) line(fmt::format("  ? check {} (read with {:.0f}% confidence)", field, conf * 100));
  }

  // What to do first, then the findings (errors before price notes), then the detail.
  line("");
  const std::string lang = b.plan ? b.plan->language : "en";
  const StepLabels& words = StepLabelsFor(lang);
  if (b.plan && !b.plan->next_steps.empty()) {
    line(fmt::format("{}:", words.heading));
    for (const NextStep& st : b.plan->next_steps) {
      line(fmt::format("  {}. {}", st.step, st.what));
      std::string when;
      if (st.by) {
        when = fmt::format("{} {}{}. ", words.by, StepDateText(*st.by, lang),
                           st.days_left ? " (" + DaysLeftText(*st.days_left, lang) + ")" : "");
      }
      std::string letter =
          st.letter ? fmt::format("{}: billwise letters FILE --kind {}. ", words.letter, *st.letter) : "";
      line(fmt::format("     {}{}{}: {}.", when, letter, words.how, st.how));
      line(fmt::format("     {}: {}", words.why, st.why));
      std::string hold = std::string(words.hold_back) + ":";
      for (size_t i = 0; i < st.hold_back.size(); ++i) {
        line(fmt::format("     {} {}", i == 0 ? hold : std::string(hold.size(), ' '), st.hold_back[i]));
      }
    }
  } else {
    line(fmt::format("{}: {}", words.heading, words.no_plan));
  }
  if (!b.findings.empty()) {
    line("");
    line("Findings (billing errors first, then price notes):");
    for (const Finding* f : FindingsInReportOrder(b)) {
      std::string lines = LineNumbers(f->lines);
      std::string where = lines.empty() ? "" : fmt::format(" (line{} {})", f->lines.size() == 1 ? "" : "s", lines);
      line(fmt::format("  [{}] {}{}: {} at stake", IsPriceNote(*f) ? "price note" : SeverityName(f->severity), FindingKindName(f->kind),
                       where, f->amount_at_stake.Display()));
      line(fmt::format("      {}", f->explanation));
      line(fmt::format("      rule: {}", f->rule));
    }
  }

  // Reference price per line, when the audit priced it.
  std::vector<const Pricing*> price_of(b.line_items.size(), nullptr);
  for (const Pricing& p : b.pricing) {
    if (p.line < price_of.size()) price_of[p.line] = &p;
  }
  if (!b.line_items.empty()) {
    line("");
    line(fmt::format("  {:>3}  {:<10} {:<5} {:<9} {:<34} {:>5} {:>12} {:>12} {:>7}", "#", "Date", "Rev", "Code",
                     "Description", "Qty", "Charge", "Reference", "Ratio"));
    for (size_t i = 0; i < b.line_items.size(); ++i) {
      const LineItem& li = b.line_items[i];
      std::string code = Or(li.code, "");
      for (const std::string& m : li.modifiers) code += "-" + m;
      std::string ref = "-", ratio = "-";
      if (const Pricing* p = price_of[i]; p && p->reference) {
        ref = p->reference->Display();
        if (p->ratio) ratio = fmt::format("{:.2f}x", *p->ratio);
      }
      std::string qty = li.quantity == static_cast<int64_t>(li.quantity) ? std::to_string(static_cast<int64_t>(li.quantity))
                                                                        : fmt::format("{:.2f}", li.quantity);
      line(fmt::format("{} {:>3}  {:<10} {:<5} {:<9} {:<34} {:>5} {:>12} {:>12} {:>7}", Mark(li.source.confidence), i + 1,
                       Or(li.date_of_service), Or(li.revenue_code, ""), code, Clip(li.description, 34), qty,
                       Or(li.charge), ref, ratio));
    }
  }
  if (b.plan) {
    const Plan& p = *b.plan;
    line("");
    line("Numbers for the letters:");
    line(fmt::format("  Medicare reference total: {}", p.reference_total.Display()));
    if (p.lump_sum_offer) line(fmt::format("  Lump-sum offer: {} ({})", p.lump_sum_offer->amount.Display(), p.lump_sum_offer->basis));
    if (p.payment_plan) {
      line(fmt::format("  Payment plan: {} a month for {} months, {}% interest", p.payment_plan->monthly.Display(),
                       p.payment_plan->months, p.payment_plan->interest));
    }
    if (p.assistance) {
      line(fmt::format("  Financial assistance: household at {}% of the {} poverty guideline; typical band: {}",
                       p.assistance->poverty_percent, p.assistance->guideline_year, p.assistance->typical_band));
    }
    for (const Deadline& d : p.deadlines) line(fmt::format("  Deadline {}: {}", d.date.Display(), d.what));
  }
  if (auto terms = TermsUsedIn(out); !terms.empty()) {
    line("");
    line("Words used here:");
    for (const PlainTerm& t : terms) line(fmt::format("  {}: {}", t.term, t.meaning));
  }
  if (!b.diagnostics.empty()) {
    line("");
    for (const Diagnostic& d : b.diagnostics) {
      line(fmt::format("  note ({} {}{}): {}", SeverityName(d.severity), d.stage,
                       d.page ? fmt::format(", page {}", *d.page) : "", d.message));
    }
  }
  return out;
}

}  // namespace billwise
