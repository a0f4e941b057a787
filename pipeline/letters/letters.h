// Letters: the negotiation letters billwise writes from a Bill, its findings and plan,
// and the patient's Profile.
//
//   Bill + Profile + options -> TemplateNode (letter_data.h) -> Mustache text
//   (templates/letters/<lang>/<kind>.mustache) -> markup (markup.h) -> PDF (pdf_writer.h)
//
// Each letter kind is one template per language (en, es). Missing profile values either
// fail with kUsage naming every missing key, or (allow_blanks) print a visible blank line
// to fill by hand; values the bill did not show always print the blank (LetterBlanks
// lists them for a warning); never a silent gap. Identical inputs give identical bytes.
// All functions are thread-safe; they read template files from options.data_dir.
#ifndef BILLWISE_PIPELINE_LETTERS_LETTERS_H_
#define BILLWISE_PIPELINE_LETTERS_LETTERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/letters/estimate_input.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/error.h"
#include "pipeline/model/money.h"
#include "pipeline/model/profile.h"

namespace billwise {

enum class LetterKind {
  kItemized,     // request for the itemized bill, UB-04/CMS-1500 and records
  kDispute,      // each finding with line, amount, rule and correction; hold collections
  kLumpSum,      // prompt-pay offer, paid in full on payment
  kPaymentPlan,  // 0% interest plan
  kAssistance,   // financial-assistance cover letter (501(r))
  kValidation,   // debt-validation request to a collector (FDCPA 809(b), Reg F)
  kGfeDispute,   // No Surprises Act: bill >= $400 above the good-faith estimate
  kGfeRequest,   // asks for a written good-faith estimate before a service
  kAppeal,       // internal appeal to the health plan of an EOB (29 CFR 2560.503-1, 45 CFR 147.136)
};

// Stable names used on the command line and as file names: "itemized", "dispute",
// "lump-sum", "payment-plan", "assistance", "validation", "gfe-dispute", "gfe-request",
// "appeal".
const char* LetterKindName(LetterKind kind);
std::optional<LetterKind> ParseLetterKind(std::string_view name);
const std::vector<LetterKind>& AllLetterKinds();

struct LetterInputs {
  const Bill* bill = nullptr;        // may be null only for kGfeRequest
  const Profile* profile = nullptr;  // null = every profile value is missing
  std::optional<EstimateInput> estimate;       // from `billwise estimate --format json`
  std::optional<Money> good_faith_estimate;    // --gfe: the estimate the patient was given
  Date today;                                  // the letter's date
  // A collection notice's original creditor's address, from an earlier bill of the same
  // case in the case file; empty = a visible blank.
  std::vector<std::string> creditor_address;
  // An assistance application is written beside the letter (RenderLetterPackage sets it).
  bool application_enclosed = false;
  // That application is billwise's generic one (templates/forms/), which is in English only.
  bool application_generic = false;
  // The hospital's own fillable application and its field map (fill-form); empty = the
  // generic application in templates/forms/.
  std::string application_form_pdf;
  std::string application_map_yaml;
};

struct LetterOptions {
  std::string language = "en";  // en | es
  bool allow_blanks = false;    // missing values print a blank line instead of failing
  int days_to_pay = 30;         // lump-sum: payable within this many days of written acceptance
  std::string data_dir;         // folder holding templates/letters; "" = the source tree
  // Overrides the recipient block (default: the provider, or the collector for validation).
  std::optional<std::string> recipient_name;
  std::vector<std::string> recipient_address;
};

// Renders the letter's markup text (before layout). Errors: kUsage for missing values
// (message lists every key) or a missing bill, kNotFound for a missing template,
// kBadTemplate for a template that does not render cleanly.
Expected<std::string> RenderLetterText(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options);

// The document values the letter leaves as blanks to fill by hand (e.g.
// "bill.provider.address" when the bill did not show it), for a warning. Same errors as
// RenderLetterText for a missing template.
Expected<std::vector<std::string>> LetterBlanks(LetterKind kind, const LetterInputs& inputs,
                                                const LetterOptions& options);

// Identifies the patient on the letter, outside the markup (values are plain text): the
// lines under the RE line (name as on the bill, else the profile's; the date of birth in
// words when the profile is the patient; the member ID on letters to an insurer) and the
// running head of continuation pages (name, account number, "Page 2 of 3"), in the
// letter's language.
struct LetterDocument;
void IdentifyPatient(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options, LetterDocument* doc);

// Renders the letter as PDF bytes (US Letter, #10 double-window layout).
Expected<std::string> RenderLetterPdf(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options);

// A letter and what is written beside it: for `assistance`, the financial-assistance
// application filled from the profile and the bill (the hospital's own form when
// inputs.application_form_pdf is given, else templates/forms/financial_assistance_application.pdf),
// which the letter then lists as enclosed. Files: "<kind>.pdf" and "<kind>-application.pdf"
// (callers may prefix them).
struct LetterFile {
  std::string name;
  std::string bytes;
};
Expected<std::vector<LetterFile>> RenderLetterPackage(LetterKind kind, const LetterInputs& inputs,
                                                      const LetterOptions& options);

// Why a letter kind does not fit this document, or "" when it does: no offers, plans or
// disputes on an EOB (its letter is the appeal); an appeal only from an EOB; gfe-dispute only
// for an uninsured or self-pay profile. Rendering a kind that does not fit fails with kUsage.
std::string LetterMisfit(LetterKind kind, const Bill* bill, const Profile* profile);

// The kinds `--kind all` writes for this bill, never two that contradict each other:
//   EOB               appeal, when a line was denied or a billing error was found;
//   collection notice validation (to the collector), then itemized and assistance to the
//                     original creditor; no payment offer before the debt is validated;
//   provider bill     itemized for summary bills and whenever items are missing; dispute for
//                     billing errors; assistance when a balance is due (unless the plan found
//                     the household above the usual assistance bands); one payment offer,
//                     lump-sum when the plan has one, else payment-plan, only when nothing is
//                     disputed or asked for first (no offer before the assistance decision);
//                     gfe-dispute for an uninsured or self-pay profile when the bill is at
//                     least $400 above the good-faith estimate.
std::vector<LetterKind> ApplicableLetters(const Bill& bill, const Profile* profile,
                                          std::optional<Money> good_faith_estimate = std::nullopt);

// The balance a letter speaks of: amount_due, else charges less payments and adjustments.
std::optional<Money> BalanceDue(const Bill& bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_LETTERS_H_
