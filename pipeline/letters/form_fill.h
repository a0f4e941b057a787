// Form filling by field map: fills any AcroForm PDF (a hospital's own fillable
// financial-assistance application, a CMS-1500) from the patient profile and the bill.
//
// A map is YAML (templates/forms/README.md):
//   fields:
//     patient.first: "{{profile.first_name}}"             # text or choice field
//     uninsured: {value: "{{profile.insured}}", on_when: "no"}   # checkbox: on when it matches
//     sex: {value: "F"}                                   # checkbox/radio: select an on-state
// Expressions are Mustache over the keys FormData() builds (profile.*, bill.*, plan.*,
// today). Missing values fail with kUsage listing every key, or with allow_blanks leave
// the field empty. The YAML adapter (yaml-cpp) for this module lives in form_fill.cc.
// Thread-safe (no shared state).
#ifndef BILLWISE_PIPELINE_LETTERS_FORM_FILL_H_
#define BILLWISE_PIPELINE_LETTERS_FORM_FILL_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/letters/pdf_writer.h"
#include "pipeline/mustache/template_data.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/date.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"

namespace billwise {

struct FormMapEntry {
  std::string field;                  // full field name
  std::string value;                  // Mustache expression
  std::vector<std::string> on_when;   // checkbox: on when the value equals one of these (case-insensitive)
  std::optional<std::string> state;   // checkbox/radio: the on-state to select when on
};

// Parses map YAML; kBadTemplate names the entry for unknown keys or wrong shapes.
Expected<std::vector<FormMapEntry>> ParseFormMap(std::string_view yaml, const std::string& what);

// The data map expressions see. Either pointer may be null.
TemplateNode FormData(const Profile* profile, const Bill* bill, const Date& today);

// Field name -> value for FillFormPdf.
Expected<std::map<std::string, std::string>> ResolveFormValues(const std::vector<FormMapEntry>& map,
                                                              const TemplateNode& data, bool allow_blanks);

struct FillFormRequest {
  std::string_view form_pdf;
  std::string_view map_yaml;
  std::string map_name = "map";  // for error messages
  const Profile* profile = nullptr;
  const Bill* bill = nullptr;
  Date today;
  bool flatten = false;
  bool allow_blanks = false;
};
// Parses the map, resolves the values and fills the form; returns the PDF bytes.
Expected<std::string> FillFormFromMap(const FillFormRequest& request);

// The generic financial-assistance application billwise ships
// (templates/forms/financial_assistance_application.pdf is WriteFormPdf of this).
FormSpec FinancialAssistanceApplicationSpec();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_LETTERS_FORM_FILL_H_
