// ExactBytes: a copy of some text in a heap block of exactly its size (no terminating NUL),
// so that AddressSanitizer reports a read one past the end, as it does under libFuzzer.
#ifndef BILLWISE_TESTS_REGRESSION_EXACT_BYTES_H_
#define BILLWISE_TESTS_REGRESSION_EXACT_BYTES_H_

#include <string>
#include <string_view>
#include <vector>

namespace billwise {

class ExactBytes {
 public:
  explicit ExactBytes(std::string_view text) : bytes_(text.begin(), text.end()) {}
  std::string_view view() const { return {bytes_.data(), bytes_.size()}; }
  operator std::string_view() const { return view(); }

 private:
  std::vector<char> bytes_;
};

// The contents of tests/regression/inputs/NAME.
std::string ReadInput(const std::string& name);

}  // namespace billwise

#endif  // BILLWISE_TESTS_REGRESSION_EXACT_BYTES_H_
