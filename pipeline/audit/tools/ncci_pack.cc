// ncci_pack: converts the CMS NCCI PTP active-pair CSV to the packed form in data/ncci/ and back.
//
//   ncci_pack pack IN.csv OUT.bin "NCCI PTP 2024Q3 (v30.2)"
//   ncci_pack dump IN.bin               # the CSV again, on standard output
//
// IN.csv has the columns column1,column2,prac_mod,oph_mod,rationale,oph_rationale
// (data/SOURCES.md). Exit code 0 on success, 2 on any error (message on stderr).
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "pipeline/audit/ptp_pack.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

namespace {

using billwise::Expected;
using namespace billwise::audit_internal;

uint8_t ParseMod(std::string_view s, bool* ok) {
  if (s.empty()) return kModNoEdit;
  if (s == "0") return kModNotAllowed;
  if (s == "1") return kModAllowed;
  if (s == "9") return kModNotApplicable;
  *ok = false;
  return 0;
}

bool ParseSmall(std::string_view s, int* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && *out >= 0 && *out <= 15;
}

std::string ModText(uint8_t m) {
  switch (m) {
    case kModNotAllowed: return "0";
    case kModAllowed: return "1";
    case kModNotApplicable: return "9";
    default: return "";
  }
}

int Pack(const std::string& in_path, const std::string& out_path, const std::string& edition) {
  auto text = billwise::ReadFileInflating(in_path);
  if (!text) {
    std::cerr << text.error().message << "\n";
    return 2;
  }
  auto csv = billwise::ParseCsvRows(std::move(*text), in_path, {"column1", "column2", "prac_mod", "oph_mod", "rationale", "oph_rationale"});
  if (!csv) {
    std::cerr << csv.error().message << "\n";
    return 2;
  }
  int c1 = csv->Column("column1"), c2 = csv->Column("column2"), pm = csv->Column("prac_mod"),
      om = csv->Column("oph_mod"), ra = csv->Column("rationale"), orr = csv->Column("oph_rationale");
  std::vector<PtpRow> rows;
  rows.reserve(csv->row_count());
  for (size_t i = 0; i < csv->row_count(); ++i) {
    auto r = csv->Row(i);
    PtpRow row;
    bool ok = true;
    row.column1 = std::string(r[c1]);
    row.column2 = std::string(r[c2]);
    row.prac_mod = ParseMod(r[pm], &ok);
    row.oph_mod = ParseMod(r[om], &ok);
    int rationale = 0, oph_rationale = 0;
    ok = ok && ParseSmall(r[ra], &rationale);
    row.rationale = static_cast<uint8_t>(rationale);
    if (!r[orr].empty()) {
      ok = ok && ParseSmall(r[orr], &oph_rationale);
      row.oph_rationale = static_cast<uint8_t>(oph_rationale);
    }
    if (!ok) {
      std::cerr << in_path << ": bad value on line " << i + 2 << "\n";
      return 2;
    }
    rows.push_back(std::move(row));
  }
  auto packed = PackPtp(edition, rows);
  if (!packed) {
    std::cerr << packed.error().message << "\n";
    return 2;
  }
  std::ofstream os(out_path, std::ios::binary | std::ios::trunc);
  os.write(packed->data(), static_cast<std::streamsize>(packed->size()));
  os.close();
  if (!os) {
    std::cerr << "cannot write " << out_path << "\n";
    return 2;
  }
  std::cerr << "packed " << rows.size() << " pairs into " << out_path << "\n";
  return 0;
}

int Dump(const std::string& in_path) {
  auto bytes = billwise::ReadFileInflating(in_path);
  if (!bytes) {
    std::cerr << bytes.error().message << "\n";
    return 2;
  }
  auto table = PtpTable::Open(std::move(*bytes));
  if (!table) {
    std::cerr << table.error().message << "\n";
    return 2;
  }
  auto rows = table->Rows();
  if (!rows) {
    std::cerr << rows.error().message << "\n";
    return 2;
  }
  std::string out = "column1,column2,prac_mod,oph_mod,rationale,oph_rationale\n";
  for (const PtpRow& r : *rows) {
    out += r.column1 + "," + r.column2 + "," + ModText(r.prac_mod) + "," + ModText(r.oph_mod) + "," +
           std::to_string(r.rationale) + "," + (r.oph_rationale ? std::to_string(*r.oph_rationale) : "") + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "pack" && argc == 5) return Pack(argv[2], argv[3], argv[4]);
  if (cmd == "dump" && argc == 3) return Dump(argv[2]);
  std::cerr << "usage: ncci_pack pack IN.csv OUT.bin EDITION | ncci_pack dump IN.bin\n";
  return 2;
}
