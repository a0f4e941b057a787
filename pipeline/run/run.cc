#include "pipeline/run/run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/run/engine_impl.h"

#ifndef BILLWISE_SOURCE_ROOT
#define BILLWISE_SOURCE_ROOT ""
#endif
#ifndef BILLWISE_INSTALL_DATA_DIR
#define BILLWISE_INSTALL_DATA_DIR ""
#endif

namespace billwise {
namespace fs = std::filesystem;

namespace {

bool HasTemplates(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_directory(fs::path(dir) / "templates" / "layouts", ec);
}

}  // namespace

std::string FindDataRoot() {
  if (const char* env = std::getenv("BILLWISE_DATA_DIR"); env && HasTemplates(env)) return env;
  // Beside the executable: <prefix>/bin/billwise -> <prefix>/share/billwise.
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "billwise";
    if (HasTemplates(installed.string())) return installed.string();
  }
  if (HasTemplates(BILLWISE_SOURCE_ROOT)) return BILLWISE_SOURCE_ROOT;
  if (HasTemplates(BILLWISE_INSTALL_DATA_DIR)) return BILLWISE_INSTALL_DATA_DIR;
  return "";
}

Date Today() {
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (end != epoch && *end == '\0') now = static_cast<std::time_t>(v);
  }
  return Date::FromDayNumber(static_cast<long>(now / 86400));
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const std::string& Engine::data_dir() const { return impl_->data_dir; }

Expected<std::shared_ptr<const Engine>> Engine::Load(const EngineOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->data_dir = options.data_dir.empty() ? FindDataRoot() : options.data_dir;
  if (!HasTemplates(impl->data_dir)) {
    return Fail(ErrorCode::kNotFound, "no templates/layouts folder found (set --data-dir or BILLWISE_DATA_DIR)");
  }
  return std::shared_ptr<const Engine>(new Engine(std::move(impl)));
}

Expected<Bill> Engine::AnalyzeFile(const std::string& path, const AnalyzeOptions& options) const {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Fail(ErrorCode::kNotFound, "no such file");
  if (fs::is_directory(st)) return Fail(ErrorCode::kInvalidInput, "is a folder, not a file");
  auto size = fs::file_size(path, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot read the file size");
  if (static_cast<int64_t>(size) > options.limits.max_file_bytes) {
    return Fail(ErrorCode::kLimitExceeded, "file is larger than the " +
                std::to_string(options.limits.max_file_bytes >> 20) + " MB limit");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kIo, "cannot open the file for reading");
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) return Fail(ErrorCode::kIo, "short read");
  return AnalyzeBytes(bytes, path, options);
}

Expected<Bill> Engine::AnalyzeBytes(std::string_view bytes, const std::string& name,
                                    const AnalyzeOptions& options) const {
  (void)options;
  if (bytes.empty()) return Fail(ErrorCode::kInvalidInput, "file is empty");
  Bill bill;
  bill.source.path = name;
  return Fail(ErrorCode::kUnsupported, "document reading is not built yet");
}

}  // namespace billwise
