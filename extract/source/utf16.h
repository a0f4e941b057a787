// UTF-16 to UTF-8, for text that poppler-cpp hands over as UTF-16 code units
// (poppler::ustring). poppler's own ustring::to_utf8() goes through iconv, which opens a
// conversion module per call and costs several microseconds a word; this is a plain loop.
//
// Surrogate pairs are combined; an unpaired surrogate becomes U+FFFD; a leading byte-order
// mark (U+FEFF) is dropped. Pure function, thread-safe.
#ifndef BILLWISE_EXTRACT_SOURCE_UTF16_H_
#define BILLWISE_EXTRACT_SOURCE_UTF16_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace billwise {

std::string Utf16ToUtf8(const uint16_t* units, size_t count);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_UTF16_H_
