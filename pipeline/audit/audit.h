// Audit: the billing-error checks run on a parsed Bill.
//
// AuditBill appends Findings to bill->findings (it never edits line items, pricing or
// earlier findings). Each finding names its kind, the 0-based line indexes it rests on,
// the dollars at stake, the rule and the data edition it applies, and a plain-English
// explanation a patient can paste into a letter. The checks:
//
//   duplicate        same date, code, modifiers and charge (revenue code + description +
//                    charge when no code); repeats marked 76/77/91 and copies reversed by
//                    a matching credit are not flagged. At stake: each extra copy's charge.
//   bundling         an NCCI PTP pair on one date, in the table of the bill's setting
//                    (BillSetting), honouring the modifier indicator and the NCCI
//                    modifiers billed; a lab panel billed with its own components; all
//                    tests of a panel billed separately without the panel. At stake: the
//                    column-2 (component) line's charge ($0 for a panel billed as parts).
//   em_same_day_procedure (info) an E/M visit that an indicator-1 edit bundles into a
//                    procedure billed the same day, on a statement that prints no modifiers
//                    at all (so the modifier 25 that makes such a visit payable cannot be
//                    seen): a question for the provider, not an error.
//   units            units of a code above its MUE for the setting (per line for MAI 1,
//                    per date for MAI 2/3); as a warning, more than one unit of the same
//                    E/M visit code on one date. At stake: charge x excess / units.
//   math             quantity x unit price differs from the line total; items do not add
//                    up to the printed total charges (1-cent tolerance, credits and
//                    subtotal lines handled); the balance is not charges minus insurance
//                    payments, adjustments and patient payments.
//   summary_bill     no itemization (a summary statement, or a balance with no line items),
//                    or items with no billing codes: request the itemized bill.
//   not_rendered     a charged line whose own description says it was not provided
//                    ("Not Used", "cancelled", "not performed", "declined"...).
//   balance_billing  with an EOB: the bill asks for more than the EOB's patient
//                    responsibility for the same services (lines matched by date + code,
//                    totals compared), and lines the EOB denied as duplicates are billed.
//
// On an EOB it also reads the plan's appeals address (appeals_address.h) into
// bill->appeals_address when the reading left it empty.
//
// Amounts at stake of different findings can overlap (a duplicate line may also be an
// EOB-denied duplicate); they are not meant to be added across kinds.
// Lines without a date of service are compared with each other only when the bill's dated
// lines show at most one date (a one-visit bill dated in its header).
// Lines that are themselves extra duplicate copies are left out of the bundling and units
// checks, so one error is not counted twice. Clean bills produce no duplicate, bundling,
// units or math findings.
//
// Thread-safety: AuditBill only reads `data` and `options`; concurrent calls on different
// bills are safe.
#ifndef BILLWISE_PIPELINE_AUDIT_AUDIT_H_
#define BILLWISE_PIPELINE_AUDIT_AUDIT_H_

#include "pipeline/audit/audit_data.h"
#include "pipeline/model/bill.h"

namespace billwise {

struct AuditOptions {
  const Bill* eob = nullptr;  // --eob: an explanation of benefits for the same services; nullptr = none
};

// The NCCI table a bill is checked against: outpatient hospital for a facility bill (a line
// with a UB-04 revenue code, a facility-only HCPCS code such as G0463, G0378-G0384 or an OPPS
// C-code, or a provider named "... Hospital", "... Medical Center", "... Health System"),
// practitioner otherwise.
NcciSetting BillSetting(const Bill& bill);

// Runs every check and appends the findings to bill->findings (and notes that are not
// findings, such as an EOB that lists none of the bill's services, to bill->diagnostics).
void AuditBill(const AuditData& data, const AuditOptions& options, Bill* bill);

// True for evaluation-and-management visit codes that are normally billed once per date
// (office/outpatient, hospital, observation, consultations, ED, critical care first hour,
// nursing facility, home, preventive, newborn).
bool IsEmVisitCode(std::string_view code);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_AUDIT_H_
