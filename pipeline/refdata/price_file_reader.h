// ReadPriceFile: streams a hospital's machine-readable standard-charges file (45 CFR 180.50)
// and hands each priced row to a callback, in bounded memory whatever the file's size.
//
// Shapes: CMS JSON v2 and v1.1 (standard_charge_information[].code_information[] and
// standard_charges[] with payers_information[]), flat JSON arrays of {code, gross, cash}
// objects, CMS CSV "tall" (one payer/plan per row) and "wide" (payer/plan in the column
// names: standard_charge|PAYER|PLAN|negotiated_dollar ...), both with their metadata rows
// above the column header and with headers written over two or three rows (payer and plan
// over the field names), and plain CSVs ("CPT/HCPCS", "Gross Charge", "Cash Price").
// Containers: plain, gzip and zip (PriceFileSource).
//
// How: JSON is cut into one item of the top-level arrays at a time by a string-aware bracket
// scan and each item is parsed by simdjson; top-level metadata is parsed from what remains.
// The reading and cutting run on a thread of their own, a few read blocks ahead of the
// parsing, which stays on the caller's thread. CSV is cut at record boundaries and read by
// CsvReader. Memory is a few read blocks (JSON: five buffers of 2 MiB at most) plus the largest single
// item.
//
// Errors name the file and the byte offset (JSON) or line (CSV). A file that fails after
// some rows were delivered is not an error: the result is marked partial and carries the
// problem. A file that yields nothing fails with kInvalidInput. Descriptions are not kept
// (they can hold AMA CPT text). Thread-safe: no shared state; the sink is called on the
// caller's thread, in file order.
#ifndef BILLWISE_PIPELINE_REFDATA_PRICE_FILE_READER_H_
#define BILLWISE_PIPELINE_REFDATA_PRICE_FILE_READER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"
#include "pipeline/refdata/price_file_source.h"

namespace billwise {

// One payer and plan's negotiated standard charge.
struct NegotiatedRate {
  std::string payer;
  std::string plan;
  std::optional<Money> dollar;         // standard_charge|negotiated_dollar
  std::optional<double> percentage;    // of billed charges
  std::string algorithm;               // text of an algorithm-based rate
  std::optional<Money> estimated;      // estimated_amount for percentage/algorithm rates
  std::string methodology;             // fee schedule, case rate, percent of total billed charges...
};

// The standard charges of one code in one setting (a CSV row, or one standard_charges[]
// entry of a JSON item), for one of the item's codes.
struct PriceRecord {
  std::string code;       // upper-cased, spaces removed
  std::string code_type;  // CPT, HCPCS, MS-DRG, RC, CDM, NDC ... ("" when unstated)
  std::string setting;    // inpatient, outpatient, both ("" when unstated)
  std::string modifiers;  // "" for the base code
  std::optional<Money> gross;
  std::optional<Money> cash;
  std::optional<Money> min;
  std::optional<Money> max;
  std::vector<NegotiatedRate> rates;
};

struct PriceFileInfo {
  std::string name;             // the path, or the name given for bytes
  std::string container;        // plain, gzip, zip, memory
  std::string shape;            // json, csv-tall, csv-wide, csv
  std::string hospital_name;
  std::string last_updated_on;  // as written in the file
  std::string version;          // the CMS template version, when stated
  uint64_t bytes = 0;           // uncompressed bytes read
  int64_t records = 0;          // PriceRecords delivered
  bool partial = false;         // reading stopped early: `problem` says where and why
  std::string problem;
};

using PriceRecordSink = std::function<void(const PriceRecord&)>;

// Streams the file at `path` to `sink`.
Expected<PriceFileInfo> ReadPriceFile(const std::string& path, const PriceRecordSink& sink);
// The same for any source (bytes in memory: PriceFileSource::FromBytes).
Expected<PriceFileInfo> ReadPriceSource(PriceFileSource& source, const PriceRecordSink& sink);

// A CPT or HCPCS code: five characters, five digits, a letter and four digits, or four digits
// and a letter.
bool LooksLikeCptOrHcpcs(std::string_view code);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_PRICE_FILE_READER_H_
