#include "pipeline/letters/letter_data.h"

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

struct FindingWords {
  const char* kind;
  const char* label_en;
  const char* label_es;
  const char* fix_en;
  const char* fix_es;
};

constexpr FindingWords kFindingWords[] = {
    {"duplicate", "Duplicate charge", "Cargo duplicado", "Remove the duplicate charge.",
     "Eliminar el cargo duplicado."},
    {"bundling", "Service billed separately that is included in another",
     "Servicio facturado por separado que ya está incluido en otro",
     "Remove the separately billed component; it is included in the primary service.",
     "Eliminar el componente facturado por separado, ya incluido en el servicio principal."},
    {"units", "Units above the allowed maximum", "Unidades por encima del máximo permitido",
     "Reduce the units to the allowed maximum and adjust the charge.",
     "Reducir las unidades al máximo permitido y ajustar el cargo."},
    {"math", "Arithmetic error", "Error aritmético", "Correct the arithmetic and the balance.",
     "Corregir el cálculo y el saldo."},
    {"price", "Charge far above the reference price", "Cargo muy superior al precio de referencia",
     "Reduce the charge to a fair price in line with the reference amount.",
     "Reducir el cargo a un precio justo, acorde con el monto de referencia."},
    {"summary_bill", "Summary bill without itemization", "Factura resumida sin detalle",
     "Send an itemized bill with codes for every charge.",
     "Enviar una factura detallada con los códigos de cada cargo."},
    {"balance_billing", "Balance billing", "Facturación del saldo",
     "Remove the amount billed beyond my cost-sharing.",
     "Eliminar el monto facturado por encima de mi parte del costo."},
};

const FindingWords* WordsFor(const std::string& kind) {
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

N Findings(const Bill& bill, const LetterOptions& options, Money* total) {
  N list = N::List();
  int number = 0;
  for (const Finding& f : bill.findings) {
    if (f.check_by_hand) continue;  // rests on a partial reading: never asserted in a letter
    N item = N::Object();
    item.Set("number", N::Str(std::to_string(++number)));
    std::string lines, code, description, charge;
    for (size_t idx : f.lines) {
      if (!lines.empty()) lines += ", ";
      lines += std::to_string(idx + 1);
      if (idx < bill.line_items.size()) {
        const LineItem& li = bill.line_items[idx];
        if (code.empty() && li.code) code = *li.code;
        if (description.empty()) description = li.description;
        if (charge.empty() && li.charge) charge = li.charge->Display();
      }
    }
    const FindingWords* w = WordsFor(f.kind);
    item.Set("kind", N::Str(f.kind));
    item.Set("label", N::Str(w ? (Es(options) ? w->label_es : w->label_en) : f.kind));
    item.Set("lines", N::Str(lines.empty() ? "\xE2\x80\x94" : lines));
    item.Set("code", N::Str(code.empty() ? "\xE2\x80\x94" : code));
    item.Set("description", N::Str(description));
    item.Set("charge", N::Str(charge));
    item.Set("amount", N::Str(f.amount_at_stake.Display()));
    item.Set("rule", N::Str(f.rule.empty() ? "\xE2\x80\x94" : f.rule));
    item.Set("explanation", N::Str(f.explanation));
    item.Set("correction", N::Str(w ? (Es(options) ? w->fix_es : w->fix_en)
                                    : (Es(options) ? "Corregir o justificar este cargo."
                                                   : "Correct or explain this charge.")));
    *total += f.amount_at_stake;
    list.items.push_back(std::move(item));
  }
  return list;
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

TemplateNode BuildLetterData(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options) {
  const std::string& lang = options.language;
  static const Profile kEmptyProfile;
  static const Bill kEmptyBill;
  const Profile& profile = inputs.profile ? *inputs.profile : kEmptyProfile;
  const Bill& bill = inputs.bill ? *inputs.bill : kEmptyBill;

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

  // Provider and collector.
  std::optional<std::string> provider_name = bill.provider.name;
  if (!provider_name && bill.collector && bill.collector->creditor) provider_name = bill.collector->creditor;
  N provider = N::Object();
  provider.Set("name", StrOr(provider_name, "bill.provider.name"));
  std::string provider_address = JoinLines(bill.provider.address);
  provider.Set("address", provider_address.empty() ? MissingFor("bill.provider.address")
                                                   : N::Lines(bill.provider.address));
  if (bill.provider.phone) provider.Set("phone", N::Str(*bill.provider.phone));
  root.Set("provider", provider);

  bool to_collector = bill.collector.has_value() &&
                      (kind == LetterKind::kValidation || kind == LetterKind::kLumpSum ||
                       kind == LetterKind::kPaymentPlan);
  N collector = N::Object();
  if (bill.collector) {
    const Collector& c = *bill.collector;
    collector.Set("name", StrOr(c.name, "bill.collector.name"));
    std::string caddr = JoinLines(c.address);
    collector.Set("address", caddr.empty() ? MissingFor("bill.collector.address") : N::Lines(c.address));
    if (c.creditor) collector.Set("creditor", N::Str(*c.creditor));
    if (c.validation_end_date) collector.Set("validation_end", N::Str(LetterDate(*c.validation_end_date, lang)));
    if (c.notice_date) collector.Set("notice_date", N::Str(LetterDate(*c.notice_date, lang)));
  } else {
    collector.Set("name", MissingFor("bill.collector.name"));
    collector.Set("address", MissingFor("bill.collector.address"));
  }
  root.Set("collector", collector);

  N recipient = N::Object();
  if (options.recipient_name) {
    recipient.Set("name", N::Str(*options.recipient_name));
  } else {
    recipient.Set("name", to_collector ? collector.fields["name"] : provider.fields["name"]);
  }
  if (!options.recipient_address.empty()) {
    recipient.Set("address", N::Lines(options.recipient_address));
  } else {
    recipient.Set("address", to_collector ? collector.fields["address"] : provider.fields["address"]);
  }
  root.Set("recipient", recipient);

  // The RE line.
  root.Set("account", StrOr(bill.account_number, "bill.account_number"));
  std::string dos = DateRange(bill, lang);
  if (!dos.empty()) root.Set("dates_of_service", N::Str(dos));
  root.Set("has_dates_of_service", N::Bool(!dos.empty()));
  root.Set("statement_date", bill.statement_date ? N::Str(LetterDate(*bill.statement_date, lang))
                                                 : MissingFor("bill.statement_date"));
  std::optional<Money> balance = BalanceDue(bill);
  if (balance) root.Set("amount_due", N::Str(balance->Display()));
  if (bill.totals.charges) root.Set("total_charges", N::Str(bill.totals.charges->Display()));
  root.Set("summary_bill", N::Bool(bill.document_type == DocumentType::kSummaryStatement ||
                                   bill.line_items.empty()));
  root.Set("has_items", N::Bool(!bill.line_items.empty()));
  root.Set("item_count", N::Str(std::to_string(bill.line_items.size())));

  // Findings.
  Money findings_total;
  N findings = Findings(bill, options, &findings_total);
  root.Set("has_findings", N::Bool(!findings.items.empty()));
  root.Set("findings", findings);
  root.Set("findings_total", N::Str(findings_total.Display()));

  // Plan: from the audit when present; payment and lump-sum fall back to the profile.
  N plan = N::Object();
  const Plan* p = bill.plan ? &*bill.plan : nullptr;
  if (p && p->reference_total.cents > 0) plan.Set("reference_total", N::Str(p->reference_total.Display()));
  plan.Set("days", N::Str(std::to_string(options.days_to_pay)));
  if (p && p->lump_sum_offer) {
    plan.Set("lump_sum", N::Str(p->lump_sum_offer->amount.Display()));
    plan.Set("lump_sum_basis", N::Str(p->lump_sum_offer->basis));
  } else if (profile.lump_sum_available && balance && *profile.lump_sum_available < *balance) {
    plan.Set("lump_sum", N::Str(profile.lump_sum_available->Display()));
    plan.Set("lump_sum_basis", N::Str(Es(options) ? "la cantidad que puedo pagar de una sola vez"
                                                  : "the amount I am able to pay at once"));
  } else {
    plan.Set("lump_sum", N::Missing("plan.lump_sum_offer (or profile.lump_sum_available)"));
    plan.Set("lump_sum_basis", N::Missing("plan.lump_sum_offer (or profile.lump_sum_available)"));
  }
  std::optional<Plan::PaymentPlan> pp;
  if (p && p->payment_plan) {
    pp = p->payment_plan;
  } else if (profile.monthly_budget && profile.monthly_budget->cents > 0 && balance && balance->cents > 0) {
    Plan::PaymentPlan fallback;
    fallback.months = static_cast<int>((balance->cents + profile.monthly_budget->cents - 1) /
                                       profile.monthly_budget->cents);
    fallback.monthly = Money::FromCents((balance->cents + fallback.months - 1) / fallback.months);
    pp = fallback;
  }
  if (pp) {
    plan.Set("monthly", N::Str(pp->monthly.Display()));
    plan.Set("months", N::Str(std::to_string(pp->months)));
    plan.Set("plan_total", N::Str(Money::FromCents(pp->monthly.cents * pp->months).Display()));
  } else {
    for (const char* k : {"monthly", "months", "plan_total"}) {
      plan.Set(k, N::Missing("plan.payment_plan (or profile.monthly_budget)"));
    }
  }
  root.Set("plan", plan);

  N assist = N::Object();
  if (p && p->assistance) {
    assist.Set("percent", N::Str(std::to_string(p->assistance->poverty_percent)));
    assist.Set("year", N::Str(std::to_string(p->assistance->guideline_year)));
    std::string band = p->assistance->typical_band;
    if (Es(options)) {
      if (band == "free care") band = "atención gratuita";
      else if (band == "discounted care") band = "atención con descuento";
      else if (band == "above typical bands") band = "por encima de los niveles habituales";
    }
    assist.Set("band", N::Str(band));
  } else {
    for (const char* k : {"percent", "year", "band"}) assist.Set(k, N::Missing("plan.assistance"));
  }
  assist.Set("household_size", profile.household_size ? N::Str(std::to_string(*profile.household_size))
                                                      : N::Missing("profile.household_size"));
  assist.Set("income", MoneyOr(profile.annual_income, "profile.annual_income"));
  root.Set("assist", assist);

  N deadlines = N::List();
  if (p) {
    for (const Deadline& d : p->deadlines) {
      N item = N::Object();
      item.Set("what", N::Str(d.what));
      item.Set("date", N::Str(LetterDate(d.date, lang)));
      deadlines.items.push_back(std::move(item));
    }
  }
  root.Set("has_deadlines", N::Bool(!deadlines.items.empty()));
  root.Set("deadlines", deadlines);

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
  root.Set("self_pay", N::Bool(!profile.insured.value_or(false)));
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
