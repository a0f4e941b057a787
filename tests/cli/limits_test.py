#!/usr/bin/env python3
"""The per-file limits of `billwise analyze` end in a clear one-line error (exit 2,
`billwise: FILE: reason`), and generous limits change nothing.

Usage: limits_test.py BILLWISE_BINARY SOURCE_DIR [--sanitizer]

With --sanitizer (an ASan build, which cannot cap its address space) the memory cap is not
expected to bite; the child-process path of --max-memory is still checked."""
import json
import os
import subprocess
import sys
import tempfile


def run(binary, args, env):
    return subprocess.run([binary, "analyze", *args, "--format", "json", "--no-store"], capture_output=True,
                          timeout=600, env=env)


def one_line_error(result, path):
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return result.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"billwise: {path}: ")


def main():
    binary, source_dir = sys.argv[1], sys.argv[2]
    sanitizer = "--sanitizer" in sys.argv[3:]
    sample = os.path.join(source_dir, "samples/generated/physician_office.pdf")
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(folder, "data"))
        ok = run(binary, [sample, "--max-memory", "8192", "--max-pages", "5"], env)
        if ok.returncode != 0 or json.loads(ok.stdout).get("schema") != "billwise.bill/1":
            failures.append(f"generous limits: exit {ok.returncode} {ok.stderr!r}")

        pages = run(binary, [sample, "--max-pages", "1"], env)
        n = json.loads(ok.stdout)["source"]["pages"] if ok.returncode == 0 else 0
        if n > 1 and not one_line_error(pages, sample):
            failures.append(f"--max-pages 1 on {n} pages: exit {pages.returncode} {pages.stderr!r}")

        if not sanitizer:
            # 24 MB cannot hold the reference tables, let alone a rendered page.
            tight = run(binary, [sample, "--max-memory", "24"], env)
            if not one_line_error(tight, sample):
                failures.append(f"--max-memory 24: exit {tight.returncode} {tight.stderr!r}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
