#include "pipeline/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "pipeline/report/plain_terms.h"
#include "pipeline/report/report_order.h"

namespace billwise {
namespace {

std::string Esc(const std::optional<std::string>& s) { return s ? HtmlEscape(*s) : "&mdash;"; }
std::string Esc(const std::optional<Date>& d) { return d ? d->Iso() : "&mdash;"; }
std::string Esc(const std::optional<Money>& m) { return m ? HtmlEscape(m->Display()) : "&mdash;"; }

std::string Quantity(double q) {
  if (q == static_cast<double>(static_cast<int64_t>(q))) return std::to_string(static_cast<int64_t>(q));
  return fmt::format("{:.2f}", q);
}

void Row(std::string* out, std::string_view label, const std::string& value) {
  *out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", label, value);
}

// The plan's steps as a numbered list: what, when (days left), which letter, how, why and
// what to hold back.
std::string NextStepsHtml(const Bill& b) {
  const std::string lang = b.plan ? b.plan->language : "en";
  const StepLabels& words = StepLabelsFor(lang);
  std::string out = fmt::format("<h2 id=\"next-steps\">{}</h2>\n", words.heading);
  if (!b.plan || b.plan->next_steps.empty()) {
    return out + (lang == "es" ? "<p class=\"muted\">Agregue sus datos (un perfil) para un plan paso a paso con fechas.</p>\n"
                               : "<p class=\"muted\">Add your details (a profile) for a step-by-step plan with dates.</p>\n");
  }
  out += "<ol class=\"steps\">\n";
  for (const NextStep& st : b.plan->next_steps) {
    out += fmt::format("<li><p><strong>{}</strong></p>\n<p>", HtmlEscape(st.what));
    if (st.by) {
      out += fmt::format("{} <strong>{}</strong>{}. ", words.by, HtmlEscape(StepDateText(*st.by, lang)),
                         st.days_left ? " (" + DaysLeftText(*st.days_left, lang) + ")" : "");
    }
    if (st.letter) out += fmt::format("{}: <code>{}</code>. ", words.letter, HtmlEscape(*st.letter));
    out += fmt::format("{}: {}.</p>\n<p class=\"muted\">{}</p>\n", words.how, HtmlEscape(st.how), HtmlEscape(st.why));
    if (!st.hold_back.empty()) {
      out += fmt::format("<p class=\"hold\">{}:</p>\n<ul class=\"hold\">\n", words.hold_back);
      for (const std::string& h : st.hold_back) out += "<li>" + HtmlEscape(h) + "</li>\n";
      out += "</ul>\n";
    }
    out += "</li>\n";
  }
  return out + "</ol>\n";
}

}  // namespace

std::string RelativeHref(std::string_view relative_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "./";
  for (char ch : relative_path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* HtmlReportCss() {
  return R"css(
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #d8dde6; --accent: #1f5fbf;
  --bad: #b3261e; --warn: #8a5a00; --ref: #2e7d32; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
  max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
.muted { color: var(--muted); } .big { font-size: 1.6rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .5rem;
  border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv th { width: 14rem; font-weight: 500; color: var(--muted); }
.sev-error { color: var(--bad); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--muted); } .high { color: var(--bad); font-weight: 600; }
.finding { border-left: 4px solid var(--line); padding: .25rem .75rem; margin: .75rem 0; }
.finding.error { border-color: var(--bad); } .finding.warning { border-color: var(--warn); }
.reading { border: 1px solid var(--line); padding: .5rem .75rem; margin: .75rem 0; }
.reading.partial, .reading.unreadable { border-color: var(--warn); background: #fff8e6; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
.legend span { display: inline-block; margin-right: 1rem; }
ol.steps > li { margin: .6rem 0; } ol.steps p { margin: .15rem 0; } p.hold { font-weight: 600; color: var(--warn); }
dl.terms dt { font-weight: 600; } dl.terms dd { margin: 0 0 .5rem 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
.swatch.billed { background: #c0504d; } .swatch.reference { background: #2e7d32; }
)css";
}

std::string BilledVsReferenceSvg(const std::vector<ChartBar>& bars) {
  if (bars.empty()) return "";
  int64_t max_cents = 1;
  for (const ChartBar& b : bars) max_cents = std::max({max_cents, b.billed.cents, b.reference.cents});
  constexpr int kLabelWidth = 220, kBarWidth = 480, kValueWidth = 110, kRow = 34, kBar = 12;
  int width = kLabelWidth + kBarWidth + kValueWidth;
  int height = static_cast<int>(bars.size()) * kRow + 8;
  std::string svg = fmt::format(
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"Billed against reference amounts\">\n",
      width, height);
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    int y = static_cast<int>(i) * kRow + 4;
    auto len = [&](Money m) {
      return m.cents <= 0 ? 0 : std::max<int>(1, static_cast<int>(static_cast<double>(m.cents) * kBarWidth / max_cents));
    };
    std::string label = b.label.size() > 34 ? b.label.substr(0, 33) + "~" : b.label;
    svg += fmt::format("<text x=\"0\" y=\"{}\">{}</text>\n", y + 17, HtmlEscape(label));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#c0504d\"><title>billed {}</title></rect>\n",
                       kLabelWidth, y, len(b.billed), kBar, HtmlEscape(b.billed.Display()));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#2e7d32\"><title>reference {}</title></rect>\n",
                       kLabelWidth, y + kBar + 2, len(b.reference), kBar, HtmlEscape(b.reference.Display()));
    svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kLabelWidth + kBarWidth + 6, y + 10,
                       HtmlEscape(b.billed.Display()));
    svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kLabelWidth + kBarWidth + 6, y + kBar + 12,
                       HtmlEscape(b.reference.Display()));
  }
  svg += "</svg>\n";
  return svg;
}

namespace {

// How much of the document was read, and what to check by hand when not all of it.
std::string ReadingBox(const ReadQuality& q) {
  const char* status = ReadStatusName(q.status);
  std::string out = fmt::format("<div class=\"reading {0}\" id=\"read-quality\"><p><strong>Reading: {0}</strong> &middot; items {1}",
                                status, HtmlEscape(q.items_total.Display()));
  if (q.printed_total) out += " of printed total " + HtmlEscape(q.printed_total->Display());
  if (q.unread_rows > 0) out += fmt::format(" &middot; {} unread row{}", q.unread_rows, q.unread_rows == 1 ? "" : "s");
  out += "</p>\n";
  if (!q.notes.empty()) {
    out += q.status == ReadStatus::kComplete ? "<ul>\n" : "<p>Check by hand:</p>\n<ul>\n";
    for (const std::string& note : q.notes) out += "<li>" + HtmlEscape(note) + "</li>\n";
    out += "</ul>\n";
  }
  return out + "</div>\n";
}

}  // namespace

std::string HtmlReport(const Bill& b, const HtmlReportOptions& options) {
  std::string title = b.provider.name ? *b.provider.name : std::string("Medical bill");
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>billwise report: {}</title>\n<style>{}</style>\n</head>\n<body>\n", HtmlEscape(title),
                     HtmlReportCss());
  out += fmt::format("<h1>{}</h1>\n<p class=\"muted\">{} &middot; {} &middot; {} page{} ({})</p>\n", HtmlEscape(title),
                     DocumentTypeName(b.document_type), HtmlEscape(b.source.path), b.source.pages,
                     b.source.pages == 1 ? "" : "s", HtmlEscape(b.source.text_origin));
  if (b.read_quality) out += ReadingBox(*b.read_quality);
  out += fmt::format("<p>Amount due <span class=\"big\" id=\"amount-due\">{}</span></p>\n", Esc(b.amount_due));

  out += NextStepsHtml(b);
  out += "<h2>Findings</h2>\n";
  if (b.findings.empty()) out += "<p class=\"muted\">No problems found.</p>\n";
  for (const Finding* f : FindingsInReportOrder(b)) {
    std::string lines = LineNumbers(f->lines);
    std::string label = IsPriceNote(*f) ? "price note" : SeverityName(f->severity);
    out += fmt::format("<div class=\"finding {0}\"><p><span class=\"sev-{0}\">{1}</span> <strong>{2}</strong>"
                       "{3} &middot; {4} at stake</p>\n<p>{5}</p>\n<p class=\"muted\">{6}</p></div>\n",
                       SeverityName(f->severity), label, HtmlEscape(f->kind),
                       lines.empty() ? "" : (f->lines.size() == 1 ? " &middot; line " : " &middot; lines ") + lines,
                       HtmlEscape(f->amount_at_stake.Display()), HtmlEscape(f->explanation), HtmlEscape(f->rule));
  }

  out += "<h2>Bill</h2>\n<table class=\"kv\">\n";
  Row(&out, "Patient", Esc(b.patient.name));
  Row(&out, "Account", Esc(b.account_number));
  if (b.claim_number) Row(&out, "Claim number", Esc(b.claim_number));
  if (b.member_id) Row(&out, "Member ID", Esc(b.member_id));
  Row(&out, "Statement date", Esc(b.statement_date));
  Row(&out, "Due date", Esc(b.due_date));
  Row(&out, "Total charges", Esc(b.totals.charges));
  Row(&out, "Insurance paid", Esc(b.totals.insurance_paid));
  Row(&out, "Adjustments", Esc(b.totals.adjustments));
  Row(&out, "Patient paid", Esc(b.totals.patient_paid));
  if (b.collector) {
    Row(&out, "Collector", Esc(b.collector->name));
    Row(&out, "Creditor", Esc(b.collector->creditor));
    if (b.collector->original_creditor) Row(&out, "Original creditor", Esc(b.collector->original_creditor));
    if (b.collector->reference) Row(&out, "Collector's reference", Esc(b.collector->reference));
    Row(&out, "Validation period ends", Esc(b.collector->validation_end_date));
  }
  out += "</table>\n";

  std::vector<const Pricing*> price_of(b.line_items.size(), nullptr);
  for (const Pricing& p : b.pricing) {
    if (p.line < price_of.size()) price_of[p.line] = &p;
  }
  std::vector<ChartBar> bars;
  if (!b.line_items.empty()) {
    out += "<h2>Line items</h2>\n<table class=\"items\">\n<thead><tr><th class=\"num\">#</th><th>Date</th><th>Code</th>"
           "<th>Description</th><th class=\"num\">Qty</th><th class=\"num\">Charge</th><th class=\"num\">Reference</th>"
           "<th class=\"num\">Ratio</th><th>Basis</th></tr></thead>\n<tbody>\n";
    for (size_t i = 0; i < b.line_items.size(); ++i) {
      const LineItem& li = b.line_items[i];
      std::string code = li.code ? *li.code : (li.revenue_code ? *li.revenue_code : "");
      for (const std::string& m : li.modifiers) code += "-" + m;
      std::string ref = "&mdash;", ratio = "&mdash;", basis;
      if (const Pricing* p = price_of[i]; p && p->reference) {
        ref = HtmlEscape(p->reference->Display());
        if (p->ratio) {
          ratio = fmt::format("<span{}>{:.2f}&times;</span>", *p->ratio >= 3.0 ? " class=\"high\"" : "", *p->ratio);
        }
        basis = HtmlEscape(p->basis);
        if (li.charge) bars.push_back({code.empty() ? "line " + std::to_string(i + 1) : code + " " + li.description,
                                       *li.charge, *p->reference});
      }
      out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
                         "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                         i + 1, Esc(li.date_of_service), HtmlEscape(code), HtmlEscape(li.description), Quantity(li.quantity),
                         Esc(li.charge), ref, ratio, basis);
    }
    out += "</tbody>\n</table>\n";
  }
  if (!bars.empty()) {
    out += "<h2>Charge against reference price</h2>\n<p class=\"legend\"><span><i class=\"swatch billed\"></i>billed"
           "</span><span><i class=\"swatch reference\"></i>reference</span></p>\n";
    out += BilledVsReferenceSvg(bars);
  }

  if (b.plan) {
    const Plan& p = *b.plan;
    out += "<h2>Numbers for the letters</h2>\n<table class=\"kv\">\n";
    Row(&out, "Reference total", HtmlEscape(p.reference_total.Display()));
    if (p.lump_sum_offer) {
      Row(&out, "Lump-sum offer",
          HtmlEscape(p.lump_sum_offer->amount.Display()) + " <span class=\"muted\">(" +
              HtmlEscape(p.lump_sum_offer->basis) + ")</span>");
    }
    if (p.payment_plan) {
      Row(&out, "Payment plan", fmt::format("{} a month for {} months, {}% interest",
                                            HtmlEscape(p.payment_plan->monthly.Display()), p.payment_plan->months,
                                            p.payment_plan->interest));
    }
    if (p.assistance) {
      Row(&out, "Financial assistance", fmt::format("{}% of the {} poverty guideline: {}", p.assistance->poverty_percent,
                                                    p.assistance->guideline_year, HtmlEscape(p.assistance->typical_band)));
    }
    for (const Deadline& d : p.deadlines) Row(&out, HtmlEscape(d.what), d.date.Display());
    out += "</table>\n";
  }

  if (!options.letter_files.empty()) {
    out += "<h2>Letters</h2>\n<ul>\n";
    for (const std::string& f : options.letter_files) {
      out += fmt::format("<li><a href=\"{}\">{}</a></li>\n", RelativeHref(f), HtmlEscape(f));
    }
    out += "</ul>\n";
  }
  if (auto terms = TermsUsedIn(std::string_view(out).substr(out.find("<body>"))); !terms.empty()) {
    out += "<h2>Words used here</h2>\n<dl class=\"terms\">\n";
    for (const PlainTerm& t : terms) out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", HtmlEscape(t.term), HtmlEscape(t.meaning));
    out += "</dl>\n";
  }
  if (!b.diagnostics.empty()) {
    out += "<h2>Notes</h2>\n<ul class=\"muted\">\n";
    for (const Diagnostic& d : b.diagnostics) {
      out += fmt::format("<li>{} ({}{}): {}</li>\n", SeverityName(d.severity), HtmlEscape(d.stage),
                         d.page ? fmt::format(", page {}", *d.page) : "", HtmlEscape(d.message));
    }
    out += "</ul>\n";
  }
  out += fmt::format("<p class=\"muted\">sha256 {}</p>\n</body>\n</html>\n", HtmlEscape(b.source.sha256));
  return out;
}

}  // namespace billwise
