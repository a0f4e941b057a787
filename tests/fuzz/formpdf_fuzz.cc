// Fuzz target: PoDoFo reading form PDFs, as `billwise fill-form` does (ListFormFields, then
// FillFormPdf with a value for every field, pipeline/letters/pdf_writer.h), flattened on
// every other input. Contract: a form we fill can be listed again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "pipeline/letters/pdf_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace billwise;
  std::string_view pdf(reinterpret_cast<const char*>(data), size);
  auto fields = ListFormFields(pdf);
  if (!fields || fields->empty()) return 0;
  std::map<std::string, std::string> values;
  for (const auto& f : *fields) {
    switch (f.type) {
      case FormFieldType::kText:
      case FormFieldType::kChoice:
        values[f.name] = f.multiline ? "José Núñez\n1200 Oak Street ✓" : "José Núñez-O’Brien 12";
        break;
      case FormFieldType::kCheckBox:
        values[f.name] = "on";
        break;
      case FormFieldType::kRadio:
        values[f.name] = f.on_states.empty() ? "on" : f.on_states.front();
        break;
      default:
        break;
    }
    if (values.size() >= 16) break;
  }
  FormFillOptions options;
  options.flatten = size % 2 == 1;
  auto filled = FillFormPdf(pdf, values, options);
  if (!filled) return 0;
  if (!ListFormFields(*filled)) std::abort();
  return 0;
}
