// A ServerBackend whose every method is a function the test sets (server_backend.h): the
// server tests see what the routes pass and answer what they need. Unset case functions
// (`cases`) mean no case file is kept, as `billwise --no-store serve`.
#ifndef BILLWISE_TESTS_SERVER_FAKE_BACKEND_H_
#define BILLWISE_TESTS_SERVER_FAKE_BACKEND_H_

#include <functional>
#include <memory>

#include "pipeline/server/server_backend.h"

namespace billwise {

struct FakeBackend : ServerBackend {
  std::function<Expected<Bill>(std::string_view, const std::string&, const std::optional<Profile>&)> analyze;
  std::function<std::vector<std::string>(const Bill&, const std::optional<Profile>&)> applicable;
  std::function<Expected<std::vector<OutputFile>>(const Bill&, const std::optional<Profile>&,
                                                  const std::vector<std::string>&, const std::string&)>
      letters;
  std::function<Expected<std::string>(const EstimateQuery&)> estimate;
  // The good-faith-estimate request from Estimate's JSON.
  std::function<Expected<OutputFile>(const std::string&, const std::string&, const std::optional<Profile>&,
                                     const std::string&)>
      gfe_request;
  // The case file: kept when `cases` is set.
  std::function<Expected<std::vector<Finding>>(const Bill&)> record;
  std::function<Expected<void>(const Bill&, const std::vector<std::string>&)> record_letters;
  std::function<Expected<std::string>()> cases;
  std::function<Expected<std::string>(std::string_view)> due;
  std::function<Expected<Date>(const SentRequest&)> mark_sent;
  std::function<Expected<LoggedCall>(const CallRequest&)> record_call;

  Expected<Bill> Analyze(std::string_view bytes, const std::string& name,
                         const std::optional<Profile>& profile) const override {
    return analyze(bytes, name, profile);
  }
  std::vector<std::string> ApplicableLetters(const Bill& bill, const std::optional<Profile>& profile) const override {
    return applicable(bill, profile);
  }
  Expected<ServedLetters> Letters(const Bill& bill, const std::optional<Profile>& profile,
                                  const std::vector<std::string>& kinds, const std::string& lang) const override {
    auto files = letters(bill, profile, kinds, lang);
    if (!files) return std::unexpected(files.error());
    ServedLetters served{std::move(*files), std::nullopt};
    if (record_letters) served.recorded = record_letters(bill, kinds).has_value();
    return served;
  }
  Expected<std::string> Estimate(const EstimateQuery& query) const override { return estimate(query); }
  Expected<OutputFile> GfeRequest(const EstimateQuery& query, const std::string& provider,
                                  const std::optional<Profile>& profile, const std::string& lang) const override {
    auto json = estimate(query);
    if (!json) return std::unexpected(json.error());
    return gfe_request(*json, provider, profile, lang);
  }
  bool keeps_cases() const override { return static_cast<bool>(cases); }
  Expected<std::vector<Finding>> File(const Bill& bill) const override {
    if (!record) return std::vector<Finding>{};
    return record(bill);
  }
  Expected<std::string> Cases() const override { return cases(); }
  Expected<std::string> Due(std::string_view format) const override { return due(format); }
  Expected<Date> MarkSent(const SentRequest& request) const override {
    if (!mark_sent) return Fail(ErrorCode::kNotFound, "no letters in this fake");
    return mark_sent(request);
  }
  Expected<LoggedCall> RecordCall(const CallRequest& request) const override {
    if (!record_call) return Fail(ErrorCode::kNotFound, "no calls in this fake");
    return record_call(request);
  }
};

}  // namespace billwise

#endif  // BILLWISE_TESTS_SERVER_FAKE_BACKEND_H_
