// Integer encodings for billwise's binary files (the compiled layout packs):
// LEB128 varints (unsigned) and 4-byte little-endian words, and a bounds-checked reader
// over a byte string. Header-only; no state beyond each ByteReader, which is not
// thread-safe and must not outlive the bytes it reads.
#ifndef BILLWISE_PIPELINE_TABLES_BYTE_CODEC_H_
#define BILLWISE_PIPELINE_TABLES_BYTE_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace billwise {

inline void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline void PutU32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// REQUIRES: b.size() >= 4.
inline uint32_t GetU32(std::string_view b) {
  const auto* t = reinterpret_cast<const unsigned char*>(b.data());
  return static_cast<uint32_t>(t[0]) | static_cast<uint32_t>(t[1]) << 8 | static_cast<uint32_t>(t[2]) << 16 |
         static_cast<uint32_t>(t[3]) << 24;
}

// Reads varints and byte runs from the front of `bytes`; each call returns false, reading
// nothing usable, when the bytes run out.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : rest_(bytes) {}
  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
      auto byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool Bytes(uint64_t n, std::string_view* out) {
    if (rest_.size() < n) return false;
    *out = rest_.substr(0, static_cast<size_t>(n));
    rest_.remove_prefix(static_cast<size_t>(n));
    return true;
  }
  size_t remaining() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_BYTE_CODEC_H_
