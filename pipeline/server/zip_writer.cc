#include "pipeline/server/zip_writer.h"

#include <cstdint>
#include <limits>

#include "pipeline/tables/gzip.h"

namespace billwise {
namespace {

void Put16(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v & 0xff));
  out->push_back(static_cast<char>((v >> 8) & 0xff));
}
void Put32(std::string* out, uint32_t v) {
  Put16(out, v & 0xffff);
  Put16(out, v >> 16);
}

constexpr uint32_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
constexpr uint32_t kDosTime = 0;

}  // namespace

Expected<std::string> MakeZip(const std::vector<OutputFile>& files) {
  if (files.size() > 0xffff) return Fail(ErrorCode::kLimitExceeded, "too many files for a ZIP archive");
  std::string out, central;
  for (const OutputFile& f : files) {
    if (f.bytes.size() >= std::numeric_limits<uint32_t>::max() || out.size() >= std::numeric_limits<uint32_t>::max()) {
      return Fail(ErrorCode::kLimitExceeded, "ZIP archive larger than 4 GB");
    }
    uint32_t crc = Crc32(f.bytes);
    auto deflated = RawDeflate(f.bytes);
    if (!deflated) return std::unexpected(deflated.error());
    bool store = deflated->size() >= f.bytes.size();
    const std::string& data = store ? f.bytes : *deflated;
    uint32_t offset = static_cast<uint32_t>(out.size());
    uint16_t method = store ? 0 : 8;

    Put32(&out, 0x04034b50);
    Put16(&out, 20);         // version needed
    Put16(&out, 1 << 11);    // flags: UTF-8 names
    Put16(&out, method);
    Put16(&out, kDosTime);
    Put16(&out, kDosDate);
    Put32(&out, crc);
    Put32(&out, static_cast<uint32_t>(data.size()));
    Put32(&out, static_cast<uint32_t>(f.bytes.size()));
    Put16(&out, static_cast<uint32_t>(f.name.size()));
    Put16(&out, 0);          // extra length
    out += f.name;
    out += data;

    Put32(&central, 0x02014b50);
    Put16(&central, (3 << 8) | 20);  // made by: Unix, 2.0
    Put16(&central, 20);
    Put16(&central, 1 << 11);
    Put16(&central, method);
    Put16(&central, kDosTime);
    Put16(&central, kDosDate);
    Put32(&central, crc);
    Put32(&central, static_cast<uint32_t>(data.size()));
    Put32(&central, static_cast<uint32_t>(f.bytes.size()));
    Put16(&central, static_cast<uint32_t>(f.name.size()));
    Put16(&central, 0);  // extra
    Put16(&central, 0);  // comment
    Put16(&central, 0);  // disk
    Put16(&central, 0);  // internal attributes
    Put32(&central, 0100644u << 16);  // external: regular file, rw-r--r--
    Put32(&central, offset);
    central += f.name;
  }
  uint32_t central_offset = static_cast<uint32_t>(out.size());
  out += central;
  Put32(&out, 0x06054b50);
  Put16(&out, 0);
  Put16(&out, 0);
  Put16(&out, static_cast<uint32_t>(files.size()));
  Put16(&out, static_cast<uint32_t>(files.size()));
  Put32(&out, static_cast<uint32_t>(central.size()));
  Put32(&out, central_offset);
  Put16(&out, 0);
  return out;
}

}  // namespace billwise
