// Batch results: one row per input, the per-input result marker, and the summary files
// (summary.csv, summary.json, report.html) built from all rows.
//
// A row depends only on the input and its analysis (no clock, no timings), so a run that
// was killed and resumed writes byte-identical summaries to an uninterrupted run. Money
// fields hold the JSON/CSV form ("1234.56") or "" when unknown. Pure functions; thread-safe.
#ifndef BILLWISE_PIPELINE_BATCH_SUMMARY_H_
#define BILLWISE_PIPELINE_BATCH_SUMMARY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/bill.h"
#include "pipeline/model/error.h"

namespace billwise {

struct BatchRow {
  std::string path;        // input path relative to the batch folder
  std::string output_dir;  // its output folder relative to the batch's OUT
  bool ok = false;
  std::string sha256;      // of the input bytes ("" when it could not be read)
  int pages = 0;
  std::string document_type;  // "itemized_statement"...; "" on error
  std::string provider;
  std::string amount_due;
  std::string total_charges;
  std::string reference_total;
  int findings = 0;
  std::string dollars_at_stake;
  std::string reading;     // read_quality.status ("complete" | "partial" | "unreadable"), "" when unknown
  std::string error_code;  // ErrorCodeName, "" when ok
  std::string error;       // one-line reason, "" when ok
  std::vector<std::string> files;  // output files written in output_dir
  std::string outputs;  // marker only: the output kinds asked for (BatchOptions::outputs_tag)
  // A file holding several documents: this row is its first document, and these are the
  // others, in order, with path "<path>#2", "#3"... and their own files. summary.csv and
  // report.html give each document a row of its own; the marker and summary.json nest them.
  std::vector<BatchRow> documents;
};

// The summary columns of a bill: reference total is the plan's when there is a plan, else
// the sum of the priced lines; dollars at stake is the sum over findings (but those to check
// by hand on a partial reading).
BatchRow RowFromBill(const Bill& bill);

// The per-input marker (OUT/<dir>/result.json), written last, after every other output.
// It holds the row and `outputs`; summary rows leave `outputs` out.
std::string RowToJson(const BatchRow& row);
Expected<BatchRow> RowFromJson(std::string_view json);
inline constexpr const char* kResultMarker = "result.json";

// RFC 4180 field quoting: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string CsvField(std::string_view field);

// summary.csv: header `path,status,document_type,provider,amount_due,total_charges,
// reference_total,findings,dollars_at_stake,error,reading` then one CRLF-terminated row per
// document (an input's row, then its `documents`), in the order given.
std::string SummaryCsv(const std::vector<BatchRow>& rows);

// What a summary covers, for merges: the shard and the size of the full input list.
struct SummaryScope {
  int shard_index = 0;
  int shard_count = 1;
  int listed_inputs = 0;  // inputs in the whole folder, before sharding
};

// summary.json: {"schema":"billwise.batch/1", scope, counts, totals, rows}; a row holds the
// input's later documents under "documents"; "documents" counts every document read.
std::string SummaryJson(const std::vector<BatchRow>& rows, const SummaryScope& scope);

struct ParsedSummary {
  SummaryScope scope;
  std::vector<BatchRow> rows;
};
Expected<ParsedSummary> SummaryFromJson(std::string_view json);

// OUT/report.html: counts, a table of rows and an inline SVG chart of billed against
// reference amounts (no external assets); inputs with a report.html link to it through
// their output_dir (relative to the folder the report is written in).
std::string SummaryHtml(const std::vector<BatchRow>& rows);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_BATCH_SUMMARY_H_
