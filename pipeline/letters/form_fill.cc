#include "pipeline/letters/form_fill.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>

#include <yaml-cpp/yaml.h>

#include "pipeline/model/strings.h"
#include "pipeline/mustache/mustache_render.h"

namespace billwise {
namespace {

using N = TemplateNode;

std::string TwoDigits(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}
std::string UsDate(const Date& d) { return TwoDigits(d.month) + "/" + TwoDigits(d.day) + "/" + std::to_string(d.year); }

N StrOr(const std::optional<std::string>& v, const std::string& key) {
  return v && !v->empty() ? N::Str(*v) : N::Missing(key);
}

void StripMissing(N& node) {
  if (node.kind == N::Kind::kMissing) {
    node = N::Str("");
    return;
  }
  for (auto& item : node.items) StripMissing(item);
  for (auto& [k, v] : node.fields) StripMissing(v);
}

}  // namespace

Expected<std::vector<FormMapEntry>> ParseFormMap(std::string_view yaml, const std::string& what) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) return Fail(ErrorCode::kBadTemplate, what + ": a form map is a YAML mapping with 'fields:'");
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      if (key != "fields" && key != "form" && key != "description") {
        return Fail(ErrorCode::kBadTemplate, what + ": unknown top-level key '" + key + "'");
      }
    }
    YAML::Node fields = root["fields"];
    if (!fields || !fields.IsMap()) return Fail(ErrorCode::kBadTemplate, what + ": 'fields:' must be a mapping");
    std::vector<FormMapEntry> out;
    for (const auto& kv : fields) {
      FormMapEntry e;
      e.field = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (v.IsScalar()) {
        e.value = v.as<std::string>();
      } else if (v.IsMap()) {
        for (const auto& part : v) {
          std::string k = part.first.as<std::string>();
          if (k == "value") {
            e.value = part.second.as<std::string>();
          } else if (k == "on_when") {
            if (part.second.IsSequence()) {
              for (const auto& alt : part.second) e.on_when.push_back(alt.as<std::string>());
            } else {
              e.on_when.push_back(part.second.as<std::string>());
            }
          } else if (k == "state") {
            e.state = part.second.as<std::string>();
          } else {
            return Fail(ErrorCode::kBadTemplate, what + ": field '" + e.field + "': unknown key '" + k + "'");
          }
        }
      } else {
        return Fail(ErrorCode::kBadTemplate, what + ": field '" + e.field + "' must be a string or a mapping");
      }
      out.push_back(std::move(e));
    }
    return out;
  } catch (const YAML::Exception& ex) {
    return Fail(ErrorCode::kBadTemplate, what + ": YAML error at line " + std::to_string(ex.mark.line + 1));
  } catch (const std::exception& ex) {
    return Fail(ErrorCode::kBadTemplate, what + ": " + ex.what());
  }
}

TemplateNode FormData(const Profile* profile_ptr, const Bill* bill_ptr, const Date& today) {
  static const Profile kNoProfile;
  static const Bill kNoBill;
  const Profile& p = profile_ptr ? *profile_ptr : kNoProfile;
  const Bill& b = bill_ptr ? *bill_ptr : kNoBill;
  N root = N::Object();
  root.Set("today", N::Str(UsDate(today)));
  root.Set("today_iso", N::Str(today.Iso()));

  N prof = N::Object();
  prof.Set("name", StrOr(p.name, "profile.name"));
  std::vector<std::string> parts;
  if (p.name) {
    std::string w;
    for (char c : *p.name + " ") {
      if (c == ' ') {
        if (!w.empty()) parts.push_back(w);
        w.clear();
      } else {
        w += c;
      }
    }
  }
  prof.Set("first_name", parts.empty() ? N::Missing("profile.name") : N::Str(parts.front()));
  prof.Set("last_name", parts.size() < 2 ? N::Missing("profile.name") : N::Str(parts.back()));
  std::string middle;
  for (size_t i = 1; i + 1 < parts.size(); ++i) middle += (middle.empty() ? "" : " ") + parts[i];
  prof.Set("middle_name", N::Str(middle));
  if (p.address.empty()) {
    for (const char* k : {"address", "address_lines", "street", "city", "state", "zip"}) {
      prof.Set(k, N::Missing("profile.address"));
    }
    prof.Set("street2", N::Str(""));
  } else {
    std::string one, lines;
    for (const auto& l : p.address) {
      one += (one.empty() ? "" : ", ") + l;
      lines += (lines.empty() ? "" : "\n") + l;
    }
    prof.Set("address", N::Str(one));
    prof.Set("address_lines", N::Str(lines));
    prof.Set("street", N::Str(p.address.front()));
    prof.Set("street2", N::Str(p.address.size() >= 3 ? p.address[1] : ""));
    // "City, ST 12345" (or "City ST 12345-6789") on the last line.
    const std::string& last = p.address.back();
    std::string city = last, state, zip;
    size_t sp = last.find_last_of(' ');
    if (sp != std::string::npos && sp + 1 < last.size() && std::isdigit(static_cast<unsigned char>(last[sp + 1]))) {
      zip = last.substr(sp + 1);
      std::string rest(Trim(std::string_view(last).substr(0, sp)));
      size_t sp2 = rest.find_last_of(' ');
      if (sp2 != std::string::npos && rest.size() - sp2 - 1 == 2) {
        state = rest.substr(sp2 + 1);
        city = Trim(rest.substr(0, sp2));
        if (!city.empty() && city.back() == ',') city.pop_back();
      }
    }
    prof.Set("city", zip.empty() ? N::Missing("profile.address (city line)") : N::Str(city));
    prof.Set("state", !state.empty() ? N::Str(state) : StrOr(p.state, "profile.state"));
    prof.Set("zip", zip.empty() ? N::Missing("profile.address (ZIP code)") : N::Str(zip.substr(0, 5)));
  }
  // Phone and email are optional on most forms: absent ones leave the field empty.
  prof.Set("phone", N::Str(p.phone.value_or("")));
  std::string digits;
  if (p.phone) {
    for (char c : *p.phone) if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  prof.Set("phone_area", N::Str(digits.size() == 10 ? digits.substr(0, 3) : ""));
  prof.Set("phone_number", N::Str(digits.size() == 10 ? digits.substr(3, 3) + "-" + digits.substr(6) : p.phone.value_or("")));
  prof.Set("email", N::Str(p.email.value_or("")));
  if (p.date_of_birth) {
    const Date& d = *p.date_of_birth;
    prof.Set("date_of_birth", N::Str(UsDate(d)));
    prof.Set("dob_mm", N::Str(TwoDigits(d.month)));
    prof.Set("dob_dd", N::Str(TwoDigits(d.day)));
    prof.Set("dob_yyyy", N::Str(std::to_string(d.year)));
    prof.Set("dob_yy", N::Str(TwoDigits(d.year % 100)));
    prof.Set("dob_digits", N::Str(TwoDigits(d.month) + TwoDigits(d.day) + std::to_string(d.year)));
  } else {
    for (const char* k : {"date_of_birth", "dob_mm", "dob_dd", "dob_yyyy", "dob_yy", "dob_digits"}) {
      prof.Set(k, N::Missing("profile.date_of_birth"));
    }
  }
  prof.Set("household_size", p.household_size ? N::Str(std::to_string(*p.household_size))
                                               : N::Missing("profile.household_size"));
  prof.Set("annual_income", p.annual_income ? N::Str(p.annual_income->Display()) : N::Missing("profile.annual_income"));
  prof.Set("monthly_income", p.annual_income ? N::Str(Money::FromCents((p.annual_income->cents + 6) / 12).Display())
                                             : N::Missing("profile.annual_income"));
  prof.Set("insured", p.insured ? N::Str(*p.insured ? "yes" : "no") : N::Missing("profile.insured"));
  prof.Set("insurer", N::Str(p.insurer.value_or("")));
  prof.Set("member_id", N::Str(p.member_id.value_or("")));
  prof.Set("language", N::Str(p.language));
  root.Set("profile", prof);

  N bill = N::Object();
  std::optional<std::string> provider = b.provider.name;
  if (!provider && b.collector && b.collector->creditor) provider = b.collector->creditor;
  bill.Set("provider_name", StrOr(provider, "bill.provider.name"));
  bill.Set("account_number", StrOr(b.account_number, "bill.account_number"));
  std::optional<Money> due = b.amount_due;
  bill.Set("amount_due", due ? N::Str(due->Display()) : N::Missing("bill.amount_due"));
  bill.Set("total_charges", b.totals.charges ? N::Str(b.totals.charges->Display()) : N::Missing("bill.totals.charges"));
  bill.Set("statement_date", b.statement_date ? N::Str(UsDate(*b.statement_date)) : N::Missing("bill.statement_date"));
  std::optional<Date> lo, hi;
  for (const auto& li : b.line_items) {
    if (!li.date_of_service) continue;
    if (!lo || *li.date_of_service < *lo) lo = li.date_of_service;
    if (!hi || *li.date_of_service > *hi) hi = li.date_of_service;
  }
  bill.Set("dates_of_service", !lo ? N::Missing("bill.line_items.date_of_service")
                               : *lo == *hi ? N::Str(UsDate(*lo)) : N::Str(UsDate(*lo) + " - " + UsDate(*hi)));
  root.Set("bill", bill);

  N plan = N::Object();
  if (b.plan && b.plan->assistance) {
    plan.Set("poverty_percent", N::Str(std::to_string(b.plan->assistance->poverty_percent)));
    plan.Set("guideline_year", N::Str(std::to_string(b.plan->assistance->guideline_year)));
  } else {
    plan.Set("poverty_percent", N::Missing("plan.assistance"));
    plan.Set("guideline_year", N::Missing("plan.assistance"));
  }
  root.Set("plan", plan);
  return root;
}

Expected<std::map<std::string, std::string>> ResolveFormValues(const std::vector<FormMapEntry>& map,
                                                              const TemplateNode& data, bool allow_blanks) {
  std::vector<std::string> missing;
  for (const auto& e : map) {
    for (const auto& k : MissingKeys(e.value, data)) {
      if (std::find(missing.begin(), missing.end(), k) == missing.end()) missing.push_back(k);
    }
  }
  if (!missing.empty() && !allow_blanks) {
    std::string msg = "missing values needed by the form map: ";
    for (size_t i = 0; i < missing.size(); ++i) msg += (i ? ", " : "") + missing[i];
    return Fail(ErrorCode::kUsage, msg + " (add them to the profile, or pass --allow-blanks to leave the fields empty)");
  }
  TemplateNode clean = data;
  StripMissing(clean);
  std::map<std::string, std::string> out;
  for (const auto& e : map) {
    auto v = RenderTemplate(e.value, clean, true, "field " + e.field);
    if (!v) return std::unexpected(v.error());
    std::string value(Trim(*v));
    if (!e.on_when.empty()) {
      bool on = false;
      for (const auto& alt : e.on_when) on = on || Lower(Trim(alt)) == Lower(value);
      value = on ? e.state.value_or("on") : "off";
    } else if (e.state) {
      value = value.empty() ? "off" : *e.state;
    }
    out[e.field] = value;
  }
  return out;
}

Expected<std::string> FillFormFromMap(const FillFormRequest& r) {
  auto map = ParseFormMap(r.map_yaml, r.map_name);
  if (!map) return std::unexpected(map.error());
  auto values = ResolveFormValues(*map, FormData(r.profile, r.bill, r.today), r.allow_blanks);
  if (!values) return std::unexpected(values.error());
  FormFillOptions options;
  options.flatten = r.flatten;
  return FillFormPdf(r.form_pdf, *values, options);
}

FormSpec FinancialAssistanceApplicationSpec() {
  FormSpec s;
  s.title = "Application for Financial Assistance (Charity Care)";
  s.intro = {
      // Sent to any provider: what applies to it (501(r) for a nonprofit hospital) is said in the
      // letter that goes with the form, never here.
      "Use this form to ask a hospital or other provider to reduce or forgive a medical bill under its financial "
      "assistance (charity care) policy. If the provider has an application form of its own, this form gives the "
      "facts it asks for; the provider may still ask for its own form to be filled in.",
      "Attach proof of household income (recent pay stubs, a tax return or a benefits letter) and a copy of the bill."};
  s.pages = 1;
  const double L = 54, W = 504;  // 0.75 in margins
  auto text = [&](const char* name, const char* label, double x, double y, double w, double h = 18, int comb = 0,
                  bool multi = false) {
    FormFieldSpec f;
    f.name = name;
    f.label = label;
    f.type = FormFieldType::kText;
    f.x = x;
    f.y = y;
    f.width = w;
    f.height = h;
    f.comb_len = comb;
    f.multiline = multi;
    s.fields.push_back(f);
  };
  auto check = [&](const char* name, const char* label, double x, double y) {
    FormFieldSpec f;
    f.name = name;
    f.label = label;
    f.type = FormFieldType::kCheckBox;
    f.x = x;
    f.y = y;
    f.width = 11;
    f.height = 11;
    s.fields.push_back(f);
  };
  s.headings.push_back({0, {652, "1. Applicant"}});
  text("applicant_name", "Full name", L, 615, 330);
  text("date_of_birth", "Date of birth (MMDDYYYY)", L + 345, 615, 159, 18, 8);
  text("street", "Street address", L, 583, W);
  text("city", "City", L, 551, 300);
  text("state", "State", L + 315, 551, 40, 18, 2);
  text("zip", "ZIP code", L + 370, 551, 100, 18, 5);
  text("phone", "Phone", L, 519, 200);
  text("email", "Email", L + 215, 519, W - 215);
  s.headings.push_back({0, {488, "2. Household and income"}});
  text("household_size", "People in the household", L, 451, 150);
  text("annual_income", "Household income before tax, last 12 months ($)", L + 165, 451, 200);
  text("monthly_income", "Monthly income ($)", L + 380, 451, W - 380);
  check("insured_no", "I have no health insurance", L, 425);
  check("insured_yes", "I have health insurance:", L + 200, 425);
  text("insurer", "Insurance plan", L, 391, 250);
  text("member_id", "Member ID", L + 265, 391, W - 265);
  check("medicaid_applied", "I have applied for Medicaid", L, 365);
  check("receives_benefits", "Someone in my household receives SNAP, WIC or SSI", L + 200, 365);
  s.headings.push_back({0, {338, "3. The bill"}});
  text("provider_name", "Hospital or provider", L, 301, 300);
  text("account_number", "Account number", L + 315, 301, W - 315);
  text("dates_of_service", "Date(s) of service", L, 269, 250);
  text("amount_due", "Amount billed to me ($)", L + 265, 269, W - 265);
  s.headings.push_back({0, {238, "4. Anything else we should know (job loss, medical expenses, other debts)"}});
  text("hardship", "", L, 160, W, 70, 0, true);
  s.headings.push_back({0, {134, "5. Signature"}});
  check("attest", "I certify that the information on this form is true and complete.", L, 112);
  text("signature", "Signature", L, 72, 330);
  text("date_signed", "Date (MM/DD/YYYY)", L + 345, 72, 159);
  for (auto& f : s.fields) f.y -= 24;  // below the introduction
  for (auto& h : s.headings) h.second.first -= 24;
  return s;
}

}  // namespace billwise
