#include "pipeline/batch/inputs.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <map>

#include "pipeline/model/strings.h"

namespace billwise {
namespace fs = std::filesystem;

namespace {

// Is `path` equal to or under `dir`? Both weakly canonical.
bool IsUnder(const fs::path& path, const fs::path& dir) {
  auto p = path.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++p) {
    if (d->empty()) continue;
    if (p == path.end() || *p != *d) return false;
  }
  return true;
}

}  // namespace

bool IsBatchInputName(std::string_view file_name) {
  static constexpr std::string_view kExtensions[] = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"};
  std::string lower = Lower(file_name);
  for (std::string_view ext : kExtensions) {
    if (lower.size() > ext.size() && lower.ends_with(ext)) return true;
  }
  return false;
}

Expected<std::vector<BatchInput>> ListBatchInputs(const std::string& root, const std::string& exclude_dir) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    if (ec && ec.value() != ENOENT) return std::unexpected(ErrorFromErrno(ec.value(), ""));
    return Fail(ErrorCode::kNotFound, "not a folder");
  }
  fs::path root_abs = fs::weakly_canonical(root, ec);
  fs::path exclude_abs;
  if (!exclude_dir.empty()) exclude_abs = fs::weakly_canonical(exclude_dir, ec);

  std::vector<BatchInput> inputs;
  auto relative = [&](const fs::path& p) { return p.lexically_relative(root_abs).generic_string(); };
  auto problem = [&](const fs::path& p, int err, std::string_view what) {
    inputs.push_back(BatchInput{relative(p), "", ErrorFromErrno(err, what)});
  };
  // Depth-first over an explicit stack of folders (no recursion: depth is the file system's).
  std::vector<fs::path> folders = {root_abs};
  while (!folders.empty()) {
    fs::path folder = std::move(folders.back());
    folders.pop_back();
    fs::directory_iterator it(folder, ec);
    if (ec) {
      if (folder == root_abs) return std::unexpected(ErrorFromErrno(ec.value(), "cannot list the folder"));
      problem(folder, ec.value(), "cannot list the folder");
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::directory_entry& entry = *it;
      std::string name = entry.path().filename().string();
      if (name.starts_with(".")) continue;
      std::error_code type_ec;
      const fs::file_status link = entry.symlink_status(type_ec);
      if (fs::is_directory(link)) {
        if (!Lower(name).ends_with(".billwise") &&
            (exclude_abs.empty() || !IsUnder(entry.path(), exclude_abs))) {
          folders.push_back(entry.path());
        }
        continue;
      }
      if (!IsBatchInputName(name)) continue;
      const fs::file_status target = entry.status(type_ec);
      if (type_ec) {
        // An input-named entry whose target cannot be examined: a symlink loop, a dangling
        // symlink, a folder on the way that cannot be searched.
        problem(entry.path(), type_ec.value(), "cannot read the file");
        continue;
      }
      if (!fs::exists(target)) {
        problem(entry.path(), ENOENT, "a symbolic link to nothing");
        continue;
      }
      if (!fs::is_regular_file(target)) continue;  // a folder symlink or a device named *.pdf
      inputs.push_back(BatchInput{relative(entry.path()), "", std::nullopt});
    }
    if (ec) {
      if (folder == root_abs) return std::unexpected(ErrorFromErrno(ec.value(), "cannot list the folder"));
      problem(folder, ec.value(), "cannot list the folder");
    }
  }
  std::sort(inputs.begin(), inputs.end(),
            [](const BatchInput& a, const BatchInput& b) { return a.relative_path < b.relative_path; });
  AssignOutputDirs(&inputs);
  return inputs;
}

void AssignOutputDirs(std::vector<BatchInput>* inputs) {
  auto stem_of = [](const std::string& rel) {
    fs::path p(rel);
    return (p.parent_path() / p.stem()).generic_string();
  };
  std::map<std::string, int> uses;
  for (const BatchInput& in : *inputs) ++uses[stem_of(in.relative_path)];
  for (BatchInput& in : *inputs) {
    std::string stem = stem_of(in.relative_path);
    if (uses[stem] == 1) {
      in.output_dir = stem;
    } else {
      std::string ext = fs::path(in.relative_path).extension().string();
      in.output_dir = stem + "_" + (ext.empty() ? std::string("none") : ext.substr(1));
    }
  }
}

Expected<Shard> ParseShard(std::string_view text) {
  size_t slash = text.find('/');
  Shard shard;
  if (slash == std::string_view::npos) return Fail(ErrorCode::kUsage, "--shard wants K/N, e.g. 0/4");
  auto parse = [](std::string_view s, int* out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
  };
  if (!parse(text.substr(0, slash), &shard.index) || !parse(text.substr(slash + 1), &shard.count) ||
      shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    return Fail(ErrorCode::kUsage, "--shard wants K/N with 0 <= K < N, e.g. 0/4");
  }
  return shard;
}

int ShardOf(std::string_view relative_path, int shard_count) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : relative_path) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<int>(h % static_cast<uint64_t>(shard_count < 1 ? 1 : shard_count));
}

std::vector<BatchInput> SelectShard(const std::vector<BatchInput>& inputs, const Shard& shard) {
  std::vector<BatchInput> out;
  for (const BatchInput& in : inputs) {
    if (ShardOf(in.relative_path, shard.count) == shard.index) out.push_back(in);
  }
  return out;
}

}  // namespace billwise
