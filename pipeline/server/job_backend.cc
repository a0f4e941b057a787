#include "pipeline/server/job_backend.h"

#include <utility>

#include "pipeline/cases/case_format.h"
#include "pipeline/cases/case_store.h"
#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/refdata/estimate.h"

namespace billwise {
namespace {

// A letter request of the page: kinds by name, in `lang` ("" = the profile's), dated
// today, with visible blanks for what the profile does not say.
Expected<JobRequest> LetterRequest(const std::optional<Profile>& profile, const std::vector<std::string>& kinds,
                                   const std::string& lang) {
  JobRequest request;
  request.analyze.profile = profile;
  request.analyze.today = Today();
  request.letter_language = lang;
  request.letter_options.allow_blanks = true;
  for (const std::string& name : kinds) {
    auto kind = ParseLetterKind(name);
    if (!kind) return Fail(ErrorCode::kUsage, "unknown letter kind " + name);
    request.letter_kinds.push_back(*kind);
  }
  return request;
}

// The one document of a request with one input: Run's error, or the input's.
Expected<JobDocument> OnlyDocument(Expected<JobResult> result) {
  if (!result) return std::unexpected(result.error());
  auto& documents = result->inputs.front().documents;
  if (!documents) return std::unexpected(documents.error());
  return std::move(documents->front());
}

}  // namespace

JobBackend::JobBackend(std::shared_ptr<const Job> job, std::optional<std::string> store)
    : job_(std::move(job)), store_(std::move(store)) {}

Expected<Bill> JobBackend::Analyze(std::string_view bytes, const std::string& name,
                                   const std::optional<Profile>& profile) const {
  JobRequest request;
  request.inputs.push_back(JobInput::Upload(name, std::string(bytes)));
  request.split = false;
  request.analyze.profile = profile;
  auto document = OnlyDocument(job_->Run(request));
  if (!document) return std::unexpected(document.error());
  return std::move(document->bill);
}

std::vector<std::string> JobBackend::ApplicableLetters(const Bill& bill, const std::optional<Profile>& profile) const {
  std::vector<std::string> kinds;
  for (LetterKind k : billwise::ApplicableLetters(bill, profile ? &*profile : nullptr)) {
    kinds.push_back(LetterKindName(k));
  }
  return kinds;
}

Expected<ServedLetters> JobBackend::Letters(const Bill& bill, const std::optional<Profile>& profile,
                                            const std::vector<std::string>& kinds, const std::string& lang) const {
  auto request = LetterRequest(profile, kinds, lang);
  if (!request) return std::unexpected(request.error());
  request->inputs.push_back(JobInput::FromBill(bill));
  request->store = store_;  // the Job records the letters written in the bill's case
  auto document = OnlyDocument(job_->Run(*request));
  if (!document) return std::unexpected(document.error());
  auto files = document->OutputFiles();
  if (!files) return std::unexpected(files.error());
  ServedLetters served{std::move(*files), std::nullopt};
  if (store_) served.recorded = document->letters_recorded && *document->letters_recorded;
  return served;
}

Expected<std::string> JobBackend::Estimate(const EstimateQuery& query) const {
  EstimateRequest request;
  for (const std::string& code : query.codes) {
    auto service = ParseServiceArgument(code);
    if (!service) return std::unexpected(service.error());
    request.services.push_back(std::move(*service));
  }
  request.zip = query.zip;
  request.state = query.state;
  auto estimate = job_->EstimateServices(request);
  if (!estimate) return std::unexpected(estimate.error());
  return EstimateToJson(*estimate);
}

Expected<OutputFile> JobBackend::GfeRequest(const EstimateQuery& query, const std::string& provider,
                                            const std::optional<Profile>& profile, const std::string& lang) const {
  // The letter quotes the estimate as `billwise letters --estimate FILE` reads it.
  auto json = Estimate(query);
  if (!json) return std::unexpected(json.error());
  auto estimate = ParseEstimateJson(*json);
  if (!estimate) return std::unexpected(estimate.error());
  auto request = LetterRequest(profile, {LetterKindName(LetterKind::kGfeRequest)}, lang);
  if (!request) return std::unexpected(request.error());
  request->estimate = std::move(*estimate);
  if (!provider.empty()) request->letter_options.recipient_name = provider;
  auto result = job_->Run(*request);
  if (!result) return std::unexpected(result.error());
  JobDocument none;  // the letters written without a bill
  none.letters = std::move(result->letters);
  auto files = none.OutputFiles();
  if (!files) return std::unexpected(files.error());
  if (files->empty()) return Fail(ErrorCode::kInternal, "no letter was written");
  return std::move(files->front());
}

Expected<std::vector<Finding>> JobBackend::File(const Bill& bill) const {
  JobRequest request;
  request.inputs.push_back(JobInput::FromBill(bill));
  request.store = store_;
  request.file_bills = true;
  auto document = OnlyDocument(job_->Run(request));
  if (!document) return std::unexpected(document.error());
  const Expected<RecordResult>& filed = *document->filed;
  if (!filed) return std::unexpected(filed.error());
  return filed->findings;
}

Expected<std::string> JobBackend::Cases() const {
  auto store = CaseStore::Open(store_.value_or(""));
  if (!store) return std::unexpected(store.error());
  auto cases = store->ListCases(Today());
  if (!cases) return std::unexpected(cases.error());
  return CasesToJson(*cases);
}

Expected<std::string> JobBackend::Due(std::string_view format) const {
  auto store = CaseStore::Open(store_.value_or(""));
  if (!store) return std::unexpected(store.error());
  auto deadlines = store->Deadlines(Today(), std::nullopt);
  if (!deadlines) return std::unexpected(deadlines.error());
  return format == "ics" ? DeadlinesToIcs(*deadlines, CalendarStamp()) : DeadlinesToJson(*deadlines);
}

Expected<Date> JobBackend::MarkSent(const SentRequest& request) const {
  auto store = CaseStore::Open(store_.value_or(""));
  if (!store) return std::unexpected(store.error());
  Date date = request.date.value_or(Today());
  auto marked = store->MarkLetterSent(request.case_id, request.letter_id, date, request.method, request.tracking);
  if (!marked) return std::unexpected(marked.error());
  return date;
}

Expected<LoggedCall> JobBackend::RecordCall(const CallRequest& request) const {
  auto store = CaseStore::Open(store_.value_or(""));
  if (!store) return std::unexpected(store.error());
  Date date = request.date.value_or(Today());
  auto id = store->RecordCall(request.case_id, date, request.with, request.reference, request.note, request.follow_up);
  if (!id) return std::unexpected(id.error());
  return LoggedCall{*id, request.follow_up.value_or(date.AddDays(kCallFollowUpDays))};
}

}  // namespace billwise
