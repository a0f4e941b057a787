// The text report: a bill as a person reads it in a terminal. Deterministic (no clock,
// no locale): same Bill, same bytes. Values read with low OCR confidence are marked '?'.
#ifndef BILLWISE_PIPELINE_REPORT_TEXT_REPORT_H_
#define BILLWISE_PIPELINE_REPORT_TEXT_REPORT_H_

#include <string>

#include "pipeline/model/bill.h"

namespace billwise {

// Confidence (0..1) below which a value is marked for the person to check.
inline constexpr double kLowConfidence = 0.80;

std::string TextReport(const Bill& bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REPORT_TEXT_REPORT_H_
