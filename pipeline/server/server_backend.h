// ServerBackend: what the web server's routes do (server.h), behind one interface. The
// program's backend is the one Job of `billwise serve` plus its case file (job_backend.h),
// so every route reads, prices and writes through the same Job as the command line; tests
// and fuzz targets pass fakes.
//
// Thread-safety: every method may be called from several request threads at once, and
// Analyze also in the analysis workers' child processes (analysis_workers.h), where it may
// not rely on threads started before the server bound.
#ifndef BILLWISE_PIPELINE_SERVER_SERVER_BACKEND_H_
#define BILLWISE_PIPELINE_SERVER_SERVER_BACKEND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/batch/batch.h"  // OutputFile
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"

namespace billwise {

// A planned-care price question from the page: codes as `billwise estimate` takes them
// ("99213", "80053x2", "71046-26"), and where the care happens.
struct EstimateQuery {
  std::vector<std::string> codes;
  std::optional<std::string> zip;
  std::optional<std::string> state;
};

// A letter of a case marked as sent from the page (POST /api/sent).
struct SentRequest {
  int64_t case_id = 0;
  int64_t letter_id = 0;
  std::optional<Date> date;  // nullopt = today
  std::string method;        // mail | certified | fax | portal
  std::optional<std::string> tracking;
};

// A phone call logged from the page (POST /api/call).
struct CallRequest {
  int64_t case_id = 0;
  std::optional<Date> date;  // nullopt = today
  std::string with;
  std::optional<std::string> reference;
  std::string note;
  std::optional<Date> follow_up;  // nullopt = the case file's default
};
struct LoggedCall {
  int64_t id = 0;
  Date follow_up;
};

// The letters of one /api/letters request.
struct ServedLetters {
  std::vector<OutputFile> files;  // "letter-<kind>.pdf", and a filled application beside an assistance letter
  // With a case file: whether it recorded the letters in the bill's case; nullopt without one.
  std::optional<bool> recorded;
};

class ServerBackend {
 public:
  virtual ~ServerBackend() = default;

  // Reads uploaded bytes (named `name`) into a Bill, with a plan when a profile is given.
  virtual Expected<Bill> Analyze(std::string_view bytes, const std::string& name,
                                 const std::optional<Profile>& profile) const = 0;
  // The names of the letter kinds that apply to the bill ("dispute", "lump-sum"...).
  virtual std::vector<std::string> ApplicableLetters(const Bill& bill, const std::optional<Profile>& profile) const = 0;
  // Renders the named letters in `lang` ("" = the profile's), and records them in the case
  // file when one is kept. kUsage for an unknown kind.
  virtual Expected<ServedLetters> Letters(const Bill& bill, const std::optional<Profile>& profile,
                                          const std::vector<std::string>& kinds, const std::string& lang) const = 0;
  // Prices planned services: the JSON of `billwise estimate --format json` (kUsage for a
  // bad code, ZIP or state).
  virtual Expected<std::string> Estimate(const EstimateQuery& query) const = 0;
  // The good-faith-estimate request letter for the query's services; `provider` names the
  // recipient ("" = a blank to fill by hand).
  virtual Expected<OutputFile> GfeRequest(const EstimateQuery& query, const std::string& provider,
                                          const std::optional<Profile>& profile, const std::string& lang) const = 0;

  // The case file. When none is kept (`billwise --no-store serve`) the server answers the
  // case routes 404 "no_store" and calls none of the methods below.
  virtual bool keeps_cases() const = 0;
  // Files an analyzed bill in its case; returns the cross-document findings that involve it.
  virtual Expected<std::vector<Finding>> File(const Bill& bill) const = 0;
  // The JSON of `billwise cases --format json`.
  virtual Expected<std::string> Cases() const = 0;
  // Open deadlines: format "json" (`billwise due --format json`) or "ics" (iCalendar).
  virtual Expected<std::string> Due(std::string_view format) const = 0;
  // Marks a letter as sent; returns the date recorded. kNotFound: no such case or letter.
  virtual Expected<Date> MarkSent(const SentRequest& request) const = 0;
  // Logs a call; returns its id and follow-up date. kNotFound: no such case.
  virtual Expected<LoggedCall> RecordCall(const CallRequest& request) const = 0;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_SERVER_SERVER_BACKEND_H_
