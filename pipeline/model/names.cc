#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

#include <cerrno>
#include <cstring>

namespace billwise {

const char* DocumentTypeName(DocumentType t) {
  switch (t) {
    case DocumentType::kItemizedStatement: return "itemized_statement";
    case DocumentType::kSummaryStatement: return "summary_statement";
    case DocumentType::kEob: return "eob";
    case DocumentType::kCollectionNotice: return "collection_notice";
    case DocumentType::kUnknown: break;
  }
  return "unknown";
}

const char* CodeTypeName(CodeType t) {
  switch (t) {
    case CodeType::kCpt: return "cpt";
    case CodeType::kHcpcs: return "hcpcs";
    case CodeType::kRevenue: return "revenue";
    case CodeType::kNdc: return "ndc";
    case CodeType::kInternal: return "internal";
    case CodeType::kNone: break;
  }
  return nullptr;
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: break;
  }
  return "error";
}

const char* ReadStatusName(ReadStatus s) {
  switch (s) {
    case ReadStatus::kPartial: return "partial";
    case ReadStatus::kUnreadable: return "unreadable";
    case ReadStatus::kComplete: break;
  }
  return "complete";
}

Error ErrorFromErrno(int err, std::string_view what) {
  std::string cause;
  switch (err) {
    case ENOENT: cause = "no such file"; break;
    case EACCES:
    case EPERM: cause = "permission denied"; break;
    case ELOOP: cause = "too many levels of symbolic links (a symlink loop?)"; break;
    case ENOSPC: cause = "disk full (no space left on the device)"; break;
    case EDQUOT: cause = "disk quota exceeded"; break;
    case EROFS: cause = "read-only file system"; break;
    case EISDIR: cause = "is a folder, not a file"; break;
    case ENOTDIR: cause = "a part of the path is not a folder"; break;
    case ENAMETOOLONG: cause = "file name too long"; break;
    case EMFILE:
    case ENFILE: cause = "too many open files"; break;
    case EIO: cause = "input/output error (a failing disk?)"; break;
    default: cause = std::strerror(err); break;
  }
  std::string message(what);
  if (!message.empty()) message += ": ";
  message += cause;
  return Error{err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo, std::move(message)};
}

const char* FindingClassName(FindingClass c) {
  switch (c) {
    case FindingClass::kBillingError: return "error";
    case FindingClass::kPriceObservation: return "price";
    case FindingClass::kInformation: break;
  }
  return "info";
}

std::optional<FindingClass> ParseFindingClass(std::string_view name) {
  if (name == "error") return FindingClass::kBillingError;
  if (name == "price") return FindingClass::kPriceObservation;
  if (name == "info") return FindingClass::kInformation;
  return std::nullopt;
}

namespace {

// The one mapping between FindingKind and its JSON name.
struct FindingKindEntry {
  FindingKind kind;
  const char* name;
};
constexpr FindingKindEntry kFindingKinds[] = {
    {FindingKind::kDuplicate, "duplicate"},
    {FindingKind::kBundling, "bundling"},
    {FindingKind::kUnits, "units"},
    {FindingKind::kMath, "math"},
    {FindingKind::kPrice, "price"},
    {FindingKind::kSummaryBill, "summary_bill"},
    {FindingKind::kNotRendered, "not_rendered"},
    {FindingKind::kBalanceBilling, "balance_billing"},
    {FindingKind::kEmSameDayProcedure, "em_same_day_procedure"},
    {FindingKind::kGfe, "gfe"},
    {FindingKind::kCollectionAmountMismatch, "collection_amount_mismatch"},
    {FindingKind::kPaymentNotCredited, "payment_not_credited"},
    {FindingKind::kBalanceGrew, "balance_grew"},
    {FindingKind::kExceedsEob, "exceeds_eob"},
    {FindingKind::kGfeExceeded, "gfe_exceeded"},
};

}  // namespace

const char* FindingKindName(FindingKind k) {
  for (const FindingKindEntry& e : kFindingKinds) {
    if (e.kind == k) return e.name;
  }
  return "unknown";  // not reached: every kind has its entry
}

std::optional<FindingKind> ParseFindingKind(std::string_view name) {
  for (const FindingKindEntry& e : kFindingKinds) {
    if (name == e.name) return e.kind;
  }
  return std::nullopt;
}

const char* TextOriginName(TextOrigin o) {
  switch (o) {
    case TextOrigin::kOcr: return "ocr";
    case TextOrigin::kMixed: return "mixed";
    case TextOrigin::kPlainText: return "plain_text";
    case TextOrigin::kTextLayer: break;
  }
  return "text_layer";
}

std::optional<TextOrigin> ParseTextOrigin(std::string_view name) {
  for (TextOrigin o : {TextOrigin::kTextLayer, TextOrigin::kOcr, TextOrigin::kMixed, TextOrigin::kPlainText}) {
    if (name == TextOriginName(o)) return o;
  }
  return std::nullopt;
}

const char* OcrModeName(OcrMode m) {
  switch (m) {
    case OcrMode::kAlways: return "always";
    case OcrMode::kNever: return "never";
    case OcrMode::kAuto: break;
  }
  return "auto";
}

std::optional<OcrMode> ParseOcrMode(std::string_view name) {
  for (OcrMode m : {OcrMode::kAuto, OcrMode::kAlways, OcrMode::kNever}) {
    if (name == OcrModeName(m)) return m;
  }
  return std::nullopt;
}

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kEncrypted: return "encrypted";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kLimitExceeded: return "limit_exceeded";
    case ErrorCode::kBadTemplate: return "bad_template";
    case ErrorCode::kBadData: return "bad_data";
    case ErrorCode::kMissingDependency: return "missing_dependency";
    case ErrorCode::kUsage: return "usage";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kInternal: break;
  }
  return "internal";
}

}  // namespace billwise
