#include "pipeline/letters/letters.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/audit/findings.h"
#include "pipeline/letters/form_fill.h"
#include "pipeline/letters/letter_data.h"
#include "pipeline/letters/markup.h"
#include "pipeline/mustache/mustache_render.h"
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
    {LetterKind::kAppeal, "appeal"},
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

std::string LetterMisfit(LetterKind kind, const Bill* bill, const Profile* profile) {
  const bool eob = bill && bill->document_type == DocumentType::kEob;
  if (eob && kind != LetterKind::kAppeal) {
    return std::string("an explanation of benefits is not a bill: it gets an appeal to the plan, not a ") +
           LetterKindName(kind) + " letter";
  }
  if (kind == LetterKind::kAppeal && !eob) return "an appeal is written from an explanation of benefits (EOB)";
  if (kind == LetterKind::kGfeDispute && (profile == nullptr || !UninsuredOrSelfPay(*profile))) {
    return "the good-faith-estimate dispute is for uninsured or self-pay patients (profile key coverage: "
           "uninsured or self-pay)";
  }
  return "";
}

std::vector<LetterKind> ApplicableLetters(const Bill& bill, const Profile* profile,
                                          std::optional<Money> good_faith_estimate) {
  std::vector<LetterKind> out;
  const bool has_errors = !FindingsOfClass(bill, FindingClass::kBillingError).empty();
  if (bill.document_type == DocumentType::kEob) {
    bool denied = std::any_of(bill.line_items.begin(), bill.line_items.end(),
                              [](const LineItem& li) { return EobLineDenied(li); });
    if (denied || has_errors) out.push_back(LetterKind::kAppeal);
    return out;
  }
  std::optional<Money> balance = BalanceDue(bill);
  const bool due = balance && balance->cents > 0;
  if (bill.document_type == DocumentType::kCollectionNotice || bill.collector.has_value()) {
    // Validation first; nothing that offers to pay a debt that is not yet validated.
    out.push_back(LetterKind::kValidation);
    out.push_back(LetterKind::kItemized);
    if (due) out.push_back(LetterKind::kAssistance);
    return out;
  }
  bool summary_finding = std::any_of(bill.findings.begin(), bill.findings.end(),
                                     [](const Finding& f) { return f.kind == FindingKind::kSummaryBill; });
  bool itemized = bill.document_type == DocumentType::kSummaryStatement || bill.line_items.empty() || summary_finding;
  if (itemized) out.push_back(LetterKind::kItemized);
  if (has_errors) out.push_back(LetterKind::kDispute);
  // Assistance whenever a balance is due, unless the plan found the household above the
  // bands hospitals' assistance policies commonly use.
  const bool assistance =
      due && !(bill.plan && bill.plan->assistance && bill.plan->assistance->typical_band == "above typical bands");
  if (assistance) out.push_back(LetterKind::kAssistance);
  // Offers to pay wait for the itemized bill, the corrections and the assistance decision,
  // and are one offer, not two: the lump sum when the plan has one, else the 0 % plan.
  if (due && !itemized && !has_errors && !assistance) {
    if (bill.plan && bill.plan->lump_sum_offer) {
      out.push_back(LetterKind::kLumpSum);
    } else if (!bill.plan || bill.plan->payment_plan) {
      // Without a plan (no profile) the letter carries blanks; a plan that found no
      // affordable schedule offers none.
      out.push_back(LetterKind::kPaymentPlan);
    }
  }
  bool gfe_finding = std::any_of(bill.findings.begin(), bill.findings.end(), [](const Finding& f) {
    return f.kind == FindingKind::kGfe || f.kind == FindingKind::kGfeExceeded;
  });
  std::optional<Money> billed = bill.totals.charges ? bill.totals.charges : balance;
  bool over = gfe_finding || (good_faith_estimate && billed && *billed - *good_faith_estimate >= Money::FromDollars(400));
  if (over && profile != nullptr && UninsuredOrSelfPay(*profile)) out.push_back(LetterKind::kGfeDispute);
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
  if (std::string misfit = LetterMisfit(kind, inputs.bill, inputs.profile); !misfit.empty()) {
    return Fail(ErrorCode::kUsage, misfit);
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

Expected<std::vector<LetterFile>> RenderLetterPackage(LetterKind kind, const LetterInputs& inputs,
                                                      const LetterOptions& options) {
  std::vector<LetterFile> files;
  LetterInputs with = inputs;
  if (kind == LetterKind::kAssistance) {
    std::string root = options.data_dir.empty() ? BILLWISE_LETTERS_DEFAULT_ROOT : options.data_dir;
    std::filesystem::path forms = std::filesystem::path(root) / "templates" / "forms";
    std::string form = inputs.application_form_pdf, map = inputs.application_map_yaml;
    std::string map_name = "the application's field map";
    if (form.empty()) {
      auto pdf = ReadTemplate((forms / "financial_assistance_application.pdf").string());
      if (!pdf) return std::unexpected(pdf.error());
      auto yaml = ReadTemplate((forms / "financial_assistance_application.map.yaml").string());
      if (!yaml) return std::unexpected(yaml.error());
      form = std::move(*pdf);
      map = std::move(*yaml);
      map_name = "financial_assistance_application.map.yaml";
      with.application_generic = true;
    }
    FillFormRequest request;
    request.form_pdf = form;
    request.map_yaml = map;
    request.map_name = map_name;
    request.profile = inputs.profile;
    request.bill = inputs.bill;
    request.today = inputs.today;
    request.allow_blanks = true;  // fields the profile does not fill stay empty, to write in by hand
    auto filled = FillFormFromMap(request);
    if (!filled) return std::unexpected(filled.error());
    files.push_back({std::string(LetterKindName(kind)) + "-application.pdf", std::move(*filled)});
    with.application_enclosed = true;
  }
  auto pdf = RenderLetterPdf(kind, with, options);
  if (!pdf) return std::unexpected(pdf.error());
  files.insert(files.begin(), LetterFile{std::string(LetterKindName(kind)) + ".pdf", std::move(*pdf)});
  return files;
}

}  // namespace billwise
