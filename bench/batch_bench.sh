#!/usr/bin/env bash
# Batch throughput: 200 digital bills (copies of samples/generated/*.pdf) and 20 scanned
# pages (copies of samples/scans images) with --jobs 1 and --jobs 2, as files per second and
# the speed-up, with the CPU time per file; then the cost of process isolation (--isolate
# process vs thread) and of fsync.
# Usage: bench/batch_bench.sh [BILLWISE_BINARY]   (default: build/pipeline/cli/billwise)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/pipeline/cli/billwise}
[[ -x $bin ]] || { echo "no billwise binary at $bin (build it, or pass its path)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/digital" "$work/scanned"
digital=("$root"/samples/generated/*.pdf)
for i in $(seq 0 199); do
  src=${digital[$((i % ${#digital[@]}))]}
  cp "$src" "$work/digital/$(printf %03d "$i")-$(basename "$src")"
done
scans=()
for f in "$root"/samples/scans/*.png "$root"/samples/scans/*.jpg "$root"/samples/scans/*.tif; do
  [[ -f $f ]] && scans+=("$f")
done
for i in $(seq 0 19); do
  src=${scans[$((i % ${#scans[@]}))]}
  cp "$src" "$work/scanned/$(printf %02d "$i")-$(basename "$src")"
done

# run SET JOBS [extra flags...] -> prints "WALL CPU": wall seconds and the CPU seconds (user +
# sys) of the batch and all its workers. On a shared machine the wall time depends on what
# else runs; the CPU time says what the batch itself costs (same CPU at --jobs 1 and 2 and
# no serialisation point means the speed-up is the core count once the cores are free).
run() {
  local set=$1 jobs=$2; shift 2
  rm -rf "$work/out"
  /usr/bin/time -f "%e %U %S" -o "$work/time" \
    "$bin" batch "$work/$set" --out "$work/out" --jobs "$jobs" --progress none "$@" >/dev/null 2>&1 || true
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}

printf "%-36s %6s %9s %9s %12s %9s\n" "set" "files" "wall s" "files/s" "CPU ms/file" "speed-up"
row() {  # row LABEL FILES "WALL CPU" SPEEDUP
  local wall=${3% *} cpu=${3#* }
  printf "%-36s %6d %9.2f %9.2f %12.1f %9s\n" "$1" "$2" "$wall" "$(echo "$2 / $wall" | bc -l)" \
    "$(echo "1000 * $cpu / $2" | bc -l)" "$4"
}
for set in digital scanned; do
  n=$(ls "$work/$set" | wc -l)
  r1=$(run "$set" 1)
  r2=$(run "$set" 2)
  row "$set, --jobs 1" "$n" "$r1" "1.00x"
  row "$set, --jobs 2" "$n" "$r2" "$(printf '%.2fx' "$(echo "${r1% *} / ${r2% *}" | bc -l)")"
done
n=$(ls "$work/digital" | wc -l)
rp=$(run digital 1 --isolate process)
rt=$(run digital 1 --isolate thread)
rn=$(run digital 1 --isolate process --no-fsync)
row "digital, --jobs 1, --isolate thread" "$n" "$rt" "$(printf '%.2fx' "$(echo "${rp% *} / ${rt% *}" | bc -l)")"
row "digital, --jobs 1, --no-fsync" "$n" "$rn" "$(printf '%.2fx' "$(echo "${rp% *} / ${rn% *}" | bc -l)")"
echo "(isolation rows: wall speed-up relative to the default --isolate process with fsync at --jobs 1)"
