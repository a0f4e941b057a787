#include "pipeline/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "pipeline/mustache/mustache_render.h"
#include "pipeline/report/page_templates.h"
#include "pipeline/report/plain_terms.h"
#include "pipeline/report/report_order.h"

namespace billwise {
namespace {

using Node = TemplateNode;

// Sets `key` when the value is present; an absent key is what a template's
// {{^key}}&mdash;{{/key}} tests for.
void SetIf(Node* n, const std::string& key, const std::optional<std::string>& s) {
  if (s) n->Set(key, Node::Str(*s));
}
void SetIf(Node* n, const std::string& key, const std::optional<Date>& d) {
  if (d) n->Set(key, Node::Str(d->Iso()));
}
void SetIf(Node* n, const std::string& key, const std::optional<Money>& m) {
  if (m) n->Set(key, Node::Str(m->Display()));
}

std::string Quantity(double q) {
  if (q == static_cast<double>(static_cast<int64_t>(q))) return std::to_string(static_cast<int64_t>(q));
  return fmt::format("{:.2f}", q);
}

// A row of a label/value table (the partial kv_row): `value` absent prints a dash.
template <typename Value>
void AddRow(Node* rows, std::string label, const Value& value, std::optional<std::string> note = std::nullopt) {
  Node row = Node::Object();
  row.Set("label", Node::Str(std::move(label)));
  SetIf(&row, "value", std::optional(value));
  SetIf(&row, "note", note);
  rows->items.push_back(std::move(row));
}

Node List(std::vector<std::string> items) {
  Node list = Node::List();
  for (std::string& s : items) list.items.push_back(Node::Str(std::move(s)));
  return list;
}

// How much of the document was read, and what to check by hand when not all of it.
Node ReadingData(const ReadQuality& q) {
  Node n = Node::Object();
  n.Set("status", Node::Str(ReadStatusName(q.status)));
  n.Set("items_total", Node::Str(q.items_total.Display()));
  SetIf(&n, "printed_total", q.printed_total);
  if (q.unread_rows > 0) {
    n.Set("unread_rows", Node::Str(fmt::format("{} unread row{}", q.unread_rows, q.unread_rows == 1 ? "" : "s")));
  }
  n.Set("complete", Node::Bool(q.status == ReadStatus::kComplete));
  n.Set("has_check_notes", Node::Bool(!q.notes.empty()));
  n.Set("check_notes", List(q.notes));
  return n;
}

// The plan's steps: what, when (days left), which letter, how, why and what to hold back.
Node StepsData(const Bill& b) {
  Node steps = Node::List();
  if (!b.plan) return steps;
  const std::string& lang = b.plan->language;
  for (const NextStep& st : b.plan->next_steps) {
    Node n = Node::Object();
    n.Set("what", Node::Str(st.what));
    if (st.by) {
      n.Set("by", Node::Str(StepDateText(*st.by, lang)));
      if (st.days_left) n.Set("days_left", Node::Str(DaysLeftText(*st.days_left, lang)));
    }
    SetIf(&n, "letter", st.letter);
    n.Set("how", Node::Str(st.how));
    n.Set("why", Node::Str(st.why));
    n.Set("has_hold_back", Node::Bool(!st.hold_back.empty()));
    n.Set("hold_back", List(st.hold_back));
    steps.items.push_back(std::move(n));
  }
  return steps;
}

Node FindingsData(const Bill& b) {
  Node findings = Node::List();
  for (const Finding* f : FindingsInReportOrder(b)) {
    Node n = Node::Object();
    n.Set("severity", Node::Str(SeverityName(f->severity)));
    n.Set("label", Node::Str(IsPriceNote(*f) ? "price note" : SeverityName(f->severity)));
    n.Set("kind", Node::Str(FindingKindName(f->kind)));
    if (std::string lines = LineNumbers(f->lines); !lines.empty()) {
      n.Set("line_numbers", Node::Str((f->lines.size() == 1 ? "line " : "lines ") + lines));
    }
    n.Set("at_stake", Node::Str(f->amount_at_stake.Display()));
    n.Set("explanation", Node::Str(f->explanation));
    n.Set("rule", Node::Str(f->rule));
    findings.items.push_back(std::move(n));
  }
  return findings;
}

Node BillRows(const Bill& b) {
  Node rows = Node::List();
  AddRow(&rows, "Patient", b.patient.name);
  AddRow(&rows, "Account", b.account_number);
  if (b.claim_number) AddRow(&rows, "Claim number", b.claim_number);
  if (b.member_id) AddRow(&rows, "Member ID", b.member_id);
  AddRow(&rows, "Statement date", b.statement_date);
  AddRow(&rows, "Due date", b.due_date);
  AddRow(&rows, "Total charges", b.totals.charges);
  AddRow(&rows, "Insurance paid", b.totals.insurance_paid);
  AddRow(&rows, "Adjustments", b.totals.adjustments);
  AddRow(&rows, "Patient paid", b.totals.patient_paid);
  if (b.collector) {
    AddRow(&rows, "Collector", b.collector->name);
    AddRow(&rows, "Creditor", b.collector->creditor);
    if (b.collector->original_creditor) AddRow(&rows, "Original creditor", b.collector->original_creditor);
    if (b.collector->reference) AddRow(&rows, "Collector's reference", b.collector->reference);
    AddRow(&rows, "Validation period ends", b.collector->validation_end_date);
  }
  return rows;
}

// The line items table; the priced lines with a charge also become `bars`.
Node ItemsData(const Bill& b, std::vector<ChartBar>* bars) {
  std::vector<const Pricing*> price_of(b.line_items.size(), nullptr);
  for (const Pricing& p : b.pricing) {
    if (p.line < price_of.size()) price_of[p.line] = &p;
  }
  Node items = Node::List();
  for (size_t i = 0; i < b.line_items.size(); ++i) {
    const LineItem& li = b.line_items[i];
    std::string code = li.code ? *li.code : (li.revenue_code ? *li.revenue_code : "");
    for (const std::string& m : li.modifiers) code += "-" + m;
    Node n = Node::Object();
    n.Set("number", Node::Str(std::to_string(i + 1)));
    SetIf(&n, "date", li.date_of_service);
    n.Set("code", Node::Str(code));
    n.Set("description", Node::Str(li.description));
    n.Set("quantity", Node::Str(Quantity(li.quantity)));
    SetIf(&n, "charge", li.charge);
    if (const Pricing* p = price_of[i]; p && p->reference) {
      n.Set("reference", Node::Str(p->reference->Display()));
      if (p->ratio) {
        n.Set("ratio", Node::Str(fmt::format("{:.2f}", *p->ratio)));
        n.Set("high", Node::Bool(*p->ratio >= 3.0));
      }
      n.Set("basis", Node::Str(p->basis));
      if (li.charge) {
        bars->push_back({code.empty() ? "line " + std::to_string(i + 1) : code + " " + li.description, *li.charge,
                         *p->reference});
      }
    }
    items.items.push_back(std::move(n));
  }
  return items;
}

Node PlanRows(const Plan& p) {
  Node rows = Node::List();
  AddRow(&rows, "Reference total", p.reference_total.Display());
  if (p.lump_sum_offer) AddRow(&rows, "Lump-sum offer", p.lump_sum_offer->amount.Display(), p.lump_sum_offer->basis);
  if (p.payment_plan) {
    AddRow(&rows, "Payment plan", fmt::format("{} a month for {} months, {}% interest", p.payment_plan->monthly.Display(),
                                              p.payment_plan->months, p.payment_plan->interest));
  }
  if (p.assistance) {
    AddRow(&rows, "Financial assistance", fmt::format("{}% of the {} poverty guideline: {}", p.assistance->poverty_percent,
                                                      p.assistance->guideline_year, p.assistance->typical_band));
  }
  for (const Deadline& d : p.deadlines) AddRow(&rows, d.what, d.date.Display());
  return rows;
}

Node NotesData(const Bill& b) {
  Node notes = Node::List();
  for (const Diagnostic& d : b.diagnostics) {
    Node n = Node::Object();
    n.Set("severity", Node::Str(SeverityName(d.severity)));
    n.Set("stage", Node::Str(d.stage));
    if (d.page) n.Set("page", Node::Str(std::to_string(*d.page)));
    n.Set("message", Node::Str(d.message));
    notes.items.push_back(std::move(n));
  }
  return notes;
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

TemplateNode BilledVsReferenceChart(const std::vector<ChartBar>& bars) {
  int64_t max_cents = 1;
  for (const ChartBar& b : bars) max_cents = std::max({max_cents, b.billed.cents, b.reference.cents});
  constexpr int kLabelWidth = 220, kBarWidth = 480, kValueWidth = 110, kRow = 34, kBar = 12;
  auto num = [](int64_t v) { return Node::Str(std::to_string(v)); };
  auto len = [&](Money m) {
    return m.cents <= 0 ? 0 : std::max<int>(1, static_cast<int>(static_cast<double>(m.cents) * kBarWidth / max_cents));
  };
  Node chart = Node::Object();
  chart.Set("width", num(kLabelWidth + kBarWidth + kValueWidth));
  chart.Set("height", num(static_cast<int64_t>(bars.size()) * kRow + 8));
  chart.Set("bar_x", num(kLabelWidth));
  chart.Set("bar_height", num(kBar));
  chart.Set("value_x", num(kLabelWidth + kBarWidth + 6));
  Node& rows = chart.Set("bars", Node::List());
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    const int y = static_cast<int>(i) * kRow + 4;
    Node n = Node::Object();
    n.Set("label", Node::Str(b.label.size() > 34 ? b.label.substr(0, 33) + "~" : b.label));
    n.Set("label_y", num(y + 17));
    n.Set("billed", Node::Str(b.billed.Display()));
    n.Set("billed_y", num(y));
    n.Set("billed_width", num(len(b.billed)));
    n.Set("billed_text_y", num(y + 10));
    n.Set("reference", Node::Str(b.reference.Display()));
    n.Set("reference_y", num(y + kBar + 2));
    n.Set("reference_width", num(len(b.reference)));
    n.Set("reference_text_y", num(y + kBar + 12));
    rows.items.push_back(std::move(n));
  }
  return chart;
}

std::string RenderHtmlPage(std::string_view name, const TemplateNode& data) {
  const auto& pages = PageTemplates();
  auto page = pages.find(std::string(name));
  if (page == pages.end()) return "billwise: no page template " + std::string(name) + "\n";
  // A partial's own final newline is dropped: the line of its {{> name}} tag ends it.
  auto partial = [&pages](const char* file) {
    std::string_view text = pages.at(file);
    return text.ends_with('\n') ? text.substr(0, text.size() - 1) : text;
  };
  std::map<std::string, std::string_view> partials = {{"style_css", partial("style.css")},
                                                      {"kv_row", partial("kv_row.html.mustache")},
                                                      {"chart_svg", partial("chart.svg.mustache")}};
  auto html = RenderHtmlTemplate(page->second, data, partials, name);
  return html ? *html : "billwise: " + html.error().message + "\n";
}

std::string HtmlReport(const Bill& b, const HtmlReportOptions& options) {
  Node page = Node::Object();
  page.Set("title", Node::Str(b.provider.name ? *b.provider.name : std::string("Medical bill")));
  page.Set("document_type", Node::Str(DocumentTypeName(b.document_type)));
  page.Set("source_path", Node::Str(b.source.path));
  page.Set("page_count", Node::Str(fmt::format("{} page{}", b.source.pages, b.source.pages == 1 ? "" : "s")));
  page.Set("text_origin", Node::Str(TextOriginName(b.source.text_origin)));
  if (b.read_quality) page.Set("reading", ReadingData(*b.read_quality));
  SetIf(&page, "amount_due", b.amount_due);
  Node& steps = page.Set("steps", StepsData(b));
  {
    // The words around the steps, in the plan's language.
    const std::string lang = b.plan ? b.plan->language : "en";
    const StepLabels& words = StepLabelsFor(lang);
    Node w = Node::Object();
    w.Set("heading", Node::Str(words.heading));
    w.Set("no_plan", Node::Str(lang == "es" ? "Agregue sus datos (un perfil) para un plan paso a paso con fechas."
                                            : "Add your details (a profile) for a step-by-step plan with dates."));
    w.Set("by", Node::Str(words.by));
    w.Set("letter", Node::Str(words.letter));
    w.Set("how", Node::Str(words.how));
    w.Set("hold_back", Node::Str(words.hold_back));
    page.Set("step_words", std::move(w));
  }
  page.Set("has_steps", Node::Bool(!steps.items.empty()));
  page.Set("findings", FindingsData(b));
  page.Set("bill_rows", BillRows(b));
  std::vector<ChartBar> bars;
  page.Set("has_items", Node::Bool(!b.line_items.empty()));
  page.Set("items", ItemsData(b, &bars));
  if (!bars.empty()) page.Set("bar_chart", BilledVsReferenceChart(bars));
  page.Set("has_plan", Node::Bool(b.plan.has_value()));
  if (b.plan) page.Set("plan_rows", PlanRows(*b.plan));
  Node& letters = page.Set("letters", Node::List());
  for (const std::string& f : options.letter_files) {
    Node n = Node::Object();
    n.Set("href", Node::Str(RelativeHref(f)));
    n.Set("name", Node::Str(f));
    letters.items.push_back(std::move(n));
  }
  page.Set("has_letters", Node::Bool(!options.letter_files.empty()));
  page.Set("sha256", Node::Str(b.source.sha256));

  // "Words used here" explains the terms the page uses above it: render once without the
  // terms and notes, then with them.
  std::string draft = RenderHtmlPage("report.html.mustache", page);
  size_t body = draft.find("<body>");
  std::vector<PlainTerm> terms = TermsUsedIn(std::string_view(draft).substr(body == std::string::npos ? 0 : body));
  Node& term_list = page.Set("terms", Node::List());
  for (const PlainTerm& t : terms) {
    Node n = Node::Object();
    n.Set("term", Node::Str(t.term));
    n.Set("meaning", Node::Str(t.meaning));
    term_list.items.push_back(std::move(n));
  }
  page.Set("has_terms", Node::Bool(!terms.empty()));
  page.Set("notes", NotesData(b));
  page.Set("has_notes", Node::Bool(!b.diagnostics.empty()));
  return RenderHtmlPage("report.html.mustache", page);
}

}  // namespace billwise
