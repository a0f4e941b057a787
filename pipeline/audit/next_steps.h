// Next steps: what the patient should do, in order, with dates, the letter to use, how to
// send it and what to hold back. Fills bill->plan->next_steps (the top of every report and
// `plan.next_steps` in the JSON contract) from the document type, the findings, the plan's
// deadlines and the profile. Pure function of its arguments (`today` is passed in).
//
// The order a careful advocate would follow:
//   collection notice  1 validation letter to the collector (certified mail, by the end of
//                        the validation period); 2 the itemized bill from the original
//                        creditor; 3 financial assistance when a 501(r) window is open
//   EOB                1 compare the provider's bill with the EOB's patient share; 2 an
//                        internal appeal to the plan (180 days) when a line is denied or a
//                        finding applies
//   provider bill      1 a call to the billing office (hold, itemized bill, assistance
//                        application; `billwise script`); 2 the itemized bill when it is a
//                        summary; 3 the dispute of billing errors; 4 financial assistance
//                        (by the 501(r) date); 5 the No Surprises Act dispute when the bill
//                        is $400 or more above a good-faith estimate (self-pay only);
//                        6 a lump-sum offer or a 0 % payment plan, last
// Steps with a legal deadline are sent by certified mail with a return receipt. Each step
// lists what to hold back (no payment to a collector before validation, no plan or offer
// before the assistance decision, no credit card or medical loan).
//
// The steps are written in the profile's language (`language: es` gives Spanish, else
// English); the appeal step names the appeals address the EOB prints (bill.appeals_address)
// or leaves a visible blank.
//
// Also adds a `profile` diagnostic (no names in it) when the profile's name and the
// patient named on the bill look like different people.
#ifndef BILLWISE_PIPELINE_AUDIT_NEXT_STEPS_H_
#define BILLWISE_PIPELINE_AUDIT_NEXT_STEPS_H_

#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/profile.h"

namespace billwise {

inline constexpr const char* kCertifiedMail = "certified mail, return receipt requested";
inline constexpr const char* kCertifiedMailEs = "correo certificado con acuse de recibo";
inline constexpr int kAppealDays = 180;  // 29 CFR 2560.503-1(h)(3)(i): at least 180 days

// The steps for `bill` (reads bill.plan's deadlines when present). Numbered from 1.
std::vector<NextStep> BuildNextSteps(const Bill& bill, const Profile& profile, const Date& today);

// True when the profile names someone other than the patient printed on the bill (both
// names known and no match by NameWords/SamePersonName).
bool ProfileNameDiffers(const Bill& bill, const Profile& profile);

// Sets bill->plan->next_steps and bill->plan->language (creating an empty plan when none) and adds the name
// diagnostic when ProfileNameDiffers.
void PlanNextSteps(const Profile& profile, const Date& today, Bill* bill);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_AUDIT_NEXT_STEPS_H_
