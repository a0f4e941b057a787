// The HTTP module boundary of the billwise executable (pipeline/server/http_listener.h): the
// executable links no cpp-httplib, libssl or brotli's encoder; `billwise serve` answers through
// billwise-http.so, found beside the executable or in the installed layout; a missing or
// broken module makes `serve` fail with one clear line while the other commands still work.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "pipeline/server/http_listener.h"
#include "tests/testing/files.h"
#include "tests/testing/shell.h"

namespace billwise {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = BILLWISE_BINARY;
const std::string kModule = BILLWISE_HTTP_MODULE;
const std::string kDigital = std::string(BILLWISE_SOURCE_DIR) + "/samples/generated/physician_office.pdf";

std::string Serve(const std::string& binary) { return binary + " --no-store serve --port 0"; }

// `billwise --no-store serve --port 0` as a child process: the port from its first line.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& binary) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execl(binary.c_str(), binary.c_str(), "--no-store", "serve", "--port", "0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    // "billwise: serving http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    first_line_ = line;
    const size_t at = line.find("127.0.0.1:");
    if (at != std::string::npos) port_ = std::atoi(line.c_str() + at + 10);
  }
  ~ServeProcess() { (void)Stop(); }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& first_line() const { return first_line_; }

  // SIGTERM, then the exit status (-1 when it did not exit normally).
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string first_line_;
};

// GET /api/health, retried while the server starts.
httplib::Result Health(int port) {
  httplib::Client client("127.0.0.1", port);
  httplib::Result res = client.Get("/api/health");
  for (int i = 0; i < 200 && !res; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    res = client.Get("/api/health");
  }
  return res;
}

std::string Maps(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(HttpModule, ExecutableLinksNoHttpLibrariesAndTheModuleDoes) {
  if (!testing::HaveCommand("ldd")) GTEST_SKIP() << "ldd not installed";
  const testing::ShellResult exe = testing::Shell("ldd " + kBinary);
  ASSERT_EQ(exe.status, 0) << exe.out;
  // libbrotlidec and libbrotlicommon may stay: FreeType (under poppler) needs them.
  for (const char* lib : {"libcpp-httplib", "libssl", "libbrotlienc"}) {
    EXPECT_EQ(exe.out.find(lib), std::string::npos) << lib << " in\n" << exe.out;
  }
  const testing::ShellResult module = testing::Shell("ldd " + kModule);
  ASSERT_EQ(module.status, 0) << module.out;
  EXPECT_NE(module.out.find("libcpp-httplib"), std::string::npos) << module.out;
  EXPECT_EQ(module.out.find("not found"), std::string::npos) << module.out;
}

TEST(HttpModule, ServeAnswersThroughTheBuildTreeModule) {
  ServeProcess serve(kBinary);
  ASSERT_GT(serve.port(), 0) << serve.first_line();
  httplib::Result health = Health(serve.port());
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"status\":\"ok\""), std::string::npos) << health->body;
  EXPECT_EQ(health->get_header_value("X-Content-Type-Options"), "nosniff");
  // The server runs in the module, which brought cpp-httplib in.
  const std::string maps = Maps(serve.pid());
  EXPECT_NE(maps.find(std::string("/") + kHttpModuleFile), std::string::npos);
  EXPECT_NE(maps.find("libcpp-httplib"), std::string::npos);
  EXPECT_EQ(serve.Stop(), 0);
}

TEST(HttpModule, OtherCommandsDoNotLoadIt) {
  // `--version` and `analyze` run with LD_DEBUG: the loader names every library it opens.
  const testing::ShellResult version = testing::Shell("LD_DEBUG=files " + kBinary + " --version");
  ASSERT_EQ(version.status, 0) << version.out;
  EXPECT_NE(version.out.find("billwise"), std::string::npos);
  EXPECT_EQ(version.out.find(kHttpModuleFile), std::string::npos);
  EXPECT_EQ(version.out.find("libcpp-httplib"), std::string::npos);
  const testing::ShellResult analyze =
      testing::Shell("LD_DEBUG=files " + kBinary + " --no-store analyze " + kDigital + " --format json");
  ASSERT_EQ(analyze.status, 0) << analyze.out.substr(0, 2000);
  EXPECT_EQ(analyze.out.find(kHttpModuleFile), std::string::npos);
  EXPECT_EQ(analyze.out.find("libssl"), std::string::npos);
}

TEST(HttpModule, MissingModuleIsAOneLineErrorOnlyForServe) {
  testing::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string binary = testing::CopyInto(kBinary, tmp.path() + "/bin");
  const testing::ShellResult serve = testing::Shell(Serve(binary));
  EXPECT_EQ(serve.status, 2) << serve.out;
  const std::string want = "billwise: the HTTP module is not installed (looked for " + tmp.path() +
                           "/bin/billwise-http.so and ";
  EXPECT_EQ(serve.out.rfind(want, 0), 0u) << serve.out;
  EXPECT_NE(serve.out.find("it is needed to serve the local web page"), std::string::npos) << serve.out;
  EXPECT_EQ(std::count(serve.out.begin(), serve.out.end(), '\n'), 1) << serve.out;
  // Reading a digital bill does not need it.
  const testing::ShellResult analyze = testing::Shell(binary + " --no-store analyze " + kDigital + " --format json");
  EXPECT_EQ(analyze.status, 0) << analyze.out.substr(0, 2000);
  EXPECT_NE(analyze.out.find("\"amount_due\""), std::string::npos);
}

TEST(HttpModule, BrokenModuleIsAOneLineError) {
  testing::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string binary = testing::CopyInto(kBinary, tmp.path());
  std::ofstream(tmp.path() + "/billwise-http.so") << "not a shared object\n";
  const testing::ShellResult serve = testing::Shell(Serve(binary));
  EXPECT_EQ(serve.status, 2) << serve.out;
  EXPECT_EQ(serve.out.rfind("billwise: the HTTP module " + tmp.path() + "/billwise-http.so cannot be loaded: ", 0), 0u)
      << serve.out;
  EXPECT_EQ(std::count(serve.out.begin(), serve.out.end(), '\n'), 1) << serve.out;
}

TEST(HttpModule, InstalledLayoutFindsTheModule) {
  testing::TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  // <prefix>/bin/billwise and <prefix>/<libdir>/billwise/billwise-http.so, as installed.
  const std::string bin = tmp.path() + "/bin";
  const std::string binary = testing::CopyInto(kBinary, bin);
  const fs::path module_dir = fs::weakly_canonical(fs::path(bin) / BILLWISE_MODULE_RELDIR);
  fs::create_directories(module_dir);
  fs::copy_file(kModule, module_dir / kHttpModuleFile);
  ServeProcess serve(binary);
  ASSERT_GT(serve.port(), 0) << serve.first_line();
  httplib::Result health = Health(serve.port());
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(Maps(serve.pid()).find((module_dir / kHttpModuleFile).string()), std::string::npos);
  EXPECT_EQ(serve.Stop(), 0);
}

}  // namespace
}  // namespace billwise
