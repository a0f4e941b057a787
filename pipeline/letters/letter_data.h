// Builds the data a letter template is rendered from, in one place: sender and recipient
// blocks, the RE line values, findings, plan numbers, deadlines, good-faith-estimate and
// estimate values, and today's date, worded for the letter's language.
//
// Values a letter may need but that are unknown become TemplateNode::Missing nodes named
// by the key the user must supply ("profile.address", "bill.account_number",
// "plan.assistance", "--gfe"); only those the chosen template uses are reported.
// Pure function of its inputs; thread-safe. Documented key by key in
// templates/letters/README.md.
#ifndef BILLWISE_PIPELINE_LETTERS_LETTER_DATA_H_
#define BILLWISE_PIPELINE_LETTERS_LETTER_DATA_H_

#include <string>

#include "pipeline/letters/letters.h"
#include "pipeline/mustache/template_data.h"

namespace billwise {

TemplateNode BuildLetterData(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options);

// An EOB line the plan did not pay: its note says denied or not covered, or nothing was
// allowed for a charged service.
bool EobLineDenied(const LineItem& line);

// "January 5, 2026" (en) or "5 de enero de 2026" (es).
std::string LetterDate(const Date& date, const std::string& language);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_LETTER_DATA_H_
