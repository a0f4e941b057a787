// Fuzz target: `billwise estimate --format json` output as `billwise letters --estimate`
// reads it (ParseEstimateJson, pipeline/letters/estimate_input.h), then the gfe-request
// letter's text over what loaded. Contract: a fair range that loads has low <= high only
// when both were given as such; the letter never holds "{{".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto estimate = ParseEstimateJson(json);
  if (!estimate) return 0;
  LetterInputs inputs;
  inputs.estimate = *estimate;
  inputs.today = Date{2026, 2, 20};
  LetterOptions options;
  options.data_dir = BILLWISE_SOURCE_DIR;
  options.allow_blanks = true;
  options.recipient_name = "Northside Imaging Associates";
  auto text = RenderLetterText(LetterKind::kGfeRequest, inputs, options);
  if (text && text->find("{{") != std::string::npos) std::abort();
  return 0;
}
