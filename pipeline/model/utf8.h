// Byte strings that should be UTF-8 but need not be: on Linux a file name is any bytes
// except '/' and NUL, and a plain-text bill may be Latin-1. JSON strings must be UTF-8, so
// every JSON writer of billwise carries such text in one documented way (README "JSON
// contract", "Names that are not UTF-8"):
//
//   "path": "Factura_A\uFFFDo.pdf",        the text with each invalid byte as U+FFFD
//   "path_bytes": "Factura_A%F1o.pdf"      only when they differ: EscapeBytes of the name
//
// EscapeBytes keeps valid UTF-8 as it is and writes each other byte, and '%' itself, as %XX
// (two upper-case hex digits), so UnescapeBytes gives the exact original bytes back.
// Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_MODEL_UTF8_H_
#define BILLWISE_PIPELINE_MODEL_UTF8_H_

#include <optional>
#include <string>
#include <string_view>

namespace billwise {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by
// U+FFFD: always valid UTF-8, for display and JSON. Valid text comes back unchanged.
std::string ToValidUtf8(std::string_view text);

// The reversible escape described above. Always valid UTF-8.
std::string EscapeBytes(std::string_view text);

// The inverse of EscapeBytes; nullopt when `escaped` has a '%' not followed by two hex
// digits.
std::optional<std::string> UnescapeBytes(std::string_view escaped);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_UTF8_H_
