// Run: the one entry point the CLI, the batch runner and the local server share.
//
// An Engine loads everything a run needs once (layout templates, reference tables,
// letter templates) and then analyzes any number of documents:
//   bytes -> pages (text layer or OCR) -> lines -> Bill -> pricing -> findings -> plan.
// An Engine is immutable after Load and safe to share between threads: batch workers
// and server requests call Analyze concurrently.
#ifndef BILLWISE_PIPELINE_RUN_RUN_H_
#define BILLWISE_PIPELINE_RUN_RUN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/ocr/ocr_backend.h"
#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"
#include "pipeline/model/profile.h"
#include "pipeline/refdata/estimate.h"
#include "pipeline/tables/table_loading.h"

namespace billwise {

// Resource limits so one hostile file cannot take the machine. Exceeding one is a
// per-file kLimitExceeded error.
struct Limits {
  int max_pages = 200;                        // pages per document
  int64_t max_pixels_per_page = 120'000'000;  // rendered or decoded pixels per page
  int64_t max_file_bytes = 200LL << 20;       // 200 MB input
  int max_seconds_per_file = 300;             // batch: wall time per file
};

struct EngineOptions {
  std::string data_dir;  // folder with templates/ and data/; "" = FindDataRoot()
  int ocr_workers = 0;   // threads for OCR pages of one document; 0 = number of cores
  // The OCR engine (extract/ocr/ocr_backend.h), as leveldb passes an Env: null = the
  // process's Tesseract backend, loaded only when a page needs OCR. Tests pass a fake. Not
  // owned; must outlive the Engine.
  const OcrBackend* ocr = nullptr;
  // kEager for a long-lived engine (the server); kOnFirstUse for one-shot commands and
  // batch workers, which then parse only the blocks of the reference tables their
  // documents need.
  TableLoading tables = TableLoading::kEager;
};

struct AnalyzeOptions {
  OcrMode ocr_mode = OcrMode::kAuto;
  std::optional<Profile> profile;           // enables the negotiation plan
  std::optional<std::string> eob_path;      // --eob: an EOB for the same services
  std::optional<std::string> price_file;    // hospital standard-charges file (CSV or JSON)
  std::optional<Money> good_faith_estimate; // for the No Surprises Act check
  std::optional<Date> today;                // for deadlines; default: SOURCE_DATE_EPOCH or the clock
  // Pricing overrides: "office" | "hospital" | "asc", and the place (see PriceBill).
  std::optional<std::string> setting;
  std::optional<std::string> zip;
  std::optional<std::string> state;
  Limits limits;
};

class Engine {
 public:
  // Loads and validates templates and reference data. Fails with kBadTemplate or
  // kBadData naming the file and field, or kNotFound when data_dir has no templates/.
  static Expected<std::shared_ptr<const Engine>> Load(const EngineOptions& options);
  ~Engine();

  // Reads one file (type sniffed from its bytes, never from its name) into a Bill, the
  // whole file as one document.
  // Fails with kNotFound, kInvalidInput, kEncrypted, kUnsupported or kLimitExceeded;
  // the message names the reason, not the file (the caller prints the file).
  Expected<Bill> AnalyzeFile(const std::string& path, const AnalyzeOptions& options) const;
  // Same, from bytes already in memory; `name` is recorded as source.path.
  Expected<Bill> AnalyzeBytes(std::string_view bytes, const std::string& name,
                              const AnalyzeOptions& options) const;
  // Reads one file into the documents it holds (SplitDocuments, document_type.h): one Bill
  // per document, in page order, each with source.document_index/count and its pages.
  // Fails as AnalyzeFile does; never returns an empty list.
  Expected<std::vector<Bill>> AnalyzeFileDocuments(const std::string& path, const AnalyzeOptions& options) const;
  Expected<std::vector<Bill>> AnalyzeBytesDocuments(std::string_view bytes, const std::string& name,
                                                    const AnalyzeOptions& options) const;

  // Prices planned services against the loaded reference tables (`billwise estimate`).
  // Fails with kUsage for a bad code, ZIP or state, or with the tables' own error.
  Expected<Estimate> EstimateServices(const EstimateRequest& request) const;

  const std::string& data_dir() const;

  struct Impl;  // engine_impl.h: internal to pipeline/run

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  // Reads, splits (when `split`) and analyzes; AnalyzeBytes and AnalyzeBytesDocuments.
  Expected<std::vector<Bill>> Analyze(std::string_view bytes, const std::string& name,
                                      const AnalyzeOptions& options, bool split) const;
  // Prices, audits and plans one parsed document.
  Expected<void> AnalyzeBill(Bill* bill, const AnalyzeOptions& options, const Bill* eob) const;
  std::unique_ptr<Impl> impl_;
};

// The folder holding templates/ and data/: $BILLWISE_DATA_DIR, else the source tree the
// binary was built from, else the installed share/billwise. "" when none is found.
std::string FindDataRoot();

// SOURCE_DATE_EPOCH (seconds since 1970) when it is set to a whole number, else nullopt.
std::optional<int64_t> SourceDateEpoch();

// Today's date for deadlines: SOURCE_DATE_EPOCH when set (reproducible output), else the clock.
Date Today();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_RUN_RUN_H_
