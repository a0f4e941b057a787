#!/usr/bin/env bash
# Process start to JSON for digital PDF bills: `billwise analyze --format json` against
# `pdftotext -layout` on the same files in the same run; prints the median time of each
# and the ratio. Target: billwise within 2x pdftotext on a one-page bill.
# Usage: bench/digital_vs_pdftotext.sh [RUNS] [PDF...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BILLWISE:-$root/build/pipeline/cli/billwise}
runs=${1:-21}
shift || true
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=("$root"/samples/generated/*.pdf)
fi
export OMP_THREAD_LIMIT=1

# median_ms CMD...: runs CMD $runs times (after one warm-up) and prints the median in ms.
median_ms() {
  "$@" >/dev/null 2>&1 || true
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

printf '%-40s %6s %12s %12s %7s\n' file pages "billwise ms" "pdftotext ms" ratio
for f in "${files[@]}"; do
  pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  b=$(median_ms "$bin" analyze "$f" --format json --no-store)
  p=$(median_ms pdftotext -layout "$f" -)
  printf '%-40s %6s %12s %12s %7.2f\n' "$(basename "$f")" "${pages:-?}" "$b" "$p" "$(awk -v b="$b" -v p="$p" 'BEGIN {print b / p}')"
done
