#!/usr/bin/env python3
"""Reading accuracy on the real documents of ../shared/corpus, with floors.

usage: realworld_accuracy.py --binary PATH [--shared DIR] [--min METRIC=X ...]

Runs ../shared/corpus/realworld-2/score.py (hand-made truth files: items matched on charge
and code, header fields, document type) and bench/accuracy.py's corpus set (older corpus
documents transcribed in tests/grammar/corpus/), prints both reports, and fails (exit 1) when a
figure is below its floor. Metrics: pooled_f1, mean_doc_f1, header, type (realworld-2) and
corpus_f1 (the older set's line-item F1). Exits 77 (a skip for ctest) when the shared corpus is
absent; 2 on a usage error.
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METRICS = ("pooled_f1", "mean_doc_f1", "header", "type", "corpus_f1")
SKIP = 77


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--min", action="append", default=[], metavar="METRIC=X")
    a = ap.parse_args()
    floors = {}
    for m in a.min:
        key, _, value = m.partition("=")
        if key not in METRICS or not value:
            print("realworld_accuracy.py: bad --min %s (metrics: %s)" % (m, ", ".join(METRICS)),
                  file=sys.stderr)
            return 2
        floors[key] = float(value)
    score = os.path.join(a.shared, "corpus", "realworld-2", "score.py")
    if not os.path.exists(score):
        print("realworld_accuracy.py: %s absent: skipped" % score)
        return SKIP
    figures = {}
    r = run([sys.executable, score, a.binary])
    summary = [ln for ln in r.stdout.splitlines() if ln.startswith("docs=")]
    if r.returncode != 0 or not summary:
        print("realworld_accuracy.py: score.py gave no summary line", file=sys.stderr)
        return 1
    for key, value in re.findall(r"(\w+)=([0-9.]+)", summary[-1]):
        figures[key] = float(value)
    r = run([sys.executable, os.path.join(ROOT, "bench", "accuracy.py"), "--binary", a.binary,
             "--sets", "corpus"])
    corpus = [ln for ln in r.stdout.splitlines() if ln.startswith("corpus ")]
    if r.returncode != 0:
        print("realworld_accuracy.py: bench/accuracy.py failed", file=sys.stderr)
        return 1
    if corpus:
        figures["corpus_f1"] = float(corpus[-1].split()[5])
    print("\nrealworld-2: pooled item F1 %.3f, mean per-document F1 %.3f, header %.3f, type %.3f;"
          " older corpus item F1 %s" % (figures.get("pooled_f1", 0), figures.get("mean_doc_f1", 0),
                                       figures.get("header", 0), figures.get("type", 0),
                                       "%.3f" % figures["corpus_f1"] if "corpus_f1" in figures
                                       else "(no documents)"))
    failed = ["%s %.3f < %.3f" % (k, figures.get(k, 0.0), v) for k, v in sorted(floors.items())
              if k in figures and figures[k] < v]
    if failed:
        print("realworld_accuracy.py: below the floor: " + "; ".join(failed), file=sys.stderr)
        return 1
    print("realworld_accuracy.py: every figure at or above its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
