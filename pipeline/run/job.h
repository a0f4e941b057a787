// Job: one run of billwise, as qpdf's QPDFJob. Every command and the server describe what
// they want in a JobRequest, filled from the command line (pipeline/cli/cli_inputs.h) or
// from a server request (pipeline/cli/cmd_serve.cc, in the billwise-serve program), and one Job::Run does it:
//
//   inputs -> Bills (Engine) -> the case file (cross-document findings) -> letters, report.html
//
// and returns all of it in a JobResult. The caller only prints or writes what it holds.
//
// A Job loads its Engine on the first input that needs reading (bill JSON needs none) and
// keeps it. Run is const and thread-safe: batch workers and server requests share one Job.
#ifndef BILLWISE_PIPELINE_RUN_JOB_H_
#define BILLWISE_PIPELINE_RUN_JOB_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/batch/batch.h"  // OutputFile
#include "pipeline/cases/case_store.h"
#include "pipeline/letters/estimate_input.h"
#include "pipeline/letters/letters.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"
#include "pipeline/refdata/estimate.h"
#include "pipeline/run/run.h"

namespace billwise {

// One thing to read: a file, bytes already in memory, or a bill already read.
struct JobInput {
  std::string path;                  // the file; with `bytes`, only its name
  std::optional<std::string> bytes;  // the contents when in memory (an upload); nullopt = read `path`
  std::optional<Bill> bill;          // a bill already read (batch outputs): nothing is read
  std::string source_path;           // recorded as the bills' source.path; "" = `path`

  static JobInput File(std::string path) {
    JobInput input;
    input.path = std::move(path);
    return input;
  }
  static JobInput Upload(std::string name, std::string bytes) {
    JobInput input = File(std::move(name));
    input.bytes = std::move(bytes);
    return input;
  }
  static JobInput FromBill(Bill bill) {
    JobInput input = File(bill.source.path);
    input.bill = std::move(bill);
    return input;
  }
};

struct JobRequest {
  std::vector<JobInput> inputs;
  AnalyzeOptions analyze;  // profile, EOB, price file, good-faith estimate, OCR, limits, today
  bool split = true;       // one Bill per document a file holds; false = the whole file as one Bill
  // A file whose first non-blank byte is '{' is bill JSON (`billwise analyze --format json`),
  // taken as it is: not analyzed again.
  bool bill_json = false;

  // The case file (pipeline/cases): the database path, "" = the XDG default; nullopt =
  // nothing is read from it or kept in it.
  std::optional<std::string> store;
  // With a store: each bill is filed in its case, and the cross-document findings that
  // involve it join bill.findings (JobDocument::filed says which).
  bool file_bills = false;

  // Letters for each bill: the kinds that apply to it (ApplicableLetters, with the
  // profile and good-faith estimate of `analyze`), then `letter_kinds`. With no input,
  // `letter_kinds` are written once without a bill (a good-faith-estimate request). In an
  // input of several documents, a kind of `letter_kinds` is written only for the documents
  // it fits (JobDocument::skipped), and a gfe-request only with the first.
  // With a store, every letter rendered is recorded in its bill's case, and a collection
  // notice that shows no provider address is addressed from an earlier bill of its case.
  bool applicable_letters = false;
  std::vector<LetterKind> letter_kinds;
  std::string letter_language;   // "en" or "es"; "" = the profile's language, else "en"
  LetterOptions letter_options;  // its language is letter_language; data_dir "" = the engine's
  bool list_blanks = false;  // fill JobLetter::blanks
  std::optional<EstimateInput> estimate;  // for gfe-request
  std::string application_form_pdf;       // the hospital's own assistance application ("" = generic)
  std::string application_map_yaml;       // and its field map

  bool report_html = false;  // report.html for each bill, linking its letters
};

// A letter of one kind: its PDF, and the filled application beside an assistance letter.
struct JobLetter {
  LetterKind kind;
  Expected<std::vector<LetterFile>> files;
  std::vector<std::string> blanks;  // list_blanks: the bill's values left blank (LetterBlanks)
};

// One bill (one document of an input).
struct JobDocument {
  Bill bill;  // with the cross-document findings when filed
  // file_bills: what filing found (case id, cross-document findings), or why it failed
  // (then also a warning diagnostic on the bill).
  std::optional<Expected<RecordResult>> filed;
  std::vector<JobLetter> letters;  // in the order asked for
  // In an input of several documents, the kinds of `letter_kinds` that do not fit this
  // document (LetterMisfit), each with the reason: they are not written for it.
  std::vector<std::pair<LetterKind, std::string>> skipped;
  // With a store and a letter rendered: whether the case file recorded the letters.
  std::optional<Expected<void>> letters_recorded;
  std::optional<std::string> report_html;

  // report.html, then "letter-<name>" for every letter file, as `billwise FILE`, batch and
  // the server write them. Fails with the first letter that failed ("letter KIND: reason").
  Expected<std::vector<OutputFile>> OutputFiles() const;
};

struct JobInputResult {
  std::string path;                              // the input's path, as requested
  Expected<std::vector<JobDocument>> documents;  // never empty when it holds a value
};

struct JobResult {
  std::vector<JobInputResult> inputs;  // in the request's order
  std::vector<JobLetter> letters;      // the letters written without a bill (no input)
};

class Job {
 public:
  // No work yet: the Engine loads with `engine` on first need.
  explicit Job(EngineOptions engine);

  // Runs the request. Fails only when the Engine cannot be loaded (kNotFound, kBadTemplate,
  // kBadData); an input that cannot be read is an error in its JobInputResult.
  Expected<JobResult> Run(const JobRequest& request) const;

  // Prices planned services against the Engine's tables (the server's /api/estimate).
  Expected<Estimate> EstimateServices(const EstimateRequest& request) const;

  // The Engine, loaded now if it is not yet. Call before forking workers that share it.
  Expected<std::shared_ptr<const Engine>> engine() const;

  // The folder holding templates/ and data/ (the Engine's once loaded).
  std::string data_dir() const;

 private:
  struct CaseFile;  // the case file of one Run: one connection for all its documents
  // The documents of one input, filed. `fatal` is set when the Engine cannot be loaded.
  Expected<std::vector<JobDocument>> Read(const JobRequest& request, const JobInput& input, CaseFile* cases,
                                          std::optional<Error>* fatal) const;
  // Files the document's bill in its case (file_bills); `bill_json` "" = the bill's own JSON.
  void File(CaseFile* cases, JobDocument* document, const std::string& bill_json) const;
  // Renders the letters (and report.html) for `bill`, null for the letters without a bill.
  // `file` holds every document of the bill's input (the bill is file[index]): a collection
  // notice takes the original creditor's address from an earlier provider bill there, else
  // from its case in `cases` (the run's case file; null without a store); with several
  // documents, explicit kinds are written only for the documents they fit and a gfe-request
  // once.
  void WriteLetters(const JobRequest& request, CaseFile* cases, const Bill* bill, JobDocument* out,
                    const std::vector<JobDocument>* file = nullptr, size_t index = 0) const;

  EngineOptions options_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const Engine> engine_;  // guarded by mu_
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_RUN_JOB_H_
