// billwise data status: the reference tables' releases, their dates in force and their age.
// billwise data import FILE...: CMS release files added as new releases in the user's data
// folder (UserReleasesPath), recognised by their columns and checked row by row.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"
#include "pipeline/model/date.h"
#include "pipeline/cases/sqlite_db.h"
#include "pipeline/model/strings.h"
#include "pipeline/refdata/price_file_source.h"
#include "pipeline/refdata/reference_data.h"
#include "pipeline/refdata/reference_db_build.h"
#include "pipeline/run/run.h"

namespace billwise {

namespace {

int RunDataStatus(const CommandContext& ctx) {
  std::string root = ctx.data_dir.empty() ? FindDataRoot() : ctx.data_dir;
  if (root.empty()) {
    std::fprintf(stderr, "billwise data status: data/ not found (use --data-dir)\n");
    return 2;
  }
  auto data = ReferenceData::Load(root, TableLoading::kOnFirstUse);
  if (!data) {
    std::fprintf(stderr, "billwise data status: %s\n", data.error().message.c_str());
    return 2;
  }
  const Date today = Today();
  std::printf("Reference database: %s\n", (*data)->reference_db_path().c_str());
  std::string user = UserReleasesPath();
  std::error_code ec;
  if (!user.empty() && std::filesystem::exists(user, ec)) std::printf("Your imported releases: %s\n", user.c_str());
  std::printf("%-15s  %-10s  %-10s  %8s  %7s  %s\n", "table", "from", "to", "age", "rows", "release");
  for (const TableRelease& r : (*data)->ReferenceReleases()) {
    std::string age = "?";
    if (auto from = Date::FromIso(r.effective_from)) age = std::to_string(from->DaysUntil(today)) + " d";
    std::printf("%-15s  %-10s  %-10s  %8s  %7lld  %s\n", r.table.c_str(), r.effective_from.c_str(),
                r.effective_to.empty() ? "-" : r.effective_to.c_str(), age.c_str(), static_cast<long long>(r.rows),
                r.release.c_str());
  }
  std::printf("\nRead from CSV in %s/data/cms: PFS GPCIs (2025, 2026), localities, anesthesia and PFS conversion factors\n",
              root.c_str());
  return 0;
}

struct ImportArgs {
  std::vector<std::string> files;
  std::string release;  // "" = the file's name
  std::string from;     // "" = the date the file states
  std::string to;
};

bool IsIsoDate(const std::string& s) { return s.empty() || Date::FromIso(s).has_value(); }

// Exit code of a refused file: 4 when no layout matches it, 2 when a date must be given, else 3.
int ExitCodeOf(const Error& e) {
  return e.code == ErrorCode::kUnsupported ? 4 : e.code == ErrorCode::kUsage ? 2 : 3;
}

bool IsZip(const std::string& path) {
  char magic[4] = {};
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  size_t n = std::fread(magic, 1, sizeof magic, f);
  std::fclose(f);
  return n == 4 && std::string_view(magic, 4) == std::string_view("PK\x03\x04", 4);
}

// An Excel workbook is a zip holding xl/ entries: imported as a file, which says to save it as CSV.
bool IsWorkbook(const std::vector<std::string>& entries) {
  return std::any_of(entries.begin(), entries.end(), [](const std::string& e) { return e.starts_with("xl/"); });
}

// The bytes of one entry of a zip.
Expected<std::string> ReadZipEntry(const std::string& path, const std::string& entry) {
  auto source = PriceFileSource::Open(path, entry);
  if (!source) return std::unexpected(source.error());
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    auto n = source->Read(buf, sizeof buf);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    bytes.append(buf, *n);
  }
  return bytes;
}

// Exit 0 all imported, 2 usage, 3 a file was refused, 4 a file of no known layout (the files
// before it stay imported).
int RunDataImport(const ImportArgs& args, const CommandContext& ctx) {
  if (!IsIsoDate(args.from) || !IsIsoDate(args.to)) {
    std::fprintf(stderr, "billwise data import: --from and --to are dates written yyyy-mm-dd\n");
    return 2;
  }
  if (!args.release.empty() && args.files.size() > 1) {
    std::fprintf(stderr, "billwise data import: --release names one file's release; import files one at a time\n");
    return 2;
  }
  std::string root = ctx.data_dir.empty() ? FindDataRoot() : ctx.data_dir;
  auto shipped = root.empty() ? Expected<std::shared_ptr<const ReferenceData>>(std::unexpected(
                                    Error{ErrorCode::kNotFound, "data/ not found (use --data-dir)"}))
                              : ReferenceData::Load(root, TableLoading::kOnFirstUse);
  if (!shipped) {
    std::fprintf(stderr, "billwise data import: %s\n", shipped.error().message.c_str());
    return 2;
  }
  // The shipped database alone (without the user's releases): names a new release may not take.
  std::vector<TableRelease> shipped_releases;
  if (auto built = ReferenceDb::Open((*shipped)->reference_db_path())) {
    if (auto releases = built->Releases()) shipped_releases = std::move(*releases);
  }
  const std::string path = UserReleasesPath();
  if (path.empty()) {
    std::fprintf(stderr, "billwise data import: no data folder (set XDG_DATA_HOME or HOME)\n");
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  sqlite::OpenOptions options;
  options.wal = false;
  auto db = sqlite::Database::Open(path, options);
  if (!db) {
    std::fprintf(stderr, "billwise data import: %s: %s\n", path.c_str(), db.error().message.c_str());
    return 3;
  }
  if (auto ok = CreateReferenceSchema(*db); !ok) {
    std::fprintf(stderr, "billwise data import: %s: %s\n", path.c_str(), ok.error().message.c_str());
    return 3;
  }
  // One file (or zip entry): imported, or refused with its exit code. A release already
  // shipped under the same name is refused, not doubled.
  // With `skip_unknown` (a zip's entries), a file of no known layout returns kSkipped.
  constexpr int kSkipped = -1;
  auto import_one = [&](const std::string& file, const std::optional<std::string>& bytes, bool skip_unknown) -> int {
    ReleaseInfo given{args.release, args.from, args.to};
    ReleaseInfo used;
    auto table = bytes ? ImportReleaseBytes(*db, *bytes, file, given, &used) : ImportReleaseFile(*db, file, given, &used);
    if (!table && skip_unknown && table.error().code == ErrorCode::kUnsupported) {
      std::printf("%s: skipped (not a table billwise imports)\n", file.c_str());
      return kSkipped;
    }
    if (!table) {
      std::fprintf(stderr, "billwise data import: %s\n", table.error().message.c_str());
      return ExitCodeOf(table.error());
    }
    for (const TableRelease& r : shipped_releases) {
      if (r.table == *table && r.release == used.release) {
        // Take the copy back out (the table name is one the import returned).
        auto tx = sqlite::Transaction::Begin(*db);
        auto rows = db->Prepare("DELETE FROM " + *table + " WHERE release = ?1");
        auto record = db->Prepare("DELETE FROM releases WHERE table_name = ?1 AND release = ?2");
        if (tx && rows && record) {
          rows->Bind(1, used.release);
          record->Bind(1, *table).Bind(2, used.release);
          if (rows->Run() && record->Run()) (void)tx->Commit();
        }
        std::fprintf(stderr, "billwise data import: %s: release \"%s\" of %s is already loaded\n", file.c_str(),
                     used.release.c_str(), table->c_str());
        return 3;
      }
    }
    std::printf("%s: %s, release \"%s\", in force from %s%s%s\n", file.c_str(), table->c_str(), used.release.c_str(),
                used.effective_from.c_str(), used.effective_to.empty() ? "" : " to ", used.effective_to.c_str());
    return 0;
  };
  for (const std::string& file : args.files) {
    auto entries = IsZip(file) ? PriceFileSource::ZipEntries(file) : Expected<std::vector<std::string>>();
    if (!entries || entries->empty() || IsWorkbook(*entries)) {
      if (int rc = import_one(file, std::nullopt, false); rc != 0) return rc;
      continue;
    }
    // A zip as CMS ships a release (the PFS RVU bundle): each CSV entry billwise knows is
    // imported; the others (GPCIs, localities, text and workbook copies) are listed as skipped.
    int imported = 0;
    for (const std::string& entry : *entries) {
      const std::string name = file + "/" + entry;
      if (!EndsWithNoCase(entry, ".csv")) {
        std::printf("%s: skipped (only CSV entries are read)\n", name.c_str());
        continue;
      }
      auto bytes = ReadZipEntry(file, entry);
      if (!bytes) {
        std::fprintf(stderr, "billwise data import: %s\n", bytes.error().message.c_str());
        return 3;
      }
      int rc = import_one(name, *bytes, true);
      if (rc == kSkipped) continue;
      if (rc != 0) return rc;
      ++imported;
    }
    if (imported == 0) {
      std::fprintf(stderr, "billwise data import: %s: no CSV in the zip is a CMS file billwise knows\n", file.c_str());
      return 4;
    }
  }
  std::printf("Imported into %s\n", path.c_str());
  return 0;
}

}  // namespace

void AddDataCommand(CLI::App& app, CommandContext* ctx) {
  CLI::App* cmd = app.add_subcommand("data", "The reference tables billwise prices with");
  cmd->require_subcommand(1);
  CLI::App* status = cmd->add_subcommand("status", "List each reference table's releases, dates in force and age");
  status->callback([ctx] { ctx->exit_code = RunDataStatus(*ctx); });
  auto args = std::make_shared<ImportArgs>();
  CLI::App* import = cmd->add_subcommand(
      "import", "Add CMS release files (PFS RVU, OPPS Addendum B, CLFS, ASP, ASC AA and BB, DMEPOS, PEN, NCCI MUE, "
                "anesthesia base units, Hospital General Information) as new releases in your data folder");
  import->add_option("files", args->files, "CMS files as published (CSV, or CSV in gzip)")->required();
  import->add_option("--release", args->release, "Name of the release (default: the file's name)");
  import->add_option("--from", args->from, "First day in force, yyyy-mm-dd (default: the date the file states)");
  import->add_option("--to", args->to, "Last day in force, yyyy-mm-dd (default: until a newer release)");
  import->callback([args, ctx] { ctx->exit_code = RunDataImport(*args, *ctx); });
}

}  // namespace billwise
