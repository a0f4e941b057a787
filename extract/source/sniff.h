// SniffKind: what kind of file some bytes are, from the bytes alone (never the file name).
//
// kPng, kJpeg, kTiff from their magic numbers at offset 0 (checked first); kPdf when "%PDF-"
// appears within the first 1024 bytes (PDF readers accept leading junk); kText for valid UTF-8 (optionally with a BOM)
// that is mostly printable, with no NUL bytes; kUnknown for everything else, empty input
// included. So a PNG named .pdf is kPng. Pure function, thread-safe; only the first 64 KiB are
// looked at for the text test.
#ifndef BILLWISE_EXTRACT_SOURCE_SNIFF_H_
#define BILLWISE_EXTRACT_SOURCE_SNIFF_H_

#include <string_view>

namespace billwise {

enum class FileKind { kPdf, kPng, kJpeg, kTiff, kText, kUnknown };

FileKind SniffKind(std::string_view bytes);

// "pdf", "png", "jpeg", "tiff", "text", "unknown".
const char* FileKindName(FileKind kind);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_SNIFF_H_
