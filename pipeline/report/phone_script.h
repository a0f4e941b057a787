// The phone script of `billwise script FILE|CASE`: an open, respectful call to the billing
// office that asks for the itemized bill, the financial-assistance policy and application,
// a self-pay or prompt-pay discount, a 0 % payment plan and a hold on collections during
// the review, and lists what to write down during the call. Win-win in tone: the patient
// means to settle and asks the provider's help to do it right. Built from the bill (and,
// for a collection notice, aimed at the original creditor, never the collector).
// In English, or in Spanish when options.language is "es". Deterministic; pure function;
// thread-safe.
#ifndef BILLWISE_PIPELINE_REPORT_PHONE_SCRIPT_H_
#define BILLWISE_PIPELINE_REPORT_PHONE_SCRIPT_H_

#include <optional>
#include <string>

#include "pipeline/model/bill.h"

namespace billwise {

struct PhoneScriptOptions {
  std::optional<std::string> caller_name;  // the profile's name; a blank to fill when absent
  std::optional<long long> case_id;        // for the `billwise call` line; "CASE" when unknown
  bool insured = false;                    // adds the questions about the insurance claim
  std::string language = "en";             // en | es (the profile's language)
};

std::string PhoneScript(const Bill& bill, const PhoneScriptOptions& options);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_PHONE_SCRIPT_H_
