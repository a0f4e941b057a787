// LazyBlocks<Rows>: a packed table (BlockedTable) whose blocks are parsed into `Rows` on
// first use, each exactly once, and kept for the life of the object.
//
// `parse` turns one block, given as a CsvTable over the header and the block's rows, into
// a Rows value; it runs at most once per block, under std::call_once, so lookups from any
// number of threads are safe. A block that fails to inflate or parse yields nullptr from
// then on, and its error is kept for Status(). Pointers returned stay valid as long as the
// LazyBlocks lives. Not copyable or movable once a block has been parsed (hold it by
// unique_ptr or as a member of an object that does not move).
#ifndef BILLWISE_PIPELINE_TABLES_LAZY_BLOCKS_H_
#define BILLWISE_PIPELINE_TABLES_LAZY_BLOCKS_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/tables/blocked_table.h"
#include "pipeline/tables/csv.h"

namespace billwise {

template <class Rows>
class LazyBlocks {
 public:
  using Parser = std::function<Expected<void>(CsvTable& table, Rows* out)>;

  LazyBlocks(BlockedTable table, Parser parse)
      : table_(std::move(table)),
        parse_(std::move(parse)),
        once_(std::make_unique<std::once_flag[]>(table_.block_count())),
        blocks_(table_.block_count()) {}

  const BlockedTable& table() const { return table_; }
  size_t block_count() const { return table_.block_count(); }

  // The parsed block that holds `key` if any block does, else nullptr.
  const Rows* ForKey(std::string_view key) const {
    auto index = table_.FindBlock(key);
    return index ? Block(*index) : nullptr;
  }

  // Parsed block `index` (< block_count()), or nullptr when it failed.
  const Rows* Block(size_t index) const {
    std::call_once(once_[index], [this, index] {
      auto csv = table_.BlockCsv(index);
      if (!csv) return Keep(csv.error());
      CsvTable table(*csv, table_.name(), table_.BlockFirstLine(index));
      auto rows = std::make_unique<Rows>();
      if (auto ok = parse_(table, rows.get()); !ok) return Keep(ok.error());
      blocks_[index] = std::move(rows);
    });
    return blocks_[index].get();
  }

  // Parses every block; the first error, if any.
  Expected<void> ParseAll() const {
    for (size_t i = 0; i < block_count(); ++i) Block(i);
    return Status();
  }

  // Success, or the first error met parsing a block.
  Expected<void> Status() const {
    std::lock_guard lock(error_mutex_);
    if (error_) return std::unexpected(*error_);
    return {};
  }

 private:
  void Keep(const Error& error) const {
    std::lock_guard lock(error_mutex_);
    if (!error_) error_ = error;
  }

  BlockedTable table_;
  Parser parse_;
  std::unique_ptr<std::once_flag[]> once_;
  mutable std::vector<std::unique_ptr<Rows>> blocks_;  // each written once, under once_[i]
  mutable std::mutex error_mutex_;
  mutable std::optional<Error> error_;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_LAZY_BLOCKS_H_
