// JobBackend: the server's routes (server_backend.h) done by one Job (pipeline/run/job.h)
// and the case file, as the command line does them: an upload is read, its letters written
// and its bill filed by the same Job::Run as `billwise FILE`; the case routes open the case
// file the Job files into.
//
// Thread-safe: a Job is, and each call opens its own case-file connection (a CaseStore
// belongs to one thread).
#ifndef BILLWISE_PIPELINE_SERVER_JOB_BACKEND_H_
#define BILLWISE_PIPELINE_SERVER_JOB_BACKEND_H_

#include <memory>
#include <optional>
#include <string>

#include "pipeline/run/job.h"
#include "pipeline/server/server_backend.h"

namespace billwise {

class JobBackend : public ServerBackend {
 public:
  // `store`: the case file's path ("" = the XDG default); nullopt = none is kept.
  JobBackend(std::shared_ptr<const Job> job, std::optional<std::string> store);

  Expected<Bill> Analyze(std::string_view bytes, const std::string& name,
                         const std::optional<Profile>& profile) const override;
  std::vector<std::string> ApplicableLetters(const Bill& bill, const std::optional<Profile>& profile) const override;
  Expected<ServedLetters> Letters(const Bill& bill, const std::optional<Profile>& profile,
                                  const std::vector<std::string>& kinds, const std::string& lang) const override;
  Expected<std::string> Estimate(const EstimateQuery& query) const override;
  Expected<OutputFile> GfeRequest(const EstimateQuery& query, const std::string& provider,
                                  const std::optional<Profile>& profile, const std::string& lang) const override;

  bool keeps_cases() const override { return store_.has_value(); }
  Expected<std::vector<Finding>> File(const Bill& bill) const override;
  Expected<std::string> Cases() const override;
  Expected<std::string> Due(std::string_view format) const override;
  Expected<Date> MarkSent(const SentRequest& request) const override;
  Expected<LoggedCall> RecordCall(const CallRequest& request) const override;

 private:
  std::shared_ptr<const Job> job_;
  std::optional<std::string> store_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_JOB_BACKEND_H_
