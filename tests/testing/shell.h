// Runs a shell command for the tests that drive the built program or external tools
// (qpdf, pdftotext, ldd), and tells whether a tool is installed. Header-only; each call
// opens its own pipe.
#ifndef BILLWISE_TESTS_TESTING_SHELL_H_
#define BILLWISE_TESTS_TESTING_SHELL_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace billwise::testing {

struct ShellResult {
  int status = -1;  // exit status; -1 when the command could not start or was killed
  std::string out;  // stdout and stderr together
};

// Runs `cmd` with /bin/sh, stderr folded into stdout.
inline ShellResult Shell(const std::string& cmd) {
  ShellResult r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// Whether a program named `name` is on the PATH (`command -v`).
inline bool HaveCommand(const std::string& name) { return Shell("command -v " + name + " >/dev/null").status == 0; }

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_TESTING_SHELL_H_
