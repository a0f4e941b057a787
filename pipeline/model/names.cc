#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

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
