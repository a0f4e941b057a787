// TableLoading: when a set of reference tables reads its files.
//
// kEager reads every table at Load: the choice of a long-lived process (server, batch
// worker) and the way to validate every table. kOnFirstUse reads each table on its first
// lookup, so a one-shot command pays only for the tables its document needs; a missing file
// still fails Load, a malformed row is reported when the table is first used.
#ifndef BILLWISE_PIPELINE_TABLES_TABLE_LOADING_H_
#define BILLWISE_PIPELINE_TABLES_TABLE_LOADING_H_

namespace billwise {

enum class TableLoading { kEager, kOnFirstUse };

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_TABLES_TABLE_LOADING_H_
