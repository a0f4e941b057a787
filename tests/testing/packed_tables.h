// Test helper for the packed tables (pipeline/tables/blocked_table.h): rewrite one, with its
// CSV edited, to put a bad row where a test wants it. Use it on a copy of data/ only.
// Header-only; links billwise_tables.
#ifndef BILLWISE_TESTS_TESTING_PACKED_TABLES_H_
#define BILLWISE_TESTS_TESTING_PACKED_TABLES_H_

#include <cstddef>
#include <functional>
#include <string>

#include "pipeline/model/error.h"
#include "pipeline/tables/blocked_table.h"
#include "tests/testing/files.h"

namespace billwise::testing {

// Reads the packed table at `path`, lets `edit` change its CSV text (header and rows, "\n"
// line ends; the rows must stay sorted by `key_column`) and writes it back packed. The
// number of data rows it had before the edit; an Error when it cannot be read, repacked or
// written.
inline Expected<size_t> EditPackedTable(const std::string& path, const std::string& key_column,
                                        const std::function<void(std::string* csv)>& edit) {
  auto table = BlockedTable::Read(path, path);
  if (!table) return std::unexpected(table.error());
  auto csv = table->Csv();
  if (!csv) return std::unexpected(csv.error());
  edit(&*csv);
  BlockedTablePacking packing;
  packing.key_column = key_column;
  auto packed = PackBlockedTable(*csv, path, packing);
  if (!packed) return std::unexpected(packed.error());
  if (!WriteFileBytes(path, *packed)) return Fail(ErrorCode::kIo, path + ": cannot write");
  return table->row_count();
}

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_TESTING_PACKED_TABLES_H_
