#!/usr/bin/env python3
"""Hostile names, amounts and sizes through the built program (issue 16 regressions):

- a file name that is not UTF-8 (`Factura_A\\xf1o.pdf`) is read by `analyze`, the dropped-files
  command and `batch` (it used to abort all three with exit 134); the JSON carries the exact
  bytes in `path_bytes`;
- impossible amounts (`1e308`, more than $100 million) are one-line errors at every entry:
  `--gfe`, `import` of a backup, bill JSON given to `letters`; a case file holding such a row
  (written by an older version) still lists (`cases` and `case` used to segfault);
- an existing case file of mode 0644 is made 0600;
- a 40 MB plain-text file is refused by its page count in bounded time and memory (it used to
  take 3.3 GB);
- `batch` gives an unreadable folder and a symlink loop an error row naming the cause, and its
  report links cannot carry a scheme.

Usage: hostile_names_test.py BILLWISE_BINARY SOURCE_DIR"""
import json
import os
import resource
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

LATIN1_NAME = b"Factura_A\xf1o"


def run(binary, args, env, timeout=300):
    return subprocess.run([binary, *args], capture_output=True, timeout=timeout, env=env)


def stderr_lines(result):
    return result.stderr.decode("utf-8", "replace").strip().splitlines()


def killed(result):
    return result.returncode < 0 or result.returncode >= 128


def main():
    binary, source_dir = sys.argv[1], sys.argv[2]
    sample = os.path.join(source_dir, "samples/generated/physician_office.pdf")
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
        print(("ok   " if ok else "FAIL ") + what)

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(folder, "data"),
                   XDG_CONFIG_HOME=os.path.join(folder, "config"), BILLWISE_PROFILE="")
        db = os.path.join(folder, "cases.db")
        base = os.fsencode(folder)

        # --- a name that is not UTF-8 -------------------------------------------------
        bills = os.path.join(base, b"bills")
        os.makedirs(bills)
        latin1 = os.path.join(bills, LATIN1_NAME + b".pdf")
        with open(sample, "rb") as src, open(latin1, "wb") as dst:
            dst.write(src.read())
        analyzed = run(binary, ["--db", db, "analyze", latin1, "--format", "json"], env)
        check(analyzed.returncode == 0, f"analyze of a Latin-1 name: exit {analyzed.returncode} {stderr_lines(analyzed)}")
        if analyzed.returncode == 0:
            bill = json.loads(analyzed.stdout.decode("utf-8"))  # strict UTF-8
            check(bill["source"].get("path_bytes", "").endswith("Factura_A%F1o.pdf"),
                  f"analyze JSON keeps the exact name: {bill['source']}")
        exported = run(binary, ["--db", db, "export", "--format", "json"], env)
        check(exported.returncode == 0 and b"Factura_A%F1o.pdf" in exported.stdout,
              f"export of a case holding the name: exit {exported.returncode} {stderr_lines(exported)}")

        dropped = run(binary, ["--no-store", latin1], env)
        check(dropped.returncode == 0 and os.path.isfile(os.path.join(bills, LATIN1_NAME + b".billwise", b"bill.json")),
              f"dropped file with a Latin-1 name: exit {dropped.returncode} {stderr_lines(dropped)}")

        out = os.path.join(base, b"out")
        batch = run(binary, ["--no-store", "batch", bills, "--out", out, "--jobs", "1", "--html"], env)
        check(batch.returncode == 0, f"batch over a Latin-1 name: exit {batch.returncode} {stderr_lines(batch)}")
        summary_path = os.path.join(out, b"summary.json")
        if os.path.exists(summary_path):
            summary = json.loads(open(summary_path, "rb").read().decode("utf-8"))
            paths = [r.get("path_bytes", r["path"]) for r in summary["rows"]]
            check("Factura_A%F1o.pdf" in paths, f"summary.json names the input exactly: {paths}")
        else:
            check(False, "batch wrote no summary.json")

        # --- amounts ----------------------------------------------------------------
        gfe = run(binary, ["--no-store", "analyze", sample, "--gfe", "1e308"], env)
        check(gfe.returncode == 2 and len(stderr_lines(gfe)) == 1 and "--gfe" in stderr_lines(gfe)[0],
              f"--gfe 1e308: exit {gfe.returncode} {stderr_lines(gfe)}")
        big_gfe = run(binary, ["--no-store", "analyze", sample, "--gfe", "100000000.01"], env)
        check(big_gfe.returncode == 2, f"--gfe over $100 million: exit {big_gfe.returncode}")

        try:
            backup = json.loads(exported.stdout)
        except ValueError:
            backup = None
        check(backup is not None, "export wrote a backup to edit")
        if backup:
            backup["cases"][0]["documents"][0]["bill"]["amount_due"] = 1e308
            backup["cases"][0]["documents"][0]["sha256"] = "0" * 64
            backup_path = os.path.join(folder, "backup.json")
            with open(backup_path, "w") as f:
                json.dump(backup, f)
            fresh_db = os.path.join(folder, "fresh.db")
            imported = run(binary, ["--db", fresh_db, "import", backup_path], env)
            lines = stderr_lines(imported)
            check(imported.returncode == 2 and len(lines) == 1 and "plausible amount" in lines[0],
                  f"import of amount_due 1e308: exit {imported.returncode} {lines}")

        bill_json = os.path.join(folder, "huge.json")
        with open(bill_json, "w") as f:
            f.write('{"schema": "billwise.bill/1", "amount_due": 1e308, "line_items": []}')
        profile = os.path.join(source_dir, "samples/profile.yaml")
        letters = run(binary, ["--no-store", "letters", bill_json, "--kind", "dispute", "--profile", profile,
                               "--out", os.path.join(folder, "letters")], env)
        lines = stderr_lines(letters)
        check(letters.returncode == 2 and len(lines) == 1 and "plausible amount" in lines[0],
              f"letters on bill JSON with 1e308: exit {letters.returncode} {lines}")

        # A row an older version let in: the stored bill says 1e308, the amount column INT64_MIN.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE documents SET json = json_set(json, '$.amount_due', 1e308),"
                         " amount_due_cents = -9223372036854775808")
            conn.execute("INSERT INTO payments (case_id, amount_cents, date) VALUES (1, 9223372036854775807, '2026-01-01')")
        for args in (["cases"], ["cases", "--format", "json"], ["case", "1"], ["due"]):
            listed = run(binary, ["--db", db, *args], env)
            check(listed.returncode == 0, f"{' '.join(args)} with a bad stored row: exit {listed.returncode} "
                                          f"{stderr_lines(listed)}")

        os.chmod(db, 0o644)
        run(binary, ["--db", db, "cases"], env)
        check(stat.S_IMODE(os.stat(db).st_mode) == 0o600,
              f"case file tightened to 0600: {oct(stat.S_IMODE(os.stat(db).st_mode))}")

        # --- a 40 MB plain-text file ------------------------------------------------
        text = os.path.join(folder, "huge.txt")
        line = b"01/05/2026  80053  Comprehensive metabolic panel            245.00\n"
        with open(text, "wb") as f:
            f.write(line * (40 * 1024 * 1024 // len(line)))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.monotonic()
        huge = run(binary, ["--no-store", "analyze", text, "--max-memory", "0"], env)
        seconds = time.monotonic() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        lines = stderr_lines(huge)
        check(huge.returncode == 2 and len(lines) == 1 and "limit" in lines[0],
              f"40 MB text: exit {huge.returncode} {lines}")
        grew = peak_mb > before // 1024
        check(not grew or peak_mb < 1024, f"40 MB text: peak {peak_mb} MB (under 1 GB), {seconds:.1f} s")

        # --- batch: unreadable folder, symlink loop, a folder named like a URL --------
        tree = os.path.join(folder, "tree")
        os.makedirs(os.path.join(tree, "javascript:alert(1)"))
        os.makedirs(os.path.join(tree, "private"))
        with open(sample, "rb") as src:
            data = src.read()
        for rel in ("javascript:alert(1)/a.pdf", "private/b.pdf"):
            with open(os.path.join(tree, rel), "wb") as f:
                f.write(data)
        os.symlink("loop.pdf", os.path.join(tree, "loop.pdf"))
        as_root = os.geteuid() == 0
        os.chmod(os.path.join(tree, "private"), 0)
        try:
            tree_out = os.path.join(folder, "tree-out")
            result = run(binary, ["--no-store", "batch", tree, "--out", tree_out, "--jobs", "1", "--html"], env)
        finally:
            os.chmod(os.path.join(tree, "private"), 0o755)
        check(result.returncode == 1, f"batch with a loop: exit {result.returncode} {stderr_lines(result)}")
        csv = open(os.path.join(tree_out, "summary.csv"), encoding="utf-8").read()
        check("loop.pdf,error" in csv and "symbolic links" in csv, f"symlink loop row: {csv!r}")
        if not as_root:
            check("private,error" in csv and "permission denied" in csv, f"unreadable folder row: {csv!r}")
        html = open(os.path.join(tree_out, "report.html"), encoding="utf-8").read()
        check('href="javascript' not in html and 'href="./javascript%3Aalert%281%29/a/report.html"' in html,
              "report link has no scheme")

    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
