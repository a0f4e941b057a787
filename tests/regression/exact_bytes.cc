#include "tests/regression/exact_bytes.h"

#include <fstream>
#include <sstream>

namespace billwise {

std::string ReadInput(const std::string& name) {
  std::ifstream in(std::string(BILLWISE_REGRESSION_INPUTS) + "/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace billwise
