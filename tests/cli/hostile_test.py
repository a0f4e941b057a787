#!/usr/bin/env python3
"""Feeds every file of the generated hostile set to `billwise analyze` and checks the
contract: each run ends by itself within the time limit, is never killed by a signal,
and either succeeds (exit 0, JSON on stdout) or fails with exit 2 and exactly one
stderr line of the form `billwise: FILE: reason`.

Usage: hostile_test.py BILLWISE_BINARY SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile

TIME_LIMIT_SECONDS = 120


def main():
    binary, source_dir = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, os.path.join(source_dir, "tests/hostile/make_hostile.py"), folder], check=True)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            before = open(path, "rb").read()
            try:
                run = subprocess.run([binary, "analyze", path, "--format", "json", "--no-store"], capture_output=True,
                                     timeout=TIME_LIMIT_SECONDS)
            except subprocess.TimeoutExpired:
                failures.append(f"{name}: no answer within {TIME_LIMIT_SECONDS} s")
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
            print(f"{name}: exit {run.returncode} {stderr[0] if stderr else ''}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
