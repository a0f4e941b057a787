// Fuzz target: bill JSON as `billwise letters` reads it (BillFromJson, pipeline/report/
// bill_json.h), then every letter kind's text over the bill that loaded, with and without
// blanks allowed, and the PDF of the first kind that renders. Contracts: a bill that loads
// writes JSON that loads again; a rendered letter never holds "{{".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/letters/letters.h"
#include "pipeline/letters/markup.h"
#include "pipeline/model/profile.h"
#include "pipeline/report/bill_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto bill = BillFromJson(json);
  if (!bill) return 0;
  if (!BillFromJson(BillToJson(*bill))) std::abort();  // what loads, writes, and loads again
  Profile profile;
  profile.name = "Jordan A. Rivera";
  profile.address = {"1200 Oak Street", "Springfield, IL 62704"};
  profile.monthly_budget = Money::FromDollars(150);
  profile.lump_sum_available = Money::FromDollars(900);
  LetterInputs inputs;
  inputs.bill = &*bill;
  inputs.profile = &profile;
  inputs.today = Date{2026, 2, 20};
  inputs.good_faith_estimate = Money::FromDollars(2500);
  LetterOptions options;
  options.data_dir = BILLWISE_SOURCE_DIR;
  bool pdf_done = false;
  (void)ApplicableLetters(*bill, &profile, inputs.good_faith_estimate);
  for (LetterKind kind : AllLetterKinds()) {
    for (bool blanks : {false, true}) {
      options.allow_blanks = blanks;
      auto text = RenderLetterText(kind, inputs, options);
      if (!text) continue;
      if (text->find("{{") != std::string::npos) std::abort();
      (void)ParseLetterMarkup(*text);
      if (!pdf_done) {
        pdf_done = true;
        (void)RenderLetterPdf(kind, inputs, options);
      }
    }
  }
  return 0;
}
