#include "pipeline/letters/letter_data.h"

#include "pipeline/audit/findings.h"
#include "pipeline/audit/plan.h"
#include "pipeline/model/strings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace billwise {
namespace {

using N = TemplateNode;

bool Es(const LetterOptions& o) { return o.language == "es"; }

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (l.empty()) continue;
    if (!out.empty()) out += "\n";
    out += l;
  }
  return out;
}

// Values the user supplies (profile, options) are required; values read from the
// document are soft: a blank to fill by hand and a warning.
N MissingFor(const std::string& key) {
  return key.rfind("bill.", 0) == 0 ? N::SoftMissing(key) : N::Missing(key);
}

N StrOr(const std::optional<std::string>& v, const std::string& missing_key) {
  if (v && !v->empty()) return N::Str(*v);
  return MissingFor(missing_key);
}

N MoneyOr(const std::optional<Money>& v, const std::string& missing_key) {
  if (v) return N::Str(v->Display());
  return MissingFor(missing_key);
}

std::string QuantityText(double q) {
  char buf[32];
  if (std::fabs(q - std::round(q)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(std::llround(q)));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", q);
  }
  return buf;
}

// Words of one finding kind in a letter, in both languages. Every sentence a letter inserts
// comes from here or from numbers and codes, never from the audit's English explanation, so a
// Spanish letter is Spanish throughout.
struct FindingWords {
  FindingKind kind;
  const char* label_en;
  const char* label_es;
  const char* fix_en;
  const char* fix_es;
};

constexpr FindingWords kFindingWords[] = {
    {FindingKind::kDuplicate, "Duplicate charge", "Cargo duplicado", "Remove the duplicate charge.",
     "Eliminar el cargo duplicado."},
    {FindingKind::kBundling, "Service billed separately that is included in another",
     "Servicio facturado por separado que ya está incluido en otro",
     "Remove the separately billed component; it is included in the primary service.",
     "Eliminar el componente facturado por separado, ya incluido en el servicio principal."},
    {FindingKind::kUnits, "Units above the allowed maximum", "Unidades por encima del máximo permitido",
     "Reduce the units to the allowed maximum and adjust the charge.",
     "Reducir las unidades al máximo permitido y ajustar el cargo."},
    {FindingKind::kMath, "Arithmetic error", "Error aritmético", "Correct the arithmetic and the balance.",
     "Corregir el cálculo y el saldo."},
    {FindingKind::kNotRendered, "Charge for a service not provided", "Cargo por un servicio no prestado",
     "Remove the charge for the service that was not provided.",
     "Eliminar el cargo del servicio que no se prestó."},
    {FindingKind::kBalanceBilling, "Balance billing", "Facturación del saldo",
     "Correct the balance to the patient responsibility on the explanation of benefits.",
     "Corregir el saldo según la responsabilidad del paciente indicada en la explicación de beneficios."},
    {FindingKind::kExceedsEob, "Balance billing", "Facturación del saldo",
     "Correct the balance to the patient responsibility on the explanation of benefits.",
     "Corregir el saldo según la responsabilidad del paciente indicada en la explicación de beneficios."},
    {FindingKind::kGfe, "Bill above the good-faith estimate", "Factura superior al presupuesto de buena fe",
     "Reduce the bill to the good-faith estimate.", "Reducir la factura al presupuesto de buena fe."},
    {FindingKind::kGfeExceeded, "Bill above the good-faith estimate", "Factura superior al presupuesto de buena fe",
     "Reduce the bill to the good-faith estimate.", "Reducir la factura al presupuesto de buena fe."},
    {FindingKind::kPaymentNotCredited, "Payment not credited", "Pago no acreditado", "Credit the payment to the account.",
     "Acreditar el pago en la cuenta."},
    {FindingKind::kBalanceGrew, "Balance increased without new charges", "Saldo aumentado sin cargos nuevos",
     "Explain or remove the increase.", "Explicar o eliminar el aumento."},
    {FindingKind::kCollectionAmountMismatch, "Amount differs from the provider's statement",
     "Monto distinto del estado de cuenta del proveedor", "Correct the amount to the provider's balance.",
     "Corregir el monto según el saldo del proveedor."},
};

const FindingWords* WordsFor(FindingKind kind) {
  for (const auto& w : kFindingWords) {
    if (kind == w.kind) return &w;
  }
  return nullptr;
}

std::string DateRange(const Bill& bill, const std::string& lang) {
  std::optional<Date> lo, hi;
  for (const auto& item : bill.line_items) {
    if (!item.date_of_service) continue;
    if (!lo || *item.date_of_service < *lo) lo = item.date_of_service;
    if (!hi || *item.date_of_service > *hi) hi = item.date_of_service;
  }
  if (!lo) return "";
  if (*lo == *hi) return LetterDate(*lo, lang);
  return LetterDate(*lo, lang) + " \xE2\x80\x93 " + LetterDate(*hi, lang);
}

const char* Tr(const LetterOptions& o, const char* en, const char* es) { return Es(o) ? es : en; }

std::string CodeOfLine(const LineItem& li) {
  if (li.code && li.code_type != CodeType::kRevenue && !li.code->empty()) return *li.code;
  if (li.revenue_code && !li.revenue_code->empty()) return *li.revenue_code;
  return "";
}

std::string JoinWords(const std::vector<std::string>& words, const LetterOptions& o) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? Tr(o, " and ", " y ") : ", ";
    out += words[i];
  }
  return out;
}

// One sentence, in the letter's language, saying what is wrong; built from the finding's
// kind, lines, codes and amount.
std::string Reason(const Finding& f, const Bill& bill, const LetterOptions& o) {
  std::vector<std::string> codes;
  std::vector<std::string> line_numbers;
  double units = 0;
  for (size_t idx : f.lines) {
    line_numbers.push_back(std::to_string(idx + 1));
    if (idx >= bill.line_items.size()) continue;
    codes.push_back(CodeOfLine(bill.line_items[idx]));
    units += bill.line_items[idx].quantity;
  }
  std::string lines = JoinWords(line_numbers, o);
  // "(line 3)" or "(lines 1 and 2)", in the letter's language.
  const bool many = line_numbers.size() > 1;
  std::string line_word = Es(o) ? (many ? "líneas " : "línea ") : (many ? "lines " : "line ");
  std::string amount = f.amount_at_stake.Display();
  const FindingKind k = f.kind;
  if (k == FindingKind::kDuplicate && !codes.empty()) {
    std::string n = std::to_string(f.lines.size());
    return Es(o) ? "Las líneas " + lines + " cobran el código " + codes.front() + " " + n +
                       " veces en la misma fecha y por el mismo importe, sin un modificador de servicio repetido."
                 : "Lines " + lines + " charge code " + codes.front() + " " + n +
                       " times on the same date at the same charge, with no repeat-service modifier.";
  }
  if (k == FindingKind::kBundling && codes.size() == 2 && f.amount_at_stake.cents > 0) {
    std::string l1 = line_numbers[0], l2 = line_numbers[1];
    return Es(o) ? "El código " + codes[1] + " (línea " + l2 + ") se cobra junto con " + codes[0] + " (línea " + l1 +
                       ") el mismo día; las reglas de codificación de Medicare (NCCI) incluyen " + codes[1] + " en " +
                       codes[0] + "."
                 : "Code " + codes[1] + " (line " + l2 + ") is charged with " + codes[0] + " (line " + l1 +
                       ") on the same day; Medicare's coding edits (NCCI) include " + codes[1] + " in " + codes[0] + ".";
  }
  if (k == FindingKind::kBundling) {
    return Es(o) ? "Las pruebas " + JoinWords(codes, o) + " (líneas " + lines +
                       ") forman juntas un panel de laboratorio, que se cobra una sola vez, como panel."
                 : "The tests " + JoinWords(codes, o) + " (lines " + lines +
                       ") together make up one lab panel, which is billed once, as the panel.";
  }
  if (k == FindingKind::kUnits && !codes.empty()) {
    char u[32];
    std::snprintf(u, sizeof u, "%g", units);
    return Es(o) ? std::string("Se cobran ") + u + " unidades del código " + codes.front() + " (" + line_word + lines +
                       ") en una misma fecha, más de las que aceptan las reglas de Medicare para un día."
                 : std::string("The bill charges ") + u + " units of code " + codes.front() + " (" + line_word + lines +
                       ") on one date, more than Medicare's coding edits accept for one day.";
  }
  if (k == FindingKind::kMath) {
    return Es(o) ? "Las cifras de la propia factura no cuadran: pide " + amount + " más de lo que ellas justifican."
                 : "The bill's own figures do not add up: it asks for " + amount + " more than they support.";
  }
  if (k == FindingKind::kNotRendered && !codes.empty()) {
    return Es(o) ? "La factura describe el código " + codes.front() + " (" + line_word + lines +
                       ") como no prestado y aun así lo cobra."
                 : "The bill itself describes code " + codes.front() + " (" + line_word + lines +
                       ") as not provided, yet charges for it.";
  }
  if (k == FindingKind::kBalanceBilling || k == FindingKind::kExceedsEob) {
    return Es(o) ? "La factura pide " + amount +
                       " más de lo que la explicación de beneficios de mi seguro indica como mi parte por estos servicios."
                 : "The bill asks for " + amount +
                       " more than my insurer's explanation of benefits shows as my share for these services.";
  }
  if (k == FindingKind::kGfe || k == FindingKind::kGfeExceeded) {
    return Es(o) ? "Los cargos superan en " + amount + " el presupuesto de buena fe que recibí."
                 : "The charges are " + amount + " above the good-faith estimate I was given.";
  }
  if (k == FindingKind::kPaymentNotCredited) {
    return Es(o) ? "Un pago de " + amount + " no aparece acreditado en la cuenta."
                 : "A payment of " + amount + " is not credited to the account.";
  }
  if (k == FindingKind::kBalanceGrew) {
    return Es(o) ? "El saldo aumentó en " + amount + " sin cargos nuevos."
                 : "The balance grew by " + amount + " with no new charges.";
  }
  if (k == FindingKind::kCollectionAmountMismatch) {
    return Es(o) ? "El monto difiere en " + amount + " del último estado de cuenta del proveedor."
                 : "The amount differs by " + amount + " from the provider's last statement.";
  }
  return Es(o) ? "Este cargo es incorrecto (" + amount + ")." : "This charge is in error (" + amount + ").";
}

// The dispute's list: billing errors only, each with the code the correction applies to
// (the line its amount rests on: the extra copy, the column-2 code of a pair).
N Findings(const Bill& bill, const LetterOptions& options) {
  N list = N::List();
  int number = 0;
  for (const Finding* fp : FindingsOfClass(bill, FindingClass::kBillingError)) {
    const Finding& f = *fp;
    if (f.check_by_hand) continue;  // rests on a partial reading: never asserted in a letter
    N item = N::Object();
    item.Set("number", N::Str(std::to_string(++number)));
    std::string lines, code;
    for (size_t idx : f.lines) {
      if (!lines.empty()) lines += ", ";
      lines += std::to_string(idx + 1);
    }
    for (auto it = f.lines.rbegin(); it != f.lines.rend() && code.empty(); ++it) {
      if (*it < bill.line_items.size()) code = CodeOfLine(bill.line_items[*it]);
    }
    const FindingWords* w = WordsFor(f.kind);
    item.Set("kind", N::Str(FindingKindName(f.kind)));
    item.Set("label", N::Str(w ? Tr(options, w->label_en, w->label_es) : Tr(options, "Billing error", "Error de facturación")));
    item.Set("lines", N::Str(lines.empty() ? "\xE2\x80\x94" : lines));
    item.Set("code", N::Str(code.empty() ? "\xE2\x80\x94" : code));
    item.Set("amount", N::Str(f.amount_at_stake.Display()));
    item.Set("reason", N::Str(Reason(f, bill, options)));
    item.Set("correction", N::Str(w ? Tr(options, w->fix_en, w->fix_es)
                                    : Tr(options, "Correct or explain this charge.", "Corregir o justificar este cargo.")));
    list.items.push_back(std::move(item));
  }
  return list;
}

std::string Pct(int64_t part, int64_t whole) {
  if (whole <= 0) return "0";
  return std::to_string(static_cast<long long>(std::llround(100.0 * static_cast<double>(part) / static_cast<double>(whole))));
}

// The lump-sum offer's basis in the letter's language: how much of the charges has a
// Medicare reference price, what Medicare pays for it, what was assumed for the rest, and
// the offer as a share of the balance. Nothing about the patient's means.
std::string LumpSumBasis(const Plan::LumpSum& l, Money balance, const LetterOptions& o) {
  std::string share = Pct(l.priced_charges.cents, l.charges.cents);
  std::string paid = Pct(l.reference.cents, l.priced_charges.cents);
  std::string offer = Pct(l.amount.cents, balance.cents);
  bool all = l.priced_charges >= l.charges;
  if (Es(o)) {
    std::string s = all ? "todos los cargos corresponden a servicios con un precio de referencia de Medicare: Medicare pagaría " +
                              l.reference.Display() + ", el " + paid + " % de lo cobrado."
                        : "el " + share + " % de los cargos (" + l.priced_charges.Display() + " de " + l.charges.Display() +
                              ") corresponde a servicios con un precio de referencia de Medicare. Por esos servicios Medicare "
                              "pagaría " + l.reference.Display() + ", el " + paid +
                              " % de lo cobrado; para los demás cargos, que no tienen precio de referencia, he supuesto la "
                              "misma proporción.";
    return s + " Mi oferta equivale al " + offer + " % del saldo.";
  }
  std::string s = all ? "All of the charges are for services with a Medicare reference price: Medicare would pay " +
                            l.reference.Display() + ", " + paid + "% of what was charged."
                      : share + "% of the charges (" + l.priced_charges.Display() + " of " + l.charges.Display() +
                            ") are for services with a Medicare reference price. Medicare would pay " +
                            l.reference.Display() + " for those services, " + paid +
                            "% of what was charged for them; for the other charges, which have no reference price, I "
                            "have assumed the same proportion.";
  return s + " My offer is " + offer + "% of the balance.";
}

}  // namespace

std::string LetterDate(const Date& d, const std::string& language) {
  static const char* kEn[] = {"January", "February", "March",     "April",   "May",      "June",
                              "July",    "August",   "September", "October", "November", "December"};
  static const char* kEs[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                              "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  int m = std::clamp(d.month, 1, 12) - 1;
  if (language == "es") return std::to_string(d.day) + " de " + kEs[m] + " de " + std::to_string(d.year);
  return std::string(kEn[m]) + " " + std::to_string(d.day) + ", " + std::to_string(d.year);
}

std::optional<Money> BalanceDue(const Bill& bill) {
  if (bill.amount_due) return bill.amount_due;
  if (!bill.totals.charges) return std::nullopt;
  Money m = *bill.totals.charges;
  for (const auto& part : {bill.totals.insurance_paid, bill.totals.adjustments, bill.totals.patient_paid}) {
    if (part) m -= *part;
  }
  return m;
}

// A line the plan did not pay: the EOB's note says denied, or nothing was allowed.
bool EobLineDenied(const LineItem& li) {
  if (li.eob_note) {
    std::string note = Lower(*li.eob_note);
    if (note.find("deni") != std::string::npos || note.find("not covered") != std::string::npos) return true;
  }
  return li.allowed && li.allowed->cents == 0 && li.charge && li.charge->cents > 0;
}

TemplateNode BuildLetterData(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options) {
  const std::string& lang = options.language;
  static const Profile kEmptyProfile;
  static const Bill kEmptyBill;
  const Profile& profile = inputs.profile ? *inputs.profile : kEmptyProfile;
  const Bill& bill = inputs.bill ? *inputs.bill : kEmptyBill;
  const bool collection = bill.document_type == DocumentType::kCollectionNotice || bill.collector.has_value();
  const bool eob = bill.document_type == DocumentType::kEob;

  N root = N::Object();
  root.Set("lang", N::Str(lang));
  root.Set("today", N::Str(LetterDate(inputs.today, lang)));
  root.Set("kind", N::Str(LetterKindName(kind)));

  // Sender: the patient (or the person responsible for the bill).
  N sender = N::Object();
  sender.Set("name", StrOr(profile.name, "profile.name"));
  std::string address = JoinLines(profile.address);
  sender.Set("address", address.empty() ? N::Missing("profile.address") : N::Lines(profile.address));
  if (profile.phone) sender.Set("phone", N::Str(*profile.phone));
  if (profile.email) sender.Set("email", N::Str(*profile.email));
  sender.Set("date_of_birth", profile.date_of_birth ? N::Str(LetterDate(*profile.date_of_birth, lang))
                                                    : N::Missing("profile.date_of_birth"));
  root.Set("sender", sender);

  // Patient as printed on the bill (may differ from the sender, e.g. a parent writing).
  root.Set("patient_name", bill.patient.name ? N::Str(*bill.patient.name) : StrOr(profile.name, "profile.name"));

  // Document kind.
  N doc = N::Object();
  doc.Set("collection", N::Bool(collection));
  doc.Set("eob", N::Bool(eob));
  doc.Set("summary_statement", N::Bool(!collection && !eob && (bill.document_type == DocumentType::kSummaryStatement ||
                                                               (bill.line_items.empty() && inputs.bill != nullptr))));
  root.Set("doc", doc);

  // Provider: on a collection notice, the original creditor (the provider the debt began
  // with), whose address comes from an earlier bill in the case file or is left blank.
  std::optional<std::string> provider_name = bill.provider.name;
  std::vector<std::string> provider_lines = bill.provider.address;
  if (collection) {
    const Collector* c = bill.collector ? &*bill.collector : nullptr;
    if (!provider_name && c) provider_name = c->original_creditor ? c->original_creditor : c->creditor;
    if (provider_lines.empty()) provider_lines = inputs.creditor_address;
  }
  N provider = N::Object();
  provider.Set("name", StrOr(provider_name, collection ? "bill.collector.original_creditor" : "bill.provider.name"));
  std::string provider_address = JoinLines(provider_lines);
  provider.Set("address", provider_address.empty()
                              ? MissingFor(collection ? "bill.original_creditor.address" : "bill.provider.address")
                              : N::Lines(provider_lines));
  if (bill.provider.phone) provider.Set("phone", N::Str(*bill.provider.phone));
  root.Set("provider", provider);

  N collector = N::Object();
  if (bill.collector) {
    const Collector& c = *bill.collector;
    collector.Set("name", StrOr(c.name, "bill.collector.name"));
    std::string caddr = JoinLines(c.address);
    collector.Set("address", caddr.empty() ? MissingFor("bill.collector.address") : N::Lines(c.address));
    if (c.creditor) collector.Set("creditor", N::Str(*c.creditor));
    if (c.validation_end_date) collector.Set("validation_end", N::Str(LetterDate(*c.validation_end_date, lang)));
    if (c.notice_date) collector.Set("notice_date", N::Str(LetterDate(*c.notice_date, lang)));
    collector.Set("reference", StrOr(c.reference, "bill.collector.reference"));
    collector.Set("has_reference", N::Bool(c.reference.has_value()));
  } else {
    collector.Set("name", MissingFor("bill.collector.name"));
    collector.Set("address", MissingFor("bill.collector.address"));
    collector.Set("reference", MissingFor("bill.collector.reference"));
  }
  root.Set("collector", collector);

  // The health plan, for appeals: named in the profile; its appeals address is on the EOB.
  N insurer = N::Object();
  insurer.Set("name", StrOr(profile.insurer, "profile.insurer"));
  insurer.Set("address", bill.appeals_address.empty() ? MissingFor("bill.appeals_address")
                                                      : N::Lines(bill.appeals_address));
  root.Set("insurer", insurer);

  N recipient = N::Object();
  const N& default_to = kind == LetterKind::kAppeal                      ? insurer
                        : collection && kind == LetterKind::kValidation ? collector
                                                                         : provider;
  if (options.recipient_name) {
    recipient.Set("name", N::Str(*options.recipient_name));
  } else {
    recipient.Set("name", default_to.fields.at("name"));
  }
  if (!options.recipient_address.empty()) {
    recipient.Set("address", N::Lines(options.recipient_address));
  } else {
    recipient.Set("address", default_to.fields.at("address"));
  }
  root.Set("recipient", recipient);

  // The RE line: the account number (on a collection notice, the original creditor's).
  root.Set("account", StrOr(bill.account_number, "bill.account_number"));
  std::string dos = DateRange(bill, lang);
  if (!dos.empty()) root.Set("dates_of_service", N::Str(dos));
  root.Set("has_dates_of_service", N::Bool(!dos.empty()));
  root.Set("statement_date", bill.statement_date ? N::Str(LetterDate(*bill.statement_date, lang))
                                                 : MissingFor("bill.statement_date"));
  std::optional<Money> balance = BalanceDue(bill);
  if (balance) root.Set("amount_due", N::Str(balance->Display()));
  if (bill.totals.charges) root.Set("total_charges", N::Str(bill.totals.charges->Display()));
  root.Set("summary_bill", doc.fields.at("summary_statement"));
  root.Set("has_items", N::Bool(!bill.line_items.empty()));
  root.Set("item_count", N::Str(std::to_string(bill.line_items.size())));

  // Billing errors, each dollar counted once and never above the balance.
  N findings = Findings(bill, options);
  root.Set("has_findings", N::Bool(!findings.items.empty()));
  root.Set("findings", findings);
  root.Set("findings_total", N::Str(DisputedAmount(bill, balance).Display()));
  size_t price_notes = FindingsOfClass(bill, FindingClass::kPriceObservation).size();
  root.Set("has_price_notes", N::Bool(price_notes > 0));
  root.Set("price_notes", N::Str(std::to_string(price_notes)));

  // Plan: from the audit when present; the payment plan falls back to the profile's budget.
  N plan = N::Object();
  const Plan* p = bill.plan ? &*bill.plan : nullptr;
  plan.Set("days", N::Str(std::to_string(options.days_to_pay)));
  if (p && p->lump_sum_offer && balance) {
    plan.Set("lump_sum", N::Str(p->lump_sum_offer->amount.Display()));
    plan.Set("lump_sum_basis", N::Str(LumpSumBasis(*p->lump_sum_offer, *balance, options)));
  } else {
    plan.Set("lump_sum", N::Missing("plan.lump_sum_offer"));
    plan.Set("lump_sum_basis", N::Missing("plan.lump_sum_offer"));
  }
  std::optional<Plan::PaymentPlan> pp;
  if (p && p->payment_plan) {
    pp = p->payment_plan;
  } else if (profile.monthly_budget && profile.monthly_budget->cents > 0 && balance && balance->cents > 0) {
    pp = PaymentPlanFor(*balance, profile);
  }
  if (pp && pp->months > 0) {
    plan.Set("monthly", N::Str(pp->monthly.Display()));
    plan.Set("months", N::Str(std::to_string(pp->months)));
    plan.Set("last", N::Str(pp->last.Display()));
    plan.Set("plan_total",
             N::Str(Money::FromCents(pp->monthly.cents * (pp->months - 1) + pp->last.cents).Display()));
  } else {
    for (const char* k : {"monthly", "months", "last", "plan_total"}) {
      plan.Set(k, N::Missing("plan.payment_plan (or profile.monthly_budget)"));
    }
  }
  root.Set("plan", plan);

  // 501(r) wording only for a nonprofit hospital; an application is said to be enclosed only
  // when one is written beside the letter, and to be in English when it is the generic one.
  root.Set("hospital", N::Bool(p && p->nonprofit_hospital));
  root.Set("application_enclosed", N::Bool(inputs.application_enclosed));
  root.Set("application_generic", N::Bool(inputs.application_enclosed && inputs.application_generic));

  // EOB: the patient's share, the claim, the lines the plan denied, and the appeal deadline.
  N eob_node = N::Object();
  std::optional<Money> share = bill.totals.patient_responsibility ? bill.totals.patient_responsibility : bill.amount_due;
  eob_node.Set("patient_share", MoneyOr(share, "bill.totals.patient_responsibility"));
  eob_node.Set("claim_number", StrOr(bill.claim_number, "bill.claim_number"));
  std::optional<std::string> member = bill.member_id ? bill.member_id : profile.member_id;
  eob_node.Set("member_id", StrOr(member, "profile.member_id"));
  eob_node.Set("date", bill.statement_date ? N::Str(LetterDate(*bill.statement_date, lang))
                                           : MissingFor("bill.statement_date"));
  eob_node.Set("appeal_deadline", bill.statement_date ? N::Str(LetterDate(bill.statement_date->AddDays(180), lang))
                                                      : MissingFor("bill.statement_date"));
  N denied = N::List();
  for (size_t i = 0; i < bill.line_items.size(); ++i) {
    const LineItem& li = bill.line_items[i];
    if (!eob || !EobLineDenied(li)) continue;
    N item = N::Object();
    item.Set("line", N::Str(std::to_string(i + 1)));
    item.Set("date", N::Str(li.date_of_service ? LetterDate(*li.date_of_service, lang) : "\xE2\x80\x94"));
    std::string code = CodeOfLine(li);
    item.Set("code", N::Str(code.empty() ? "\xE2\x80\x94" : code));
    item.Set("charge", N::Str(li.charge ? li.charge->Display() : "\xE2\x80\x94"));
    denied.items.push_back(std::move(item));
  }
  eob_node.Set("has_denied", N::Bool(!denied.items.empty()));
  eob_node.Set("denied", denied);
  root.Set("eob", eob_node);

  // No Surprises Act.
  N gfe = N::Object();
  std::optional<Money> billed = bill.totals.charges ? bill.totals.charges : balance;
  gfe.Set("amount", MoneyOr(inputs.good_faith_estimate, "--gfe (the good-faith estimate amount)"));
  gfe.Set("billed", MoneyOr(billed, "bill.totals.charges"));
  if (inputs.good_faith_estimate && billed) {
    Money excess = *billed - *inputs.good_faith_estimate;
    gfe.Set("excess", N::Str(excess.Display()));
    gfe.Set("exceeded", N::Bool(excess >= Money::FromDollars(400)));
  } else {
    gfe.Set("excess", N::Missing("--gfe (the good-faith estimate amount)"));
    gfe.Set("exceeded", N::Bool(false));
  }
  std::optional<Date> first_bill = bill.first_billing_date ? bill.first_billing_date : bill.statement_date;
  gfe.Set("ppdr_deadline", first_bill ? N::Str(LetterDate(first_bill->AddDays(120), lang))
                                      : MissingFor("bill.statement_date"));
  root.Set("gfe", gfe);
  root.Set("self_pay", N::Bool(UninsuredOrSelfPay(profile)));
  root.Set("insured", N::Bool(profile.insured.value_or(false)));

  // Planned services, from `billwise estimate --format json`.
  N estimate = N::Object();
  N services = N::List();
  if (inputs.estimate) {
    for (const auto& s : inputs.estimate->services) {
      N item = N::Object();
      item.Set("code", N::Str(s.code));
      item.Set("quantity", N::Str(QuantityText(s.quantity)));
      item.Set("descriptor", N::Str(s.descriptor.empty() ? "\xE2\x80\x94" : s.descriptor));
      std::string range = s.fair_low && s.fair_high ? s.fair_low->Display() + " \xE2\x80\x93 " + s.fair_high->Display()
                          : s.fair_low              ? s.fair_low->Display()
                                                    : "\xE2\x80\x94";
      item.Set("fair_range", N::Str(range));
      item.Set("basis", N::Str(s.fair_basis));
      item.Set("cheapest", N::Str(s.cheapest_setting));
      services.items.push_back(std::move(item));
    }
    if (inputs.estimate->total_low && inputs.estimate->total_high) {
      estimate.Set("total_range", N::Str(inputs.estimate->total_low->Display() + " \xE2\x80\x93 " +
                                         inputs.estimate->total_high->Display()));
    }
  }
  estimate.Set("has", N::Bool(!services.items.empty()));
  estimate.Set("has_total", N::Bool(estimate.fields.count("total_range") > 0));
  estimate.Set("services", services);
  root.Set("estimate", estimate);
  // A good-faith estimate asked for today is due 3 business days later (45 CFR 149.610).
  root.Set("gfe_due", N::Str(LetterDate(inputs.today.AddBusinessDays(3), lang)));
  // A gfe-request with no bill names its provider only if the bill or --to gives one.
  root.Set("has_account", N::Bool(bill.account_number.has_value()));
  return root;
}

}  // namespace billwise
