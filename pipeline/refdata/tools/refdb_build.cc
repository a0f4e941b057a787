// refdb_build OUT.sqlite MANIFEST.csv: builds the reference database from the CMS release files
// a manifest lists (columns file, release, effective_from, effective_to; files relative to the
// manifest's folder). The database is written beside OUT and renamed into place, so a failed
// build never leaves a partial file. Exit 0 ok, 2 usage, 3 a file could not be loaded.
#include <cstdio>
#include <filesystem>
#include <string>

#include "pipeline/cases/sqlite_db.h"
#include "pipeline/refdata/reference_db_build.h"
#include "pipeline/tables/csv.h"
#include "pipeline/tables/gzip.h"

int main(int argc, char** argv) {
  using namespace billwise;
  if (argc != 3) {
    std::fprintf(stderr, "usage: refdb_build OUT.sqlite MANIFEST.csv\n");
    return 2;
  }
  const std::string out = argv[1];
  const std::string manifest = argv[2];
  const std::string folder = std::filesystem::path(manifest).parent_path().string();
  auto text = ReadFileInflating(manifest);
  if (!text) {
    std::fprintf(stderr, "refdb_build: %s: %s\n", manifest.c_str(), text.error().message.c_str());
    return 3;
  }
  const std::string tmp = out + ".tmp";
  std::filesystem::remove(tmp);
  int status = 0;
  {
    sqlite::OpenOptions options;
    options.wal = false;
    auto db = sqlite::Database::Open(tmp, options);
    if (!db) {
      std::fprintf(stderr, "refdb_build: %s: %s\n", tmp.c_str(), db.error().message.c_str());
      return 3;
    }
    CsvTable rows(*text, manifest);
    if (auto ok = rows.Open({"file", "release", "effective_from", "effective_to"}); !ok) {
      std::fprintf(stderr, "refdb_build: %s\n", ok.error().message.c_str());
      return 3;
    }
    if (auto ok = CreateReferenceSchema(*db); !ok) {
      std::fprintf(stderr, "refdb_build: %s\n", ok.error().message.c_str());
      return 3;
    }
    while (rows.Next()) {
      std::string file = folder + "/" + std::string(rows.Field(rows.Column("file")));
      ReleaseInfo release{std::string(rows.Field(rows.Column("release"))),
                          std::string(rows.Field(rows.Column("effective_from"))),
                          std::string(rows.Field(rows.Column("effective_to")))};
      auto table = ImportReleaseFile(*db, file, release);
      if (!table) {
        std::fprintf(stderr, "refdb_build: %s\n", table.error().message.c_str());
        status = 3;
        break;
      }
    }
    if (status == 0) {
      if (auto ok = db->Exec("ANALYZE; VACUUM"); !ok) {
        std::fprintf(stderr, "refdb_build: %s\n", ok.error().message.c_str());
        status = 3;
      }
    }
  }
  std::error_code ec;
  if (status == 0) std::filesystem::rename(tmp, out, ec);
  if (status != 0 || ec) {
    std::filesystem::remove(tmp);
    if (ec) std::fprintf(stderr, "refdb_build: cannot write %s: %s\n", out.c_str(), ec.message().c_str());
    return 3;
  }
  return 0;
}
