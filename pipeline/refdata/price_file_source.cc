#include "pipeline/refdata/price_file_source.h"

#include <fcntl.h>
#include <minizip/unzip.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include "pipeline/model/strings.h"

namespace billwise {

// One of: a plain file (fd), a gzip stream (zlib's gz* reader, every member in turn) or the
// chosen entry of a zip (minizip, zlib's own zip reader), or bytes in memory.
struct PriceFileSource::Impl {
  int fd = -1;
  gzFile gz = nullptr;
  unzFile zip = nullptr;
  std::string_view memory;
  ~Impl() {
    if (zip) {
      unzCloseCurrentFile(zip);
      unzClose(zip);
    }
    if (gz) gzclose(gz);
    if (fd >= 0) ::close(fd);
  }
};

namespace {

// Opens, in `zip`, the entry named `entry`, or when it is "" the first entry named *.json,
// *.csv or *.txt (directories skipped).
Expected<void> OpenPriceEntry(unzFile zip, const std::string& path, const std::string& entry) {
  for (int r = unzGoToFirstFile(zip); r == UNZ_OK; r = unzGoToNextFile(zip)) {
    char name[4096];
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK) break;
    std::string_view n = name;
    if (n.ends_with('/')) continue;
    if (!entry.empty() && n != entry) continue;
    if (entry.empty() && !EndsWithNoCase(n, ".json") && !EndsWithNoCase(n, ".csv") && !EndsWithNoCase(n, ".txt")) {
      continue;
    }
    if (unzOpenCurrentFile(zip) != UNZ_OK) {
      return Fail(ErrorCode::kInvalidInput, path + ": not a readable zip: entry " + std::string(n) + " cannot be opened");
    }
    return {};
  }
  if (!entry.empty()) return Fail(ErrorCode::kNotFound, path + ": zip has no entry " + entry);
  return Fail(ErrorCode::kUnsupported, path + ": zip holds no .json or .csv file");
}

}  // namespace

const char* ContainerName(PriceFileSource::Container c) {
  switch (c) {
    case PriceFileSource::Container::kPlain: return "plain";
    case PriceFileSource::Container::kGzip: return "gzip";
    case PriceFileSource::Container::kZip: return "zip";
    case PriceFileSource::Container::kMemory: return "memory";
  }
  return "plain";
}

PriceFileSource::PriceFileSource(PriceFileSource&&) noexcept = default;
PriceFileSource& PriceFileSource::operator=(PriceFileSource&&) noexcept = default;
PriceFileSource::~PriceFileSource() = default;

Expected<std::vector<std::string>> PriceFileSource::ZipEntries(const std::string& path) {
  unzFile zip = unzOpen64(path.c_str());
  if (zip == nullptr) return Fail(ErrorCode::kInvalidInput, path + ": not a readable zip");
  std::vector<std::string> names;
  for (int r = unzGoToFirstFile(zip); r == UNZ_OK; r = unzGoToNextFile(zip)) {
    char name[4096];
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK) break;
    if (!std::string_view(name).ends_with('/')) names.emplace_back(name);
  }
  unzClose(zip);
  return names;
}

Expected<PriceFileSource> PriceFileSource::Open(const std::string& path, const std::string& zip_entry) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Fail(ErrorCode::kNotFound, path + ": no such file");
  PriceFileSource src;
  src.name_ = path;
  src.impl_ = std::make_unique<Impl>();
  src.impl_->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (src.impl_->fd < 0) return Fail(ErrorCode::kIo, path + ": cannot open: " + std::strerror(errno));
  unsigned char magic[4] = {0, 0, 0, 0};
  ssize_t n = ::pread(src.impl_->fd, magic, sizeof magic, 0);
  if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    src.container_ = Container::kGzip;
  } else if (n >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
    src.container_ = Container::kZip;
  } else {
    ::posix_fadvise(src.impl_->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return src;
  }
  if (src.container_ == Container::kGzip) {
    src.impl_->gz = gzdopen(src.impl_->fd, "rb");
    if (src.impl_->gz == nullptr) return Fail(ErrorCode::kIo, path + ": cannot open: out of memory");
    src.impl_->fd = -1;  // the gzip reader owns it now
    gzbuffer(src.impl_->gz, 1 << 20);
  } else {
    src.impl_->zip = unzOpen64(path.c_str());
    if (src.impl_->zip == nullptr) {
      return Fail(ErrorCode::kInvalidInput, path + ": not a readable zip: no central directory (truncated?)");
    }
    if (auto ok = OpenPriceEntry(src.impl_->zip, path, zip_entry); !ok) return std::unexpected(ok.error());
  }
  return src;
}

PriceFileSource PriceFileSource::FromBytes(std::string_view bytes, std::string name) {
  PriceFileSource src;
  src.name_ = std::move(name);
  src.container_ = Container::kMemory;
  src.impl_ = std::make_unique<Impl>();
  src.impl_->memory = bytes;
  return src;
}

Expected<std::string_view> PriceFileSource::Peek(size_t n) {
  while (peeked_.size() < n) {
    size_t old = peeked_.size();
    peeked_.resize(n);
    auto got = ReadUnderlying(peeked_.data() + old, n - old);
    if (!got) return std::unexpected(got.error());
    peeked_.resize(old + *got);
    if (*got == 0) break;
  }
  return std::string_view(peeked_);
}

Expected<size_t> PriceFileSource::Read(char* out, size_t capacity) {
  if (peeked_at_ < peeked_.size()) {
    size_t got = std::min(capacity, peeked_.size() - peeked_at_);
    std::memcpy(out, peeked_.data() + peeked_at_, got);
    peeked_at_ += got;
    offset_ += got;
    return got;
  }
  auto got = ReadUnderlying(out, capacity);
  if (got) offset_ += *got;
  return got;
}

Expected<size_t> PriceFileSource::ReadUnderlying(char* out, size_t capacity) {
  size_t got = 0;
  if (container_ == Container::kMemory) {
    std::string_view& m = impl_->memory;
    got = std::min(capacity, m.size());
    std::memcpy(out, m.data(), got);
    m.remove_prefix(got);
  } else if (impl_->gz != nullptr) {
    const int n = gzread(impl_->gz, out, static_cast<unsigned>(std::min<size_t>(capacity, INT_MAX)));
    int code = Z_OK;
    const char* why = gzerror(impl_->gz, &code);
    // A truncated stream ends a read short with Z_BUF_ERROR ("unexpected end of file").
    if (n < 0 || (n == 0 && code != Z_OK)) {
      return Fail(ErrorCode::kInvalidInput, name_ + ": compressed data broken after byte " + ContentOffset() +
                                                " of content: " + (why ? why : "unknown error"));
    }
    got = static_cast<size_t>(n);
  } else if (impl_->zip != nullptr) {
    const int n = unzReadCurrentFile(impl_->zip, out, static_cast<unsigned>(std::min<size_t>(capacity, INT_MAX)));
    if (n < 0) {
      return Fail(ErrorCode::kInvalidInput, name_ + ": compressed data broken after byte " + ContentOffset() +
                                                " of content: zip error " + std::to_string(n));
    }
    got = static_cast<size_t>(n);
  } else {
    while (true) {
      ssize_t n = ::read(impl_->fd, out, capacity);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Fail(ErrorCode::kIo, name_ + ": read failed at byte " + ContentOffset() + ": " + std::strerror(errno));
      got = static_cast<size_t>(n);
      break;
    }
  }
  return got;
}

std::string PriceFileSource::ContentOffset() const { return std::to_string(offset_ + peeked_.size() - peeked_at_); }

}  // namespace billwise
