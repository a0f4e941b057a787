#include "pipeline/audit/audit.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "pipeline/audit/appeals_address.h"
#include "pipeline/audit/reading_gate.h"
#include "pipeline/model/strings.h"

namespace billwise {
namespace {

constexpr int64_t kTolerance = 1;  // cents

// `s` trimmed, lower-cased, with each run of white space one space: descriptions compared
// as words.
std::string LowerWords(std::string_view s) {
  std::string l;
  bool space = false;
  for (char c : Trim(s)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !l.empty()) l += ' ';
    space = false;
    l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return l;
}

// The CPT/HCPCS code of a line, "" when none. A revenue code the extraction stage copied into
// `code` (code_type kRevenue) is not a procedure code.
std::string CodeOf(const LineItem& item) {
  if (!item.code || item.code_type == CodeType::kRevenue) return "";
  return Upper(Trim(*item.code));
}

std::vector<std::string> ModifiersOf(const LineItem& item) {
  std::vector<std::string> mods;
  for (const auto& m : item.modifiers) {
    std::string u = Upper(Trim(m));
    if (!u.empty()) mods.push_back(u);
  }
  std::sort(mods.begin(), mods.end());
  return mods;
}

bool HasModifier(const LineItem& item, std::initializer_list<std::string_view> wanted) {
  for (const auto& m : ModifiersOf(item)) {
    for (auto w : wanted) {
      if (m == w) return true;
    }
  }
  return false;
}

// CMS's list of NCCI-associated modifiers that may bypass an edit with indicator 1.
bool HasNcciBypassModifier(const LineItem& item) {
  static const std::set<std::string, std::less<>> kBypass = {
      "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9",
      "LC", "LD", "LM", "LT", "RC", "RI", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6",
      "T7", "T8", "T9", "XE", "XP", "XS", "XU", "24", "25", "27", "57", "58", "59", "78",
      "79", "91"};
  for (const auto& m : ModifiersOf(item)) {
    if (kBypass.count(m)) return true;
  }
  return false;
}

long DateKey(const LineItem& item) {
  return item.date_of_service ? item.date_of_service->DayNumber() : LONG_MIN;
}

// The line's date of service as yyyy-mm-dd, or "" (the newest edition applies).
std::string DateIso(const LineItem& item) { return item.date_of_service ? item.date_of_service->Iso() : ""; }

std::string DateText(const LineItem& item) {
  return item.date_of_service ? item.date_of_service->Display() : "the same (undated) day";
}

// "82947 (Glucose screening)" - the bill's own description, never a code-set text.
std::string Label(const LineItem& item) {
  std::string code = CodeOf(item);
  std::string what;
  if (!code.empty()) {
    what = "code " + code;
    if (auto mods = ModifiersOf(item); !mods.empty()) {
      for (const auto& m : mods) what += "-" + m;
    }
  } else if (item.revenue_code) {
    what = "revenue code " + std::string(Trim(*item.revenue_code));
  } else {
    what = "the item";
  }
  std::string desc(Trim(item.description));
  if (!desc.empty()) what += " (" + desc + ")";
  return what;
}

std::string Units(double q) {
  if (std::fabs(q - std::round(q)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(q)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", q);
  return buf;
}

bool Positive(const LineItem& item) { return !item.charge || item.charge->cents > 0; }

Money ChargeOf(const LineItem& item) { return item.charge.value_or(Money{}); }

// Lines a check may look at: not a credit or a zero line, and not an extra duplicate copy.
struct Context {
  const AuditData& data;
  Bill* bill;
  NcciSetting setting;
  bool bill_prints_modifiers = false;  // some line shows a modifier, so a missing one means something
  std::set<size_t> extra_copies;
  std::vector<std::string> codes;  // CodeOf each line, computed once
  // Undated lines are compared with each other only when the bill's dated lines show at most
  // one date of service (a one-visit bill with the date in its header); otherwise they may
  // belong to different days.
  bool undated_comparable = true;
  bool Comparable(const LineItem& it) const { return it.date_of_service || undated_comparable; }
};

// ---------------------------------------------------------------- duplicate

void CheckDuplicates(Context* ctx) {
  const auto& items = ctx->bill->line_items;
  using Key = std::tuple<long, std::string, Money>;
  std::map<Key, std::vector<size_t>> groups;
  std::map<Key, int> reversals;
  for (size_t i = 0; i < items.size(); ++i) {
    const LineItem& it = items[i];
    if (!it.charge || it.charge->cents == 0 || !ctx->Comparable(it)) continue;
    std::string what;
    std::string code = CodeOf(it);
    if (!code.empty()) {
      what = "C:" + code;
      for (const auto& m : ModifiersOf(it)) what += "-" + m;
    } else if (it.revenue_code && !Trim(*it.revenue_code).empty()) {
      what = "R:" + std::string(Trim(*it.revenue_code)) + "|" + LowerWords(it.description);
    } else {
      continue;
    }
    if (it.charge->cents < 0) {
      ++reversals[{DateKey(it), what, -*it.charge}];
    } else {
      groups[{DateKey(it), what, *it.charge}].push_back(i);
    }
  }
  for (const auto& [key, lines] : groups) {
    if (lines.size() < 2) continue;
    const LineItem& first = items[lines.front()];
    if (HasModifier(first, {"76", "77", "91"})) continue;  // repeat procedure or test
    int extra = static_cast<int>(lines.size()) - 1;
    if (auto r = reversals.find(key); r != reversals.end()) extra -= r->second;
    if (extra <= 0) continue;
    for (size_t k = lines.size() - static_cast<size_t>(extra); k < lines.size(); ++k) {
      ctx->extra_copies.insert(lines[k]);
    }
    Money charge = *first.charge;
    Money at_stake = Money{charge.cents * extra};
    Finding f;
    f.kind = FindingKind::kDuplicate;
    f.finding_class = FindingClass::kBillingError;
    f.severity = Severity::kError;
    f.lines = lines;
    f.amount_at_stake = at_stake;
    f.rule = "Duplicate charge: same date of service, code, modifiers and charge";
    f.explanation = "The bill lists " + Label(first) + " on " + DateText(first) + " " +
                    std::to_string(lines.size()) + " times at " + charge.Display() +
                    " each. Nothing on the bill shows that the service was repeated (no repeat-service "
                    "modifier such as 76, 77 or 91), so " +
                    (extra == 1 ? std::string("the second charge appears to be a duplicate")
                                : std::to_string(extra) + " of the charges appear to be duplicates") +
                    ". Please remove " + at_stake.Display() + " or send the records showing each service.";
    ctx->bill->findings.push_back(std::move(f));
  }
}

// ---------------------------------------------------------------- bundling

std::map<long, std::vector<size_t>> CodedLinesByDate(const Context& ctx) {
  std::map<long, std::vector<size_t>> by_date;
  const auto& items = ctx.bill->line_items;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!Positive(items[i]) || ctx.extra_copies.count(i) || ctx.codes[i].empty() || !ctx.Comparable(items[i])) {
      continue;
    }
    by_date[DateKey(items[i])].push_back(i);
  }
  return by_date;
}

// A visit billed on the day of a procedure, on a statement that prints no modifiers: the
// visit is payable when it was significant and separately identifiable (modifier 25 on the
// claim), which a patient statement does not show. A question to ask, not an error.
Finding EmWithProcedure(const Context& ctx, size_t a, size_t b, const PtpEdit& edit) {
  const auto& items = ctx.bill->line_items;
  const LineItem& visit = items[b];
  Finding f;
  f.kind = FindingKind::kEmSameDayProcedure;
  f.finding_class = FindingClass::kInformation;
  f.severity = Severity::kInfo;
  f.lines = {a, b};
  f.amount_at_stake = ChargeOf(visit);
  f.rule = edit.edition + " (" + NcciSettingName(ctx.setting) + ") column1 " + edit.column1 + " / column2 " +
           edit.column2 + ", modifier indicator 1 (" + edit.rationale +
           "); the statement prints no modifiers, so modifier 25 cannot be checked";
  std::string charge = visit.charge ? " (" + visit.charge->Display() + ")" : "";
  f.explanation = "The bill charges for the visit " + Label(visit) + charge + " on " + DateText(visit) +
                  ", the same day as " + Label(items[a]) + ". Medicare's coding edits (" + edit.edition +
                  ") pay a visit on the day of such a service only when the visit was significant and separate "
                  "from it, which the provider shows with modifier 25. This statement does not show modifiers. "
                  "Please confirm that the visit was a separate service, or remove its charge.";
  return f;
}

// Every required test of a lab panel billed as separate lines, without the panel: the lab
// should bill the panel once. Only panels made of single tests or other panels whose parts are
// listed are checked; the largest panel wins when several are complete on the same lines.
void CheckPanelsBilledAsParts(Context* ctx, const std::map<long, std::vector<size_t>>& by_date,
                              const std::set<size_t>& already_bundled) {
  const auto& items = ctx->bill->line_items;
  struct Candidate {
    std::string panel;
    std::vector<PanelComponent> parts;
  };
  std::vector<Candidate> panels;
  for (const std::string& code : ctx->data.PanelCodes()) {
    Candidate c{code, {}};
    bool simple = true;
    for (const auto& part : ctx->data.DirectPanelComponents(code)) {
      if (part.requirement == "alternative") simple = false;  // panels with options (80050, 80081)
      if (part.requirement == "required") c.parts.push_back(part);
    }
    if (simple && c.parts.size() >= 2) panels.push_back(std::move(c));
  }
  std::sort(panels.begin(), panels.end(),
            [](const Candidate& a, const Candidate& b) { return a.parts.size() > b.parts.size(); });
  for (const auto& [date, lines] : by_date) {
    std::set<size_t> used;
    for (const Candidate& p : panels) {
      bool panel_billed = std::any_of(lines.begin(), lines.end(), [&](size_t i) { return ctx->codes[i] == p.panel; });
      if (panel_billed) continue;
      std::vector<size_t> found;
      bool complete = true;
      for (const auto& part : p.parts) {
        auto it = std::find_if(lines.begin(), lines.end(), [&](size_t i) {
          return ctx->codes[i] == part.component && !HasModifier(items[i], {"91", "59", "XE", "XS", "XP", "XU"});
        });
        if (it == lines.end()) {
          complete = false;
          break;
        }
        found.push_back(*it);
      }
      if (!complete) continue;
      if (std::all_of(found.begin(), found.end(), [&](size_t i) { return used.count(i) > 0; })) continue;
      // A pair edit among the parts already said it.
      if (std::any_of(found.begin(), found.end(), [&](size_t i) { return already_bundled.count(i) > 0; })) continue;
      used.insert(found.begin(), found.end());
      std::sort(found.begin(), found.end());
      Money charges;
      std::string codes;
      for (size_t i : found) {
        charges += ChargeOf(items[i]);
        codes += (codes.empty() ? "" : ", ") + ctx->codes[i];
      }
      Finding f;
      f.kind = FindingKind::kBundling;
      f.finding_class = FindingClass::kBillingError;
      f.severity = Severity::kWarning;
      f.lines = found;
      f.amount_at_stake = Money{};  // the panel's own price is not on the bill
      f.rule = "Lab panel " + p.panel + " billed as its " + std::to_string(found.size()) +
               " component tests (" + codes + "); " + ctx->data.panel_edition();
      f.explanation = "The bill charges separately for " + std::to_string(found.size()) + " lab tests (" + codes +
                      ", " + charges.Display() + " in all) on " + DateText(items[found.front()]) +
                      " that together make up the lab panel " + p.panel +
                      ". A panel run from one sample is billed once, as the panel, at the panel's price. Please "
                      "rebill these tests as panel " + p.panel + " and refund the difference.";
      ctx->bill->findings.push_back(std::move(f));
    }
  }
}

void CheckBundling(Context* ctx) {
  const auto& items = ctx->bill->line_items;
  auto by_date = CodedLinesByDate(*ctx);
  std::vector<Finding> out;
  for (const auto& [date, lines] : by_date) {
    // column-2 line -> (column-1 line, edit); indicator 0 beats indicator 1.
    std::map<size_t, std::pair<size_t, PtpEdit>> flagged;
    for (size_t a : lines) {
      for (size_t b : lines) {
        if (a == b) continue;
        const std::string& ca = ctx->codes[a];
        const std::string& cb = ctx->codes[b];
        if (ca == cb) continue;
        auto edit = ctx->data.FindPtp(ca, cb, ctx->setting, DateIso(items[a]));
        if (!edit || edit->modifier_indicator == 9) continue;
        if (edit->modifier_indicator == 1 && (HasNcciBypassModifier(items[a]) || HasNcciBypassModifier(items[b]))) {
          continue;
        }
        // A pair edited both ways is reported once.
        if (auto rev = flagged.find(a); rev != flagged.end() && rev->second.first == b) continue;
        auto cur = flagged.find(b);
        if (cur == flagged.end() ||
            (edit->modifier_indicator == 0 && cur->second.second.modifier_indicator != 0)) {
          flagged.insert_or_assign(b, std::make_pair(a, *edit));
        }
      }
    }
    for (const auto& [b, hit] : flagged) {
      const auto& [a, edit] = hit;
      const LineItem& col2 = items[b];
      if (edit.modifier_indicator == 1 && !ctx->bill_prints_modifiers && IsEmVisitCode(edit.column2) &&
          !IsEmVisitCode(edit.column1)) {
        out.push_back(EmWithProcedure(*ctx, a, b, edit));
        continue;
      }
      Finding f;
      f.kind = FindingKind::kBundling;
      f.finding_class = FindingClass::kBillingError;
      f.severity = edit.modifier_indicator == 0 ? Severity::kError : Severity::kWarning;
      f.lines = {a, b};
      f.amount_at_stake = ChargeOf(col2);
      f.rule = edit.edition + " (" + NcciSettingName(ctx->setting) + ") column1 " + edit.column1 +
               " / column2 " + edit.column2 + ", modifier indicator " +
               std::to_string(edit.modifier_indicator) + " (" + edit.rationale + ")";
      std::string charge = col2.charge ? " for " + col2.charge->Display() : "";
      f.explanation =
          "The bill charges separately for " + Label(col2) + charge + " on " + DateText(col2) + ", together with " +
          Label(items[a]) + ". Medicare's National Correct Coding Initiative edits (" + edit.edition + ", " +
          NcciSettingName(ctx->setting) + " table) do not allow " + edit.column2 + " to be paid separately when " +
          edit.column1 + " is billed for the same patient on the same day (CMS reason: " + edit.rationale + "). " +
          (edit.modifier_indicator == 0
               ? "No modifier can override this edit."
               : "Only a modifier showing a separate, distinct service (such as 59 or XS) could override it, "
                 "and none was billed.") +
          " Please remove the " + edit.column2 + " charge.";
      out.push_back(std::move(f));
    }

    // Lab panels billed with their own components.
    for (size_t p : lines) {
      auto components = ctx->data.PanelComponents(ctx->codes[p]);
      if (components.empty()) continue;
      for (size_t c : lines) {
        if (c == p || flagged.count(c)) continue;
        if (auto rev = flagged.find(p); rev != flagged.end() && rev->second.first == c) continue;
        const std::string& cc = ctx->codes[c];
        auto comp = std::find_if(components.begin(), components.end(),
                                 [&](const PanelComponent& pc) { return pc.component == cc; });
        if (comp == components.end()) continue;
        if (HasModifier(items[c], {"91", "59", "XE", "XS", "XP", "XU"})) continue;
        flagged.insert_or_assign(c, std::make_pair(p, PtpEdit{}));
        const LineItem& part = items[c];
        Finding f;
        f.kind = FindingKind::kBundling;
        f.finding_class = FindingClass::kBillingError;
        f.severity = Severity::kError;
        f.lines = {p, c};
        f.amount_at_stake = ChargeOf(part);
        f.rule = "Lab panel " + ctx->codes[p] + " includes " + cc + " (" + comp->analyte + "); " +
                 ctx->data.panel_edition();
        std::string charge = part.charge ? " for " + part.charge->Display() : "";
        f.explanation = "The bill charges separately for " + Label(part) + charge + " on " + DateText(part) +
                        ", but that test (" + comp->analyte + ") is part of the lab panel " + Label(items[p]) +
                        " billed the same day. A panel is billed once and already pays for its component "
                        "tests. Please remove the separate " + cc + " charge.";
        out.push_back(std::move(f));
      }
    }
  }
  std::set<size_t> bundled;
  for (auto& f : out) {
    if (f.kind == FindingKind::kBundling) bundled.insert(f.lines.back());
    ctx->bill->findings.push_back(std::move(f));
  }
  CheckPanelsBilledAsParts(ctx, by_date, bundled);
}

// ---------------------------------------------------------------- units

void CheckUnits(Context* ctx) {
  const auto& items = ctx->bill->line_items;
  std::set<std::pair<long, std::string>> mue_flagged;
  // MAI 1: per line.  MAI 2/3: per code and date.
  std::map<std::pair<long, std::string>, std::vector<size_t>> per_date;
  std::vector<size_t> per_line_only;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!Positive(items[i]) || ctx->extra_copies.count(i) || ctx->codes[i].empty()) continue;
    // On a facility bill, a -26 line is the physician's professional component, which the
    // physician claims separately: it does not add to the hospital's units.
    if (ctx->setting == NcciSetting::kOutpatientHospital && HasModifier(items[i], {"26"})) continue;
    if (!ctx->Comparable(items[i])) {
      // A line-level MUE (MAI 1) still applies to an undated line on its own.
      per_line_only.push_back(i);
      continue;
    }
    per_date[{DateKey(items[i]), ctx->codes[i]}].push_back(i);
  }
  auto emit = [&](const std::vector<size_t>& lines, const MueLimit& mue, double units) {
    Money charges;
    bool all_priced = true;
    for (size_t i : lines) {
      charges += ChargeOf(items[i]);
      all_priced = all_priced && items[i].charge.has_value();
    }
    double excess = units - mue.value;
    Finding f;
    f.kind = FindingKind::kUnits;
    f.finding_class = FindingClass::kBillingError;
    f.severity = mue.mai == 3 ? Severity::kWarning : Severity::kError;
    f.lines = lines;
    f.amount_at_stake = all_priced ? charges.Scaled(excess / units) : Money{};
    std::string per = mue.mai == 1 ? "per claim line" : "per day";
    f.rule = mue.edition + " (" + NcciSettingName(ctx->setting) + ") " + mue.code + ": " +
             std::to_string(mue.value) + (mue.value == 1 ? " unit " : " units ") + per + " (MAI " +
             std::to_string(mue.mai) + (mue.rationale.empty() ? "" : ", " + mue.rationale) + ")";
    const LineItem& first = items[lines.front()];
    f.explanation = "The bill charges " + Units(units) + " units of " + Label(first) + " on " + DateText(first) +
                    ". Medicare's Medically Unlikely Edits (" + mue.edition + ", " + NcciSettingName(ctx->setting) +
                    " table) allow at most " + std::to_string(mue.value) + " " + per + " for this code" +
                    (mue.mai == 3 ? ", the most that is clinically plausible" : "") + ". Please remove the " +
                    Units(excess) + " extra " + (excess == 1 ? "unit" : "units") +
                    (f.amount_at_stake.cents > 0 ? " (" + f.amount_at_stake.Display() + ")" : "") +
                    " or send the records that support them.";
    ctx->bill->findings.push_back(std::move(f));
  };
  for (const auto& [key, lines] : per_date) {
    auto mue = ctx->data.FindMue(key.second, ctx->setting, DateIso(items[lines.front()]));
    if (!mue || mue->value <= 0) continue;  // 0 = not reportable in this setting: not a units question
    if (mue->mai == 1) {
      for (size_t i : lines) {
        if (items[i].quantity > mue->value + 1e-9) {
          emit({i}, *mue, items[i].quantity);
          mue_flagged.insert(key);
        }
      }
      continue;
    }
    double units = 0;
    for (size_t i : lines) units += items[i].quantity;
    if (units > mue->value + 1e-9) {
      emit(lines, *mue, units);
      mue_flagged.insert(key);
    }
  }
  for (size_t i : per_line_only) {
    auto mue = ctx->data.FindMue(ctx->codes[i], ctx->setting, DateIso(items[i]));
    if (mue && mue->value > 0 && mue->mai == 1 && items[i].quantity > mue->value + 1e-9) {
      emit({i}, *mue, items[i].quantity);
    }
  }
  // Same E/M visit code more than once on one date.
  for (const auto& [key, lines] : per_date) {
    if (!IsEmVisitCode(key.second) || mue_flagged.count(key) || key.first == LONG_MIN) continue;
    // A combined statement may list the facility's and the physician's charge for one visit
    // under different revenue codes (e.g. 0450 and 0981): two parts of one visit.
    std::set<std::string> revenue_codes;
    for (size_t i : lines) {
      if (items[i].revenue_code && !Trim(*items[i].revenue_code).empty()) revenue_codes.insert(std::string(Trim(*items[i].revenue_code)));
    }
    if (revenue_codes.size() > 1) continue;
    double units = 0;
    Money charges;
    bool all_priced = true;
    for (size_t i : lines) {
      units += items[i].quantity;
      charges += ChargeOf(items[i]);
      all_priced = all_priced && items[i].charge.has_value();
    }
    if (units <= 1 + 1e-9) continue;
    const LineItem& first = items[lines.front()];
    Finding f;
    f.kind = FindingKind::kUnits;
    f.finding_class = FindingClass::kBillingError;
    f.severity = Severity::kWarning;
    f.lines = lines;
    f.amount_at_stake = all_priced ? charges.Scaled((units - 1) / units) : Money{};
    f.rule = "Evaluation and management visit " + key.second + " billed " + Units(units) +
             " times on one date (one visit of a kind per day is the norm)";
    f.explanation = "The bill charges " + Units(units) + " units of the visit " + Label(first) + " on " +
                    DateText(first) + ". A second visit of the same kind on the same day is rare, and each visit "
                    "would need its own record. Please confirm that " + Units(units) +
                    " separate visits took place, or remove the extra charge" +
                    (f.amount_at_stake.cents > 0 ? " (" + f.amount_at_stake.Display() + ")" : "") + ".";
    ctx->bill->findings.push_back(std::move(f));
  }
}

// ---------------------------------------------------------------- math

bool IsSubtotalLine(const LineItem& item) {
  if (item.code || item.revenue_code) return false;
  std::string d = LowerWords(item.description);
  for (const char* w : {"subtotal", "sub-total", "sub total", "page total", "total charges", "balance forward",
                        "previous balance", "total for", "section total"}) {
    if (d.find(w) != std::string::npos) return true;
  }
  return false;
}

void CheckMath(Context* ctx) {
  Bill& bill = *ctx->bill;
  const auto& items = bill.line_items;
  // Quantity x unit price.
  for (size_t i = 0; i < items.size(); ++i) {
    const LineItem& it = items[i];
    if (!it.unit_price || !it.charge || it.quantity <= 0 || IsSubtotalLine(it)) continue;
    Money expected = it.unit_price->Scaled(it.quantity);
    int64_t diff = it.charge->cents - expected.cents;
    // A unit price printed to the cent may hide up to half a cent per unit.
    int64_t allowed = std::max<int64_t>(kTolerance, static_cast<int64_t>(std::ceil(it.quantity * 0.5)));
    if (std::llabs(diff) <= allowed) continue;
    Finding f;
    f.kind = FindingKind::kMath;
    f.finding_class = FindingClass::kBillingError;
    f.severity = diff > 0 ? Severity::kError : Severity::kWarning;
    f.lines = {i};
    f.amount_at_stake = Money{std::max<int64_t>(diff, 0)};
    f.rule = "Arithmetic: quantity x unit price = line total (tolerance $0.01 per line)";
    f.explanation = "On the line for " + Label(it) + ", " + Units(it.quantity) + " x " + it.unit_price->Display() +
                    " is " + expected.Display() + ", but the line total is " + it.charge->Display() + ". " +
                    (diff > 0 ? "Please correct the line and remove the extra " + Money{diff}.Display() + "."
                              : "Please confirm the correct amount.");
    bill.findings.push_back(std::move(f));
  }

  // Items vs printed total charges.
  Money positive, net;
  int priced = 0;
  bool has_credits = false;
  for (const auto& it : items) {
    if (!it.charge || IsSubtotalLine(it)) continue;
    ++priced;
    net += *it.charge;
    if (it.charge->cents > 0) positive += *it.charge;
    if (it.charge->cents < 0) has_credits = true;
  }
  if (bill.totals.charges && priced > 0) {
    Money total = *bill.totals.charges;
    bool ok = std::llabs(total.cents - positive.cents) <= kTolerance || std::llabs(total.cents - net.cents) <= kTolerance;
    if (!ok) {
      int64_t diff = total.cents - positive.cents;
      Finding f;
      f.kind = FindingKind::kMath;
      f.finding_class = FindingClass::kBillingError;
      f.severity = diff > 0 ? Severity::kError : Severity::kWarning;
      f.amount_at_stake = Money{std::max<int64_t>(diff, 0)};
      f.rule = "Arithmetic: line items must add up to the printed total charges (tolerance $0.01)";
      f.explanation = "The " + std::to_string(priced) + " charges listed on the bill add up to " + positive.Display() +
                      (has_credits ? " (" + net.Display() + " after the credits listed)" : "") +
                      ", but the bill states total charges of " + total.Display() + ". " +
                      (diff > 0 ? "The total is " + Money{diff}.Display() +
                                      " more than the items listed. Please correct the total or itemize the difference."
                                : "Please explain the difference and confirm the correct total.");
      bill.findings.push_back(std::move(f));
    }
  }

  // Balance = charges - insurance payments - adjustments - patient payments.
  if (bill.document_type == DocumentType::kEob || !bill.amount_due) return;
  std::optional<Money> charges = bill.totals.charges;
  if (!charges && priced > 0) charges = positive;
  if (!charges) return;
  const Totals& t = bill.totals;
  bool any_credit_total = t.insurance_paid || t.adjustments || t.patient_paid;
  Money due = *bill.amount_due;
  if (!any_credit_total && !has_credits && due <= *charges) return;  // nothing printed to check against
  Money expected = *charges - t.insurance_paid.value_or(Money{}) - t.adjustments.value_or(Money{}) -
                   t.patient_paid.value_or(Money{});
  bool ok = std::llabs(due.cents - expected.cents) <= kTolerance ||
            (has_credits && std::llabs(due.cents - net.cents) <= kTolerance) ||
            (has_credits && std::llabs(due.cents - (expected.cents - (positive.cents - net.cents))) <= kTolerance);
  if (ok) return;
  int64_t diff = due.cents - expected.cents;
  Finding f;
  f.kind = FindingKind::kMath;
  f.finding_class = FindingClass::kBillingError;
  f.severity = diff > 0 ? Severity::kError : Severity::kWarning;
  f.amount_at_stake = Money{std::max<int64_t>(diff, 0)};
  f.rule = "Arithmetic: balance = total charges - insurance payments - adjustments - patient payments "
           "(tolerance $0.01)";
  std::string parts = "total charges of " + charges->Display();
  if (t.insurance_paid) parts += ", minus insurance payments of " + t.insurance_paid->Display();
  if (t.adjustments) parts += ", minus adjustments of " + t.adjustments->Display();
  if (t.patient_paid) parts += ", minus your payments of " + t.patient_paid->Display();
  f.explanation = "The bill asks for " + due.Display() + ", but its " + parts + " leave " + expected.Display() + ". " +
                  (diff > 0 ? "That is " + Money{diff}.Display() +
                                  " more than the bill's own figures support. Please correct the balance."
                            : "Please confirm the correct balance.");
  bill.findings.push_back(std::move(f));
}

// ---------------------------------------------------------------- summary bill

void CheckSummary(Context* ctx) {
  Bill& bill = *ctx->bill;
  if (bill.document_type == DocumentType::kEob) return;
  std::optional<Money> balance = bill.amount_due ? bill.amount_due : bill.totals.charges;
  bool no_items = bill.line_items.empty();
  if (bill.document_type == DocumentType::kSummaryStatement || (no_items && balance)) {
    Finding f;
    f.kind = FindingKind::kSummaryBill;
    f.finding_class = FindingClass::kInformation;
    f.severity = Severity::kWarning;
    f.rule = "Itemized statement: a patient may request an itemized bill before paying";
    const char* what = bill.document_type == DocumentType::kCollectionNotice ? "This collection notice" : "This is a summary bill: it";
    f.explanation = std::string(what) + " " +
                    (balance ? "asks for " + balance->Display() + " but " : "") +
                    "does not list each service with its date, billing code (CPT/HCPCS or revenue code), units "
                    "and charge. Please send a complete itemized statement so the charges can be checked, and "
                    "hold collection activity until it has been provided.";
    bill.findings.push_back(std::move(f));
    return;
  }
  if (no_items) return;
  bool any_code = std::any_of(bill.line_items.begin(), bill.line_items.end(), [](const LineItem& it) {
    return !CodeOf(it).empty() || (it.revenue_code && !Trim(*it.revenue_code).empty());
  });
  if (any_code) return;
  Finding f;
  f.kind = FindingKind::kSummaryBill;
  f.finding_class = FindingClass::kInformation;
  f.severity = Severity::kInfo;
  f.rule = "Itemized statement with billing codes (CPT/HCPCS and revenue codes)";
  f.explanation = "The bill lists charges without billing codes (CPT/HCPCS or revenue codes), so they cannot be "
                  "checked against Medicare's coding rules or prices. Please send an itemized statement that "
                  "shows the billing code of each charge.";
  bill.findings.push_back(std::move(f));
}

// ---------------------------------------------------------------- not rendered

// Words with which a bill itself says a charged service did not happen.
bool SaysNotRendered(const std::string& description) {
  std::string d = " " + LowerWords(description) + " ";
  for (char& c : d) {
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == ';' || c == '-' || c == '/') c = ' ';
  }
  for (const char* w : {" not used ", " unused ", " not performed ", " not rendered ", " not administered ",
                        " not given ", " cancelled ", " canceled ", " declined ", " refused ", " not done "}) {
    if (d.find(w) != std::string::npos) return true;
  }
  return false;
}

void CheckNotRendered(Context* ctx) {
  const auto& items = ctx->bill->line_items;
  for (size_t i = 0; i < items.size(); ++i) {
    const LineItem& it = items[i];
    if (!it.charge || it.charge->cents <= 0 || !SaysNotRendered(it.description)) continue;
    Finding f;
    f.kind = FindingKind::kNotRendered;
    f.finding_class = FindingClass::kBillingError;
    f.severity = Severity::kWarning;
    f.lines = {i};
    f.amount_at_stake = *it.charge;
    f.rule = "Charge for a service the bill itself describes as not provided";
    f.explanation = "The bill describes " + Label(it) + " on " + DateText(it) + " as not provided, yet charges " +
                    it.charge->Display() + " for it. A service that was not performed cannot be billed. Please "
                    "remove this charge.";
    ctx->bill->findings.push_back(std::move(f));
  }
}

// ---------------------------------------------------------------- balance billing

bool SameDayOrUnknown(const LineItem& a, const LineItem& b) {
  return !a.date_of_service || !b.date_of_service || *a.date_of_service == *b.date_of_service;
}

bool DeniedAsDuplicate(const LineItem& e) {
  std::string note = e.eob_note ? LowerWords(*e.eob_note) : "";
  return note.find("dup") != std::string::npos;
}

void CheckBalanceBilling(Context* ctx, const Bill& eob) {
  Bill& bill = *ctx->bill;
  const auto& items = bill.line_items;
  std::vector<bool> used(eob.line_items.size(), false);
  std::vector<std::pair<size_t, size_t>> matches;  // (bill line, EOB line)
  for (size_t i = 0; i < items.size(); ++i) {
    std::string code = CodeOf(items[i]);
    if (code.empty() || !items[i].charge || items[i].charge->cents <= 0) continue;
    for (size_t j = 0; j < eob.line_items.size(); ++j) {
      if (used[j] || CodeOf(eob.line_items[j]) != code || !SameDayOrUnknown(items[i], eob.line_items[j])) continue;
      used[j] = true;
      matches.emplace_back(i, j);
      break;
    }
  }
  if (matches.empty() && !items.empty() && !eob.line_items.empty()) {
    bill.diagnostics.push_back({Severity::kWarning, "audit",
                                "the EOB lists none of the bill's services (matched by date and code); "
                                "balance-billing check skipped",
                                std::nullopt});
    return;
  }
  // Lines the EOB denied as duplicates, billed anyway.
  Money denied_total;
  std::set<size_t> denied_lines;
  for (auto [i, j] : matches) {
    const LineItem& e = eob.line_items[j];
    if (!DeniedAsDuplicate(e) || (e.patient_responsibility && e.patient_responsibility->cents > 0)) continue;
    const LineItem& b = items[i];
    denied_lines.insert(i);
    denied_total += *b.charge;
    Finding f;
    f.kind = FindingKind::kBalanceBilling;
    f.finding_class = FindingClass::kBillingError;
    f.severity = Severity::kError;
    f.lines = {i};
    f.amount_at_stake = *b.charge;
    f.rule = "EOB: line denied as a duplicate, patient responsibility $0.00";
    f.explanation = "Your insurer's explanation of benefits denied " + Label(b) + " on " + DateText(b) +
                    " as a duplicate of another line (" + std::string(Trim(*e.eob_note)) +
                    ") and shows $0.00 as your responsibility for it, yet the bill still charges " +
                    b.charge->Display() + " for it. Please remove this charge.";
    bill.findings.push_back(std::move(f));
  }
  // The rest: what the bill asks versus what the EOB says the patient owes.
  Money line_excess;
  std::vector<size_t> over_lines;
  std::string details;
  for (auto [i, j] : matches) {
    if (denied_lines.count(i)) continue;
    const LineItem& b = items[i];
    const LineItem& e = eob.line_items[j];
    if (!e.patient_responsibility) continue;
    Money asked = b.patient_responsibility ? *b.patient_responsibility : *b.charge;
    if (asked.cents - e.patient_responsibility->cents <= kTolerance) continue;
    line_excess += asked - *e.patient_responsibility;
    over_lines.push_back(i);
    if (over_lines.size() <= 6) {
      details += (details.empty() ? "" : "; ") + CodeOf(b) + ": billed " + asked.Display() + ", EOB " +
                 e.patient_responsibility->Display();
    }
  }
  // The EOB's total covers this bill only when every EOB line matched one of its lines (an
  // EOB may list other claims or providers); otherwise add up the matched lines.
  bool all_matched = std::all_of(used.begin(), used.end(), [](bool u) { return u; });
  std::optional<Money> eob_owed = all_matched ? eob.totals.patient_responsibility : std::nullopt;
  if (!eob_owed) {
    Money sum;
    bool any = false;
    for (size_t j = 0; j < eob.line_items.size(); ++j) {
      const auto& e = eob.line_items[j];
      if (e.patient_responsibility && (all_matched || used[j])) {
        sum += *e.patient_responsibility;
        any = true;
      }
    }
    if (any) eob_owed = sum;
  }
  Money at_stake;
  std::string totals_text;
  if (bill.amount_due && eob_owed) {
    Money owed = *eob_owed - bill.totals.patient_paid.value_or(Money{});
    int64_t gap = bill.amount_due->cents - owed.cents;
    if (gap <= kTolerance) return;
    at_stake = Money{std::max<int64_t>(gap - denied_total.cents, 0)};
    totals_text = "The bill asks for " + bill.amount_due->Display() + ", but the explanation of benefits says your "
                  "share for these services is " + eob_owed->Display() +
                  (bill.totals.patient_paid ? " (less the " + bill.totals.patient_paid->Display() + " you paid)" : "") +
                  ": " + Money{gap}.Display() + " more than you owe" +
                  (denied_total.cents > 0 ? " (including the " + denied_total.Display() + " duplicate above)" : "") + ". ";
  } else {
    if (over_lines.empty()) return;
    at_stake = line_excess;
    totals_text = "For " + std::to_string(over_lines.size()) + " services the bill asks for more than the explanation "
                  "of benefits says you owe, " + line_excess.Display() + " in all. ";
  }
  if (at_stake.cents <= 0) return;
  Finding f;
  f.kind = FindingKind::kBalanceBilling;
  f.finding_class = FindingClass::kBillingError;
  f.severity = Severity::kError;
  f.lines = over_lines;
  f.amount_at_stake = at_stake;
  f.rule = "EOB patient responsibility for the same services (lines matched by date and code)";
  f.explanation = totals_text + (details.empty() ? "" : "By line: " + details + ". ") +
                  "If the provider is in your plan's network, it agreed to accept the plan's allowed amount and may "
                  "bill you only the patient responsibility shown on the EOB. Please correct the balance to match "
                  "the EOB.";
  bill.findings.push_back(std::move(f));
}

}  // namespace

bool IsEmVisitCode(std::string_view code) {
  if (code.size() != 5) return false;
  int n = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  auto in = [n](int lo, int hi) { return n >= lo && n <= hi; };
  return in(99202, 99205) || in(99211, 99215) || in(99217, 99226) || in(99231, 99239) || in(99241, 99245) ||
         in(99251, 99255) || in(99281, 99285) || n == 99291 || in(99304, 99310) || in(99315, 99316) ||
         in(99341, 99350) || in(99381, 99397) || in(99460, 99463) || in(99468, 99480);
}

NcciSetting BillSetting(const Bill& bill) {
  for (const auto& it : bill.line_items) {
    if (it.revenue_code && !Trim(*it.revenue_code).empty()) return NcciSetting::kOutpatientHospital;
    // HCPCS codes only a facility bills: hospital clinic and ED visits, observation, and the
    // OPPS device/drug C-codes.
    std::string code = CodeOf(it);
    if (code == "G0463" || code == "G0378" || code == "G0379" || (code >= "G0380" && code <= "G0384")) {
      return NcciSetting::kOutpatientHospital;
    }
    if (code.size() == 5 && code[0] == 'C' && std::all_of(code.begin() + 1, code.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      return NcciSetting::kOutpatientHospital;
    }
  }
  if (bill.provider.name) {
    std::string name = " " + LowerWords(*bill.provider.name) + " ";
    for (const char* w : {" hospital", "medical center", "medical ctr", " med ctr", "health system"}) {
      if (name.find(w) != std::string::npos) return NcciSetting::kOutpatientHospital;
    }
  }
  return NcciSetting::kPractitioner;
}

void AuditBill(const AuditData& data, const AuditOptions& options, Bill* bill) {
  if (bill == nullptr) return;
  Context ctx{data, bill, BillSetting(*bill), false, {}, {}};
  std::set<long> dates;
  for (const auto& it : bill->line_items) {
    ctx.codes.push_back(CodeOf(it));
    if (it.date_of_service) dates.insert(it.date_of_service->DayNumber());
  }
  ctx.undated_comparable = dates.size() <= 1;
  ctx.bill_prints_modifiers = std::any_of(bill->line_items.begin(), bill->line_items.end(),
                                          [](const LineItem& it) { return !ModifiersOf(it).empty(); });
  CheckDuplicates(&ctx);
  CheckBundling(&ctx);
  CheckUnits(&ctx);
  CheckMath(&ctx);
  CheckSummary(&ctx);
  CheckNotRendered(&ctx);
  if (options.eob != nullptr) CheckBalanceBilling(&ctx, *options.eob);
  HoldFindingsOfPartialReading(bill);
  if (bill->document_type == DocumentType::kEob && bill->appeals_address.empty()) {
    bill->appeals_address = FindAppealsAddress(bill->pages);
  }
}

}  // namespace billwise
