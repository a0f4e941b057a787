#include "pipeline/report/bill_json.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "pipeline/report/json_text.h"

namespace billwise {
namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json MoneyJson(const std::optional<Money>& m) {
  if (!m) return nullptr;
  // Emit the decimal exactly: parse "1234.56" so the number prints with at most two decimals.
  return ordered_json::parse(m->Plain());
}
ordered_json MoneyJson(const Money& m) { return ordered_json::parse(m.Plain()); }

ordered_json StrJson(const std::optional<std::string>& s) { return s ? ordered_json(*s) : ordered_json(nullptr); }
ordered_json DateJson(const std::optional<Date>& d) { return d ? ordered_json(d->Iso()) : ordered_json(nullptr); }

double Round(double v, int places) {
  double f = std::pow(10.0, places);
  return std::round(v * f) / f;
}

ordered_json PartyJson(const Party& p) {
  ordered_json j;
  j["name"] = StrJson(p.name);
  j["address"] = p.address;
  j["phone"] = StrJson(p.phone);
  return j;
}

ordered_json LineJson(const LineItem& li) {
  ordered_json j;
  j["date_of_service"] = DateJson(li.date_of_service);
  j["code"] = StrJson(li.code);
  const char* ct = CodeTypeName(li.code_type);
  j["code_type"] = ct ? ordered_json(ct) : ordered_json(nullptr);
  j["modifiers"] = li.modifiers;
  j["revenue_code"] = StrJson(li.revenue_code);
  j["description"] = li.description;
  if (li.quantity == std::floor(li.quantity)) {
    j["quantity"] = static_cast<int64_t>(li.quantity);
  } else {
    j["quantity"] = Round(li.quantity, 3);
  }
  j["unit_price"] = MoneyJson(li.unit_price);
  j["charge"] = MoneyJson(li.charge);
  if (li.allowed || li.insurance_paid || li.adjustment || li.patient_responsibility || li.eob_note) {
    j["allowed"] = MoneyJson(li.allowed);
    j["insurance_paid"] = MoneyJson(li.insurance_paid);
    j["adjustment"] = MoneyJson(li.adjustment);
    j["patient_responsibility"] = MoneyJson(li.patient_responsibility);
    j["note"] = StrJson(li.eob_note);
  }
  j["source"] = {{"page", li.source.page}, {"line", li.source.line},
                 {"confidence", Round(li.source.confidence, 2)}};
  return j;
}

ordered_json PlanJson(const Plan& p) {
  ordered_json j;
  j["reference_total"] = MoneyJson(p.reference_total);
  if (p.lump_sum_offer) {
    const Plan::LumpSum& l = *p.lump_sum_offer;
    j["lump_sum_offer"] = {{"amount", MoneyJson(l.amount)},
                           {"basis", l.basis},
                           {"charges", MoneyJson(l.charges)},
                           {"priced_charges", MoneyJson(l.priced_charges)},
                           {"reference", MoneyJson(l.reference)},
                           {"multiple", Round(l.multiple, 2)}};
  } else {
    j["lump_sum_offer"] = nullptr;
  }
  if (p.payment_plan) {
    j["payment_plan"] = {{"monthly", MoneyJson(p.payment_plan->monthly)},
                         {"months", p.payment_plan->months},
                         {"last", MoneyJson(p.payment_plan->last)},
                         {"interest", p.payment_plan->interest}};
  } else {
    j["payment_plan"] = nullptr;
  }
  if (p.assistance) {
    j["assistance"] = {{"poverty_percent", p.assistance->poverty_percent},
                       {"guideline_year", p.assistance->guideline_year},
                       {"typical_band", p.assistance->typical_band}};
  } else {
    j["assistance"] = nullptr;
  }
  j["deadlines"] = ordered_json::array();
  for (const Deadline& d : p.deadlines) j["deadlines"].push_back({{"what", d.what}, {"date", d.date.Iso()}});
  j["nonprofit_hospital"] = p.nonprofit_hospital;
  j["language"] = p.language;
  j["next_steps"] = ordered_json::array();
  for (const NextStep& s : p.next_steps) {
    ordered_json step;
    step["step"] = s.step;
    step["what"] = s.what;
    step["letter"] = StrJson(s.letter);
    step["by"] = DateJson(s.by);
    step["days_left"] = s.days_left ? ordered_json(*s.days_left) : ordered_json(nullptr);
    step["how"] = s.how;
    step["why"] = s.why;
    step["hold_back"] = s.hold_back;
    j["next_steps"].push_back(std::move(step));
  }
  return j;
}

ordered_json ReadQualityJson(const ReadQuality& q) {
  ordered_json j;
  j["status"] = ReadStatusName(q.status);
  j["items_total"] = MoneyJson(q.items_total);
  j["printed_total"] = MoneyJson(q.printed_total);
  j["unread_rows"] = q.unread_rows;
  j["ocr_confidence"] = q.ocr_confidence ? ordered_json(Round(*q.ocr_confidence, 1)) : ordered_json(nullptr);
  j["notes"] = q.notes;
  return j;
}

}  // namespace

std::string BillToJson(const Bill& bill, int indent) {
  ordered_json j;
  j["schema"] = kBillSchema;
  ordered_json source = ordered_json::object();
  PutName(source, "path", bill.source.path);
  source["sha256"] = bill.source.sha256;
  source["pages"] = bill.source.pages;
  source["text_origin"] = TextOriginName(bill.source.text_origin);
  source["ocr_confidence"] =
      bill.source.ocr_confidence ? ordered_json(Round(*bill.source.ocr_confidence, 1)) : ordered_json(nullptr);
  source["layout"] = bill.source.layout;
  source["document"] = {{"index", bill.source.document_index},
                        {"count", bill.source.document_count},
                        {"first_page", bill.source.first_page},
                        {"last_page", bill.source.last_page}};
  j["source"] = std::move(source);
  j["document_type"] = DocumentTypeName(bill.document_type);
  j["provider"] = PartyJson(bill.provider);
  j["patient"] = {{"name", StrJson(bill.patient.name)}, {"address", bill.patient.address}};
  j["account_number"] = StrJson(bill.account_number);
  j["claim_number"] = StrJson(bill.claim_number);
  j["member_id"] = StrJson(bill.member_id);
  j["appeals_address"] = bill.appeals_address;
  j["statement_date"] = DateJson(bill.statement_date);
  j["due_date"] = DateJson(bill.due_date);
  j["amount_due"] = MoneyJson(bill.amount_due);
  j["totals"] = {{"charges", MoneyJson(bill.totals.charges)},
                 {"insurance_paid", MoneyJson(bill.totals.insurance_paid)},
                 {"adjustments", MoneyJson(bill.totals.adjustments)},
                 {"patient_paid", MoneyJson(bill.totals.patient_paid)},
                 {"patient_responsibility", MoneyJson(bill.totals.patient_responsibility)}};
  j["line_items"] = ordered_json::array();
  for (const LineItem& li : bill.line_items) j["line_items"].push_back(LineJson(li));
  if (bill.collector) {
    const Collector& c = *bill.collector;
    j["collector"] = {{"name", StrJson(c.name)},
                      {"creditor", StrJson(c.creditor)},
                      {"original_creditor", StrJson(c.original_creditor)},
                      {"reference", StrJson(c.reference)},
                      {"phone", StrJson(c.phone)},
                      {"address", c.address},
                      {"notice_date", DateJson(c.notice_date)},
                      {"itemization_date", DateJson(c.itemization_date)},
                      {"validation_end_date", DateJson(c.validation_end_date)}};
  } else {
    j["collector"] = nullptr;
  }
  j["read_quality"] = bill.read_quality ? ReadQualityJson(*bill.read_quality) : ordered_json(nullptr);
  j["pricing"] = ordered_json::array();
  for (const Pricing& p : bill.pricing) {
    j["pricing"].push_back({{"line", p.line},
                            {"basis", p.basis},
                            {"schedule", p.schedule},
                            {"reference", MoneyJson(p.reference)},
                            {"ratio", p.ratio ? ordered_json(Round(*p.ratio, 2)) : ordered_json(nullptr)},
                            {"descriptor", StrJson(p.descriptor)}});
  }
  j["findings"] = ordered_json::array();
  for (const Finding& f : bill.findings) {
    j["findings"].push_back({{"kind", FindingKindName(f.kind)},
                             {"severity", SeverityName(f.severity)},
                             {"class", FindingClassName(f.finding_class)},
                             {"lines", f.lines},
                             {"amount_at_stake", MoneyJson(f.amount_at_stake)},
                             {"rule", f.rule},
                             {"explanation", f.explanation},
                             {"check_by_hand", f.check_by_hand}});
  }
  j["plan"] = bill.plan ? PlanJson(*bill.plan) : ordered_json(nullptr);
  j["diagnostics"] = ordered_json::array();
  for (const Diagnostic& d : bill.diagnostics) {
    ordered_json dj = {{"severity", SeverityName(d.severity)}, {"stage", d.stage}, {"message", d.message}};
    dj["page"] = d.page ? ordered_json(*d.page) : ordered_json(nullptr);
    j["diagnostics"].push_back(dj);
  }
  return DumpJson(j, indent);
}

std::string BillsToJsonArray(const std::vector<Bill>& bills, int indent) {
  ordered_json array = ordered_json::array();
  for (const Bill& b : bills) array.push_back(ordered_json::parse(BillToJson(b, -1)));
  return DumpJson(array, indent);
}

namespace {

std::optional<std::string> GetStr(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
std::optional<Date> GetDate(const nlohmann::json& j, const char* key) {
  auto s = GetStr(j, key);
  return s ? Date::FromIso(*s) : std::nullopt;
}
// Amounts are range-checked as they are read: the first one that is not a plausible
// amount (pipeline/model/money.h) is remembered, and BillFromJson refuses the document.
struct AmountReader {
  std::string bad_key;
  std::string bad_value;

  std::optional<Money> Get(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    auto money = PlausibleDollars(it->get<double>());
    if (!money && bad_key.empty()) {
      bad_key = key;
      bad_value = it->dump();
    }
    return money;
  }
};

// Numbers read without nlohmann's value(), which throws on a value of another type.
double GetNumber(const nlohmann::json& j, const char* key, double fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}
int GetInt(const nlohmann::json& j, const char* key, int fallback) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return fallback;
  if (it->is_number_unsigned()) {
    return static_cast<int>(std::min<uint64_t>(it->get<uint64_t>(), std::numeric_limits<int>::max()));
  }
  int64_t v = it->get<int64_t>();
  return static_cast<int>(std::clamp<int64_t>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}
// An index into the bill's line items, or nullopt when it is not one.
std::optional<size_t> GetIndex(const nlohmann::json& v, size_t count) {
  if (!v.is_number_unsigned()) return std::nullopt;
  uint64_t i = v.get<uint64_t>();
  if (i >= count) return std::nullopt;
  return static_cast<size_t>(i);
}

// A line quantity beyond this (either sign) is not a bill's: amounts times it would leave
// every plausible range.
constexpr double kMaxQuantity = 1e6;
std::vector<std::string> GetStrings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

DocumentType DocTypeFromName(const std::string& s) {
  for (DocumentType t : {DocumentType::kItemizedStatement, DocumentType::kSummaryStatement, DocumentType::kEob,
                         DocumentType::kCollectionNotice}) {
    if (s == DocumentTypeName(t)) return t;
  }
  return DocumentType::kUnknown;
}
CodeType CodeTypeFromName(const std::string& s) {
  for (CodeType t : {CodeType::kCpt, CodeType::kHcpcs, CodeType::kRevenue, CodeType::kNdc, CodeType::kInternal}) {
    if (s == CodeTypeName(t)) return t;
  }
  return CodeType::kNone;
}
ReadStatus ReadStatusFromName(const std::string& s) {
  if (s == "partial") return ReadStatus::kPartial;
  if (s == "unreadable") return ReadStatus::kUnreadable;
  return ReadStatus::kComplete;
}
Severity SeverityFromName(const std::string& s) {
  if (s == "info") return Severity::kInfo;
  if (s == "error") return Severity::kError;
  return Severity::kWarning;
}

}  // namespace

Expected<Bill> BillFromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Fail(ErrorCode::kInvalidInput, "not valid JSON");
  if (GetStr(j, "schema").value_or("") != kBillSchema) {
    return Fail(ErrorCode::kInvalidInput, std::string("not a ") + kBillSchema + " document");
  }
  Bill b;
  AmountReader money;
  if (auto s = j.find("source"); s != j.end() && s->is_object()) {
    b.source.path = GetName(*s, "path").value_or("");
    b.source.sha256 = GetStr(*s, "sha256").value_or("");
    b.source.pages = GetInt(*s, "pages", 0);
    b.source.text_origin = ParseTextOrigin(GetStr(*s, "text_origin").value_or("")).value_or(TextOrigin::kTextLayer);
    if (auto c = s->find("ocr_confidence"); c != s->end() && c->is_number()) b.source.ocr_confidence = c->get<double>();
    b.source.layout = GetStr(*s, "layout").value_or("");
    if (auto d = s->find("document"); d != s->end() && d->is_object()) {
      auto get = [&](const char* key, int* out) {
        if (auto v = d->find(key); v != d->end() && v->is_number_integer()) *out = v->get<int>();
      };
      get("index", &b.source.document_index);
      get("count", &b.source.document_count);
      get("first_page", &b.source.first_page);
      get("last_page", &b.source.last_page);
    }
  }
  b.document_type = DocTypeFromName(GetStr(j, "document_type").value_or(""));
  if (auto p = j.find("provider"); p != j.end() && p->is_object()) {
    b.provider.name = GetStr(*p, "name");
    b.provider.address = GetStrings(*p, "address");
    b.provider.phone = GetStr(*p, "phone");
  }
  if (auto p = j.find("patient"); p != j.end() && p->is_object()) {
    b.patient.name = GetStr(*p, "name");
    b.patient.address = GetStrings(*p, "address");
  }
  b.account_number = GetStr(j, "account_number");
  b.claim_number = GetStr(j, "claim_number");
  b.member_id = GetStr(j, "member_id");
  b.appeals_address = GetStrings(j, "appeals_address");
  b.statement_date = GetDate(j, "statement_date");
  b.due_date = GetDate(j, "due_date");
  b.amount_due = money.Get(j, "amount_due");
  if (auto t = j.find("totals"); t != j.end() && t->is_object()) {
    b.totals.charges = money.Get(*t, "charges");
    b.totals.insurance_paid = money.Get(*t, "insurance_paid");
    b.totals.adjustments = money.Get(*t, "adjustments");
    b.totals.patient_paid = money.Get(*t, "patient_paid");
    b.totals.patient_responsibility = money.Get(*t, "patient_responsibility");
  }
  if (auto items = j.find("line_items"); items != j.end() && items->is_array()) {
    for (const auto& it : *items) {
      if (!it.is_object()) continue;
      LineItem li;
      li.date_of_service = GetDate(it, "date_of_service");
      li.code = GetStr(it, "code");
      li.code_type = CodeTypeFromName(GetStr(it, "code_type").value_or(""));
      li.modifiers = GetStrings(it, "modifiers");
      li.revenue_code = GetStr(it, "revenue_code");
      li.description = GetStr(it, "description").value_or("");
      li.quantity = GetNumber(it, "quantity", 1);
      if (!(std::fabs(li.quantity) <= kMaxQuantity)) {
        return Fail(ErrorCode::kInvalidInput, "quantity " + it["quantity"].dump() + " is not a plausible quantity");
      }
      li.unit_price = money.Get(it, "unit_price");
      li.charge = money.Get(it, "charge");
      li.allowed = money.Get(it, "allowed");
      li.insurance_paid = money.Get(it, "insurance_paid");
      li.adjustment = money.Get(it, "adjustment");
      li.patient_responsibility = money.Get(it, "patient_responsibility");
      li.eob_note = GetStr(it, "note");
      if (auto s = it.find("source"); s != it.end() && s->is_object()) {
        li.source.page = GetInt(*s, "page", 0);
        li.source.line = GetInt(*s, "line", 0);
        li.source.confidence = std::clamp(GetNumber(*s, "confidence", 1.0), 0.0, 1.0);
      }
      b.line_items.push_back(std::move(li));
    }
  }
  if (auto c = j.find("collector"); c != j.end() && c->is_object()) {
    Collector col;
    col.name = GetStr(*c, "name");
    col.creditor = GetStr(*c, "creditor");
    col.original_creditor = GetStr(*c, "original_creditor");
    col.reference = GetStr(*c, "reference");
    col.phone = GetStr(*c, "phone");
    col.address = GetStrings(*c, "address");
    col.notice_date = GetDate(*c, "notice_date");
    col.itemization_date = GetDate(*c, "itemization_date");
    col.validation_end_date = GetDate(*c, "validation_end_date");
    b.collector = col;
  }
  if (auto q = j.find("read_quality"); q != j.end() && q->is_object()) {
    ReadQuality rq;
    rq.status = ReadStatusFromName(GetStr(*q, "status").value_or(""));
    rq.items_total = money.Get(*q, "items_total").value_or(Money{});
    rq.printed_total = money.Get(*q, "printed_total");
    if (auto u = q->find("unread_rows"); u != q->end() && u->is_number_integer()) rq.unread_rows = u->get<int>();
    if (auto c = q->find("ocr_confidence"); c != q->end() && c->is_number()) rq.ocr_confidence = c->get<double>();
    rq.notes = GetStrings(*q, "notes");
    b.read_quality = std::move(rq);
  }
  if (auto ps = j.find("pricing"); ps != j.end() && ps->is_array()) {
    for (const auto& p : *ps) {
      if (!p.is_object() || !p.contains("line")) continue;
      auto line = GetIndex(p["line"], b.line_items.size());
      if (!line) continue;  // prices no line of this bill
      Pricing pr;
      pr.line = *line;
      pr.basis = GetStr(p, "basis").value_or("");
      pr.schedule = GetStr(p, "schedule").value_or("");
      pr.reference = money.Get(p, "reference");
      if (auto r = p.find("ratio"); r != p.end() && r->is_number()) pr.ratio = r->get<double>();
      pr.descriptor = GetStr(p, "descriptor");
      b.pricing.push_back(std::move(pr));
    }
  }
  if (auto fs = j.find("findings"); fs != j.end() && fs->is_array()) {
    for (const auto& f : *fs) {
      if (!f.is_object()) continue;
      Finding fi;
      const std::string kind = GetStr(f, "kind").value_or("");
      auto parsed_kind = ParseFindingKind(kind);
      if (!parsed_kind) {
        return Fail(ErrorCode::kInvalidInput, "finding kind \"" + kind.substr(0, 40) + "\" is not one billwise writes");
      }
      fi.kind = *parsed_kind;
      fi.severity = SeverityFromName(GetStr(f, "severity").value_or(""));
      fi.finding_class = ParseFindingClass(GetStr(f, "class").value_or("")).value_or(FindingClass::kInformation);
      if (auto ls = f.find("lines"); ls != f.end() && ls->is_array()) {
        for (const auto& l : *ls) {
          if (auto line = GetIndex(l, b.line_items.size())) fi.lines.push_back(*line);
        }
      }
      fi.amount_at_stake = money.Get(f, "amount_at_stake").value_or(Money{});
      fi.rule = GetStr(f, "rule").value_or("");
      fi.explanation = GetStr(f, "explanation").value_or("");
      if (auto c = f.find("check_by_hand"); c != f.end() && c->is_boolean()) fi.check_by_hand = c->get<bool>();
      b.findings.push_back(std::move(fi));
    }
  }
  if (auto p = j.find("plan"); p != j.end() && p->is_object()) {
    Plan plan;
    plan.reference_total = money.Get(*p, "reference_total").value_or(Money{});
    if (auto l = p->find("lump_sum_offer"); l != p->end() && l->is_object()) {
      Plan::LumpSum offer;
      offer.amount = money.Get(*l, "amount").value_or(Money{});
      offer.basis = GetStr(*l, "basis").value_or("");
      offer.charges = money.Get(*l, "charges").value_or(Money{});
      offer.priced_charges = money.Get(*l, "priced_charges").value_or(Money{});
      offer.reference = money.Get(*l, "reference").value_or(Money{});
      offer.multiple = GetNumber(*l, "multiple", 0.0);
      plan.lump_sum_offer = offer;
    }
    if (auto pp = p->find("payment_plan"); pp != p->end() && pp->is_object()) {
      Plan::PaymentPlan pay{money.Get(*pp, "monthly").value_or(Money{}), GetInt(*pp, "months", 0),
                            GetNumber(*pp, "interest", 0.0), Money{}};
      pay.last = money.Get(*pp, "last").value_or(pay.monthly);
      plan.payment_plan = pay;
    }
    if (auto a = p->find("assistance"); a != p->end() && a->is_object()) {
      plan.assistance = Plan::Assistance{GetInt(*a, "poverty_percent", 0), GetInt(*a, "guideline_year", 0),
                                         GetStr(*a, "typical_band").value_or("")};
    }
    if (auto ds = p->find("deadlines"); ds != p->end() && ds->is_array()) {
      for (const auto& d : *ds) {
        auto date = d.is_object() ? GetDate(d, "date") : std::nullopt;
        if (date) plan.deadlines.push_back(Deadline{GetStr(d, "what").value_or(""), *date});
      }
    }
    if (auto ns = p->find("next_steps"); ns != p->end() && ns->is_array()) {
      for (const auto& n : *ns) {
        if (!n.is_object()) continue;
        NextStep s;
        s.step = static_cast<int>(plan.next_steps.size()) + 1;
        if (auto st = n.find("step"); st != n.end() && st->is_number_integer()) s.step = st->get<int>();
        s.what = GetStr(n, "what").value_or("");
        s.letter = GetStr(n, "letter");
        s.by = GetDate(n, "by");
        if (auto d = n.find("days_left"); d != n.end() && d->is_number_integer()) s.days_left = d->get<int>();
        s.how = GetStr(n, "how").value_or("");
        s.why = GetStr(n, "why").value_or("");
        if (auto h = n.find("hold_back"); h != n.end() && h->is_array()) {
          for (const auto& line : *h) {
            if (line.is_string()) s.hold_back.push_back(line.get<std::string>());
          }
        }
        plan.next_steps.push_back(std::move(s));
      }
    }
    if (auto h = p->find("nonprofit_hospital"); h != p->end() && h->is_boolean()) plan.nonprofit_hospital = h->get<bool>();
    if (GetStr(*p, "language") == std::optional<std::string>("es")) plan.language = "es";
    b.plan = plan;
  }
  if (auto ds = j.find("diagnostics"); ds != j.end() && ds->is_array()) {
    for (const auto& d : *ds) {
      if (!d.is_object()) continue;
      Diagnostic di;
      di.severity = SeverityFromName(GetStr(d, "severity").value_or(""));
      di.stage = GetStr(d, "stage").value_or("");
      di.message = GetStr(d, "message").value_or("");
      if (auto pg = d.find("page"); pg != d.end() && pg->is_number_integer()) di.page = pg->get<int>();
      b.diagnostics.push_back(std::move(di));
    }
  }
  if (!money.bad_key.empty()) {
    return Fail(ErrorCode::kInvalidInput, money.bad_key + ": " + money.bad_value + " " + ImplausibleAmountReason());
  }
  return b;
}

}  // namespace billwise
