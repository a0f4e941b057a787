#include "pipeline/audit/next_steps.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "pipeline/audit/plan.h"
#include "pipeline/model/person_name.h"

namespace billwise {
namespace {

// The plan's words in the patient's language (profile `language`: en | es); every step is
// written whole in one language.
class Words {
 public:
  explicit Words(const std::string& language) : es_(language == "es") {}
  std::string operator()(std::string_view en, std::string_view es) const { return std::string(es_ ? es : en); }
  bool es() const { return es_; }

 private:
  bool es_;
};

std::string NoCredit(const Words& w) {
  return w("Do not put the bill on a credit card or take a medical loan: their interest can cost more than the bill.",
           "No pague la factura con tarjeta de crédito ni pida un préstamo médico: sus intereses pueden costar más "
           "que la factura.");
}
std::string NoPlanBeforeAssistance(const Words& w) {
  return w("Do not agree to a payment plan or pay a lump sum before the financial-assistance decision: assistance "
           "can lower or cancel the bill.",
           "No acepte un plan de pagos ni pague una suma global antes de la decisión sobre la asistencia financiera: "
           "la asistencia puede reducir o anular la factura.");
}
std::string CertifiedMail(const Words& w) { return w(kCertifiedMail, kCertifiedMailEs); }
std::string Mail(const Words& w) { return w("mail", "correo"); }

std::optional<Date> DeadlineMatching(const Bill& bill, std::string_view needle) {
  if (!bill.plan) return std::nullopt;
  for (const Deadline& d : bill.plan->deadlines) {
    if (d.what.find(needle) != std::string::npos) return d.date;
  }
  return std::nullopt;
}

bool IsPrice(const Finding& f) { return f.kind == FindingKind::kPrice; }
// A billing error to dispute: an error finding, or a warning of a billing-error kind (units
// above the limit, for example); never a price observation or information.
bool IsError(const Finding& f) {
  static constexpr FindingKind kErrorKinds[] = {FindingKind::kDuplicate,   FindingKind::kBundling,
                                                FindingKind::kUnits,       FindingKind::kMath,
                                                FindingKind::kNotRendered, FindingKind::kBalanceBilling,
                                                FindingKind::kGfe};
  if (IsPrice(f) || f.severity == Severity::kInfo) return false;
  return f.severity == Severity::kError ||
         std::find(std::begin(kErrorKinds), std::end(kErrorKinds), f.kind) != std::end(kErrorKinds);
}

class Steps {
 public:
  explicit Steps(const Date& today) : today_(today) {}

  NextStep& Add(std::string what, std::optional<std::string> letter, std::optional<Date> by, std::string how,
                std::string why) {
    NextStep s;
    s.step = static_cast<int>(steps_.size()) + 1;
    s.what = std::move(what);
    s.letter = std::move(letter);
    s.by = by;
    if (by) s.days_left = static_cast<int>(today_.DaysUntil(*by));
    s.how = std::move(how);
    s.why = std::move(why);
    steps_.push_back(std::move(s));
    return steps_.back();
  }
  std::vector<NextStep> Take() { return std::move(steps_); }

 private:
  Date today_;
  std::vector<NextStep> steps_;
};

void CollectionSteps(const Bill& bill, const Words& w, Steps* steps) {
  std::optional<Date> validation = DeadlineMatching(bill, "validation");
  if (!validation && bill.collector && bill.collector->validation_end_date) validation = bill.collector->validation_end_date;
  std::string collector = bill.collector && bill.collector->name ? *bill.collector->name : w("the collector", "la agencia de cobranza");
  NextStep& v = steps->Add(
      w("Ask ", "Pida por escrito a ") + collector +
          w(" in writing to validate the debt (prove it is yours and the amount is right)",
            " que valide la deuda (que demuestre que es suya y que la cantidad es correcta)"),
      "validation", validation, CertifiedMail(w),
      w("A written dispute sent within the validation period obliges the collector to stop collecting the disputed "
        "amount until it sends proof. Certified mail gives you proof of the date you sent it.",
        "Una disputa por escrito enviada dentro del período de validación obliga al cobrador de deudas a detener el "
        "cobro de la cantidad disputada hasta que envíe pruebas. El correo certificado le da prueba de la fecha de "
        "envío."));
  v.hold_back = {w("Do not pay the collector or agree to a payment plan before it has validated the debt.",
                   "No pague al cobrador ni acepte un plan de pagos antes de que haya validado la deuda."),
                 w("Do not discuss the debt by phone; answer in writing. A payment or a promise to pay can restart "
                   "the time limit for a lawsuit in some states.",
                   "No hable de la deuda por teléfono; responda por escrito. En algunos estados, un pago o una promesa "
                   "de pago puede reiniciar el plazo para una demanda."),
                 NoCredit(w)};
  std::string creditor = bill.collector && bill.collector->creditor ? *bill.collector->creditor
                         : bill.provider.name                       ? *bill.provider.name
                                                                    : w("the original provider", "el proveedor original");
  NextStep& i = steps->Add(w("Ask ", "Pida a ") + creditor +
                               w(" (the original creditor) for the itemized bill",
                                 " (el acreedor original) la factura detallada"),
                           "itemized", std::nullopt, Mail(w),
                           w("The itemized bill lists every charge with its code, so errors can be found. The "
                             "original creditor is the provider that treated you, not the collector.",
                             "La factura detallada indica cada cargo con su código, para poder encontrar errores. El "
                             "acreedor original es el proveedor que lo atendió, no la agencia de cobranza."));
  i.hold_back = {w("Do not pay before the itemized bill arrives and the debt is validated.",
                   "No pague antes de recibir la factura detallada y de que la deuda esté validada.")};
  if (std::optional<Date> fap = DeadlineMatching(bill, "501(r)")) {
    NextStep& a = steps->Add(w("Apply to ", "Solicite a ") + creditor +
                                 w(" for financial assistance (charity care)",
                                   " asistencia financiera (atención caritativa)"),
                             "assistance", fap, CertifiedMail(w),
                             w("Nonprofit hospitals must offer free or discounted care to patients who qualify, and "
                               "must pause collection while an application is pending.",
                               "Los hospitales sin fines de lucro deben ofrecer atención gratuita o con descuento a "
                               "los pacientes que reúnen los requisitos, y deben pausar el cobro mientras haya una "
                               "solicitud pendiente."));
    a.hold_back = {NoPlanBeforeAssistance(w)};
  }
}

// Where the appeal goes: the appeals address the EOB prints, else a visible blank to fill in.
std::string AppealsAddressText(const Bill& bill, const Words& w) {
  if (bill.appeals_address.empty()) {
    return w(" (this EOB prints no appeals address: copy it from your plan's notice or member card: "
             "________________)",
             " (esta Explicación de beneficios no indica la dirección para apelaciones: cópiela del aviso de su "
             "plan o de su tarjeta de miembro: ________________)");
  }
  std::string joined;
  for (const std::string& line : bill.appeals_address) joined += (joined.empty() ? "" : ", ") + line;
  return w(", at ", ", a ") + joined;
}

void EobSteps(const Bill& bill, const Words& w, Steps* steps) {
  std::string share = bill.amount_due ? bill.amount_due->Display()
                                      : w("the patient responsibility it shows", "la responsabilidad del paciente que indica");
  NextStep& c = steps->Add(w("Compare the provider's bill with this EOB: you owe the provider at most ",
                             "Compare la factura del proveedor con esta Explicación de beneficios: usted le debe al "
                             "proveedor como máximo ") +
                               share,
                           std::nullopt, std::nullopt, w("check by hand", "revisar a mano"),
                           w("An EOB (explanation of benefits) is the insurer's statement, not a bill. An in-network "
                             "provider may bill you only the patient responsibility it shows (deductible, coinsurance "
                             "and copay).",
                             "La Explicación de beneficios es el resumen de su aseguradora, no una factura. Un "
                             "proveedor de la red solo puede cobrarle la responsabilidad del paciente que indica "
                             "(deducible, coseguro y copago)."));
  c.hold_back = {w("Do not pay the provider more than the EOB's patient responsibility; ask it to correct a bill "
                   "that asks for more.",
                   "No pague al proveedor más que la responsabilidad del paciente de la Explicación de beneficios; "
                   "pídale que corrija una factura que pida más."),
                 w("Do not pay an amount the EOB marks as the provider's write-off (contractual adjustment).",
                   "No pague una cantidad que la Explicación de beneficios marca como descuento del proveedor "
                   "(ajuste contractual).")};
  bool denied = std::any_of(bill.line_items.begin(), bill.line_items.end(), [](const LineItem& li) {
    if (!li.eob_note) return false;
    std::string n = *li.eob_note;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return n.find("denied") != std::string::npos || n.find("not covered") != std::string::npos;
  });
  bool errors = std::any_of(bill.findings.begin(), bill.findings.end(), IsError);
  if (denied || errors) {
    std::optional<Date> by = DeadlineMatching(bill, "appeal");
    if (!by && bill.statement_date) by = bill.statement_date->AddDays(kAppealDays);
    NextStep& a = steps->Add(w("Appeal to your health plan (internal appeal)", "Apele ante su plan de salud (apelación interna)") +
                                 AppealsAddressText(bill, w),
                             "appeal", by, CertifiedMail(w),
                             w("You have at least 180 days from the EOB to ask the plan to review a denied or "
                               "wrongly processed claim. Employer plans must follow the federal claims rules "
                               "(29 CFR 2560.503-1).",
                               "Tiene al menos 180 días desde la Explicación de beneficios para pedir al plan que "
                               "revise un reclamo denegado o mal procesado. Los planes de empleadores deben seguir "
                               "las normas federales de reclamos (29 CFR 2560.503-1)."));
    a.hold_back = {w("Do not pay the denied amount while the appeal is open; ask the provider to hold the account.",
                     "No pague la cantidad denegada mientras la apelación esté abierta; pida al proveedor que "
                     "suspenda el cobro de la cuenta.")};
  }
}

void ProviderSteps(const Bill& bill, const Profile& profile, const Words& w, Steps* steps) {
  std::string provider = bill.provider.name ? *bill.provider.name : w("the billing office", "la oficina de facturación");
  bool summary = bill.document_type == DocumentType::kSummaryStatement || bill.line_items.empty() ||
                 std::any_of(bill.findings.begin(), bill.findings.end(),
                             [](const Finding& f) { return f.kind == FindingKind::kSummaryBill; });
  int errors = static_cast<int>(std::count_if(bill.findings.begin(), bill.findings.end(), IsError));
  bool prices = std::any_of(bill.findings.begin(), bill.findings.end(), IsPrice);
  std::optional<Date> fap = DeadlineMatching(bill, "501(r)");

  NextStep& call = steps->Add(
      w("Call ", "Llame a ") + provider +
          w(": ask for the itemized bill, the financial-assistance application and a hold on collections while you "
            "review (a script: billwise script)",
            ": pida la factura detallada, la solicitud de asistencia financiera y que suspendan el cobro mientras "
            "usted revisa (un guion: billwise script)"),
      std::nullopt, std::nullopt,
      w("phone, then log the call (billwise call)", "teléfono; luego anote la llamada (billwise call)"),
      w("A short, friendly call often gets the account put on hold and the forms sent. Write down the name of the "
        "person, the date and a reference number.",
        "Una llamada breve y amable suele lograr que suspendan el cobro de la cuenta y le envíen los formularios. "
        "Anote el nombre de la persona, la fecha y un número de referencia."));
  call.hold_back = {w("Do not agree to pay anything on the first call, and do not give card or bank details.",
                      "No acepte pagar nada en la primera llamada, y no dé datos de su tarjeta ni de su banco."),
                    NoCredit(w)};
  if (summary) {
    NextStep& s = steps->Add(w("Ask ", "Pida por escrito a ") + provider +
                                 w(" in writing for the itemized bill", " la factura detallada"),
                             "itemized", std::nullopt, Mail(w),
                             w("This bill shows totals only. The itemized bill lists every charge with its billing "
                               "code, so errors can be found.",
                               "Esta factura solo muestra totales. La factura detallada indica cada cargo con su "
                               "código de facturación, para poder encontrar errores."));
    s.hold_back = {w("Do not pay before the itemized bill arrives.", "No pague antes de recibir la factura detallada.")};
  }
  if (errors > 0) {
    std::string count = std::to_string(errors);
    NextStep& d = steps->Add(
        w("Dispute the " + count + " billing error" + (errors == 1 ? "" : "s") + " listed below",
          "Dispute " + (errors == 1 ? std::string("el error de facturación indicado") : "los " + count +
                                                                                           " errores de facturación indicados") +
              " abajo"),
        "dispute", std::nullopt, CertifiedMail(w),
        w("Billing errors (a charge billed twice, a service that is part of another, more units than allowed, wrong "
          "arithmetic) should be removed, not negotiated.",
          "Los errores de facturación (un cargo cobrado dos veces, un servicio que forma parte de otro, más unidades "
          "de las permitidas, sumas incorrectas) deben eliminarse, no negociarse."));
    d.hold_back = {w("Do not pay the disputed amount until the provider answers in writing.",
                     "No pague la cantidad disputada hasta que el proveedor responda por escrito.")};
  }
  if (fap) {
    NextStep& a = steps->Add(w("Apply to ", "Solicite a ") + provider +
                                 w(" for financial assistance (charity care)",
                                   " asistencia financiera (atención caritativa)"),
                             "assistance", fap, CertifiedMail(w),
                             w("Nonprofit hospitals must offer free or discounted care to patients who qualify, and "
                               "must not start collection actions while an application is pending.",
                               "Los hospitales sin fines de lucro deben ofrecer atención gratuita o con descuento a "
                               "los pacientes que reúnen los requisitos, y no deben iniciar acciones de cobro "
                               "mientras haya una solicitud pendiente."));
    a.hold_back = {NoPlanBeforeAssistance(w)};
  }
  bool self_pay = UninsuredOrSelfPay(profile);
  auto gfe = std::find_if(bill.findings.begin(), bill.findings.end(), [](const Finding& f) { return f.kind == FindingKind::kGfe; });
  if (gfe != bill.findings.end() && self_pay) {
    NextStep& g = steps->Add(
        w("Start a No Surprises Act dispute: the bill is $400 or more above your good-faith estimate",
          "Inicie una disputa de la Ley Sin Sorpresas: la factura supera en $400 o más su estimado de buena fe"),
        "gfe-dispute", DeadlineMatching(bill, "No Surprises"),
        w("online at cms.gov/nosurprises, or by mail", "en línea en cms.gov/nosurprises, o por correo"),
        w("Uninsured and self-pay patients may dispute a bill at least $400 above the written estimate; the provider "
          "may not send the bill to collections while it is open.",
          "Las personas sin seguro o que pagan por cuenta propia pueden disputar una factura que supere en al menos "
          "$400 el estimado por escrito; el proveedor no puede enviar la factura a cobranza mientras la disputa esté "
          "abierta."));
    g.hold_back = {w("Do not pay the amount above the estimate while the dispute is open.",
                     "No pague la cantidad que supera el estimado mientras la disputa esté abierta.")};
  }
  if (std::optional<Money> balance = BillBalance(bill); balance && balance->cents > 0) {
    std::string what = prices ? w("Once errors and assistance are settled, offer a lump sum or ask for a 0 % payment "
                                  "plan on what remains",
                                  "Cuando se resuelvan los errores y la asistencia, ofrezca una suma global o pida un "
                                  "plan de pagos sin intereses por lo que quede")
                              : w("Once errors and assistance are settled, ask for a prompt-pay discount or a 0 % "
                                  "payment plan on what remains",
                                  "Cuando se resuelvan los errores y la asistencia, pida un descuento por pronto pago "
                                  "o un plan de pagos sin intereses por lo que quede");
    NextStep& m = steps->Add(what, prices ? "lump-sum" : "payment-plan", std::nullopt, Mail(w),
                             prices ? w("Charges far above the Medicare reference (what Medicare pays for the same "
                                        "service) support asking for a lower price.",
                                        "Cargos muy por encima de la referencia de Medicare (lo que Medicare paga por "
                                        "el mismo servicio) justifican pedir un precio más bajo.")
                                    : w("Many providers accept a smaller amount paid at once, or a plan with no "
                                        "interest.",
                                        "Muchos proveedores aceptan una cantidad menor pagada de una vez, o un plan "
                                        "sin intereses."));
    m.hold_back = {w("Pay only after the provider accepts in writing, by a traceable one-time payment.",
                     "Pague solo después de que el proveedor acepte por escrito, con un pago único que deje "
                     "constancia."),
                   NoCredit(w)};
  }
}

}  // namespace

bool ProfileNameDiffers(const Bill& bill, const Profile& profile) {
  return profile.name && bill.patient.name && NamesDiffer(*profile.name, *bill.patient.name);
}

std::vector<NextStep> BuildNextSteps(const Bill& bill, const Profile& profile, const Date& today) {
  Steps steps(today);
  Words words(profile.language);
  if (bill.document_type == DocumentType::kCollectionNotice || bill.collector) {
    CollectionSteps(bill, words, &steps);
  } else if (bill.document_type == DocumentType::kEob) {
    EobSteps(bill, words, &steps);
  } else {
    ProviderSteps(bill, profile, words, &steps);
  }
  return steps.Take();
}

void PlanNextSteps(const Profile& profile, const Date& today, Bill* bill) {
  if (bill == nullptr) return;
  if (!bill->plan) bill->plan = Plan{};
  bill->plan->next_steps = BuildNextSteps(*bill, profile, today);
  bill->plan->language = profile.language == "es" ? "es" : "en";
  if (ProfileNameDiffers(*bill, profile)) {
    bill->diagnostics.push_back(Diagnostic{
        Severity::kWarning, "profile",
        "the name in your profile differs from the patient named on the bill: check that the bill is yours, or "
        "that you write as the patient's parent, guardian or representative",
        std::nullopt});
  }
}

}  // namespace billwise
