// The files written for one analyzed bill besides bill.json: report.html and the letters
// that apply (letter-<kind>.pdf, and letter-assistance-application.pdf beside the
// assistance letter). Shared by `billwise FILE...`, `batch --letters`/`--html`
// and the local server, so all three write the same bytes for the same bill.
//
// Letters are the kinds ApplicableLetters() picks for the bill and profile, rendered with
// visible blanks for whatever the profile (or a missing profile) does not say. Pure
// function of its inputs apart from reading letter templates; thread-safe.
#ifndef BILLWISE_PIPELINE_BATCH_BILL_OUTPUTS_H_
#define BILLWISE_PIPELINE_BATCH_BILL_OUTPUTS_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/batch/batch.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"

namespace billwise {

struct BillOutputOptions {
  bool html = true;                 // report.html
  bool letters = true;              // letter-<kind>.pdf for each applicable kind
  std::optional<Profile> profile;   // none: letters carry blanks for the patient's details
  std::string language;             // "" = the profile's language, else "en"
  std::string data_dir;             // folder with templates/letters ("" = auto)
  Date today;                       // the letters' date
};

// File name of a letter: "letter-dispute.pdf".
std::string LetterFileName(const char* kind_name);

// Builds report.html and the letters. Fails when a letter cannot be rendered (e.g. its
// template is missing), naming the letter kind.
Expected<std::vector<OutputFile>> BuildBillOutputs(const Bill& bill, const BillOutputOptions& options);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_BATCH_BILL_OUTPUTS_H_
