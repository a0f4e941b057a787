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
  const bool collection = bill.document_type == DocumentType::kCollectionNotice || bill.collector.has_value();
  const bool eob = bill.document_type == DocumentType::kEob;
  std::string provider = bill.provider.name.value_or("");
  if (collection && bill.collector && bill.collector->creditor) provider = *bill.collector->creditor;
  if (provider.empty()) provider = "the billing office";
  const std::string account = bill.account_number.value_or("________________");
  const std::string name = options.caller_name.value_or("________________");

  std::string out;
  Say(&out, fmt::format("Phone script: {}, account {}", provider, account));
  Say(&out, std::string(60, '='));
  if (bill.provider.phone && !collection) {
    Say(&out, fmt::format("Call the billing office of {} at {}.", provider, *bill.provider.phone));
  } else {
    Say(&out, fmt::format("Call the billing office of {} (the number is on its statement).", provider));
  }
  if (collection) {
    Say(&out, "This call is to the original provider, not the collector. If the collector calls you, say: "
               "\"Please send me the validation notice; I will answer in writing.\" and end the call politely.");
  }
  Say(&out, "Have ready: the bill" + std::string(options.insured || eob ? ", your insurer's EOB" : "") +
                 ", the account number, a pen and this page. Keep to yourself the most you could pay at once or "
                 "each month.");
  Say(&out);

  Say(&out, "1. Open");
  std::string about = "account " + account;
  if (bill.statement_date) about += ", the statement dated " + bill.statement_date->Display();
  if (bill.amount_due) about += " for " + bill.amount_due->Display();
  Say(&out, fmt::format("   \"Hello, my name is {}. I'm calling about {}. I want to resolve this with you, and "
                         "first I'd like to make sure the charges are right and to find out whether I qualify for "
                         "help. May I have your name, please?\"",
                         name, about));
  Say(&out);
  Say(&out, "2. Ask, one thing at a time, and write down each answer");
  Say(&out, "   a. The itemized bill: \"Could you send me an itemized bill, with the date, the billing code and "
             "the charge of every line?\"");
  if (options.insured || eob) {
    Say(&out, "      \"Has my insurance finished processing this claim, and does the bill match the patient "
               "responsibility on my EOB?\"");
  }
  Say(&out, "   b. Financial assistance: \"Do you have a financial-assistance or charity-care policy? Could you "
             "send me the policy and the application, or tell me where to find them?\"");
  Say(&out, "   c. A discount: \"Is there a discount for self-pay patients, or for paying promptly in one "
             "payment?\"");
  Say(&out, "   d. A payment plan: \"If a balance remains after that, could we set up a plan with you at 0 % "
             "interest and no fees, rather than a credit card or a loan?\"");
  Say(&out, "   e. A hold: \"While I review the bill and apply for assistance, could you put the account on hold, "
             "so it is not sent to collections and no fees are added? Could you note that on the account?\"");
  Say(&out);
  Say(&out, "3. If the answer is no");
  Say(&out, "   \"I understand, thank you. Who could approve that? Could I speak with a financial counselor or a "
             "supervisor?\" Stay calm and brief; thank them for their help.");
  Say(&out);
  Say(&out, "4. Close");
  Say(&out, "   Read back what was agreed: \"So, to confirm: you will send me ..., and the account is on hold "
             "until .... Could I have a reference number for this call?\" Then thank them.");
  Say(&out);
  Say(&out, "Do not, on this call: agree to pay or promise a date; give card or bank details; accept a medical "
             "credit card or loan.");
  Say(&out);
  Say(&out, "Write down during the call");
  for (const char* item : {"the date and time, and the number you called",
                           "the name (and ID) of the person, and the department",
                           "the reference number of the call",
                           "what you asked for and what they said or promised, with dates",
                           "the documents they will send you, or you must send them, and by when",
                           "whether the account is on hold, and until when",
                           "the next step and its date"}) {
    Say(&out, std::string("   [ ] ") + item);
  }
  Say(&out);
  std::string case_ref = options.case_id ? std::to_string(*options.case_id) : "CASE";
  Say(&out, "After the call, log it (it will show a follow-up date in `billwise case` and `billwise due`):");
  Say(&out, fmt::format("   billwise call {} --date YYYY-MM-DD --with NAME --ref NUMBER --note \"what was agreed\"",
                         case_ref));
  Say(&out, "and confirm what was agreed in a short letter or email, keeping a copy.");
  return out;
}

}  // namespace billwise
