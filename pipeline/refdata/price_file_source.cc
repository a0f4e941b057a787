#include "pipeline/refdata/price_file_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "pipeline/model/strings.h"

namespace billwise {

struct PriceFileSource::Impl {
  int fd = -1;
  archive* ar = nullptr;
  std::string_view memory;
  ~Impl() {
    if (ar) archive_read_free(ar);
    if (fd >= 0) ::close(fd);
  }
};

namespace {

// Positions `ar` at the entry to read: for zip the first .json/.csv entry (else the first
// regular file); for raw (gzip) the only entry.
Expected<void> SelectEntry(archive* ar, PriceFileSource::Container c, const std::string& path) {
  archive_entry* entry = nullptr;
  if (c == PriceFileSource::Container::kGzip) {
    if (archive_read_next_header(ar, &entry) != ARCHIVE_OK) {
      return Fail(ErrorCode::kInvalidInput, path + ": not a readable gzip stream: " + archive_error_string(ar));
    }
    return {};
  }
  // A zip: a second pass cannot rewind a stream, so take the first data entry that looks like
  // a price file; a zip whose first regular entry is something else is read as that entry.
  while (true) {
    int r = archive_read_next_header(ar, &entry);
    if (r == ARCHIVE_EOF) return Fail(ErrorCode::kUnsupported, path + ": zip holds no .json or .csv file");
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      const char* why = archive_error_string(ar);
      return Fail(ErrorCode::kInvalidInput, path + ": not a readable zip: " + (why ? why : "unknown error"));
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* name = archive_entry_pathname(entry);
    std::string_view n = name ? name : "";
    if (EndsWithNoCase(n, ".json") || EndsWithNoCase(n, ".csv") || EndsWithNoCase(n, ".txt")) return {};
  }
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

Expected<PriceFileSource> PriceFileSource::Open(const std::string& path) {
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
  archive* ar = archive_read_new();
  src.impl_->ar = ar;
  if (src.container_ == Container::kGzip) {
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_raw(ar);
  } else {
    archive_read_support_format_zip(ar);
  }
  if (archive_read_open_fd(ar, src.impl_->fd, 1 << 20) != ARCHIVE_OK) {
    const char* why = archive_error_string(ar);
    return Fail(ErrorCode::kInvalidInput, path + ": cannot open archive: " + (why ? why : "unknown error"));
  }
  if (auto ok = SelectEntry(ar, src.container_, path); !ok) return std::unexpected(ok.error());
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
  } else if (impl_->ar == nullptr) {
    while (true) {
      ssize_t n = ::read(impl_->fd, out, capacity);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Fail(ErrorCode::kIo, name_ + ": read failed at byte " + std::to_string(offset_ + peeked_.size() - peeked_at_) + ": " + std::strerror(errno));
      got = static_cast<size_t>(n);
      break;
    }
  } else {
    la_ssize_t n = archive_read_data(impl_->ar, out, capacity);
    if (n < 0) {
      const char* why = archive_error_string(impl_->ar);
      return Fail(ErrorCode::kInvalidInput, name_ + ": compressed data broken after byte " + std::to_string(offset_ + peeked_.size() - peeked_at_) +
                                                " of content: " + (why ? why : "unknown error"));
    }
    got = static_cast<size_t>(n);
  }
  return got;
}

}  // namespace billwise
