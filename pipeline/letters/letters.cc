#include "pipeline/letters/letters.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/letters/letter_data.h"
#include "pipeline/letters/markup.h"
#include "pipeline/letters/mustache_render.h"
#include "pipeline/letters/pdf_writer.h"
#include "pipeline/model/person_name.h"

#ifndef BILLWISE_LETTERS_DEFAULT_ROOT
#define BILLWISE_LETTERS_DEFAULT_ROOT ""
#endif

namespace billwise {
namespace {

struct KindName {
  LetterKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {
    {LetterKind::kValidation, "validation"},   {LetterKind::kItemized, "itemized"},
    {LetterKind::kDispute, "dispute"},         {LetterKind::kLumpSum, "lump-sum"},
    {LetterKind::kPaymentPlan, "payment-plan"}, {LetterKind::kAssistance, "assistance"},
    {LetterKind::kGfeDispute, "gfe-dispute"},  {LetterKind::kGfeRequest, "gfe-request"},
};

Expected<std::string> ReadTemplate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "letter template not found: " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const char* LetterKindName(LetterKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<LetterKind> ParseLetterKind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

const std::vector<LetterKind>& AllLetterKinds() {
  static const std::vector<LetterKind> kAll = [] {
    std::vector<LetterKind> v;
    for (const auto& k : kKinds) v.push_back(k.kind);
    return v;
  }();
  return kAll;
}

std::vector<LetterKind> ApplicableLetters(const Bill& bill, const Profile* profile,
                                          std::optional<Money> good_faith_estimate) {
  (void)profile;  // every applicable kind is written; missing profile values are reported at render time
  std::vector<LetterKind> out;
  if (bill.document_type == DocumentType::kCollectionNotice || bill.collector.has_value()) {
    out.push_back(LetterKind::kValidation);
  }
  bool summary_finding = false;
  bool other_finding = false;
  bool gfe_finding = false;
  for (const Finding& f : bill.findings) {
    if (f.check_by_hand) continue;  // rests on a partial reading: never asserted in a letter
    if (f.kind == "summary_bill") {
      summary_finding = true;
    } else {
      other_finding = true;
    }
    if (f.kind.find("gfe") != std::string::npos || f.kind.find("good_faith") != std::string::npos) {
      gfe_finding = true;
    }
  }
  if (bill.document_type == DocumentType::kSummaryStatement || bill.line_items.empty() || summary_finding) {
    out.push_back(LetterKind::kItemized);
  }
  if (other_finding) out.push_back(LetterKind::kDispute);
  std::optional<Money> balance = BalanceDue(bill);
  if (balance && balance->cents > 0) {
    out.push_back(LetterKind::kLumpSum);
    out.push_back(LetterKind::kPaymentPlan);
    out.push_back(LetterKind::kAssistance);
  }
  std::optional<Money> billed = bill.totals.charges ? bill.totals.charges : balance;
  if (gfe_finding || (good_faith_estimate && billed && *billed - *good_faith_estimate >= Money::FromDollars(400))) {
    out.push_back(LetterKind::kGfeDispute);
  }
  return out;
}

namespace {

struct Prepared {
  std::string tmpl;
  TemplateNode data;
  std::string label;
};

Expected<Prepared> Prepare(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options) {
  if (options.language != "en" && options.language != "es") {
    return Fail(ErrorCode::kUsage, "letter language must be en or es, not '" + options.language + "'");
  }
  if (inputs.bill == nullptr && kind != LetterKind::kGfeRequest) {
    return Fail(ErrorCode::kUsage, std::string("the ") + LetterKindName(kind) + " letter needs a bill");
  }
  std::string root = options.data_dir.empty() ? BILLWISE_LETTERS_DEFAULT_ROOT : options.data_dir;
  std::string path = (std::filesystem::path(root) / "templates" / "letters" / options.language /
                      (std::string(LetterKindName(kind)) + ".mustache"))
                         .string();
  auto tmpl = ReadTemplate(path);
  if (!tmpl) return std::unexpected(tmpl.error());
  TemplateNode data = BuildLetterData(kind, inputs, options);
  EscapeMarkupValues(data);
  return Prepared{std::move(*tmpl), std::move(data), options.language + "/" + LetterKindName(kind) + ".mustache"};
}

}  // namespace

Expected<std::string> RenderLetterText(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options) {
  auto p = Prepare(kind, inputs, options);
  if (!p) return std::unexpected(p.error());
  return RenderTemplate(p->tmpl, p->data, options.allow_blanks, p->label);
}

Expected<std::vector<std::string>> LetterBlanks(LetterKind kind, const LetterInputs& inputs,
                                                const LetterOptions& options) {
  auto p = Prepare(kind, inputs, options);
  if (!p) return std::unexpected(p.error());
  return MissingKeys(p->tmpl, p->data, /*soft=*/true);
}

namespace {

// A value printed outside the markup: one line, no control characters.
std::string OneLine(std::string_view value) {
  std::string out;
  for (char c : value) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
  size_t b = out.find_first_not_of(' '), e = out.find_last_not_of(' ');
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

}  // namespace

void IdentifyPatient(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options, LetterDocument* doc) {
  const bool es = options.language == "es";
  const Bill* bill = inputs.bill;
  const Profile* profile = inputs.profile;
  std::optional<std::string> patient;
  if (bill && bill->patient.name && !OneLine(*bill->patient.name).empty()) {
    patient = OneLine(*bill->patient.name);
  } else if (profile && profile->name && !OneLine(*profile->name).empty()) {
    patient = OneLine(*profile->name);
  }
  // The profile's date of birth is the patient's only when the profile is the patient.
  const bool profile_is_patient = profile && profile->name &&
                                  (!bill || !bill->patient.name || SamePersonName(*profile->name, *bill->patient.name));
  if (patient) doc->identity.push_back((es ? "Paciente: " : "Patient: ") + *patient);
  if (profile_is_patient && profile->date_of_birth) {
    doc->identity.push_back((es ? "Fecha de nacimiento: " : "Date of birth: ") +
                            LetterDate(*profile->date_of_birth, options.language));
  }
  const bool to_insurer = std::string_view(LetterKindName(kind)) == "appeal";
  if (to_insurer && profile_is_patient && profile->member_id && !OneLine(*profile->member_id).empty()) {
    doc->identity.push_back((es ? "Número de miembro: " : "Member ID: ") + OneLine(*profile->member_id));
  }
  std::string head = patient.value_or("");
  if (bill && bill->account_number && !OneLine(*bill->account_number).empty()) {
    head += (head.empty() ? "" : " \xC2\xB7 ") + std::string(es ? "Cuenta " : "Account ") + OneLine(*bill->account_number);
  }
  head += (head.empty() ? "" : " \xC2\xB7 ") + std::string(es ? "Página {page} de {pages}" : "Page {page} of {pages}");
  doc->running_head = head;
}

Expected<std::string> RenderLetterPdf(LetterKind kind, const LetterInputs& inputs, const LetterOptions& options) {
  auto text = RenderLetterText(kind, inputs, options);
  if (!text) return std::unexpected(text.error());
  LetterDocument doc = ParseLetterMarkup(*text);
  IdentifyPatient(kind, inputs, options, &doc);
  return WriteLetterPdf(doc, PdfLetterStyle{});
}

}  // namespace billwise
