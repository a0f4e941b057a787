#!/usr/bin/env bash
# Process start to JSON for digital PDF bills: `billwise analyze --format json` against
# `pdftotext -layout` on the same files in the same run; prints, for each, the median wall
# time and the mean CPU time (user + sys, from getrusage of the children) and both ratios.
# Target: billwise within 2x pdftotext on a one-page bill. On a shared, loaded machine trust
# the CPU ratio; the wall ratio holds only when the machine is otherwise idle.
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

# measure CMD...: runs CMD $runs times after one warm-up; prints "WALL_MS CPU_MS" (median
# wall, mean CPU per run).
measure() {
  python3 - "$runs" "$@" <<'PY'
import resource, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.run(cmd, **quiet)
before = resource.getrusage(resource.RUSAGE_CHILDREN)
walls = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, **quiet)
    walls.append(time.perf_counter() - t0)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / runs
walls.sort()
print(f"{walls[len(walls) // 2] * 1000:.2f} {cpu * 1000:.2f}")
PY
}

printf '%-32s %5s %10s %10s %10s %10s %7s %7s\n' file pages "bw wall" "bw CPU" "p2t wall" "p2t CPU" "wall x" "CPU x"
for f in "${files[@]}"; do
  pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  read -r bw bc < <(measure "$bin" analyze "$f" --format json --no-store)
  read -r pw pc < <(measure pdftotext -layout "$f" -)
  printf '%-32s %5s %10s %10s %10s %10s %7.2f %7.2f\n' "$(basename "$f")" "${pages:-?}" "$bw" "$bc" "$pw" "$pc" \
    "$(awk -v b="$bw" -v p="$pw" 'BEGIN {print b / p}')" "$(awk -v b="$bc" -v p="$pc" 'BEGIN {print b / p}')"
done
echo "(times in ms: median wall, mean CPU user+sys per run)"
