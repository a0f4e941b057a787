#!/usr/bin/env bash
# Batch throughput: 200 digital bills (copies of samples/generated/*.pdf) and 20 scanned
# pages (copies of samples/scans images) with --jobs 1 and --jobs 2, as files per second and
# the speed-up; then the cost of per-file process isolation (--isolate process vs thread).
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

# run SET JOBS [extra flags...] -> prints seconds
run() {
  local set=$1 jobs=$2; shift 2
  rm -rf "$work/out"
  local start end
  start=$(date +%s.%N)
  "$bin" batch "$work/$set" --out "$work/out" --jobs "$jobs" --progress none "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

printf "%-34s %8s %10s %9s\n" "set" "files" "files/s" "speed-up"
for set in digital scanned; do
  n=$(ls "$work/$set" | wc -l)
  t1=$(run "$set" 1)
  t2=$(run "$set" 2)
  printf "%-34s %8d %10.2f %9s\n" "$set, --jobs 1" "$n" "$(echo "$n / $t1" | bc -l)" "1.00x"
  printf "%-34s %8d %10.2f %8.2fx\n" "$set, --jobs 2" "$n" "$(echo "$n / $t2" | bc -l)" "$(echo "$t1 / $t2" | bc -l)"
done
n=$(ls "$work/digital" | wc -l)
tp=$(run digital 1 --isolate process)
tt=$(run digital 1 --isolate thread)
tn=$(run digital 1 --isolate process --no-fsync)
printf "%-34s %8d %10.2f %9s\n" "digital, --jobs 1, --isolate thread" "$n" "$(echo "$n / $tt" | bc -l)" \
  "$(printf '%.2fx' "$(echo "$tt / $tp" | bc -l)")"
printf "%-34s %8d %10.2f %9s\n" "digital, --jobs 1, --no-fsync" "$n" "$(echo "$n / $tn" | bc -l)" \
  "$(printf '%.2fx' "$(echo "$tp / $tn" | bc -l)")"
echo "(isolation rows: speed-up relative to the default --isolate process with fsync at --jobs 1)"
