#!/bin/bash
# OCR benchmarks, each against a baseline in the same run:
#  1. per page: `billwise analyze page.png` (and the bare OCR path, ocr_probe) against
#     `tesseract page.png - --psm 6`, both one thread, same 300-dpi scanned page: ratio;
#  2. a 10-page scanned PDF with 1 and 2 OCR workers: speed-up;
#  3. peak memory (max RSS, /usr/bin/time -v) for a 20-page scanned PDF.
# usage: bench/ocr_bench.sh [BUILD_DIR]   (default build-ocr; needs ocr_probe built)
# env: RUNS (default 3) repetitions per command, median reported.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build-ocr}
PROBE=$BUILD/tests/ocr/ocr_probe
BILLWISE=$BUILD/pipeline/cli/billwise
SAMPLES=$ROOT/../shared/research/probe-samples
RUNS=${RUNS:-3}
export OMP_THREAD_LIMIT=1  # for the tesseract CLI; billwise limits OpenMP itself
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

[ -x "$PROBE" ] || { echo "build ocr_probe first: cmake --build $BUILD --target ocr_probe"; exit 2; }
SCAN=$SAMPLES/bill_scanned.pdf
pdftoppm -r 300 -gray -png -singlefile "$SCAN" "$TMP/page"
convert "$TMP/page.png" -density 300 -units PixelsPerInch "$TMP/page.png"

# median wall time and median CPU time (user + sys, children included) of a command over
# $RUNS runs: prints "WALL CPU". On a shared, loaded machine the CPU ratio is the one to
# trust; the wall ratio holds only when the machine is otherwise idle.
median() {
  local walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$TMP/t" "$@" >/dev/null 2>&1 || true
    walls+=("$(awk '{print $1}' "$TMP/t")")
    cpus+=("$(awk '{print $2 + $3}' "$TMP/t")")
  done
  local w c
  w=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  c=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$w $c"
}
ratio() { echo "$1 / $2" | bc -l; }

echo "== 1. one 300-dpi scanned page, one thread (wall s, CPU s, ratios to the CLI)"
CLI=$(median tesseract "$TMP/page.png" - --psm 6)
PROBE_T=$(median "$PROBE" "$TMP/page.png" --workers 1 --quiet)
printf 'tesseract --psm 6          wall %6.2f  CPU %6.2f\n' ${CLI% *} ${CLI#* }
printf 'billwise OCR path (probe)  wall %6.2f  CPU %6.2f   ratio wall %.2f  CPU %.2f\n' ${PROBE_T% *} ${PROBE_T#* } \
  "$(ratio ${PROBE_T% *} ${CLI% *})" "$(ratio ${PROBE_T#* } ${CLI#* })"
if [ -x "$BILLWISE" ]; then
  BW=$(median "$BILLWISE" analyze "$TMP/page.png" --no-store)
  printf 'billwise analyze page.png  wall %6.2f  CPU %6.2f   ratio wall %.2f  CPU %.2f\n' ${BW% *} ${BW#* } \
    "$(ratio ${BW% *} ${CLI% *})" "$(ratio ${BW#* } ${CLI#* })"
else
  echo "billwise analyze: not built ($BILLWISE)"
fi

echo "== 2. 10-page scanned PDF, 1 vs 2 workers"
qpdf --empty --pages $(for _ in $(seq 10); do echo "$SCAN"; done) -- "$TMP/ten.pdf"
T1=$(RUNS=1 median "$PROBE" "$TMP/ten.pdf" --workers 1 --quiet)
T2=$(RUNS=1 median "$PROBE" "$TMP/ten.pdf" --workers 2 --quiet)
printf '1 worker  wall %6.2f s  CPU %6.2f s (%.2f s/page)\n' ${T1% *} ${T1#* } "$(echo "${T1#* } / 10" | bc -l)"
printf '2 workers wall %6.2f s  CPU %6.2f s   wall speed-up %.2f  CPU ratio %.2f\n' ${T2% *} ${T2#* } \
  "$(ratio ${T1% *} ${T2% *})" "$(ratio ${T2#* } ${T1#* })"

echo "== 3. peak memory, 20-page scanned PDF, 2 workers"
qpdf --empty --pages "$TMP/ten.pdf" "$TMP/ten.pdf" -- "$TMP/twenty.pdf"
/usr/bin/time -v "$PROBE" "$TMP/twenty.pdf" --workers 2 --quiet 2> "$TMP/time.txt" >/dev/null
awk -F: '/Maximum resident set size/ {printf "max RSS %.0f MB\n", $2 / 1024}
         /Elapsed \(wall clock\)/ {sub(/.*\): /, ""); print "wall (m:ss) " $0}' "$TMP/time.txt"
