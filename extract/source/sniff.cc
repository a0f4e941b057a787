#include "extract/source/sniff.h"

#include <cstddef>
#include <string_view>

namespace billwise {
namespace {

constexpr size_t kPdfWindow = 1024;
constexpr size_t kTextWindow = 64 * 1024;

// Valid UTF-8 with at least one visible character and at most 2% control characters. A
// multi-byte sequence cut off by the end of the window is accepted.
bool LooksLikeText(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  const bool truncated = s.size() > kTextWindow;
  if (truncated) s = s.substr(0, kTextWindow);
  size_t visible = 0, control = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0) return false;
      if (c == '\n' || c == '\r' || c == '\t' || c == '\f') {
      } else if (c < 0x20 || c == 0x7F) {
        ++control;
      } else if (c != ' ') {
        ++visible;
      }
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned int cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return truncated;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are not valid UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    ++visible;
    i += len;
  }
  return visible > 0 && control * 50 <= visible + control;
}

}  // namespace

FileKind SniffKind(std::string_view bytes) {
  if (bytes.empty()) return FileKind::kUnknown;
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return FileKind::kPng;
  if (bytes.starts_with("\xFF\xD8\xFF")) return FileKind::kJpeg;
  if (bytes.starts_with(std::string_view("II*\0", 4)) ||
      bytes.starts_with(std::string_view("MM\0*", 4)) ||
      bytes.starts_with(std::string_view("II+\0", 4)) ||
      bytes.starts_with(std::string_view("MM\0+", 4))) {
    return FileKind::kTiff;
  }
  if (bytes.substr(0, kPdfWindow).find("%PDF-") != std::string_view::npos) return FileKind::kPdf;
  if (LooksLikeText(bytes)) return FileKind::kText;
  return FileKind::kUnknown;
}

const char* FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kPdf: return "pdf";
    case FileKind::kPng: return "png";
    case FileKind::kJpeg: return "jpeg";
    case FileKind::kTiff: return "tiff";
    case FileKind::kText: return "text";
    case FileKind::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace billwise
