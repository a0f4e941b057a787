// table_pack: converts a sorted CSV reference table to the packed block form read by
// BlockedTable (pipeline/tables/blocked_table.h), and back.
//
//   table_pack pack IN.csv[.gz] OUT KEY_COLUMN [ANCHOR_COLUMN [ROWS_PER_BLOCK]]
//   table_pack dump IN           # the CSV again, on standard output
//
// Exit code 0 on success, 2 on any error (one line on stderr).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "pipeline/tables/blocked_table.h"
#include "pipeline/tables/gzip.h"

namespace {

int Pack(int argc, char** argv) {
  std::string in = argv[2], out = argv[3];
  billwise::BlockedTablePacking packing;
  packing.key_column = argv[4];
  if (argc > 5) packing.anchor_column = argv[5];
  if (argc > 6) packing.rows_per_block = std::stoul(argv[6]);
  auto csv = billwise::ReadFileInflating(in);
  if (!csv) {
    std::cerr << csv.error().message << "\n";
    return 2;
  }
  auto packed = billwise::PackBlockedTable(*csv, in, packing);
  if (!packed) {
    std::cerr << packed.error().message << "\n";
    return 2;
  }
  std::ofstream os(out, std::ios::binary | std::ios::trunc);
  os.write(packed->data(), static_cast<std::streamsize>(packed->size()));
  os.close();
  if (!os) {
    std::cerr << "cannot write " << out << "\n";
    return 2;
  }
  return 0;
}

int Dump(const std::string& in) {
  auto table = billwise::BlockedTable::Read(in, in);
  if (!table) {
    std::cerr << table.error().message << "\n";
    return 2;
  }
  auto csv = table->Csv();
  if (!csv) {
    std::cerr << csv.error().message << "\n";
    return 2;
  }
  std::fwrite(csv->data(), 1, csv->size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "pack" && argc >= 5 && argc <= 7) return Pack(argc, argv);
  if (cmd == "dump" && argc == 3) return Dump(argv[2]);
  std::cerr << "usage: table_pack pack IN.csv OUT KEY_COLUMN [ANCHOR_COLUMN [ROWS_PER_BLOCK]] | table_pack dump IN\n";
  return 2;
}
