// EstimateInput: the parts of `billwise estimate --format json` output a good-faith-
// estimate request quotes (codes, quantities, descriptors, fair-price ranges). Parsed
// tolerantly: unknown keys are ignored, absent values stay empty. The JSON adapter
// (nlohmann) for this module lives in estimate_input.cc.
#ifndef BILLWISE_PIPELINE_LETTERS_ESTIMATE_INPUT_H_
#define BILLWISE_PIPELINE_LETTERS_ESTIMATE_INPUT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"

namespace billwise {

struct EstimateInput {
  struct Service {
    std::string code;
    double quantity = 1;
    std::string descriptor;            // public HCPCS descriptor; empty for CPT
    std::optional<Money> fair_low;
    std::optional<Money> fair_high;
    std::string fair_basis;
    std::string cheapest_setting;
  };
  std::vector<Service> services;
  std::optional<Money> total_low;
  std::optional<Money> total_high;
};

// Fails with kInvalidInput when the text is not JSON or holds no services.
Expected<EstimateInput> ParseEstimateJson(std::string_view json);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_ESTIMATE_INPUT_H_
