// The reports a patient reads: the next steps at the top (numbered, dated, with days left,
// the letter, how to send it and what to hold back), findings after them with billing
// errors before price notes, line numbers counted from 1, every term explained in plain
// words, next_steps through the JSON contract, and the phone script.
#include <gtest/gtest.h>

#include "pipeline/report/bill_json.h"
#include "pipeline/report/html_report.h"
#include "pipeline/report/phone_script.h"
#include "pipeline/report/plain_terms.h"
#include "pipeline/report/report_order.h"
#include "pipeline/report/text_report.h"

namespace billwise {
namespace {

Date D(const char* iso) { return *Date::FromIso(iso); }

Bill PlannedBill() {
  Bill b;
  b.source.path = "er.pdf";
  b.document_type = DocumentType::kItemizedStatement;
  b.provider.name = "Springfield Memorial Hospital";
  b.provider.phone = "(217) 555-0100";
  b.account_number = "00-4417-2209";
  b.statement_date = D("2026-11-02");
  b.amount_due = Money::FromCents(547592);
  for (int i = 0; i < 21; ++i) {
    LineItem li;
    li.code = i == 20 ? "80048" : "99284";
    li.description = "line " + std::to_string(i + 1);
    li.charge = Money::FromCents(14850);
    b.line_items.push_back(li);
  }
  Finding price;
  price.kind = FindingKind::kPrice;
  price.severity = Severity::kWarning;
  price.lines = {0};
  price.amount_at_stake = Money::FromCents(100000);
  price.explanation = "Line 1 is 5.75x the Medicare reference.";
  price.rule = "Medicare OPPS 2025";
  Finding dup;
  dup.kind = FindingKind::kDuplicate;
  dup.severity = Severity::kError;
  dup.lines = {19, 20};
  dup.amount_at_stake = Money::FromCents(14850);
  dup.explanation = "Charged twice.";
  dup.rule = "NCCI PTP 2024Q3 column1 80053 / column2 80048; MUE 1 unit; the test is packaged";
  b.findings = {price, dup};  // the audit's order: the price note first
  Plan plan;
  NextStep s1;
  s1.step = 1;
  s1.what = "Dispute the 1 billing error listed below";
  s1.letter = "dispute";
  s1.by = D("2026-12-19");
  s1.days_left = 12;
  s1.how = "certified mail, return receipt requested";
  s1.why = "Billing errors should be removed, not negotiated.";
  s1.hold_back = {"Do not pay the disputed amount until the provider answers in writing."};
  NextStep s2;
  s2.step = 2;
  s2.what = "Apply for financial assistance";
  s2.letter = "assistance";
  s2.how = "certified mail, return receipt requested";
  s2.why = "Assistance can lower the bill.";
  plan.next_steps = {s1, s2};
  b.plan = plan;
  return b;
}

size_t At(const std::string& text, const std::string& needle) {
  size_t p = text.find(needle);
  EXPECT_NE(p, std::string::npos) << "missing: " << needle;
  return p;
}

TEST(ReportTest, TextReportStartsWithTheStepsThenErrorsThenPriceNotes) {
  std::string t = TextReport(PlannedBill());
  size_t steps = At(t, "What to do next:");
  size_t first = At(t, "  1. Dispute the 1 billing error");
  size_t by = At(t, "By December 19, 2026 (12 days left). Letter: billwise letters FILE --kind dispute. "
                    "How: certified mail, return receipt requested.");
  At(t, "Hold back: Do not pay the disputed amount");
  size_t second = At(t, "  2. Apply for financial assistance");
  size_t findings = At(t, "Findings");
  size_t error = At(t, "[error] duplicate (lines 20, 21)");
  size_t price = At(t, "[price note] price (line 1)");
  size_t items = At(t, "Description");
  EXPECT_LT(steps, first);
  EXPECT_LT(first, by);
  EXPECT_LT(by, second);
  EXPECT_LT(second, findings);
  EXPECT_LT(findings, error);
  EXPECT_LT(error, price);
  EXPECT_LT(price, items);
  // Line items are numbered from 1, as the findings and letters count them.
  EXPECT_NE(t.find("\n    1  -"), std::string::npos) << t;
  EXPECT_NE(t.find("\n   21  -"), std::string::npos) << t;
  EXPECT_EQ(t.find("\n    0  -"), std::string::npos) << t;
}

TEST(ReportTest, EveryTermIsExplainedInPlainWords) {
  std::string t = TextReport(PlannedBill());
  size_t words = At(t, "Words used here:");
  for (const char* term : {"  Medicare reference: What Medicare pays", "  NCCI: National Correct Coding Initiative",
                           "  MUE: Medically Unlikely Edit", "  Packaged (bundled): ", "  Certified mail: ",
                           "  Financial assistance: Free or discounted care"}) {
    EXPECT_GT(At(t, term), words);
  }
  // Section 501(r) is explained only where the report cites it (a nonprofit hospital's
  // deadline), never for financial assistance in general.
  EXPECT_EQ(t.find("  501(r): "), std::string::npos) << t;
  ASSERT_EQ(TermsUsedIn("apply for financial assistance").size(), 1u);
  EXPECT_STREQ(TermsUsedIn("apply for financial assistance")[0].term, "Financial assistance");
  ASSERT_EQ(TermsUsedIn("application (501(r)): 240 days").size(), 1u);
  EXPECT_STREQ(TermsUsedIn("application (501(r)): 240 days")[0].term, "501(r)");
  std::string html = HtmlReport(PlannedBill());
  EXPECT_NE(html.find("<dt>NCCI</dt><dd>National Correct Coding Initiative"), std::string::npos);
  EXPECT_NE(html.find("<dt>Packaged (bundled)</dt>"), std::string::npos);
  // Only terms the report uses: no EOB on a hospital statement.
  EXPECT_EQ(t.find("  EOB: "), std::string::npos);
  // Key words count at the start of a word only.
  EXPECT_TRUE(TermsUsedIn("administration").empty());
  EXPECT_EQ(TermsUsedIn("the ratio is 3.00").size(), 1u);
}

TEST(ReportTest, HtmlReportPutsTheStepsBeforeTheFindingsAndCountsLinesFrom1) {
  std::string h = HtmlReport(PlannedBill());
  size_t steps = At(h, "<h2 id=\"next-steps\">What to do next</h2>");
  size_t ol = At(h, "<ol class=\"steps\">");
  At(h, "By <strong>December 19, 2026</strong> (12 days left). Letter: <code>dispute</code>. How: certified mail");
  size_t findings = At(h, "<h2>Findings</h2>");
  size_t error = At(h, "<strong>duplicate</strong> &middot; lines 20, 21");
  size_t price = At(h, "<span class=\"sev-warning\">price note</span> <strong>price</strong> &middot; line 1 ");
  size_t bill = At(h, "<h2>Bill</h2>");
  EXPECT_LT(steps, ol);
  EXPECT_LT(ol, findings);
  EXPECT_LT(findings, error);
  EXPECT_LT(error, price);
  EXPECT_LT(price, bill);
  EXPECT_NE(h.find("<tr><td class=\"num\">21</td>"), std::string::npos);
  EXPECT_EQ(h.find("<tr><td class=\"num\">0</td>"), std::string::npos);
}

TEST(ReportTest, HtmlReportEscapesEveryValueFromTheBill) {
  Bill b = PlannedBill();
  b.provider.name = "<script>alert(1)</script> & \"Sons\" {{title}}";
  b.line_items[0].description = "<img src=x onerror=alert(1)>";
  b.diagnostics.push_back({Severity::kWarning, "read", "a <b>bold</b> note", 2});
  std::string h = HtmlReport(b, {.letter_files = {"letter-dispute.pdf"}});
  EXPECT_EQ(h.find("<script>"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_EQ(h.find("<b>"), std::string::npos);
  At(h, "<title>billwise report: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot; {{title}}</title>");
  At(h, "<td>&lt;img src=x onerror=alert(1)&gt;</td>");
  At(h, "<li>warning (read, page 2): a &lt;b&gt;bold&lt;/b&gt; note</li>");
  At(h, "<li><a href=\"./letter-dispute.pdf\">letter-dispute.pdf</a></li>");
  // The page is whole: no template error in place of it, no empty line left by a skipped section.
  EXPECT_TRUE(h.starts_with("<!DOCTYPE html>\n")) << h.substr(0, 200);
  EXPECT_TRUE(h.ends_with("</body>\n</html>\n"));
  EXPECT_EQ(h.find("\n\n"), std::string::npos);
}

TEST(ReportTest, WithoutAPlanTheReportSaysHowToGetOne) {
  Bill b = PlannedBill();
  b.plan.reset();
  EXPECT_NE(TextReport(b).find("What to do next: add your details (--profile FILE)"), std::string::npos);
}

TEST(ReportTest, TextOriginKeepsItsContractNamesInJson) {
  for (auto [origin, name] : {std::pair{TextOrigin::kTextLayer, "text_layer"}, {TextOrigin::kOcr, "ocr"},
                              {TextOrigin::kMixed, "mixed"}, {TextOrigin::kPlainText, "plain_text"}}) {
    Bill b = PlannedBill();
    b.source.text_origin = origin;
    std::string json = BillToJson(b);
    EXPECT_NE(json.find(std::string("\"text_origin\": \"") + name + "\""), std::string::npos) << name;
    auto back = BillFromJson(json);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->source.text_origin, origin) << name;
  }
  EXPECT_FALSE(ParseTextOrigin("scanned").has_value());
}

TEST(ReportTest, NextStepsRoundTripThroughTheJsonContract) {
  Bill b = PlannedBill();
  std::string json = BillToJson(b);
  EXPECT_NE(json.find("\"next_steps\""), std::string::npos);
  EXPECT_NE(json.find("\"days_left\": 12"), std::string::npos);
  EXPECT_NE(json.find("\"lines\": [\n        19,\n        20\n      ]"), std::string::npos) << "JSON stays 0-based";
  auto back = BillFromJson(json);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(back->plan);
  ASSERT_EQ(back->plan->next_steps.size(), 2u);
  const NextStep& s = back->plan->next_steps[0];
  EXPECT_EQ(s.step, 1);
  EXPECT_EQ(s.letter, "dispute");
  EXPECT_EQ(s.by, D("2026-12-19"));
  EXPECT_EQ(s.days_left, 12);
  EXPECT_EQ(s.hold_back, b.plan->next_steps[0].hold_back);
  EXPECT_FALSE(back->plan->next_steps[1].by);
  EXPECT_EQ(BillToJson(*back), json);
}

TEST(ReportTest, FindingOrderAndLineNumbers) {
  Bill b = PlannedBill();
  Finding info;
  info.kind = FindingKind::kSummaryBill;
  info.severity = Severity::kInfo;
  Finding warn;
  warn.kind = FindingKind::kUnits;
  warn.severity = Severity::kWarning;
  b.findings.insert(b.findings.begin(), info);
  b.findings.push_back(warn);
  auto order = FindingsInReportOrder(b);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_STREQ(FindingKindName(order[0]->kind), "duplicate");
  EXPECT_STREQ(FindingKindName(order[1]->kind), "units");
  EXPECT_STREQ(FindingKindName(order[2]->kind), "price");
  EXPECT_STREQ(FindingKindName(order[3]->kind), "summary_bill");
  EXPECT_EQ(LineNumbers({0, 19}), "1, 20");
  EXPECT_EQ(DaysLeftText(1), "1 day left");
  EXPECT_EQ(DaysLeftText(0), "today");
  EXPECT_EQ(DaysLeftText(-3), "passed 3 days ago");
}

TEST(PhoneScriptTest, AsksForEverythingAndListsWhatToWriteDown) {
  PhoneScriptOptions o;
  o.caller_name = "Jordan Rivera";
  o.case_id = 4;
  std::string s = PhoneScript(PlannedBill(), o);
  for (const char* part : {"Springfield Memorial Hospital at (217) 555-0100", "my name is Jordan Rivera",
                           "account 00-4417-2209, the statement dated November 2, 2026 for $5,475.92",
                           "I want to resolve this with you", "itemized bill", "financial-assistance",
                           "application", "self-pay patients, or for paying promptly", "0 % interest",
                           "put the account on hold", "not sent to collections", "reference number",
                           "Write down during the call", "the name (and ID) of the person",
                           "whether the account is on hold", "billwise call 4 --date", "Do not, on this call"}) {
    EXPECT_NE(s.find(part), std::string::npos) << "missing: " << part << "\n" << s;
  }
  EXPECT_EQ(s.find("EOB"), std::string::npos);  // not insured: no insurance questions
}

TEST(PhoneScriptTest, ACollectionNoticeIsCalledInAtTheOriginalCreditorNotTheCollector) {
  Bill b;
  b.document_type = DocumentType::kCollectionNotice;
  b.collector = Collector{};
  b.collector->name = "Midstate Recovery Services, LLC";
  b.collector->creditor = "Springfield Memorial Hospital";
  b.provider.phone = "(800) 555-0199";  // the collector's number on its notice
  std::string s = PhoneScript(b, PhoneScriptOptions{});
  EXPECT_NE(s.find("Phone script: Springfield Memorial Hospital"), std::string::npos) << s;
  EXPECT_EQ(s.find("(800) 555-0199"), std::string::npos);
  EXPECT_NE(s.find("Please send me the validation notice; I will answer in writing."), std::string::npos);
  EXPECT_NE(s.find("my name is ________________"), std::string::npos);
  EXPECT_NE(s.find("billwise call CASE"), std::string::npos);
}

// English pieces that would show an untranslated sentence in a Spanish text.
void ExpectNoEnglish(const std::string& text) {
  for (const char* english : {" the ", "What to do", "Hold back", "How:", "Why:", "By ", " days left", "Call ",
                              "Write down", "Do not", " and ", " your ", "account ", "Phone script", "Open",
                              "Close", "If the answer"}) {
    EXPECT_EQ(text.find(english), std::string::npos) << "English \"" << english << "\" in\n" << text;
  }
}

TEST(PhoneScriptTest, SpanishWhenTheProfileSpeaksSpanish) {
  PhoneScriptOptions o;
  o.caller_name = "Jordan Rivera";
  o.case_id = 4;
  o.insured = true;
  o.language = "es";
  std::string s = PhoneScript(PlannedBill(), o);
  for (const char* part : {"Guion para la llamada: Springfield Memorial Hospital, cuenta 00-4417-2209",
                           "me llamo Jordan Rivera", "el estado de cuenta del 2 de noviembre de 2026 por $5,475.92",
                           "factura detallada", "asistencia financiera", "sin intereses", "Anote durante la llamada",
                           "número de referencia", "billwise call 4 --date", "Explicación de beneficios"}) {
    EXPECT_NE(s.find(part), std::string::npos) << "missing: " << part << "\n" << s;
  }
  ExpectNoEnglish(s);
  Bill notice;
  notice.document_type = DocumentType::kCollectionNotice;
  notice.collector = Collector{};
  notice.collector->creditor = "Springfield Memorial Hospital";
  std::string n = PhoneScript(notice, o);
  EXPECT_NE(n.find("no a la agencia de cobranza"), std::string::npos) << n;
  ExpectNoEnglish(n);
}

TEST(ReportTest, TheStepsAreLabelledInThePlansLanguage) {
  Bill b = PlannedBill();
  b.plan->language = "es";
  b.plan->next_steps[0].what = "Dispute el error de facturación indicado abajo";
  b.plan->next_steps[0].how = "correo certificado con acuse de recibo";
  b.plan->next_steps[0].why = "Los errores de facturación deben eliminarse, no negociarse.";
  b.plan->next_steps[0].hold_back = {"No pague la cantidad disputada."};
  b.plan->next_steps[1].what = "Solicite asistencia financiera";
  b.plan->next_steps[1].how = "correo certificado con acuse de recibo";
  b.plan->next_steps[1].why = "La asistencia puede reducir la factura.";
  std::string t = TextReport(b);
  std::string steps = t.substr(t.find("Qué hacer ahora:"), t.find("Findings") - t.find("Qué hacer ahora:"));
  for (const char* part : {"Qué hacer ahora:", "Antes del 19 de diciembre de 2026 (quedan 12 días).",
                           "Carta: billwise letters FILE --kind dispute.", "Cómo: correo certificado",
                           "Por qué: Los errores", "No haga todavía: No pague"}) {
    EXPECT_NE(steps.find(part), std::string::npos) << "missing: " << part << "\n" << steps;
  }
  ExpectNoEnglish(steps);
  std::string h = HtmlReport(b);
  size_t from = h.find("<h2 id=\"next-steps\">Qué hacer ahora</h2>");
  ASSERT_NE(from, std::string::npos) << h;
  std::string html_steps = h.substr(from, h.find("</ol>", from) - from);
  EXPECT_NE(html_steps.find("Antes del <strong>19 de diciembre de 2026</strong> (quedan 12 días)"), std::string::npos)
      << html_steps;
  ExpectNoEnglish(html_steps);
  // The language survives the JSON contract.
  auto back = BillFromJson(BillToJson(b, -1));
  ASSERT_TRUE(back);
  ASSERT_TRUE(back->plan);
  EXPECT_EQ(back->plan->language, "es");
  EXPECT_EQ(DaysLeftText(-1, "es"), "venció hace 1 día");
  EXPECT_EQ(DaysLeftText(1, "es"), "queda 1 día");
}

}  // namespace
}  // namespace billwise
