// Text and JSON views of a code's published prices (PriceIndex::Lookup) for `billwise prices`.
#ifndef BILLWISE_PIPELINE_REFDATA_PRICE_INDEX_FORMAT_H_
#define BILLWISE_PIPELINE_REFDATA_PRICE_INDEX_FORMAT_H_

#include <string>

#include "pipeline/refdata/price_index.h"

namespace billwise {

std::string PublishedPricesToText(const PriceFileInfo& file, const PublishedPrices& prices);
std::string PublishedPricesToJson(const PriceFileInfo& file, const PublishedPrices& prices);
// A one-paragraph summary of a file read without indexing (`billwise prices FILE --check`).
std::string PriceFileInfoToText(const PriceFileInfo& file);
std::string PriceFileInfoToJson(const PriceFileInfo& file);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_REFDATA_PRICE_INDEX_FORMAT_H_
