#!/usr/bin/env python3
"""Feeds every file of the generated hostile set to `billwise analyze` and checks the
contract: each run ends by itself within the time limit, is never killed by a signal,
stays under a peak memory bound, and either succeeds (exit 0, JSON on stdout) or fails
with exit 2 and exactly one stderr line of the form `billwise: FILE: reason`.

Usage: hostile_test.py BILLWISE_BINARY SOURCE_DIR [--time-limit SECONDS] [--ocr MODE]

The sanitizer build passes a longer time limit and --ocr never: under ASan the OCR of
every scanned hostile page would take most of the suite's time, and the sanitizers watch
billwise's own code, which runs either way (the OCR path has its own tests)."""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

TIME_LIMIT_SECONDS = 120
# Peak resident memory any one run may reach (a sanitizer build roughly doubles it).
MEMORY_LIMIT_MB = 4096


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("source_dir")
    parser.add_argument("--time-limit", type=int, default=TIME_LIMIT_SECONDS)
    parser.add_argument("--ocr", default="auto")
    args = parser.parse_args()
    binary, source_dir, limit = args.binary, args.source_dir, args.time_limit
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        inputs = os.path.join(folder, "in")
        subprocess.run([sys.executable, os.path.join(source_dir, "tests/hostile/make_hostile.py"), inputs], check=True)
        # Nothing outside the temporary folder is touched, even if --no-store were ignored.
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(folder, "data"), XDG_CONFIG_HOME=os.path.join(folder, "config"))
        peak_mb = 0
        for name in sorted(os.listdir(inputs)):
            path = os.path.join(inputs, name)
            before = open(path, "rb").read()
            start = time.monotonic()
            try:
                run = subprocess.run([binary, "analyze", path, "--format", "json", "--no-store", "--ocr", args.ocr],
                                     capture_output=True, timeout=limit, env=env)
            except subprocess.TimeoutExpired:
                failures.append(f"{name}: no answer within {limit} s")
                continue
            stderr = run.stderr.decode("utf-8", "replace").strip().splitlines()
            if run.returncode < 0 or run.returncode >= 128:
                failures.append(f"{name}: killed by a signal (exit {run.returncode})")
            elif run.returncode == 2:
                if len(stderr) != 1 or not stderr[0].startswith(f"billwise: {path}: ") or \
                        len(stderr[0]) <= len(f"billwise: {path}: "):
                    failures.append(f"{name}: error is not one line naming the file: {stderr!r}")
            elif run.returncode == 0:
                try:
                    bill = json.loads(run.stdout)
                    if bill.get("schema") != "billwise.bill/1":
                        failures.append(f"{name}: exit 0 without a bill")
                except json.JSONDecodeError:
                    failures.append(f"{name}: exit 0 with invalid JSON")
            else:
                failures.append(f"{name}: unexpected exit {run.returncode}: {stderr!r}")
            if open(path, "rb").read() != before:
                failures.append(f"{name}: the input was modified")
            # ru_maxrss of the children is the largest any child reached so far: when it grows,
            # this run set it.
            children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
            grew = children_mb > peak_mb
            peak_mb = max(peak_mb, children_mb)
            if grew and children_mb > MEMORY_LIMIT_MB:
                failures.append(f"{name}: peak memory {children_mb} MB over {MEMORY_LIMIT_MB} MB")
            print(f"{name}: exit {run.returncode} in {time.monotonic() - start:.1f} s {stderr[-1] if stderr else ''}" +
                  (f" [peak {children_mb} MB]" if grew else ""))
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
