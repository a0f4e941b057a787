// The layout pack: a folder's layout templates after YAML parsing and `extends:` merging,
// in a compact binary file (kLayoutPackFile, beside the YAML files), so that a one-shot
// command reads its templates in well under a millisecond instead of parsing YAML.
//
// A pack records the name, size and FNV-1a digest of every YAML file it was made from.
// LayoutSet::LoadDir uses it only when the folder holds exactly those files with exactly
// those bytes; an edited, added or removed template makes it stale and the YAML is read
// instead (same result, slower), so a pack can never hide a template change. Patterns are
// stored as text and compile on first use (layout_set.h, Pattern); they were checked when
// the pack was made from YAML. The pack ends with a CRC-32 of all its bytes.
//
// Format (integers are LEB128 varints, strings a varint length and the bytes):
//   "BWLAYOUT2\n", sources: count, then (name, size, digest) each; patterns: count, then
//   texts; layouts: count, then each layout's keys in layout_set.h order, patterns as
//   1 + index (0 = none), maps sorted by key; then the 4-byte little-endian CRC-32.
// Packing is deterministic: the same templates always give the same bytes.
//
// Thread-safety: free functions without shared state.
#ifndef BILLWISE_EXTRACT_GRAMMAR_LAYOUT_PACK_H_
#define BILLWISE_EXTRACT_GRAMMAR_LAYOUT_PACK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/grammar/layout_set.h"
#include "pipeline/model/error.h"

namespace billwise {

inline constexpr char kLayoutPackFile[] = "layouts.bwl";

// (path, YAML text) of the templates, as LayoutSet::LoadStrings takes them.
using NamedTemplates = std::vector<std::pair<std::string, std::string>>;

// The pack of `set`, which was loaded from `sources`.
std::string PackLayouts(const LayoutSet& set, const NamedTemplates& sources);

// The set packed in `pack`, with each layout's `file` under `dir`. kBadData when the pack
// is damaged or was made from other templates than `sources` (the folder's YAML files).
Expected<LayoutSet> UnpackLayouts(std::string_view pack, const std::string& dir, const NamedTemplates& sources);

// The *.yaml / *.yml files of `dir`, sorted by name, with their text. kNotFound when the
// folder cannot be listed, holds no template, or a file cannot be read.
Expected<NamedTemplates> ReadTemplateFolder(const std::string& dir);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_GRAMMAR_LAYOUT_PACK_H_
