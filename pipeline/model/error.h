// Error and Expected<T>: how every fallible stage in billwise reports failure.
//
// Stages never throw across module boundaries. A function that can fail returns
// Expected<T> (std::expected<T, Error>); the Error carries a code that maps to the
// process exit code and a one-line, patient-data-free reason. Adapters around
// third-party libraries convert that library's failure style (null pointers,
// return codes, exceptions, RE2 ok()) into an Error.
#ifndef BILLWISE_PIPELINE_MODEL_ERROR_H_
#define BILLWISE_PIPELINE_MODEL_ERROR_H_

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace billwise {

enum class ErrorCode {
  kInvalidInput,       // the file is not something we can read: empty, truncated, wrong type
  kEncrypted,          // the PDF needs a password
  kUnsupported,        // a valid file of a kind we do not handle
  kNotFound,           // a file or resource that should exist does not
  kLimitExceeded,      // a page, pixel, time or memory limit was hit
  kBadTemplate,        // a layout or letter template is invalid (names file and field)
  kBadData,            // a reference table or profile is invalid
  kMissingDependency,  // e.g. tessdata or a font is not installed
  kUsage,              // a command-line or API argument is wrong
  kIo,                 // reading or writing a file failed
  kInternal,           // a bug or an unexpected library failure
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // one line, no patient data; the caller adds the file name
};

template <typename T>
using Expected = std::expected<T, Error>;

// Builds the unexpected value: `return Fail(ErrorCode::kEncrypted, "PDF is encrypted");`
inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

// The error of a failed system call, naming its real cause from errno: "no such file",
// "permission denied", "too many levels of symbolic links (a symlink loop?)", "disk full",
// ... (strerror for the rest). ENOENT is kNotFound, every other errno kIo. `what` is
// the attempt, without a file name: `ErrorFromErrno(errno, "cannot open the file")` gives
// "cannot open the file: permission denied".
Error ErrorFromErrno(int err, std::string_view what);

// Short stable name of a code ("invalid_input", "encrypted", ...), for JSON and CSV.
const char* ErrorCodeName(ErrorCode code);

// Process exit code for a fatal error of this kind (DESIGN.md: 2 for usage and fatal errors).
inline int ExitCodeFor(const Error&) { return 2; }

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_ERROR_H_
