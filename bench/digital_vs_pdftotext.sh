#!/usr/bin/env bash
# Process start to JSON for digital PDF bills: `billwise analyze --format json` against
# `pdftotext -layout` on the same files in the same run; prints, for each, the median wall
# time and the mean CPU time (user + sys, from getrusage of the children) and both ratios.
# By default the two programs run alternately, one run each in turn, so drift in the
# machine's state (frequency, other load) reaches both alike; ORDER=blocks runs all of
# billwise's runs, then all of pdftotext's (each then runs with its own files warm in the
# CPU caches, which favours the smaller program).
# Target: billwise within 3x `pdftotext -layout`, end to end, on a digital bill. The last
# line gives the end-to-end ratio over all the files (the sum of billwise's times over the
# sum of pdftotext's), CPU and wall, and exits 1 when the CPU ratio is over 3. On a shared,
# loaded machine trust the CPU ratio; the wall ratio holds only when the machine is idle.
# Usage: [ORDER=alternate|blocks] bench/digital_vs_pdftotext.sh [RUNS] [PDF...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BILLWISE:-$root/build/pipeline/cli/billwise}
runs=${1:-21}
shift || true
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=("$root"/samples/generated/*.pdf)
fi

# measure FILE: runs billwise and pdftotext on FILE $runs times each, in $ORDER, after one
# warm-up each; prints "BW_WALL BW_CPU P2T_WALL P2T_CPU"
# (median wall, mean CPU user+sys per run, in ms).
measure() {
  python3 - "$runs" "$1" "$bin" "${ORDER:-alternate}" <<'PY'
import resource, subprocess, sys, time
runs, pdf, binary, order = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
commands = [[binary, "analyze", pdf, "--format", "json", "--no-store"], ["pdftotext", "-layout", pdf, "-"]]
quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
walls, cpus = [[], []], [0.0, 0.0]
for cmd in commands:
    subprocess.run(cmd, **quiet)
schedule = [i for _ in range(runs) for i in (0, 1)] if order == "alternate" else [0] * runs + [1] * runs
for i in schedule:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(commands[i], **quiet)
    walls[i].append(time.perf_counter() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus[i] += after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
out = []
for i in range(2):
    w = sorted(walls[i])
    out += [f"{w[len(w) // 2] * 1000:.2f}", f"{cpus[i] / runs * 1000:.2f}"]
print(" ".join(out))
PY
}

total_bw_wall=0 total_bw_cpu=0 total_p2t_wall=0 total_p2t_cpu=0
printf '%-32s %5s %10s %10s %10s %10s %7s %7s\n' file pages "bw wall" "bw CPU" "p2t wall" "p2t CPU" "wall x" "CPU x"
for f in "${files[@]}"; do
  pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  read -r bw bc pw pc < <(measure "$f")
  printf '%-32s %5s %10s %10s %10s %10s %7.2f %7.2f\n' "$(basename "$f")" "${pages:-?}" "$bw" "$bc" "$pw" "$pc" \
    "$(awk -v b="$bw" -v p="$pw" 'BEGIN {print b / p}')" "$(awk -v b="$bc" -v p="$pc" 'BEGIN {print b / p}')"
  total_bw_wall=$(awk -v t="$total_bw_wall" -v x="$bw" 'BEGIN {print t + x}')
  total_bw_cpu=$(awk -v t="$total_bw_cpu" -v x="$bc" 'BEGIN {print t + x}')
  total_p2t_wall=$(awk -v t="$total_p2t_wall" -v x="$pw" 'BEGIN {print t + x}')
  total_p2t_cpu=$(awk -v t="$total_p2t_cpu" -v x="$pc" 'BEGIN {print t + x}')
done
echo "(times in ms: median wall, mean CPU user+sys per run)"
cpu_ratio=$(awk -v b="$total_bw_cpu" -v p="$total_p2t_cpu" 'BEGIN {printf "%.2f", b / p}')
wall_ratio=$(awk -v b="$total_bw_wall" -v p="$total_p2t_wall" 'BEGIN {printf "%.2f", b / p}')
echo "end to end, billwise / pdftotext -layout over ${#files[@]} files: ${cpu_ratio}x CPU, ${wall_ratio}x wall (target: at most 3x)"
awk -v r="$cpu_ratio" 'BEGIN {exit !(r <= 3)}'
