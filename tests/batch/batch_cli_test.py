#!/usr/bin/env python3
"""End-to-end tests of `billwise batch`, `billwise merge` and `billwise FILE...` on the built
binary with the real pipeline.

Usage: batch_cli_test.py BILLWISE_BINARY SOURCE_DIR CASE
CASE: hostile | resume | shard | drop. Exit 0 pass, 1 fail, 77 skip (no good bills to use).

Good bills are samples/generated/*.pdf (else PDFs from ../shared/corpus); hostile files are
made at test time: a zero-byte file, a truncated PDF, an encrypted PDF (qpdf), a PNG named
.pdf (pdftoppm) and a 300-page blank PDF."""
import csv
import glob
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)


def good_bills(source_dir):
    bills = sorted(glob.glob(os.path.join(source_dir, "samples/generated/*.pdf")))
    if not bills:
        bills = sorted(glob.glob(os.path.join(source_dir, "../shared/corpus/clearbill-ai/*.pdf")))
    return bills


def blank_pdf(path, pages):
    """A minimal valid PDF with `pages` empty US Letter pages."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % (3 + i) for i in range(pages)), pages)]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i + 1, body.encode()))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    with open(path, "wb") as f:
        f.write(out.getvalue())


def make_hostile(folder, sample):
    data = open(sample, "rb").read()
    open(os.path.join(folder, "empty.pdf"), "wb").close()
    with open(os.path.join(folder, "truncated.pdf"), "wb") as f:
        f.write(data[: len(data) // 2])
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", sample,
                    os.path.join(folder, "encrypted.pdf")], check=True)
    prefix = os.path.join(folder, "page")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", sample, prefix], check=True)
    os.rename(prefix + ".png", os.path.join(folder, "png-named.pdf"))
    blank_pdf(os.path.join(folder, "blank-300-pages.pdf"), 300)


def read_summary(out):
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def run(binary, *args, **kw):
    return subprocess.run([binary, *args], capture_output=True, text=True, **kw)


def case_hostile(binary, bills, tmp):
    src = os.path.join(tmp, "in")
    os.makedirs(os.path.join(src, "good"))
    for b in bills:
        shutil.copy(b, os.path.join(src, "good"))
    make_hostile(src, bills[0])
    before = {p: hashlib.sha256(open(p, "rb").read()).hexdigest()
              for p in glob.glob(os.path.join(src, "**/*"), recursive=True) if os.path.isfile(p)}
    out = os.path.join(tmp, "out")
    r = run(binary, "batch", src, "--out", out, "--jobs", "2", "--html", "--progress", "lines")
    print(r.stderr[-2000:])
    check(r.returncode == 1, f"exit code {r.returncode}, want 1")
    rows = read_summary(out)
    check(len(rows) == len(bills) + 5, f"{len(rows)} rows for {len(bills) + 5} inputs")
    for name in ["empty.pdf", "truncated.pdf", "encrypted.pdf", "blank-300-pages.pdf"]:
        row = rows.get(name)
        check(row is not None and row["status"] == "error" and row["error"], f"{name}: want an error row, got {row}")
    enc = rows.get("encrypted.pdf", {})
    check("encrypted" in enc.get("error", ""), f"encrypted.pdf reason: {enc.get('error')}")
    # A PNG named .pdf is a PNG (sniffed by content): a page image of a good bill reads as a bill.
    png = rows.get("png-named.pdf", {})
    check(png.get("status") == "ok", f"png-named.pdf: {png}")
    for b in bills:
        rel = "good/" + os.path.basename(b)
        row = rows.get(rel, {})
        check(row.get("status") == "ok", f"{rel}: {row}")
        stem = os.path.join(out, "good", os.path.splitext(os.path.basename(b))[0])
        check(os.path.isfile(os.path.join(stem, "bill.json")), f"{rel}: no bill.json")
        check(os.path.isfile(os.path.join(stem, "report.html")), f"{rel}: no report.html")
    for name in ["summary.json", "report.html"]:
        check(os.path.isfile(os.path.join(out, name)), f"no {name}")
    after = {p: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in before}
    check(before == after, "inputs were modified")


def case_resume(binary, bills, tmp):
    src = os.path.join(tmp, "in")
    os.makedirs(src)
    for i in range(6):
        for b in bills:
            shutil.copy(b, os.path.join(src, f"{i}-{os.path.basename(b)}"))
    open(os.path.join(src, "empty.pdf"), "wb").close()
    clean, killed = os.path.join(tmp, "clean"), os.path.join(tmp, "killed")
    r = run(binary, "batch", src, "--out", clean, "--jobs", "2", "--letters", "--progress", "none")
    check(r.returncode == 1, f"uninterrupted run: exit {r.returncode}")
    proc = subprocess.Popen([binary, "batch", src, "--out", killed, "--jobs", "2", "--letters", "--progress", "none"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and len(glob.glob(os.path.join(killed, "*/result.json"))) < 5:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(glob.glob(os.path.join(killed, "*/result.json")))
    if os.path.exists(os.path.join(killed, "summary.csv")):
        print("SKIP: the run finished before it could be killed")
        return SKIP
    check(0 < done < len(os.listdir(src)), f"{done} inputs done when killed")
    r = run(binary, "batch", src, "--out", killed, "--jobs", "2", "--letters", "--resume", "--progress", "lines")
    check(r.returncode == 1, f"resumed run: exit {r.returncode}")
    check("resuming" in r.stderr, "the resumed run reused nothing")
    for name in ["summary.csv", "summary.json", "report.html"]:
        check(open(os.path.join(clean, name), "rb").read() == open(os.path.join(killed, name), "rb").read(),
              f"{name} differs between the uninterrupted and the killed-then-resumed run")
    check(not glob.glob(os.path.join(killed, "**/.*.tmp-*"), recursive=True), "temporary files left behind")


def case_shard(binary, bills, tmp):
    src = os.path.join(tmp, "in")
    for i in range(3):
        os.makedirs(os.path.join(src, f"d{i}"))
        for b in bills:
            shutil.copy(b, os.path.join(src, f"d{i}"))
    whole = os.path.join(tmp, "whole")
    run(binary, "batch", src, "--out", whole, "--progress", "none")
    shards = []
    for k in range(3):
        out = os.path.join(tmp, "shards", f"s{k}")
        r = run(binary, "batch", src, "--out", out, "--shard", f"{k}/3", "--progress", "none")
        check(r.returncode == 0, f"shard {k}/3: exit {r.returncode} {r.stderr}")
        shards.append(out)
    seen = []
    for s in shards:
        seen += list(read_summary(s))
    check(sorted(seen) == sorted(read_summary(whole)), "shards do not cover every input exactly once")
    merged = os.path.join(tmp, "shards", "all")
    r = run(binary, "merge", *shards, "--out", merged)
    check(r.returncode == 0, f"merge: exit {r.returncode} {r.stderr}")
    check(open(os.path.join(merged, "summary.csv"), "rb").read() == open(os.path.join(whole, "summary.csv"), "rb").read(),
          "merged summary.csv differs from the unsharded one")
    r = run(binary, "merge", shards[0], shards[2], "--out", os.path.join(tmp, "partial"))
    check(r.returncode == 1 and "shard 1/3 is missing" in r.stderr, f"partial merge: {r.returncode} {r.stderr}")


def case_drop(binary, bills, tmp):
    good = os.path.join(tmp, "My Bill.pdf")
    shutil.copy(bills[0], good)
    bad = os.path.join(tmp, "broken.pdf")
    with open(bad, "wb") as f:
        f.write(b"%PDF-1.7\n garbage")
    digest = hashlib.sha256(open(good, "rb").read()).hexdigest()
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"), HOME=tmp)
    r = run(binary, good, bad, env=env)
    check(r.returncode == 1, f"exit {r.returncode}")
    folder = os.path.join(tmp, "My Bill.billwise")
    check(folder in r.stdout, f"stdout does not say where it wrote: {r.stdout!r}")
    check(r.stderr.startswith(f"billwise: {bad}: "), f"stderr: {r.stderr!r}")
    for name in ["report.html", "bill.json"]:
        check(os.path.isfile(os.path.join(folder, name)), f"no {name}")
    letters = glob.glob(os.path.join(folder, "letter-*.pdf"))
    check(letters, "no letters")
    for letter in letters:
        check(open(letter, "rb").read(5) == b"%PDF-", f"{letter} is not a PDF")
    check(hashlib.sha256(open(good, "rb").read()).hexdigest() == digest, "the input was modified")
    # With a profile in the XDG location, its name goes into the letters' data.
    os.makedirs(os.path.join(tmp, "config", "billwise"))
    shutil.copy(os.path.join(SOURCE, "samples/profile.yaml"), os.path.join(tmp, "config", "billwise", "profile.yaml"))
    r = run(binary, good, env=env)
    check(r.returncode == 0, f"with profile: exit {r.returncode} {r.stderr}")
    bill = open(os.path.join(folder, "bill.json")).read()
    check('"plan": {' in bill or '"plan": null' not in bill, "no plan with a profile")


if __name__ == "__main__":
    binary, SOURCE, case = sys.argv[1], sys.argv[2], sys.argv[3]
    bills = good_bills(SOURCE)
    if not bills:
        print("SKIP: no good bills (samples/generated or ../shared/corpus)")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as tmp:
        rc = {"hostile": case_hostile, "resume": case_resume, "shard": case_shard, "drop": case_drop}[case](
            binary, bills, tmp)
    if failures:
        sys.exit(1)
    sys.exit(rc or 0)
