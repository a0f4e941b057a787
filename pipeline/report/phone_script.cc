#include "pipeline/report/phone_script.h"

#include <fmt/format.h>

namespace billwise {
namespace {

// One printed line: the text, wrapped by the terminal; the script keeps its own indents.
void Say(std::string* out, const std::string& text = "") {
  *out += text;
  *out += '\n';
}

}  // namespace

std::string PhoneScript(const Bill& bill, const PhoneScriptOptions& options) {
  const bool es = options.language == "es";
  auto w = [es](std::string_view en, std::string_view spanish) { return std::string(es ? spanish : en); };
  const bool collection = bill.document_type == DocumentType::kCollectionNotice || bill.collector.has_value();
  const bool eob = bill.document_type == DocumentType::kEob;
  std::string provider = bill.provider.name.value_or("");
  if (collection && bill.collector && bill.collector->creditor) provider = *bill.collector->creditor;
  const bool named = !provider.empty();
  const std::string account = bill.account_number.value_or("________________");
  const std::string name = options.caller_name.value_or("________________");
  auto date = [es](const Date& d) {
    static const char* kMonths[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                    "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
    if (!es) return d.Display();
    return std::to_string(d.day) + " de " + kMonths[d.month >= 1 && d.month <= 12 ? d.month - 1 : 0] + " de " +
           std::to_string(d.year);
  };

  std::string out;
  Say(&out, fmt::format("{}: {}, {} {}", w("Phone script", "Guion para la llamada"),
                        named ? provider : w("the billing office", "la oficina de facturación"),
                        w("account", "cuenta"), account));
  Say(&out, std::string(60, '='));
  std::string office = named ? w("the billing office of ", "la oficina de facturación de ") + provider
                             : w("the billing office", "la oficina de facturación");
  if (bill.provider.phone && !collection) {
    Say(&out, fmt::format("{} {} {} {}.", w("Call", "Llame a"), office, w("at", "al"), *bill.provider.phone));
  } else {
    Say(&out, fmt::format("{} {} {}", w("Call", "Llame a"), office,
                          w("(the number is on its statement).", "(el número está en su estado de cuenta).")));
  }
  if (collection) {
    Say(&out, w("This call is to the original provider, not the collector. If the collector calls you, say: "
                "\"Please send me the validation notice; I will answer in writing.\" and end the call politely.",
                "Esta llamada es al proveedor original, no a la agencia de cobranza. Si el cobrador de deudas lo "
                "llama, diga: \"Por favor, envíeme el aviso de validación; le responderé por escrito.\" y termine la "
                "llamada con cortesía."));
  }
  Say(&out, w("Have ready: the bill", "Tenga a mano: la factura") +
                (options.insured || eob ? w(", your insurer's EOB", ", la Explicación de beneficios de su aseguradora")
                                        : std::string()) +
                w(", the account number, a pen and this page. Keep to yourself the most you could pay at once or "
                  "each month.",
                  ", el número de cuenta, un bolígrafo y esta página. No diga cuánto podría pagar como máximo de una "
                  "vez o cada mes."));
  Say(&out);

  Say(&out, w("1. Open", "1. Presentación"));
  std::string about = w("account ", "la cuenta ") + account;
  if (bill.statement_date) about += w(", the statement dated ", ", el estado de cuenta del ") + date(*bill.statement_date);
  if (bill.amount_due) about += w(" for ", " por ") + bill.amount_due->Display();
  Say(&out, es ? fmt::format("   \"Buenos días, me llamo {}. Llamo por {}. Quiero resolver esto con ustedes, y "
                             "primero quisiera asegurarme de que los cargos son correctos y saber si califico para "
                             "recibir ayuda. ¿Me podría decir su nombre, por favor?\"",
                             name, about)
               : fmt::format("   \"Hello, my name is {}. I'm calling about {}. I want to resolve this with you, and "
                             "first I'd like to make sure the charges are right and to find out whether I qualify for "
                             "help. May I have your name, please?\"",
                             name, about));
  Say(&out);
  Say(&out, w("2. Ask, one thing at a time, and write down each answer",
              "2. Pida, una cosa a la vez, y anote cada respuesta"));
  Say(&out, w("   a. The itemized bill: \"Could you send me an itemized bill, with the date, the billing code and "
              "the charge of every line?\"",
              "   a. La factura detallada: \"¿Me podría enviar una factura detallada, con la fecha, el código de "
              "facturación y el cargo de cada línea?\""));
  if (options.insured || eob) {
    Say(&out, w("      \"Has my insurance finished processing this claim, and does the bill match the patient "
                "responsibility on my EOB?\"",
                "      \"¿Mi seguro ya terminó de procesar este reclamo, y la factura coincide con la "
                "responsabilidad del paciente de mi Explicación de beneficios?\""));
  }
  Say(&out, w("   b. Financial assistance: \"Do you have a financial-assistance or charity-care policy? Could you "
              "send me the policy and the application, or tell me where to find them?\"",
              "   b. Asistencia financiera: \"¿Tienen una política de asistencia financiera o de atención "
              "caritativa? ¿Me podría enviar la política y la solicitud, o decirme dónde encontrarlas?\""));
  Say(&out, w("   c. A discount: \"Is there a discount for self-pay patients, or for paying promptly in one "
              "payment?\"",
              "   c. Un descuento: \"¿Hay un descuento para pacientes que pagan por cuenta propia, o por pronto pago "
              "en un solo pago?\""));
  Say(&out, w("   d. A payment plan: \"If a balance remains after that, could we set up a plan with you at 0 % "
              "interest and no fees, rather than a credit card or a loan?\"",
              "   d. Un plan de pagos: \"Si después queda un saldo, ¿podríamos acordar un plan de pagos con ustedes, "
              "sin intereses ni cargos, en lugar de una tarjeta de crédito o un préstamo?\""));
  Say(&out, w("   e. A hold: \"While I review the bill and apply for assistance, could you put the account on hold, "
              "so it is not sent to collections and no fees are added? Could you note that on the account?\"",
              "   e. Una pausa: \"Mientras reviso la factura y solicito asistencia, ¿podrían suspender el cobro de la "
              "cuenta, para que no la envíen a cobranza ni le agreguen cargos? ¿Podrían anotarlo en la cuenta?\""));
  Say(&out);
  Say(&out, w("3. If the answer is no", "3. Si la respuesta es no"));
  Say(&out, w("   \"I understand, thank you. Who could approve that? Could I speak with a financial counselor or a "
              "supervisor?\" Stay calm and brief; thank them for their help.",
              "   \"Entiendo, gracias. ¿Quién podría aprobarlo? ¿Podría hablar con un asesor financiero o con un "
              "supervisor?\" Mantenga la calma y sea breve; agradezca su ayuda."));
  Say(&out);
  Say(&out, w("4. Close", "4. Cierre"));
  Say(&out, w("   Read back what was agreed: \"So, to confirm: you will send me ..., and the account is on hold "
              "until .... Could I have a reference number for this call?\" Then thank them.",
              "   Repita lo acordado: \"Entonces, para confirmar: ustedes me enviarán ..., y el cobro de la cuenta "
              "queda suspendido hasta el .... ¿Me podría dar un número de referencia de esta llamada?\" Luego "
              "agradezca."));
  Say(&out);
  Say(&out, w("Do not, on this call: agree to pay or promise a date; give card or bank details; accept a medical "
              "credit card or loan.",
              "En esta llamada, no: acepte pagar ni prometa una fecha; dé datos de su tarjeta o de su banco; acepte "
              "una tarjeta de crédito médica ni un préstamo."));
  Say(&out);
  Say(&out, w("Write down during the call", "Anote durante la llamada"));
  static const char* kItemsEn[] = {"the date and time, and the number you called",
                                   "the name (and ID) of the person, and the department",
                                   "the reference number of the call",
                                   "what you asked for and what they said or promised, with dates",
                                   "the documents they will send you, or you must send them, and by when",
                                   "whether the account is on hold, and until when",
                                   "the next step and its date"};
  static const char* kItemsEs[] = {"la fecha y la hora, y el número al que llamó",
                                    "el nombre (y la identificación) de la persona, y el departamento",
                                    "el número de referencia de la llamada",
                                    "lo que pidió y lo que le dijeron o prometieron, con fechas",
                                    "los documentos que le enviarán, o que usted debe enviar, y para cuándo",
                                    "si el cobro de la cuenta está suspendido, y hasta cuándo",
                                    "el siguiente paso y su fecha"};
  for (const char* item : es ? kItemsEs : kItemsEn) Say(&out, std::string("   [ ] ") + item);
  Say(&out);
  std::string case_ref = options.case_id ? std::to_string(*options.case_id) : w("CASE", "CASO");
  Say(&out, w("After the call, log it (it will show a follow-up date in `billwise case` and `billwise due`):",
              "Después de la llamada, regístrela (mostrará una fecha de seguimiento en `billwise case` y "
              "`billwise due`):"));
  Say(&out, es ? fmt::format("   billwise call {} --date AAAA-MM-DD --with NOMBRE --ref NÚMERO --note \"lo acordado\"",
                             case_ref)
               : fmt::format("   billwise call {} --date YYYY-MM-DD --with NAME --ref NUMBER --note \"what was agreed\"",
                             case_ref));
  Say(&out, w("and confirm what was agreed in a short letter or email, keeping a copy.",
              "y confirme lo acordado en una carta breve o un correo electrónico, y guarde una copia."));
  return out;
}

}  // namespace billwise
