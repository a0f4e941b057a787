// Shared fixture for the refdata tests: the ReferenceData loaded once from the source tree.
#ifndef BILLWISE_TESTS_REFDATA_TEST_DATA_H_
#define BILLWISE_TESTS_REFDATA_TEST_DATA_H_

#include <gtest/gtest.h>

#include <memory>

#include "pipeline/refdata/reference_data.h"

namespace billwise {

inline const ReferenceData& TestData() {
  static std::shared_ptr<const ReferenceData> data = [] {
    auto d = ReferenceData::Load(BILLWISE_SOURCE_DIR);
    if (!d) {
      ADD_FAILURE() << d.error().message;
      return std::shared_ptr<const ReferenceData>();
    }
    return *d;
  }();
  return *data;
}

}  // namespace billwise

#endif  // BILLWISE_TESTS_REFDATA_TEST_DATA_H_
