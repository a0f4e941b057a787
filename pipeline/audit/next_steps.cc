#include "pipeline/audit/next_steps.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "pipeline/audit/plan.h"
#include "pipeline/model/person_name.h"

namespace billwise {
namespace {

constexpr const char* kNoCredit =
    "Do not put the bill on a credit card or take a medical loan: their interest can cost more than the bill.";
constexpr const char* kNoPlanBeforeAssistance =
    "Do not agree to a payment plan or pay a lump sum before the financial-assistance decision: assistance can "
    "lower or cancel the bill.";

std::optional<Date> DeadlineMatching(const Bill& bill, std::string_view needle) {
  if (!bill.plan) return std::nullopt;
  for (const Deadline& d : bill.plan->deadlines) {
    if (d.what.find(needle) != std::string::npos) return d.date;
  }
  return std::nullopt;
}

bool IsPrice(const Finding& f) { return f.kind.find("price") != std::string::npos; }
// A billing error to dispute: an error finding, or a warning of a billing-error kind (units
// above the limit, for example); never a price observation or information.
bool IsError(const Finding& f) {
  static constexpr std::string_view kErrorKinds[] = {"duplicate", "bundling",        "units", "math",
                                                     "not_rendered", "balance_billing", "gfe"};
  if (IsPrice(f) || f.severity == Severity::kInfo) return false;
  return f.severity == Severity::kError ||
         std::find(std::begin(kErrorKinds), std::end(kErrorKinds), f.kind) != std::end(kErrorKinds);
}

class Steps {
 public:
  explicit Steps(const Date& today) : today_(today) {}

  NextStep& Add(std::string what, std::optional<std::string> letter, std::optional<Date> by, std::string how,
                std::string why) {
    NextStep s;
    s.step = static_cast<int>(steps_.size()) + 1;
    s.what = std::move(what);
    s.letter = std::move(letter);
    s.by = by;
    if (by) s.days_left = static_cast<int>(today_.DaysUntil(*by));
    s.how = std::move(how);
    s.why = std::move(why);
    steps_.push_back(std::move(s));
    return steps_.back();
  }
  std::vector<NextStep> Take() { return std::move(steps_); }

 private:
  Date today_;
  std::vector<NextStep> steps_;
};

void CollectionSteps(const Bill& bill, Steps* steps) {
  std::optional<Date> validation = DeadlineMatching(bill, "validation");
  if (!validation && bill.collector && bill.collector->validation_end_date) validation = bill.collector->validation_end_date;
  std::string collector = bill.collector && bill.collector->name ? *bill.collector->name : "the collector";
  NextStep& v = steps->Add(
      "Ask " + collector + " in writing to validate the debt (prove it is yours and the amount is right)",
      "validation", validation, kCertifiedMail,
      "A written dispute sent within the validation period obliges the collector to stop collecting the disputed "
      "amount until it sends proof. Certified mail gives you proof of the date you sent it.");
  v.hold_back = {"Do not pay the collector or agree to a payment plan before it has validated the debt.",
                 "Do not discuss the debt by phone; answer in writing. A payment or a promise to pay can restart "
                 "the time limit for a lawsuit in some states.",
                 kNoCredit};
  std::string creditor = bill.collector && bill.collector->creditor ? *bill.collector->creditor
                         : bill.provider.name                       ? *bill.provider.name
                                                                    : "the original provider";
  NextStep& i = steps->Add("Ask " + creditor + " (the original creditor) for the itemized bill", "itemized",
                           std::nullopt, "mail",
                           "The itemized bill lists every charge with its code, so errors can be found. The "
                           "original creditor is the provider that treated you, not the collector.");
  i.hold_back = {"Do not pay before the itemized bill arrives and the debt is validated."};
  if (std::optional<Date> fap = DeadlineMatching(bill, "501(r)")) {
    NextStep& a = steps->Add("Apply to " + creditor + " for financial assistance (charity care)", "assistance", fap,
                             kCertifiedMail,
                             "Nonprofit hospitals must offer free or discounted care to patients who qualify, and "
                             "must pause collection while an application is pending.");
    a.hold_back = {kNoPlanBeforeAssistance};
  }
}

void EobSteps(const Bill& bill, Steps* steps) {
  std::string share = bill.amount_due ? bill.amount_due->Display() : "the patient responsibility it shows";
  NextStep& c = steps->Add("Compare the provider's bill with this EOB: you owe the provider at most " + share,
                           std::nullopt, std::nullopt, "check by hand",
                           "An EOB (explanation of benefits) is the insurer's statement, not a bill. An in-network "
                           "provider may bill you only the patient responsibility it shows (deductible, coinsurance "
                           "and copay).");
  c.hold_back = {"Do not pay the provider more than the EOB's patient responsibility; ask it to correct a bill "
                 "that asks for more.",
                 "Do not pay an amount the EOB marks as the provider's write-off (contractual adjustment)."};
  bool denied = std::any_of(bill.line_items.begin(), bill.line_items.end(), [](const LineItem& li) {
    if (!li.eob_note) return false;
    std::string n = *li.eob_note;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return n.find("denied") != std::string::npos || n.find("not covered") != std::string::npos;
  });
  bool errors = std::any_of(bill.findings.begin(), bill.findings.end(), IsError);
  if (denied || errors) {
    std::optional<Date> by = DeadlineMatching(bill, "appeal");
    if (!by && bill.statement_date) by = bill.statement_date->AddDays(kAppealDays);
    NextStep& a = steps->Add("Appeal to your health plan (internal appeal)", "appeal", by, kCertifiedMail,
                             "You have at least 180 days from the EOB to ask the plan to review a denied or "
                             "wrongly processed claim. Employer plans must follow the federal claims rules "
                             "(29 CFR 2560.503-1).");
    a.hold_back = {"Do not pay the denied amount while the appeal is open; ask the provider to hold the account."};
  }
}

void ProviderSteps(const Bill& bill, const Profile& profile, Steps* steps) {
  std::string provider = bill.provider.name ? *bill.provider.name : "the billing office";
  bool summary = bill.document_type == DocumentType::kSummaryStatement || bill.line_items.empty() ||
                 std::any_of(bill.findings.begin(), bill.findings.end(),
                             [](const Finding& f) { return f.kind == "summary_bill"; });
  int errors = static_cast<int>(std::count_if(bill.findings.begin(), bill.findings.end(), IsError));
  bool prices = std::any_of(bill.findings.begin(), bill.findings.end(), IsPrice);
  std::optional<Date> fap = DeadlineMatching(bill, "501(r)");

  NextStep& call = steps->Add(
      "Call " + provider + ": ask for the itemized bill, the financial-assistance application and a hold on "
      "collections while you review (a script: billwise script)",
      std::nullopt, std::nullopt, "phone, then log the call (billwise call)",
      "A short, friendly call often gets the account put on hold and the forms sent. Write down the name of the "
      "person, the date and a reference number.");
  call.hold_back = {"Do not agree to pay anything on the first call, and do not give card or bank details.",
                    kNoCredit};
  if (summary) {
    NextStep& s = steps->Add("Ask " + provider + " in writing for the itemized bill", "itemized", std::nullopt,
                             "mail",
                             "This bill shows totals only. The itemized bill lists every charge with its billing "
                             "code, so errors can be found.");
    s.hold_back = {"Do not pay before the itemized bill arrives."};
  }
  if (errors > 0) {
    NextStep& d = steps->Add("Dispute the " + std::to_string(errors) + " billing error" + (errors == 1 ? "" : "s") +
                                 " listed below",
                             "dispute", std::nullopt, kCertifiedMail,
                             "Billing errors (a charge billed twice, a service that is part of another, more units "
                             "than allowed, wrong arithmetic) should be removed, not negotiated.");
    d.hold_back = {"Do not pay the disputed amount until the provider answers in writing."};
  }
  if (fap) {
    NextStep& a = steps->Add("Apply to " + provider + " for financial assistance (charity care)", "assistance", fap,
                             kCertifiedMail,
                             "Nonprofit hospitals must offer free or discounted care to patients who qualify, and "
                             "must not start collection actions while an application is pending.");
    a.hold_back = {kNoPlanBeforeAssistance};
  }
  bool self_pay = profile.insured.has_value() && !*profile.insured;
  auto gfe = std::find_if(bill.findings.begin(), bill.findings.end(), [](const Finding& f) { return f.kind == "gfe"; });
  if (gfe != bill.findings.end() && self_pay) {
    NextStep& g = steps->Add("Start a No Surprises Act dispute: the bill is $400 or more above your good-faith "
                             "estimate",
                             "gfe-dispute", DeadlineMatching(bill, "No Surprises"),
                             "online at cms.gov/nosurprises, or by mail",
                             "Uninsured and self-pay patients may dispute a bill at least $400 above the written "
                             "estimate; the provider may not send the bill to collections while it is open.");
    g.hold_back = {"Do not pay the amount above the estimate while the dispute is open."};
  }
  if (std::optional<Money> balance = BillBalance(bill); balance && balance->cents > 0) {
    std::string what = prices ? "Once errors and assistance are settled, offer a lump sum or ask for a 0 % payment "
                                "plan on what remains"
                              : "Once errors and assistance are settled, ask for a prompt-pay discount or a 0 % "
                                "payment plan on what remains";
    NextStep& m = steps->Add(what, prices ? "lump-sum" : "payment-plan", std::nullopt, "mail",
                             prices ? "Charges far above the Medicare reference (what Medicare pays for the same "
                                      "service) support asking for a lower price."
                                    : "Many providers accept a smaller amount paid at once, or a plan with no "
                                      "interest.");
    m.hold_back = {"Pay only after the provider accepts in writing, by a traceable one-time payment.", kNoCredit};
  }
}

}  // namespace

bool ProfileNameDiffers(const Bill& bill, const Profile& profile) {
  return profile.name && bill.patient.name && NamesDiffer(*profile.name, *bill.patient.name);
}

std::vector<NextStep> BuildNextSteps(const Bill& bill, const Profile& profile, const Date& today) {
  Steps steps(today);
  if (bill.document_type == DocumentType::kCollectionNotice || bill.collector) {
    CollectionSteps(bill, &steps);
  } else if (bill.document_type == DocumentType::kEob) {
    EobSteps(bill, &steps);
  } else {
    ProviderSteps(bill, profile, &steps);
  }
  return steps.Take();
}

void PlanNextSteps(const Profile& profile, const Date& today, Bill* bill) {
  if (bill == nullptr) return;
  if (!bill->plan) bill->plan = Plan{};
  bill->plan->next_steps = BuildNextSteps(*bill, profile, today);
  if (ProfileNameDiffers(*bill, profile)) {
    bill->diagnostics.push_back(Diagnostic{
        Severity::kWarning, "profile",
        "the name in your profile differs from the patient named on the bill: check that the bill is yours, or "
        "that you write as the patient's parent, guardian or representative",
        std::nullopt});
  }
}

}  // namespace billwise
