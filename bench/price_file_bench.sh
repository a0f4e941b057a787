#!/usr/bin/env bash
# Hospital price files at scale: generates a seeded CMS v2 JSON file and a tall CSV of
# realistic shape (items x 60 payer plans) in a temporary folder, then in the same run
# measures, for each file:
#   cat FILE > /dev/null (warm cache)           the floor: reading the bytes
#   python3 json.load (JSON only)               the usual way to read such a file
#   billwise prices FILE --check                streaming parse, no index
#   billwise prices FILE --code C (first)       parse + write the index
#   billwise prices FILE --code C (second)      answered from the index
# and prints wall seconds, CPU seconds (user + sys), MB/s by each and peak RSS (on a shared
# machine the CPU figures are the steadier ones). The generated files and indexes are deleted.
# Usage: bench/price_file_bench.sh [MEGABYTES (default 1024)] [BUILD_DIR (default build)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-1024}
bin=${2:-$root/build}/pipeline/cli/billwise
[[ -x $bin ]] || { echo "price_file_bench: $bin not built" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/billwise-price-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

# run NAME CMD...: prints NAME, seconds, MB/s of $size bytes and peak RSS.
run() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" || true
  read -r secs kb user sys <"$work/time"
  awk -v n="$name" -v s="$secs" -v kb="$kb" -v c="$(awk -v u="$user" -v y="$sys" 'BEGIN { print u + y }')" \
    -v bytes="$size" 'BEGIN { mb = bytes / 1048576;
      printf "  %-34s %7.2f s wall %8.1f MB/s | %7.2f s cpu %8.1f MB/s | %6.0f MB peak RSS\n",
             n, s, (s > 0 ? mb / s : 0), c, (c > 0 ? mb / c : 0), kb / 1024 }'
  echo "$secs $(awk -v u="$user" -v y="$sys" 'BEGIN { print u + y }')" >"$work/last"
}

code=17919  # the first item's code in every generated file
for shape in json tall; do
  file=$work/prices.$shape
  python3 "$root/bench/price_file_gen.py" "$shape" "$file" "$mb"
  size=$(stat -c %s "$file")
  echo "$shape: $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1048576 }') ($file)"
  cat "$file" >/dev/null
  run "cat (warm)" sh -c "cat '$file' >/dev/null"
  read -r cat_s cat_c <"$work/last"
  if [[ $shape == json ]]; then
    run "python3 json.load" python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$file"
    read -r py_s py_c <"$work/last"
  fi
  run "billwise prices --check (stream)" "$bin" prices "$file" --check
  read -r check_s check_c <"$work/last"
  run "billwise prices --code (first)" "$bin" prices "$file" --code "$code" --cache-dir "$work/cache"
  run "billwise prices --code (cached)" "$bin" prices "$file" --code "$code" --cache-dir "$work/cache"
  echo "  index size: $(du -sh "$work/cache" | cut -f1)"
  awk -v c="$check_s" -v k="$cat_s" -v cc="$check_c" -v kc="$cat_c" \
    'BEGIN { printf "  stream vs cat: %.1fx the wall time, %.1fx the cpu time\n", c / k, (kc > 0 ? cc / kc : 0) }'
  if [[ $shape == json ]]; then
    awk -v c="$check_s" -v p="$py_s" -v cc="$check_c" -v pc="$py_c" \
      'BEGIN { printf "  stream vs json.load: %.1fx faster by wall time, %.1fx by cpu time\n", p / c, pc / cc }'
  fi
  rm -rf "$file" "$work/cache"
done
