// A small RFC 4180 CSV reader for the reference tables in data/.
//
// Fields may be quoted ("a, b" and "" for a quote); rows end in \n or \r\n. The first
// row is the header. A CsvTable owns its strings; it is plain data and thread-compatible.
#ifndef BILLWISE_PIPELINE_AUDIT_CSV_H_
#define BILLWISE_PIPELINE_AUDIT_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"

namespace billwise::audit_internal {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Column index of `name` in the header, or -1.
  int Column(std::string_view name) const;
};

// Parses `text`. Fails with kBadData (naming `what`, e.g. the file) on an unterminated
// quote, an empty input, a header missing one of `required_columns`, or a row whose field
// count differs from the header's (the message gives the 1-based line).
Expected<CsvTable> ParseCsv(std::string_view text, const std::string& what,
                            const std::vector<std::string>& required_columns);

}  // namespace billwise::audit_internal

#endif  // BILLWISE_PIPELINE_AUDIT_CSV_H_
