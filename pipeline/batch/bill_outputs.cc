#include "pipeline/batch/bill_outputs.h"

#include "pipeline/letters/letters.h"
#include "pipeline/report/html_report.h"

namespace billwise {

std::string LetterFileName(const char* kind_name) { return std::string("letter-") + kind_name + ".pdf"; }

Expected<std::vector<OutputFile>> BuildBillOutputs(const Bill& bill, const BillOutputOptions& options) {
  std::vector<OutputFile> files;
  HtmlReportOptions html;
  if (options.letters) {
    const Profile* profile = options.profile ? &*options.profile : nullptr;
    LetterInputs inputs;
    inputs.bill = &bill;
    inputs.profile = profile;
    inputs.today = options.today;
    LetterOptions letter;
    letter.language = !options.language.empty() ? options.language : (profile ? profile->language : "en");
    letter.allow_blanks = true;
    letter.data_dir = options.data_dir;
    for (LetterKind kind : ApplicableLetters(bill, profile)) {
      auto package = RenderLetterPackage(kind, inputs, letter);
      if (!package) {
        return Fail(package.error().code,
                    std::string("letter ") + LetterKindName(kind) + ": " + package.error().message);
      }
      for (LetterFile& file : *package) {
        files.push_back({"letter-" + file.name, std::move(file.bytes)});
        html.letter_files.push_back(files.back().name);
      }
    }
  }
  if (options.html) files.insert(files.begin(), OutputFile{"report.html", HtmlReport(bill, html)});
  return files;
}

}  // namespace billwise
