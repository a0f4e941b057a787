#include "pipeline/cases/case_checks.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <utility>

#include "pipeline/model/strings.h"

namespace billwise {
namespace {

// ---------------------------------------------------------------- small helpers

std::vector<std::string> Words(std::string_view key) {
  std::vector<std::string> words;
  std::istringstream in{std::string(key)};
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool IsEob(const Bill& b) { return b.document_type == DocumentType::kEob; }
bool IsCollection(const Bill& b) { return b.document_type == DocumentType::kCollectionNotice; }
// A provider's statement: asks an amount and is neither an EOB nor a collection notice.
bool IsStatement(const Bill& b) { return !IsEob(b) && !IsCollection(b) && b.amount_due.has_value(); }
// A receipt: a document of unknown type that records a patient payment and asks nothing.
bool IsReceipt(const Bill& b) {
  return b.document_type == DocumentType::kUnknown && !b.amount_due.has_value() &&
         b.totals.patient_paid.has_value() && b.totals.patient_paid->cents > 0;
}

std::optional<Money> SumLines(const Bill& b, std::optional<Money> LineItem::*field) {
  std::optional<Money> sum;
  for (const LineItem& item : b.line_items) {
    if (item.*field) sum = sum.value_or(Money{}) + *(item.*field);
  }
  return sum;
}

std::optional<Money> InsurancePaid(const Bill& b) {
  return b.totals.insurance_paid ? b.totals.insurance_paid : SumLines(b, &LineItem::insurance_paid);
}
std::optional<Money> PatientResponsibility(const Bill& b) {
  return b.totals.patient_responsibility ? b.totals.patient_responsibility
                                         : SumLines(b, &LineItem::patient_responsibility);
}
std::optional<Money> Charges(const Bill& b) {
  return b.totals.charges ? b.totals.charges : SumLines(b, &LineItem::charge);
}

// Document order: by date when both have one (ties and undated documents by id).
bool Before(const StoredDocument& a, const StoredDocument& b) {
  auto da = DocumentDate(a.bill);
  auto db = DocumentDate(b.bill);
  if (da && db && *da != *db) return *da < *db;
  return a.id < b.id;
}

std::vector<const StoredDocument*> Sorted(const CaseFacts& facts) {
  std::vector<const StoredDocument*> docs;
  for (const auto& d : facts.documents) docs.push_back(&d);
  std::stable_sort(docs.begin(), docs.end(),
                   [](const StoredDocument* a, const StoredDocument* b) { return Before(*a, *b); });
  return docs;
}

std::string DateText(const std::optional<Date>& d) { return d ? d->Iso() : "undated"; }

std::string NameOf(const Bill& b) {
  if (IsCollection(b) && b.collector && b.collector->name) return *b.collector->name;
  if (b.provider.name) return *b.provider.name;
  return "the provider";
}

bool KindIs(const std::string& kind, std::initializer_list<const char*> words) {
  const std::string lower = Lower(kind);
  for (const char* w : words) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

bool IsDisputeKind(const std::string& kind) {
  return KindIs(kind, {"dispute", "validation", "verif", "error", "appeal", "ppdr"});
}
bool IsAssistanceKind(const std::string& kind) {
  return KindIs(kind, {"assistance", "charity", "fap", "501"});
}
bool IsNsaKind(const std::string& kind) {
  return KindIs(kind, {"ppdr", "no_surprises", "surprise", "gfe", "good_faith"});
}

// Payments recorded (CLI `paid` or receipts) dated in (after, upto].
Money PaymentsBetween(const CaseFacts& facts, const std::optional<Date>& after,
                      const std::optional<Date>& upto) {
  Money sum;
  auto in_range = [&](const Date& d) { return (!after || d > *after) && (!upto || d <= *upto); };
  for (const auto& p : facts.payments) {
    if (in_range(p.date)) sum += p.amount;
  }
  for (const auto& d : facts.documents) {
    auto date = DocumentDate(d.bill);
    if (IsReceipt(d.bill) && date && in_range(*date)) sum += *d.bill.totals.patient_paid;
  }
  return sum;
}

CrossFinding Make(FindingKind kind, Severity severity, Money at_stake, std::string rule,
                  std::string explanation, std::vector<int64_t> docs) {
  CrossFinding f;
  f.finding.kind = kind;
  f.finding.severity = severity;
  // Every cross-document check finds the bill wrong against another document.
  f.finding.finding_class = FindingClass::kBillingError;
  f.finding.amount_at_stake = at_stake;
  f.finding.rule = std::move(rule);
  f.finding.explanation = std::move(explanation);
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  f.documents = std::move(docs);
  return f;
}

Money Abs(Money m) { return m.cents < 0 ? -m : m; }

// ---------------------------------------------------------------- the checks

void CheckCollectionAmounts(const CaseFacts& facts, const std::vector<const StoredDocument*>& docs,
                            std::vector<CrossFinding>* out) {
  for (const StoredDocument* c : docs) {
    if (!IsCollection(c->bill) || !c->bill.amount_due) continue;
    const StoredDocument* last = nullptr;
    for (const StoredDocument* s : docs) {
      if (s != c && IsStatement(s->bill) && Before(*s, *c)) last = s;
    }
    if (last == nullptr) continue;
    Money expected = *last->bill.amount_due -
                     PaymentsBetween(facts, DocumentDate(last->bill), DocumentDate(c->bill));
    Money asked = *c->bill.amount_due;
    if (asked == expected) continue;
    std::string more = asked > expected ? "more" : "less";
    out->push_back(Make(
        FindingKind::kCollectionAmountMismatch, asked > expected ? Severity::kError : Severity::kWarning,
        Abs(asked - expected), "cross-document: collection notice vs. last statement; 12 CFR 1006.34(c)",
        "The collection notice from " + NameOf(c->bill) + " (" + DateText(DocumentDate(c->bill)) +
            ") asks " + asked.Display() + ", " + Abs(asked - expected).Display() + " " + more +
            " than the balance of " + expected.Display() + " left by the last statement from " +
            NameOf(last->bill) + " (" + DateText(DocumentDate(last->bill)) +
            "). Ask the collector for an itemization of every interest charge, fee, payment and "
            "credit since that statement.",
        {c->id, last->id}));
  }
}

struct Payment {
  Money amount;
  Date date;
  bool insurer = false;
  std::optional<int64_t> document;  // the EOB or receipt, when it came from one
  std::string source;               // "an EOB", "a receipt", "a recorded payment"
};

void CheckPaymentsCredited(const CaseFacts& facts, const std::vector<const StoredDocument*>& docs,
                           std::vector<CrossFinding>* out) {
  std::vector<Payment> payments;
  for (const StoredDocument* d : docs) {
    auto date = DocumentDate(d->bill);
    if (!date) continue;
    if (IsEob(d->bill)) {
      auto paid = InsurancePaid(d->bill);
      if (paid && paid->cents > 0) payments.push_back({*paid, *date, true, d->id, "the insurer's EOB"});
    } else if (IsReceipt(d->bill)) {
      payments.push_back({*d->bill.totals.patient_paid, *date, false, d->id, "a receipt"});
    }
  }
  for (const auto& p : facts.payments) payments.push_back({p.amount, p.date, false, std::nullopt, "a recorded payment"});

  for (const Payment& p : payments) {
    // The first statement dated after the payment, and the last one on or before it.
    const StoredDocument* next = nullptr;
    const StoredDocument* prev = nullptr;
    for (const StoredDocument* s : docs) {
      auto date = DocumentDate(s->bill);
      if (!IsStatement(s->bill) || !date) continue;
      if (*date > p.date && next == nullptr) next = s;
      if (*date <= p.date) prev = s;
    }
    if (next == nullptr) continue;
    const Bill& s = next->bill;
    std::optional<Money> uncredited;
    if (p.insurer) {
      if (auto credited = InsurancePaid(s)) {
        if (*credited < p.amount) uncredited = p.amount - *credited;
      } else if (auto charges = Charges(s); charges && s.amount_due) {
        Money room = *charges - p.amount;
        if (*s.amount_due > room) uncredited = std::min(p.amount, *s.amount_due - room);
      }
    } else if (s.totals.patient_paid && *s.totals.patient_paid >= p.amount) {
      // shown as paid on the statement
    } else if (prev != nullptr && prev->bill.amount_due) {
      auto c0 = Charges(prev->bill);
      auto c1 = Charges(s);
      bool no_new_charges = !c0 || !c1 || *c1 <= *c0;
      Money expected = *prev->bill.amount_due - p.amount;
      if (no_new_charges && *s.amount_due > expected) {
        uncredited = std::min(p.amount, *s.amount_due - expected);
      }
    }
    if (!uncredited || uncredited->cents <= 0) continue;
    std::vector<int64_t> ids{next->id};
    if (p.document) ids.push_back(*p.document);
    out->push_back(Make(
        FindingKind::kPaymentNotCredited, Severity::kError, *uncredited,
        "cross-document: payment vs. later statement",
        "A payment of " + p.amount.Display() + " dated " + p.date.Iso() + " (from " + p.source +
            ") does not appear on the statement of " + DateText(DocumentDate(s)) + ": " +
            uncredited->Display() + " of it is not credited. Ask " + NameOf(s) +
            " to apply the payment and send a corrected statement.",
        std::move(ids)));
  }
}

void CheckBalanceGrowth(const std::vector<const StoredDocument*>& docs, std::vector<CrossFinding>* out) {
  const StoredDocument* prev = nullptr;
  for (const StoredDocument* s : docs) {
    if (!IsStatement(s->bill) || !DocumentDate(s->bill)) continue;
    if (prev != nullptr && *s->bill.amount_due > *prev->bill.amount_due) {
      Date since = *DocumentDate(prev->bill);
      auto c0 = Charges(prev->bill);
      auto c1 = Charges(s->bill);
      bool no_new_charges = false;
      if (c0 && c1) {
        no_new_charges = *c1 <= *c0;
      } else if (!s->bill.line_items.empty()) {
        no_new_charges = std::all_of(s->bill.line_items.begin(), s->bill.line_items.end(),
                                     [&](const LineItem& item) {
                                       return item.date_of_service && *item.date_of_service <= since;
                                     });
      }
      if (no_new_charges) {
        Money grew = *s->bill.amount_due - *prev->bill.amount_due;
        out->push_back(Make(
            FindingKind::kBalanceGrew, Severity::kWarning, grew, "cross-document: consecutive statements",
            "The statement of " + DateText(DocumentDate(s->bill)) + " asks " + s->bill.amount_due->Display() +
                ", " + grew.Display() + " more than the statement of " + since.Iso() + " (" +
                prev->bill.amount_due->Display() +
                "), with no new charges. Ask which interest or fees were added and on what "
                "agreement they rest.",
            {prev->id, s->id}));
      }
    }
    prev = s;
  }
}

void CheckAgainstEob(const std::vector<const StoredDocument*>& docs, std::vector<CrossFinding>* out) {
  std::optional<Money> responsibility;
  std::vector<int64_t> eobs;
  std::optional<Date> latest_eob;
  for (const StoredDocument* d : docs) {
    if (!IsEob(d->bill)) continue;
    if (auto pr = PatientResponsibility(d->bill)) {
      responsibility = responsibility.value_or(Money{}) + *pr;
      eobs.push_back(d->id);
      if (auto date = DocumentDate(d->bill); date && (!latest_eob || *date > *latest_eob)) latest_eob = date;
    }
  }
  if (!responsibility) return;
  const StoredDocument* latest = nullptr;
  for (const StoredDocument* d : docs) {
    if (!IsEob(d->bill) && d->bill.amount_due) latest = d;
  }
  if (latest == nullptr || *latest->bill.amount_due <= *responsibility) return;
  auto date = DocumentDate(latest->bill);
  bool after_eob = date && latest_eob && *date >= *latest_eob;
  Money excess = *latest->bill.amount_due - *responsibility;
  std::vector<int64_t> ids = eobs;
  ids.push_back(latest->id);
  out->push_back(Make(
      FindingKind::kExceedsEob, after_eob ? Severity::kError : Severity::kWarning, excess,
      "cross-document: bill vs. EOB patient responsibility",
      "The " + std::string(IsCollection(latest->bill) ? "collection notice" : "bill") + " of " +
          DateText(date) + " asks " + latest->bill.amount_due->Display() +
          ", but the insurer's explanation of benefits puts the patient's responsibility at " +
          responsibility->Display() + ": " + excess.Display() + " more." +
          (after_eob ? " An in-network provider may not bill more than the EOB allows."
                     : " The bill predates the EOB; ask the provider to apply it and send a corrected bill."),
      std::move(ids)));
}

void CheckEstimate(const CaseFacts& facts, const std::vector<const StoredDocument*>& docs,
                   std::vector<CrossFinding>* out) {
  if (facts.estimates.empty()) return;
  const EstimateRecord& gfe = facts.estimates.back();
  const StoredDocument* worst = nullptr;
  Money billed;
  for (const StoredDocument* d : docs) {
    if (IsEob(d->bill) || IsCollection(d->bill)) continue;
    auto charges = Charges(d->bill);
    if (!charges) charges = d->bill.amount_due;
    if (charges && (worst == nullptr || *charges > billed)) {
      worst = d;
      billed = *charges;
    }
  }
  if (worst == nullptr || billed - gfe.amount < Money::FromDollars(400)) return;
  out->push_back(Make(
      FindingKind::kGfeExceeded, Severity::kError, billed - gfe.amount,
      "No Surprises Act: bill at least $400 above the good-faith estimate (45 CFR 149.620)",
      "The bill of " + DateText(DocumentDate(worst->bill)) + " charges " + billed.Display() + ", " +
          (billed - gfe.amount).Display() + " more than the good-faith estimate of " +
          gfe.amount.Display() + " (" + gfe.date.Iso() +
          "). You may start the patient-provider dispute resolution process within 120 days of the bill.",
      {worst->id}));
}

long DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

// ---------------------------------------------------------------- grouping

std::string NormalizeProviderName(std::string_view name) {
  std::string cleaned;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      cleaned += static_cast<char>(std::tolower(u));
    } else if (c == '\'' || c == '.') {
      // "St. Mary's" -> "st marys"; "L.L.C." -> "llc"
    } else {
      cleaned += ' ';
    }
  }
  static const std::set<std::string> kDropped = {"inc", "llc", "corp", "corporation", "co", "ltd",
                                                 "pc", "pllc", "pa", "lp", "llp", "the", "incorporated"};
  std::string key;
  for (const std::string& w : Words(cleaned)) {
    if (kDropped.count(w) != 0) continue;
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

std::string NormalizeAccountNumber(std::string_view account) {
  std::string key;
  for (char c : account) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u)) continue;
    if (key.empty() && c == '0') continue;
    key += static_cast<char>(std::toupper(u));
  }
  return key;
}

bool ProviderKeysMatch(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  auto wa = Words(a);
  auto wb = Words(b);
  if (wa.size() > wb.size()) std::swap(wa, wb);
  std::set<std::string> longer(wb.begin(), wb.end());
  return std::all_of(wa.begin(), wa.end(), [&](const std::string& w) { return longer.count(w) != 0; });
}

std::string CaseProviderName(const Bill& bill) {
  if (bill.collector && bill.collector->creditor && !bill.collector->creditor->empty()) {
    return *bill.collector->creditor;
  }
  if (bill.provider.name && !bill.provider.name->empty()) return *bill.provider.name;
  if (bill.collector && bill.collector->name) return *bill.collector->name;
  return "";
}

std::optional<Date> DocumentDate(const Bill& bill) {
  if (bill.statement_date) return bill.statement_date;
  if (bill.collector && bill.collector->notice_date) return bill.collector->notice_date;
  return std::nullopt;
}

// ---------------------------------------------------------------- checks

std::vector<CrossFinding> CrossDocumentChecks(const CaseFacts& facts) {
  auto docs = Sorted(facts);
  std::vector<CrossFinding> out;
  CheckCollectionAmounts(facts, docs, &out);
  CheckPaymentsCredited(facts, docs, &out);
  CheckBalanceGrowth(docs, &out);
  CheckAgainstEob(docs, &out);
  CheckEstimate(facts, docs, &out);
  return out;
}

// ---------------------------------------------------------------- derived state

std::optional<Money> CaseBalance(const CaseFacts& facts) {
  auto docs = Sorted(facts);
  const StoredDocument* latest = nullptr;
  for (const StoredDocument* d : docs) {
    if (!IsEob(d->bill) && d->bill.amount_due) latest = d;
  }
  if (latest == nullptr) return std::nullopt;
  auto date = DocumentDate(latest->bill);
  // Undated: every payment recorded counts against it.
  return *latest->bill.amount_due - PaymentsBetween(facts, date, std::nullopt);
}

std::string CaseStatus(const CaseFacts& facts) {
  auto balance = CaseBalance(facts);
  if (balance && balance->cents <= 0) return "paid";
  if (!facts.plans.empty()) return "in plan";
  for (const auto& l : facts.letters) {
    if (l.sent && IsDisputeKind(l.kind)) return "disputed";
  }
  for (const auto& d : facts.documents) {
    if (IsCollection(d.bill)) return "in collections";
  }
  return "open";
}

std::optional<NextPayment> NextPlanPayment(const CaseFacts& facts) {
  if (facts.plans.empty()) return std::nullopt;
  const PlanRecord& plan = facts.plans.back();
  if (plan.monthly.cents <= 0) return std::nullopt;
  auto balance = CaseBalance(facts);
  if (balance && balance->cents <= 0) return std::nullopt;
  Money paid;
  for (const auto& p : facts.payments) {
    if (p.date >= plan.start) paid += p.amount;
  }
  // At most 100 years of instalments, so a stored row with an absurd amount (an older
  // version's import) cannot push the date past every calendar.
  int64_t covered = std::min<int64_t>(paid.cents / plan.monthly.cents, 1200);
  if (plan.months && covered >= *plan.months) return std::nullopt;
  Money amount = plan.monthly;
  if (balance && *balance < amount) amount = *balance;
  return NextPayment{AddMonths(plan.start, static_cast<int>(covered)), amount};
}

std::vector<CaseDeadline> CaseDeadlines(const CaseFacts& facts, const Date& today) {
  std::vector<CaseDeadline> all;
  auto add = [&](std::string kind, std::string what, Date date, std::string source) {
    std::string uid = "case" + std::to_string(facts.id) + "-" + kind + "-" + source + "@billwise";
    all.push_back(CaseDeadline{facts.id, std::move(kind), std::move(what), date, std::move(uid)});
  };
  auto sent_by = [&](auto is_kind, const Date& by) {
    return std::any_of(facts.letters.begin(), facts.letters.end(), [&](const LetterRecord& l) {
      return l.sent && *l.sent <= by && is_kind(l.kind);
    });
  };

  // Debt validation window of each collection notice.
  for (const auto& d : facts.documents) {
    if (!IsCollection(d.bill)) continue;
    std::optional<Date> end;
    if (d.bill.collector && d.bill.collector->validation_end_date) {
      end = d.bill.collector->validation_end_date;
    } else if (auto date = DocumentDate(d.bill)) {
      end = date->AddBusinessDays(5).AddDays(30);
    }
    if (!end || sent_by(IsDisputeKind, *end)) continue;
    std::string who = d.bill.collector && d.bill.collector->name ? *d.bill.collector->name : "the collector";
    add("validation", "debt validation window ends: dispute in writing to " + who + " by this date", *end,
        "doc" + std::to_string(d.id));
  }

  // Internal appeal of each EOB to the health plan: 180 days after its date (29 CFR
  // 2560.503-1 for employer plans); closed once an appeal letter is sent.
  for (const auto& d : facts.documents) {
    if (!IsEob(d.bill) || !d.bill.statement_date) continue;
    Date end = d.bill.statement_date->AddDays(180);
    auto is_appeal = [](const std::string& kind) { return KindIs(kind, {"appeal"}); };
    if (sent_by(is_appeal, end)) continue;
    add("appeal", "internal appeal to the health plan: 180 days after the EOB of " + d.bill.statement_date->Iso(),
        end, "doc" + std::to_string(d.id));
  }

  // 501(r) financial-assistance application window: only when the provider is a nonprofit
  // hospital (the plan's flag, the rule the letters use), counted from the
  // first statement (a printed first post-discharge bill date, or the earliest provider
  // statement), else a collection notice's itemization date; never from a notice's own date.
  std::optional<Date> first_bill;
  std::optional<Date> first_statement;
  std::optional<Date> itemization;
  bool hospital = false;
  auto earliest = [](std::optional<Date>* into, const std::optional<Date>& date) {
    if (date && (!*into || *date < **into)) *into = date;
  };
  for (const auto& d : facts.documents) {
    if (d.bill.plan && d.bill.plan->nonprofit_hospital) hospital = true;
    earliest(&first_statement, d.bill.first_billing_date);
    if (d.bill.collector) earliest(&itemization, d.bill.collector->itemization_date);
    if (!IsEob(d.bill) && !IsCollection(d.bill) && !d.bill.collector) earliest(&first_bill, d.bill.statement_date);
  }
  earliest(&first_statement, first_bill);
  std::string counted_from = "the first statement of ";
  if (!first_statement && itemization) {
    first_statement = itemization;
    counted_from = "the collection notice's itemization date, ";
  }
  if (hospital && first_statement) {
    Date end = first_statement->AddDays(240);
    if (!sent_by(IsAssistanceKind, end)) {
      add("assistance_501r",
          "financial assistance application window ends (501(r): 240 days after " + counted_from +
              first_statement->Iso() + ")",
          end, first_statement->Iso());
    }
  }

  // No Surprises Act patient-provider dispute window.
  if (!facts.estimates.empty() && first_bill) {
    Date end = first_bill->AddDays(120);
    if (!sent_by(IsNsaKind, end)) {
      add("nsa_dispute",
          "No Surprises Act dispute window ends (120 days after the bill of " + first_bill->Iso() + ")", end,
          first_bill->Iso());
    }
  }

  // Follow-ups on letters without a reply.
  for (const auto& l : facts.letters) {
    if (!l.sent) continue;
    bool answered = std::any_of(facts.replies.begin(), facts.replies.end(),
                                [&](const ReplyRecord& r) { return r.date >= *l.sent; });
    if (answered) continue;
    add("follow_up", "follow up: no reply to the " + l.kind + " letter sent " + l.sent->Iso(), l.sent->AddDays(30),
        "letter" + std::to_string(l.id));
  }

  // Follow-ups of calls, until something newer is heard (a reply or a later call).
  for (const auto& c : facts.calls) {
    if (!c.follow_up) continue;
    bool heard = std::any_of(facts.replies.begin(), facts.replies.end(), [&](const ReplyRecord& r) { return r.date > c.date; }) ||
                 std::any_of(facts.calls.begin(), facts.calls.end(), [&](const CallRecord& o) { return o.date > c.date; });
    if (heard) continue;
    std::string what = "follow up on the call of " + c.date.Iso() + (c.with.empty() ? "" : " with " + c.with);
    if (c.reference) what += " (reference " + *c.reference + ")";
    add("call_follow_up", what, *c.follow_up, "call" + std::to_string(c.id));
  }

  if (auto next = NextPlanPayment(facts)) {
    add("plan_payment", "payment plan instalment of " + next->amount.Display() + " due", next->date,
        "plan" + std::to_string(facts.plans.back().id) + "-" + next->date.Iso());
  }

  std::vector<CaseDeadline> open;
  for (auto& d : all) {
    if (d.date >= today) open.push_back(std::move(d));
  }
  std::stable_sort(open.begin(), open.end(), [](const CaseDeadline& a, const CaseDeadline& b) {
    return a.date < b.date;
  });
  return open;
}

Date AddMonths(const Date& date, int months) {
  int index = date.year * 12 + (date.month - 1) + months;
  int year = index / 12;
  int month = index % 12 + 1;
  int day = static_cast<int>(std::min<long>(date.day, DaysInMonth(year, month)));
  return Date{year, month, day};
}

std::optional<Money> ParseMoneyArgument(std::string_view text) {
  std::string digits;
  bool seen_point = false;
  int decimals = 0;
  size_t i = 0;
  if (i < text.size() && text[i] == '$') ++i;
  if (i == text.size()) return std::nullopt;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',' && !seen_point) continue;
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (seen_point && ++decimals > 2) return std::nullopt;
    digits += c;
    if (digits.size() > 15) return std::nullopt;
  }
  if (digits.empty()) return std::nullopt;
  while (decimals < 2) {
    digits += '0';
    ++decimals;
  }
  Money amount = Money::FromCents(std::stoll(digits));
  if (!IsPlausibleAmount(amount)) return std::nullopt;
  return amount;
}

}  // namespace billwise
