#!/usr/bin/env python3
"""Reading accuracy of `billwise analyze` on bills it has never seen: randomly laid-out ones.

usage: random_accuracy.py --binary PATH [--seed 2026] [--count 520]
                          [--sets digital,scan200,fax,photo] [--scan-count 12] [--jobs 2]
                          [--min SET.METRIC=X ...] [--json OUT] [--keep DIR] [--verbose]

Generates --count files with samples/random_bills.py into a temporary folder (never into the
source tree), renders a fixed subset of --scan-count of them as degraded scans with
samples/degrade.py (scan200, fax, photo), runs `billwise analyze FILE --format json --no-store`
on each, and compares what it read with the truth written beside the file.

Figures, per set (and per kind of document):
  f1       line items: precision, recall and F1 where an item read matches a true one on its
           charge (to the cent) and, where the truth has a code, on the code (as
           ../shared/corpus/realworld-2/score.py does); pooled over the set; items are
           matched within a file, so a file of several documents is scored as one list
  strict   the same with date of service, code, quantity and charge all required
  header   share of the header fields read right where the document prints them: provider
           name, account number, statement date, amount due, under the meanings of
           ../shared/bill-json.md (on an EOB a missing amount_due falls back to
           totals.patient_responsibility, as score.py does)
  other    due date, claim number, member ID, total charges and the collector's name,
           reference, creditor and original creditor (reported, no floor)
  type     share of documents whose document_type is right; a file's documents are paired
           in order with the reader's (an array when it found several)

--min digital.f1=0.9 makes the run fail (exit 1) when a figure is lower; metrics are f1,
strict, header, other and type. Exit 2 on a usage error.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "samples"))
import degrade  # noqa: E402
import random_bills  # noqa: E402

SCAN_KINDS = degrade.KINDS
METRICS = ("f1", "strict", "header", "other", "type")


# --------------------------------------------------------------------------------------
# Comparison.

def norm(s):
    return re.sub(r"[^a-z0-9]", "", (s or "").lower()) if isinstance(s, str) else ""


def norm_code(c):
    return re.sub(r"^CPT\s*", "", (c or "").upper().strip())


def cents(v):
    return round(v * 100) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def get(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def match_items(truth, found, strict=False):
    """Number of read items matching a true one, one-to-one, first on charge and code."""
    used = [False] * len(found)
    taken = [False] * len(truth)
    correct = 0
    for want_code in (True, False):
        for ti, t in enumerate(truth):
            if taken[ti]:
                continue
            for i, f in enumerate(found):
                if used[i] or cents(f.get("charge")) is None or \
                        cents(f["charge"]) != cents(t["charge"]):
                    continue
                code_ok = not t.get("code") or norm_code(f.get("code")) == norm_code(t["code"])
                if want_code and not (t.get("code") and code_ok):
                    continue
                if strict and not (f.get("date_of_service") == t.get("date_of_service") and
                                   f.get("quantity") == t.get("quantity")):
                    continue
                used[i] = taken[ti] = True
                correct += 1 if code_ok else 0
                break
    return correct


def provider_ok(want, got):
    w, g = norm(want), norm(got)
    return bool(w and g and (w in g or g in w) and min(len(w), len(g)) >= 4)


def header_checks(t, r):
    """[(field, right?)] for the four header fields the truth gives a value."""
    out = []
    if get(t, "provider.name"):
        out.append(("provider", provider_ok(get(t, "provider.name"), get(r, "provider.name"))))
    if t.get("account_number"):
        out.append(("account_number", norm(r.get("account_number")) == norm(t["account_number"])))
    if t.get("statement_date"):
        out.append(("statement_date", r.get("statement_date") == t["statement_date"]))
    if t.get("amount_due") is not None:
        got = r.get("amount_due")
        if got is None and t["document_type"] == "eob":
            got = get(r, "totals.patient_responsibility")
        out.append(("amount_due", cents(got) is not None and cents(got) == cents(t["amount_due"])))
    return out


OTHER_TEXT = ("claim_number", "member_id", "collector.name", "collector.reference",
              "collector.creditor", "collector.original_creditor")


def other_checks(t, r):
    out = []
    if t.get("due_date"):
        out.append(("due_date", r.get("due_date") == t["due_date"]))
    if get(t, "totals.charges") is not None:
        out.append(("totals.charges", cents(get(r, "totals.charges")) ==
                    cents(get(t, "totals.charges"))))
    for key in OTHER_TEXT:
        if get(t, key):
            want, got = get(t, key), get(r, key)
            ok = provider_ok(want, got) if key.endswith(("name", "creditor")) else \
                norm(want) == norm(got)
            out.append((key, ok))
    return out


def score_file(truths, read):
    """Counts for one file: truths and read are lists of bill objects (read may be [])."""
    s = collections.Counter()
    t_items = [it for t in truths for it in t["line_items"]]
    r_items = [it for r in read for it in (r.get("line_items") or [])]
    s["items_want"], s["items_got"] = len(t_items), len(r_items)
    s["items_right"] = match_items(t_items, r_items)
    s["strict_right"] = match_items(t_items, r_items, strict=True)
    wrong = []
    for k, t in enumerate(truths):
        r = read[k] if k < len(read) else {}
        for name, ok in header_checks(t, r):
            s["header_total"] += 1
            s["header_right"] += ok
            if not ok:
                wrong.append("doc %d %s: want %r, got %r" % (k, name, get(t, name) if name !=
                                                            "provider" else get(t, "provider.name"),
                                                            get(r, name) if name != "provider"
                                                            else get(r, "provider.name")))
        for name, ok in other_checks(t, r):
            s["other_total"] += 1
            s["other_right"] += ok
        s["type_total"] += 1
        s["type_right"] += r.get("document_type") == t["document_type"]
        if r.get("document_type") != t["document_type"]:
            wrong.append("doc %d document_type: want %s, got %s" % (k, t["document_type"],
                                                                   r.get("document_type")))
    if len(read) != len(truths):
        wrong.append("%d documents read, %d in the file" % (len(read), len(truths)))
    return s, wrong


def figures(s):
    p = s["items_right"] / s["items_got"] if s["items_got"] else (1.0 if not s["items_want"]
                                                                  else 0.0)
    r = s["items_right"] / s["items_want"] if s["items_want"] else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    sp = s["strict_right"] / s["items_got"] if s["items_got"] else (1.0 if not s["items_want"]
                                                                    else 0.0)
    sr = s["strict_right"] / s["items_want"] if s["items_want"] else 1.0
    strict = 2 * sp * sr / (sp + sr) if sp + sr else 0.0

    def share(right, total):
        return s[right] / s[total] if s[total] else 1.0
    return {"f1": f1, "strict": strict, "header": share("header_right", "header_total"),
            "other": share("other_right", "other_total"), "type": share("type_right", "type_total"),
            "p": p, "r": r}


# --------------------------------------------------------------------------------------
# Running.

def analyze(binary, path, env):
    try:
        r = subprocess.run([binary, "analyze", path, "--format", "json", "--no-store"],
                           capture_output=True, text=True, env=env, timeout=600)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]
    try:
        out = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        return None, "bad JSON: %s" % e
    return (out if isinstance(out, list) else [out]), ""


def scan_subset(names, n):
    """n files for the scan sets, the same for every scan kind: the kinds of document taken in
    turn, most frequent first, the first unused file of each (so 9 kinds and n=12 give one of
    each and a second of the three most frequent)."""
    by_kind = collections.defaultdict(list)
    for name in names:
        by_kind[kind_of(name)].append(name)
    order = sorted(by_kind, key=lambda k: (-len(by_kind[k]), k))
    picked = []
    while len(picked) < min(n, len(names)):
        for k in order:
            if by_kind[k] and len(picked) < n:
                picked.append(by_kind[k].pop(0))
    return sorted(picked)


def kind_of(name):
    return name.split("_", 1)[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", type=int, default=520)
    ap.add_argument("--sets", default="digital," + ",".join(SCAN_KINDS))
    ap.add_argument("--scan-count", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min", action="append", default=[], metavar="SET.METRIC=X")
    ap.add_argument("--json", help="write per-file results here")
    ap.add_argument("--keep", help="generate into this folder and keep it")
    ap.add_argument("--verbose", "-v", action="store_true")
    a = ap.parse_args()
    if not os.access(a.binary, os.X_OK):
        print("random_accuracy.py: %s: not an executable" % a.binary, file=sys.stderr)
        return 2
    sets = [s for s in a.sets.split(",") if s]
    for s in sets:
        if s != "digital" and s not in SCAN_KINDS:
            print("random_accuracy.py: unknown set %s" % s, file=sys.stderr)
            return 2
    floors = {}
    for m in a.min:
        key, _, value = m.partition("=")
        set_name, _, metric = key.partition(".")
        if set_name not in sets or metric not in METRICS or not value:
            print("random_accuracy.py: bad --min %s (sets: %s; metrics: %s)"
                  % (m, ",".join(sets), ",".join(METRICS)), file=sys.stderr)
            return 2
        floors[(set_name, metric)] = float(value)
    scans = [s for s in sets if s in SCAN_KINDS]
    if scans and not (shutil.which("pdftoppm") and shutil.which("convert")):
        print("random_accuracy.py: scan sets skipped (pdftoppm or ImageMagick convert missing)")
        sets = [s for s in sets if s not in SCAN_KINDS]
        scans = []
        floors = {k: v for k, v in floors.items() if k[0] in sets}

    work = a.keep or tempfile.mkdtemp(prefix="billwise_random_")
    env = dict(os.environ, OMP_THREAD_LIMIT="1", XDG_DATA_HOME=os.path.join(work, ".data"),
               XDG_CONFIG_HOME=os.path.join(work, ".config"))
    try:
        gen = os.path.join(work, "digital")
        names = random_bills.generate(gen, a.seed, a.count)
        truths = {}
        for n in names:
            with open(os.path.join(gen, n + ".expected.json"), encoding="utf-8") as f:
                t = json.load(f)
            truths[n] = t if isinstance(t, list) else [t]
        jobs = []  # (set, name, path or None, how to make it)
        if "digital" in sets:
            jobs += [("digital", n, os.path.join(gen, n + ".pdf")) for n in names]
        subset = scan_subset(names, a.scan_count)
        for kind in scans:
            folder = os.path.join(work, kind)
            os.makedirs(folder, exist_ok=True)
            jobs += [(kind, n, os.path.join(folder, n)) for n in subset]

        def run(job):
            set_name, name, path = job
            if set_name != "digital":
                try:
                    path = degrade.degrade(set_name, os.path.join(gen, name + ".pdf"), path,
                                           a.seed)
                except RuntimeError as e:
                    return job, None, "could not make the scan: %s" % e
            read, err = analyze(a.binary, path, env)
            return job, read, err

        totals = collections.defaultdict(collections.Counter)
        by_kind = collections.defaultdict(collections.Counter)
        rows = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for (set_name, name, _), read, err in ex.map(run, jobs):
                s, wrong = score_file(truths[name], read or [])
                if read is None:
                    wrong.insert(0, "analyze failed: %s" % err)
                totals[set_name].update(s)
                by_kind[(set_name, kind_of(name))].update(s)
                fig = figures(s)
                rows.append({"set": set_name, "file": name, "wrong": wrong, **fig})
                if a.verbose:
                    print("%-8s %-24s F1 %.3f header %.3f type %.3f" % (
                        set_name, name, fig["f1"], fig["header"], fig["type"]))
                    for w in wrong[:8]:
                        print("    " + w)

        print("\nby kind of document:")
        print("%-8s %-22s %5s %6s %6s %6s %7s" % ("set", "kind", "files", "items", "F1",
                                                 "header", "type"))
        for (set_name, kind), s in sorted(by_kind.items()):
            fig = figures(s)
            n = sum(1 for r in rows if r["set"] == set_name and kind_of(r["file"]) == kind)
            print("%-8s %-22s %5d %6d %6.3f %6.3f %7.3f" % (set_name, kind, n, s["items_want"],
                                                           fig["f1"], fig["header"], fig["type"]))
        print("\n%-8s %5s %6s %6s %6s %6s %6s %7s %6s %6s" % (
            "set", "files", "items", "P", "R", "F1", "strict", "header", "other", "type"))
        failed = []
        for set_name in sets:
            s = totals[set_name]
            fig = figures(s)
            n = sum(1 for r in rows if r["set"] == set_name)
            print("%-8s %5d %6d %6.3f %6.3f %6.3f %6.3f %7.3f %6.3f %6.3f" % (
                set_name, n, s["items_want"], fig["p"], fig["r"], fig["f1"], fig["strict"],
                fig["header"], fig["other"], fig["type"]))
            for metric in METRICS:
                floor = floors.get((set_name, metric))
                if floor is not None and fig[metric] < floor:
                    failed.append("%s.%s %.3f < %.3f" % (set_name, metric, fig[metric], floor))
        if a.json:
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(rows, f, indent=1)
        if failed:
            print("random_accuracy.py: below the floor: " + "; ".join(failed), file=sys.stderr)
            return 1
        print("random_accuracy.py: every figure at or above its floor (%s)"
              % (", ".join("%s.%s>=%.2f" % (k[0], k[1], v) for k, v in sorted(floors.items()))
                 or "no floors given"))
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
