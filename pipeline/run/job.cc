#include "pipeline/run/job.h"

#include <utility>

#include "pipeline/batch/atomic_file.h"
#include "pipeline/report/bill_json.h"
#include "pipeline/report/html_report.h"

namespace billwise {
namespace {

bool IsBillJson(std::string_view bytes) {
  size_t first = bytes.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && bytes[first] == '{';
}

// Whether `b` is a collector's letter rather than the provider's own bill.
bool IsNotice(const Bill& b) { return b.document_type == DocumentType::kCollectionNotice || b.collector.has_value(); }

// The original creditor's address for document `notice` of a file: the address printed on
// the nearest earlier provider bill of the same file (a statement followed by a collector's
// notice about it). Empty when none.
std::vector<std::string> CreditorAddressInFile(const std::vector<JobDocument>& file, size_t notice) {
  for (size_t i = notice; i-- > 0;) {
    const Bill& b = file[i].bill;
    if (IsNotice(b) || b.document_type == DocumentType::kEob) continue;
    if (!b.provider.address.empty()) return b.provider.address;
  }
  return {};
}

// The original creditor's address for a collection notice: the address printed on the
// latest earlier provider bill filed in the same case of `store`. Files the notice in its
// case (as recording its letters does anyway). Empty when the case file has none.
std::vector<std::string> CreditorAddressFromCases(CaseStore& store, const Bill& notice, const Date& today) {
  auto recorded = store.RecordDocument(notice, "");
  if (!recorded) return {};
  auto detail = store.GetCase(recorded->case_id, today);
  if (!detail) return {};
  std::vector<std::string> address;
  std::optional<Date> latest;
  for (const StoredDocument& d : detail->facts.documents) {
    const Bill& b = d.bill;
    if (IsNotice(b) || b.document_type == DocumentType::kEob || b.provider.address.empty()) continue;
    if (address.empty() || (b.statement_date && (!latest || *b.statement_date > *latest))) {
      address = b.provider.address;
      latest = b.statement_date;
    }
  }
  return address;
}

}  // namespace

Expected<std::vector<OutputFile>> JobDocument::OutputFiles() const {
  std::vector<OutputFile> files;
  if (report_html) files.push_back({"report.html", *report_html});
  for (const JobLetter& letter : letters) {
    if (!letter.files) {
      return Fail(letter.files.error().code,
                  std::string("letter ") + LetterKindName(letter.kind) + ": " + letter.files.error().message);
    }
    for (const LetterFile& file : *letter.files) files.push_back({"letter-" + file.name, file.bytes});
  }
  return files;
}

struct Job::CaseFile {
  std::string path;
  std::optional<Expected<CaseStore>> store;  // opened on first use
  Expected<CaseStore>& Get() {
    if (!store) store.emplace(CaseStore::Open(path));
    return *store;
  }
};

Job::Job(EngineOptions engine) : options_(std::move(engine)) {}

Expected<std::shared_ptr<const Engine>> Job::engine() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (engine_ == nullptr) {
    auto loaded = Engine::Load(options_);
    if (!loaded) return std::unexpected(loaded.error());
    engine_ = std::move(*loaded);
  }
  return engine_;
}

std::string Job::data_dir() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (engine_ != nullptr) return engine_->data_dir();
  }
  return options_.data_dir.empty() ? FindDataRoot() : options_.data_dir;
}

Expected<Estimate> Job::EstimateServices(const EstimateRequest& request) const {
  auto loaded = engine();
  if (!loaded) return std::unexpected(loaded.error());
  return (*loaded)->EstimateServices(request);
}

Expected<JobResult> Job::Run(const JobRequest& request) const {
  JobResult result;
  // One connection to the case file for the whole run, opened on first use.
  std::optional<CaseFile> cases;
  if (request.store) cases.emplace(CaseFile{*request.store, std::nullopt});
  CaseFile* store = cases ? &*cases : nullptr;
  for (const JobInput& input : request.inputs) {
    std::optional<Error> fatal;
    auto documents = Read(request, input, request.file_bills ? store : nullptr, &fatal);
    if (fatal) return std::unexpected(*fatal);
    if (documents) {
      for (size_t i = 0; i < documents->size(); ++i) {
        JobDocument& document = (*documents)[i];
        WriteLetters(request, store, &document.bill, &document, &*documents, i);
      }
    }
    result.inputs.push_back(JobInputResult{input.path, std::move(documents)});
  }
  if (request.inputs.empty() && !request.letter_kinds.empty()) {
    JobDocument none;
    WriteLetters(request, store, nullptr, &none);
    result.letters = std::move(none.letters);
  }
  return result;
}

Expected<std::vector<JobDocument>> Job::Read(const JobRequest& request, const JobInput& input, CaseFile* cases,
                                             std::optional<Error>* fatal) const {
  std::vector<Bill> bills;
  std::string bill_json;  // the input's own bill JSON, kept as the case file's copy
  if (input.bill) {
    bills.push_back(*input.bill);
  } else {
    std::optional<std::string> read;
    const std::string* bytes = input.bytes ? &*input.bytes : nullptr;
    if (bytes == nullptr && request.bill_json) {
      auto whole = ReadWholeFile(input.path);
      if (!whole) return std::unexpected(whole.error());
      read = std::move(*whole);
      bytes = &*read;
    }
    if (bytes != nullptr && request.bill_json && IsBillJson(*bytes)) {
      auto bill = BillFromJson(*bytes);
      if (!bill) return std::unexpected(bill.error());
      if (bill->source.path.empty()) bill->source.path = input.path;
      bills.push_back(std::move(*bill));
      bill_json = *bytes;
    } else {
      auto loaded = engine();
      if (!loaded) {
        *fatal = loaded.error();
        return std::unexpected(loaded.error());
      }
      const Engine& e = **loaded;
      Expected<std::vector<Bill>> analyzed;
      if (request.split) {
        analyzed = bytes ? e.AnalyzeBytesDocuments(*bytes, input.path, request.analyze)
                         : e.AnalyzeFileDocuments(input.path, request.analyze);
      } else {
        auto one = bytes ? e.AnalyzeBytes(*bytes, input.path, request.analyze) : e.AnalyzeFile(input.path, request.analyze);
        if (one) {
          analyzed = std::vector<Bill>{};
          analyzed->push_back(std::move(*one));
        } else {
          analyzed = std::unexpected(one.error());
        }
      }
      if (!analyzed) return std::unexpected(analyzed.error());
      bills = std::move(*analyzed);
    }
  }
  std::vector<JobDocument> documents;
  for (Bill& bill : bills) {
    if (!input.source_path.empty()) bill.source.path = input.source_path;
    JobDocument document;
    document.bill = std::move(bill);
    if (cases) File(cases, &document, bill_json);
    documents.push_back(std::move(document));
  }
  return documents;
}

void Job::File(CaseFile* cases, JobDocument* document, const std::string& bill_json) const {
  Bill& bill = document->bill;
  Expected<CaseStore>& store = cases->Get();
  Expected<RecordResult> recorded = store ? store->RecordDocument(bill, bill_json.empty() ? BillToJson(bill, -1) : bill_json)
                                          : std::unexpected(store.error());
  if (recorded) {
    // The case file adds what only other documents of the same account can show.
    bill.findings.insert(bill.findings.end(), recorded->findings.begin(), recorded->findings.end());
  } else {
    bill.diagnostics.push_back(Diagnostic{Severity::kWarning, "cases",
                                          "not recorded in the case file: " + recorded.error().message, std::nullopt});
  }
  document->filed = std::move(recorded);
}

void Job::WriteLetters(const JobRequest& request, CaseFile* cases, const Bill* bill, JobDocument* document,
                       const std::vector<JobDocument>* file, size_t index) const {
  const Profile* profile = request.analyze.profile ? &*request.analyze.profile : nullptr;
  const bool several = file && file->size() > 1;
  std::vector<LetterKind> kinds;
  if (bill && request.applicable_letters) {
    kinds = ApplicableLetters(*bill, profile, request.analyze.good_faith_estimate);
  }
  for (LetterKind kind : request.letter_kinds) {
    if (several && kind == LetterKind::kGfeRequest && index > 0) continue;  // one request per file
    if (std::string misfit = several ? LetterMisfit(kind, bill, profile) : ""; !misfit.empty()) {
      document->skipped.emplace_back(kind, std::move(misfit));
      continue;
    }
    kinds.push_back(kind);
  }
  if (kinds.empty() && !(bill && request.report_html)) return;

  LetterInputs inputs;
  inputs.bill = bill;
  inputs.profile = profile;
  inputs.good_faith_estimate = request.analyze.good_faith_estimate;
  inputs.today = request.analyze.today.value_or(Today());
  inputs.estimate = request.estimate;
  inputs.application_form_pdf = request.application_form_pdf;
  inputs.application_map_yaml = request.application_map_yaml;
  LetterOptions options = request.letter_options;
  options.language = !request.letter_language.empty() ? request.letter_language : profile ? profile->language : "en";
  if (options.data_dir.empty()) options.data_dir = data_dir();

  if (bill && !kinds.empty() && IsNotice(*bill) && bill->provider.address.empty()) {
    if (file) inputs.creditor_address = CreditorAddressInFile(*file, index);
    if (inputs.creditor_address.empty() && cases) {
      if (Expected<CaseStore>& store = cases->Get()) {
        inputs.creditor_address = CreditorAddressFromCases(*store, *bill, inputs.today);
      }
    }
  }

  std::vector<std::string> written;
  for (LetterKind kind : kinds) {
    JobLetter letter{kind, RenderLetterPackage(kind, inputs, options), {}};
    if (request.list_blanks) {
      if (auto blanks = LetterBlanks(kind, inputs, options)) letter.blanks = std::move(*blanks);
    }
    if (letter.files) written.push_back(LetterKindName(kind));
    document->letters.push_back(std::move(letter));
  }
  if (bill && request.store && !written.empty()) {
    document->letters_recorded =
        RecordLettersForBill(*request.store, *bill, written, inputs.today, options.recipient_name.value_or(""));
  }
  if (bill && request.report_html) {
    HtmlReportOptions html;
    for (const JobLetter& letter : document->letters) {
      if (!letter.files) break;
      for (const LetterFile& file : *letter.files) html.letter_files.push_back("letter-" + file.name);
    }
    document->report_html = HtmlReport(*bill, html);
  }
}

}  // namespace billwise
