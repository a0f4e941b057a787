#include "pipeline/model/program_files.h"

#include <unistd.h>

#ifndef BILLWISE_MODULE_RELDIR
#define BILLWISE_MODULE_RELDIR "../lib/billwise"
#endif

namespace billwise {

std::string ExecutableDir() {
  std::string path(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<size_t>(n) >= path.size()) return "";
  path.resize(static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash == 0 ? 1 : slash);
}

std::vector<std::string> CompanionFileCandidates(std::string_view file) {
  const std::string dir = ExecutableDir();
  if (dir.empty()) return {};
  return {dir + "/" + std::string(file), dir + "/" BILLWISE_MODULE_RELDIR "/" + std::string(file)};
}

}  // namespace billwise
