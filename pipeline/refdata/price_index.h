// PriceIndex: a hospital price file read once and kept as a compact SQLite index in the
// user's cache folder, so later lookups of a code take milliseconds whatever the file's size.
//
// The index lives at $XDG_CACHE_HOME/billwise/prices/<key>.sqlite ($HOME/.cache when unset),
// where the key is a hash of the file's size, modification time and a hash of its first and
// last MiB; a changed file gets a new index. It is written to a temporary file and renamed
// into place, so a crash never leaves a half index. It holds, per code and setting, the gross
// charge, cash price, minimum and maximum, and each payer/plan with its rate (dollar,
// percentage, algorithm, estimated amount) and methodology. Descriptions are not stored.
//
// Errors: whatever ReadPriceFile reports (naming file and offset), kIo when the cache cannot
// be written. A partial file is indexed with what could be read and stays marked partial.
// A PriceIndex belongs to one thread.
#ifndef BILLWISE_PIPELINE_REFDATA_PRICE_INDEX_H_
#define BILLWISE_PIPELINE_REFDATA_PRICE_INDEX_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/money.h"
#include "pipeline/refdata/price_file_reader.h"

namespace billwise {

struct PayerPlanRate {
  std::string payer;
  std::string plan;
  std::string setting;
  std::string modifiers;
  std::optional<Money> dollar;
  std::optional<double> percentage;
  std::string algorithm;
  std::optional<Money> estimated;
  std::string methodology;
  // The dollar figure to compare: the negotiated dollar, else the estimated amount.
  std::optional<Money> amount() const { return dollar ? dollar : estimated; }
};

// Everything a file publishes for one code.
struct PublishedPrices {
  std::string code;
  int rows = 0;  // standard-charge rows found for the code; 0 = not in the file
  std::optional<Money> gross_min, gross_max;
  std::optional<Money> cash_min, cash_max;
  std::optional<Money> published_min, published_max;  // the file's own de-identified min/max
  // Over every payer/plan's amount() (optionally filtered by payer).
  std::optional<Money> negotiated_min, negotiated_median, negotiated_max;
  std::vector<PayerPlanRate> rates;  // sorted by payer, plan, setting
};

struct PriceIndexOptions {
  std::string cache_dir;  // "" = $XDG_CACHE_HOME/billwise/prices
  bool rebuild = false;   // ignore an existing index
};

class PriceIndex {
 public:
  // Opens the index of `price_file`, building it first when there is none for the file as it
  // is now.
  static Expected<PriceIndex> OpenOrBuild(const std::string& price_file, const PriceIndexOptions& options = {});

  PriceIndex(PriceIndex&&) noexcept;
  PriceIndex& operator=(PriceIndex&&) noexcept;
  ~PriceIndex();

  // The prices of `code` (case-insensitive). `payer`, when not empty, keeps only rates whose
  // payer or plan name contains it (case-insensitive); the negotiated band follows the filter.
  Expected<PublishedPrices> Lookup(std::string_view code, std::string_view payer = "") const;

  // What the file said about itself (hospital, last_updated_on, version, partial...).
  const PriceFileInfo& info() const { return info_; }
  const std::string& index_path() const { return index_path_; }
  bool built_now() const { return built_now_; }

 private:
  struct Impl;
  PriceIndex() = default;
  std::unique_ptr<Impl> impl_;
  PriceFileInfo info_;
  std::string index_path_;
  bool built_now_ = false;
};

// The cache folder used when PriceIndexOptions::cache_dir is empty.
std::string DefaultPriceCacheDir();

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_PRICE_INDEX_H_
