#include "pipeline/cases/case_format.h"

#include "pipeline/run/run.h"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pipeline/report/json_text.h"

namespace billwise {
namespace {

nlohmann::json MoneyJson(const std::optional<Money>& m) {
  return m ? nlohmann::json::parse(m->Plain()) : nlohmann::json(nullptr);
}
nlohmann::json DateJson(const std::optional<Date>& d) { return d ? nlohmann::json(d->Iso()) : nlohmann::json(nullptr); }

// RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
std::string IcsText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// RFC 5545 3.1: lines longer than 75 octets are split, continuation lines start with a
// space; never split inside a UTF-8 sequence.
void AddLine(std::string* out, const std::string& line) {
  size_t pos = 0;
  size_t limit = 75;
  while (line.size() - pos > limit) {
    size_t cut = pos + limit;
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out->append(line, pos, cut - pos);
    out->append("\r\n ");
    pos = cut;
    limit = 74;  // the leading space counts
  }
  out->append(line, pos, std::string::npos);
  out->append("\r\n");
}

std::string IcsDate(const Date& d) { return fmt::format("{:04d}{:02d}{:02d}", d.year, d.month, d.day); }

std::string IcsStamp(int64_t epoch) {
  Date day = Date::FromDayNumber(static_cast<long>(epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400));
  int64_t seconds = epoch - static_cast<int64_t>(day.DayNumber()) * 86400;
  return fmt::format("{}T{:02d}{:02d}{:02d}Z", IcsDate(day), seconds / 3600, seconds / 60 % 60, seconds % 60);
}

std::string MoneyText(const std::optional<Money>& m) { return m ? m->Display() : "unknown"; }

}  // namespace

std::string CasesToJson(const std::vector<CaseSummary>& cases) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : cases) {
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& d : c.documents) {
      nlohmann::json doc = {{"sha256", d.sha256}, {"document_type", d.document_type},
                            {"statement_date", DateJson(d.statement_date)}, {"amount_due", MoneyJson(d.amount_due)}};
      PutName(doc, "path", d.path);
      docs.push_back(std::move(doc));
    }
    nlohmann::json item;
    item["id"] = c.id;
    item["provider"] = c.provider;
    item["account_number"] = c.account_number ? nlohmann::json(*c.account_number) : nlohmann::json(nullptr);
    item["status"] = c.status;
    item["balance"] = MoneyJson(c.balance);
    item["documents"] = std::move(docs);
    item["next_deadline"] = c.next_deadline
                                ? nlohmann::json{{"what", c.next_deadline->what},
                                                 {"date", c.next_deadline->date.Iso()},
                                                 {"kind", c.next_deadline->kind}}
                                : nlohmann::json(nullptr);
    item["next_payment"] = c.next_payment ? nlohmann::json{{"date", c.next_payment->date.Iso()},
                                                           {"amount", MoneyJson(c.next_payment->amount)}}
                                          : nlohmann::json(nullptr);
    item["letters"] = nlohmann::json::array();
    for (const auto& l : c.letters) {
      item["letters"].push_back({{"id", l.id}, {"kind", l.kind}, {"written", l.written.Iso()},
                                 {"recipient", l.recipient}, {"sent", DateJson(l.sent)},
                                 {"method", l.method ? nlohmann::json(*l.method) : nlohmann::json(nullptr)},
                                 {"tracking", l.tracking ? nlohmann::json(*l.tracking) : nlohmann::json(nullptr)}});
    }
    item["calls"] = nlohmann::json::array();
    for (const auto& k : c.calls) {
      item["calls"].push_back({{"id", k.id}, {"date", k.date.Iso()}, {"with", k.with},
                               {"reference", k.reference ? nlohmann::json(*k.reference) : nlohmann::json(nullptr)},
                               {"note", k.note}, {"follow_up", DateJson(k.follow_up)}});
    }
    list.push_back(std::move(item));
  }
  return DumpJson(nlohmann::json{{"cases", std::move(list)}}, 2) + "\n";
}

std::string DeadlinesToJson(const std::vector<CaseDeadline>& deadlines) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : deadlines) {
    list.push_back({{"case", d.case_id}, {"what", d.what}, {"date", d.date.Iso()}, {"kind", d.kind}});
  }
  return DumpJson(nlohmann::json{{"deadlines", std::move(list)}}, 2) + "\n";
}

std::string DeadlinesToIcs(const std::vector<CaseDeadline>& deadlines, int64_t stamp_epoch) {
  std::string out;
  AddLine(&out, "BEGIN:VCALENDAR");
  AddLine(&out, "VERSION:2.0");
  AddLine(&out, "PRODID:-//billwise//case deadlines//EN");
  AddLine(&out, "CALSCALE:GREGORIAN");
  AddLine(&out, "METHOD:PUBLISH");
  std::string stamp = IcsStamp(stamp_epoch);
  for (const auto& d : deadlines) {
    AddLine(&out, "BEGIN:VEVENT");
    AddLine(&out, "UID:" + d.uid);
    AddLine(&out, "DTSTAMP:" + stamp);
    AddLine(&out, "DTSTART;VALUE=DATE:" + IcsDate(d.date));
    AddLine(&out, "DTEND;VALUE=DATE:" + IcsDate(d.date.AddDays(1)));
    AddLine(&out, "SUMMARY:" + IcsText("billwise case " + std::to_string(d.case_id) + ": " + d.what));
    AddLine(&out, "DESCRIPTION:" + IcsText(d.what + " (case " + std::to_string(d.case_id) +
                                           "; see `billwise case " + std::to_string(d.case_id) + "`)"));
    AddLine(&out, "CATEGORIES:" + IcsText(d.kind));
    AddLine(&out, "TRANSP:TRANSPARENT");
    AddLine(&out, "BEGIN:VALARM");
    AddLine(&out, "ACTION:DISPLAY");
    AddLine(&out, "DESCRIPTION:" + IcsText(d.what));
    AddLine(&out, "TRIGGER:-P3D");
    AddLine(&out, "END:VALARM");
    AddLine(&out, "END:VEVENT");
  }
  AddLine(&out, "END:VCALENDAR");
  return out;
}

std::string CasesText(const std::vector<CaseSummary>& cases) {
  if (cases.empty()) return "No cases yet. Add documents with `billwise cases add FILE...`.\n";
  std::string out = fmt::format("{:>4}  {:<28} {:<16} {:<14} {:>12}  {}\n", "case", "provider", "account", "status",
                                "balance", "next");
  for (const auto& c : cases) {
    std::string provider = c.provider.empty() ? "(unknown)" : c.provider;
    if (provider.size() > 28) provider = provider.substr(0, 27) + "~";
    std::string next;
    if (c.next_deadline) next = c.next_deadline->date.Iso() + " " + c.next_deadline->what;
    if (c.next_payment) {
      next += (next.empty() ? "" : "; ") + std::string("payment ") + c.next_payment->amount.Display() + " due " +
              c.next_payment->date.Iso();
    }
    out += fmt::format("{:>4}  {:<28} {:<16} {:<14} {:>12}  {}\n", c.id, provider, c.account_number.value_or("-"),
                       c.status, MoneyText(c.balance), next);
  }
  return out;
}

std::string CaseText(const CaseDetail& d) {
  const CaseSummary& s = d.summary;
  std::string out = fmt::format("Case {}: {} (account {})\n", s.id, s.provider.empty() ? "(unknown)" : s.provider,
                                s.account_number.value_or("unknown"));
  out += fmt::format("Status: {}   Balance: {}\n", s.status, MoneyText(s.balance));
  if (s.next_payment) {
    out += fmt::format("Next payment: {} due {}\n", s.next_payment->amount.Display(), s.next_payment->date.Iso());
  }
  out += "\nTimeline\n";
  for (const auto& e : d.timeline) {
    out += fmt::format("  {:<10}  {:<8}  {}\n", e.date ? e.date->Iso() : "undated", e.kind, e.text);
  }
  if (!d.cross_findings.empty() || !d.document_findings.empty()) {
    out += "\nFindings\n";
    for (const auto& f : d.cross_findings) {
      out += fmt::format("  [{}] {} ({}): {}\n", SeverityName(f.finding.severity), FindingKindName(f.finding.kind),
                         f.finding.amount_at_stake.Display(), f.finding.explanation);
    }
    for (const auto& f : d.document_findings) {
      out += fmt::format("  [{}] {} ({}): {}\n", SeverityName(f.severity), FindingKindName(f.kind), f.amount_at_stake.Display(),
                         f.explanation);
    }
  }
  if (!d.deadlines.empty()) {
    out += "\nDeadlines\n";
    for (const auto& dl : d.deadlines) out += fmt::format("  {}  {}\n", dl.date.Iso(), dl.what);
  }
  return out;
}

std::string DeadlinesText(const std::vector<CaseDeadline>& deadlines, const Date& today) {
  if (deadlines.empty()) return "No open deadlines.\n";
  std::string out;
  for (const auto& d : deadlines) {
    long days = today.DaysUntil(d.date);
    out += fmt::format("{}  {:>5}  case {:<4} {}\n", d.date.Iso(), days == 0 ? "today" : fmt::format("{}d", days),
                       d.case_id, d.what);
  }
  return out;
}

int64_t CalendarStamp() {
  return SourceDateEpoch().value_or(static_cast<int64_t>(Today().DayNumber()) * 86400);
}

}  // namespace billwise
