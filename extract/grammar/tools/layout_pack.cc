// layout_pack DIR          writes DIR/layouts.bwl from the YAML templates of DIR
// layout_pack --check DIR  exit 0 when DIR/layouts.bwl is current, 1 when it is stale
// (extract/grammar/layout_pack.h). Exit 2 on a bad template or an I/O error.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "extract/grammar/layout_pack.h"

namespace {

int Usage() {
  std::fputs("usage: layout_pack [--check] DIR\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace billwise;
  const bool check = argc == 3 && std::string(argv[1]) == "--check";
  if (argc != 2 && !check) return Usage();
  const std::string dir = argv[argc - 1];
  auto sources = ReadTemplateFolder(dir);
  if (!sources) {
    std::fprintf(stderr, "layout_pack: %s\n", sources.error().message.c_str());
    return 2;
  }
  auto set = LayoutSet::LoadStrings(*sources);
  if (!set) {
    std::fprintf(stderr, "layout_pack: %s\n", set.error().message.c_str());
    return 2;
  }
  const std::string pack = PackLayouts(*set, *sources);
  const std::string path = dir + "/" + kLayoutPackFile;
  if (check) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream old;
    old << in.rdbuf();
    if (in && old.str() == pack) return 0;
    std::fprintf(stderr, "layout_pack: %s is stale: run layout_pack %s\n", path.c_str(), dir.c_str());
    return 1;
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(pack.data(), static_cast<std::streamsize>(pack.size()));
    if (!out.flush()) {
      std::fprintf(stderr, "layout_pack: %s: cannot write\n", tmp.c_str());
      std::filesystem::remove(tmp);
      return 2;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::fprintf(stderr, "layout_pack: %s: %s\n", path.c_str(), ec.message().c_str());
    std::filesystem::remove(tmp);
    return 2;
  }
  std::printf("%s: %zu layouts, %zu bytes\n", path.c_str(), set->layouts().size(), pack.size());
  return 0;
}
