#!/usr/bin/env python3
"""Extraction accuracy of `billwise analyze` end to end.

usage: accuracy.py --binary PATH [--sets digital,cases,corpus,scans,distorted]
                   [--distortions all|NAME,...] [--samples STEM,...] [--jobs N] [--verbose]
                   [--min-f1 X] [--min-header X] [--min-doctype X] [--json OUT]

Runs `billwise analyze FILE --format json --no-store` on every document of the chosen sets
and compares what it read with the ground truth:

  digital    samples/generated/*.pdf against their *.expected.json
  cases      tests/grammar/cases/<template>/*.txt against their *.expected.json
  corpus     ../shared/corpus documents transcribed in tests/grammar/corpus/*.json
             (line items only; skipped when the corpus is absent)
  scans      the committed scans in samples/scans/ against the PDF they were made from
  distorted  scans made now from samples/generated/*.pdf with pdftoppm and ImageMagick:
             300/200 dpi, turned 0.5-3 degrees, noise, blur, JPEG q60, 1-bit fax TIFF,
             a phone photo (perspective, dark table, uneven light), an image-only PDF

Scores, per set and per document:
  line items   precision, recall and F1; an item matches when its date of service, code,
               quantity and charge are all equal (a key the truth does not list matches
               anything; each read item matches at most one true item)
  header       share of the printed header fields read right: provider name,
               account_number, statement_date, due_date, amount_due, totals (charges,
               insurance_paid, adjustments, patient_paid, patient_responsibility) and the
               collector's name, creditor, itemization and validation end dates; only
               fields the truth gives a value are counted
  doc type     share of documents whose document_type is right

Exit status 1 when a --min-* threshold is missed (each applies to every set run), 2 on a
usage error. Needs python3 only; the distorted set needs pdftoppm and ImageMagick convert.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")

HEADER_KEYS = ["provider.name", "account_number", "statement_date", "due_date", "amount_due",
               "totals.charges", "totals.insurance_paid", "totals.adjustments",
               "totals.patient_paid", "totals.patient_responsibility", "collector.name",
               "collector.creditor", "collector.itemization_date",
               "collector.validation_end_date", "claim_number", "member_id", "collector.reference",
               "collector.original_creditor"]
ITEM_KEYS = ["date", "code", "quantity", "charge"]


# --------------------------------------------------------------------------------------
# Ground truth in one shape: {"document_type", "header": {key: value}, "items": [dict]}.

def get(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def truth_from_bill(j, item_date_key="date_of_service"):
    """A bill-JSON-shaped expectation (samples/generated or a template case)."""
    header = {}
    for key in HEADER_KEYS:
        if key == "provider.name" and "provider" not in j:
            continue
        value = get(j, key)
        if value is not None:
            header[key] = value
    items = None
    if isinstance(j.get("line_items"), list):
        items = []
        for it in j["line_items"]:
            d = {}
            if item_date_key in it:
                d["date"] = it[item_date_key]
            for k in ("code", "quantity", "charge"):
                if k in it:
                    d[k] = it[k]
            items.append(d)
    return {"document_type": j.get("document_type"), "header": header, "items": items}


def truth_from_corpus(j):
    items = [{"date": d, "code": c, "quantity": q, "charge": ch} for d, c, q, ch in j["items"]]
    return {"document_type": None, "header": {}, "items": items}


# --------------------------------------------------------------------------------------
# Comparison.

def norm_text(v):
    return " ".join(str(v).lower().split())


def same(want, got):
    if want is None:
        return got is None
    if isinstance(want, bool) or isinstance(got, bool):
        return want == got
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and round(want * 100) == round(got * 100)
    if isinstance(want, str):
        return isinstance(got, str) and norm_text(want) == norm_text(got)
    return want == got


def read_items(bill):
    out = []
    for it in bill.get("line_items") or []:
        out.append({"date": it.get("date_of_service"), "code": it.get("code"),
                    "quantity": it.get("quantity"), "charge": it.get("charge")})
    return out


def match_items(want, got):
    """Greedy one-to-one matching; returns (matched, unmatched_want, unmatched_got)."""
    used = [False] * len(got)
    missed = []
    matched = 0
    for w in want:
        hit = None
        for i, g in enumerate(got):
            if used[i]:
                continue
            if all(same(w[k], g.get(k)) for k in ITEM_KEYS if k in w):
                hit = i
                break
        if hit is None:
            missed.append(w)
        else:
            used[hit] = True
            matched += 1
    extra = [g for i, g in enumerate(got) if not used[i]]
    return matched, missed, extra


def score(truth, bill):
    s = {"items_want": 0, "items_got": 0, "items_matched": 0, "header_total": 0,
         "header_right": 0, "doctype_total": 0, "doctype_right": 0, "wrong": []}
    if truth["items"] is not None:
        got = read_items(bill)
        m, missed, extra = match_items(truth["items"], got)
        s["items_want"], s["items_got"], s["items_matched"] = len(truth["items"]), len(got), m
        s["wrong"] += [f"missed item {w}" for w in missed] + [f"extra item {g}" for g in extra]
    for key, want in truth["header"].items():
        s["header_total"] += 1
        got = get(bill, key)
        if same(want, got):
            s["header_right"] += 1
        else:
            s["wrong"].append(f"{key}: want {want!r}, got {got!r}")
    if truth["document_type"]:
        s["doctype_total"] = 1
        if bill.get("document_type") == truth["document_type"]:
            s["doctype_right"] = 1
        else:
            s["wrong"].append(f"document_type: want {truth['document_type']}, "
                              f"got {bill.get('document_type')}")
    return s


# --------------------------------------------------------------------------------------
# Documents.

class Doc:
    def __init__(self, set_name, name, path, truth, pages=None, make=None):
        self.set_name, self.name, self.path, self.truth = set_name, name, path, truth
        self.pages = pages  # only these pages of the truth (1-based), None: all
        self.make = make    # shell command that writes `path` first


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def digital_docs():
    gen = os.path.join(ROOT, "samples", "generated")
    docs = []
    for name in sorted(os.listdir(gen)):
        if name.endswith(".pdf"):
            stem = name[:-4]
            truth = truth_from_bill(load_json(os.path.join(gen, stem + ".expected.json")))
            docs.append(Doc("digital", stem, os.path.join(gen, name), truth))
    return docs


def case_docs():
    root = os.path.join(ROOT, "tests", "grammar", "cases")
    docs = []
    for layout in sorted(os.listdir(root)):
        folder = os.path.join(root, layout)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                exp = load_json(os.path.join(folder, name[:-4] + ".expected.json"))
                docs.append(Doc("cases", f"{layout}/{name[:-4]}", os.path.join(folder, name),
                                truth_from_bill(exp, item_date_key="date")))
    return docs


def corpus_docs():
    root = os.path.join(ROOT, "tests", "grammar", "corpus")
    docs = []
    for name in sorted(os.listdir(root)):
        j = load_json(os.path.join(root, name))
        path = os.path.join(SHARED, "corpus", j["source"])
        if os.path.exists(path):
            docs.append(Doc("corpus", name[:-5], path, truth_from_corpus(j)))
    return docs


# Committed scans: file -> (sample it was made from, pages it holds).
COMMITTED_SCANS = {
    "hospital_itemized_p1_300dpi.jpg": ("hospital_itemized", [1]),
    "physician_office_200dpi.png": ("physician_office", None),
    "lab_imaging_200dpi.tif": ("lab_imaging", None),
    "eob_insurer_fax.png": ("eob_insurer", None),
    "hospital_itemized_scan.pdf": ("hospital_itemized", None),
}


def sample_truth(stem):
    gen = os.path.join(ROOT, "samples", "generated")
    return truth_from_bill(load_json(os.path.join(gen, stem + ".expected.json")))


def scan_docs():
    scans = os.path.join(ROOT, "samples", "scans")
    docs = []
    for name, (stem, pages) in COMMITTED_SCANS.items():
        path = os.path.join(scans, name)
        if os.path.exists(path):
            docs.append(Doc("scans", name, path, sample_truth(stem), pages=pages))
    return docs


# Distortions: name -> (file extension, shell command). {pdf} is the source PDF, {out} the
# file to write, {tmp} a scratch prefix. Every command is repeatable (fixed -seed).
IM = "convert -seed 7"
DISTORTIONS = {
    # 300 dpi, turned 0.5 degrees, Gaussian noise, PNG.
    "300dpi_noise": ("png",
                     "pdftoppm -r 300 -gray {pdf} {tmp} && for f in {tmp}*.pgm; do "
                     f"{IM} \"$f\" -background white -rotate 0.5 +repage -attenuate 0.5 "
                     "+noise Gaussian -density 300 -units PixelsPerInch \"${{f%.pgm}}.png\"; "
                     "done && {pack}"),
    # 200 dpi, turned -2 degrees, blurred, JPEG quality 60.
    "200dpi_blur_jpeg": ("jpg",
                         "pdftoppm -r 200 -gray {pdf} {tmp} && for f in {tmp}*.pgm; do "
                         f"{IM} \"$f\" -background white -rotate -2 +repage -blur 0x0.7 "
                         "-quality 60 -density 200 -units PixelsPerInch \"${{f%.pgm}}.jpg\"; "
                         "done && {pack}"),
    # Fax: 200 dpi, 1 bit, turned 1 degree, speckles, Group 4 TIFF (multi-page).
    "fax_tiff": ("tif",
                 "pdftoppm -r 200 -gray {pdf} {tmp} && "
                 f"{IM} {{tmp}}*.pgm -background white -rotate 1 +repage -attenuate 0.1 "
                 "+noise Impulse -threshold 55% -monochrome -compress Group4 -density 200 "
                 "-units PixelsPerInch {out}"),
    # 300 dpi turned 3 degrees, speckled, as an image-only PDF (JPEG pages).
    "scan_pdf_3deg": ("pdf",
                      "pdftoppm -r 300 -gray {pdf} {tmp} && for f in {tmp}*.pgm; do "
                      f"{IM} \"$f\" -background white -rotate 3 +repage -attenuate 1.0 "
                      "+noise Impulse -quality 70 \"${{f%.pgm}}.jpg\"; done && "
                      "python3 " + os.path.join(ROOT, "samples", "scans", "images_to_pdf.py") +
                      " {out} 300 {tmp}*.jpg"),
    # Phone photo: page on a dark table, perspective, light falling off to one side.
    "phone_photo": ("jpg",
                    "pdftoppm -r 300 -gray {pdf} {tmp} && for f in {tmp}*.pgm; do "
                    f"{IM} \"$f\" -bordercolor 'gray(35)' -border 260 "
                    "-virtual-pixel background -background 'gray(35)' "
                    "-distort Perspective '0,0 120,60  3069,0 2950,170  3069,3819 3010,3700  "
                    "0,3819 60,3819' \\( -size 3070x3820 gradient:'gray(100)'-'gray(60)' "
                    "-rotate 90 -resize 3070x3820! \\) -compose Multiply -composite "
                    "-level 0%,75% -colorspace gray -quality 85 \"${{f%.pgm}}.jpg\"; done && "
                    "{pack}"),
}


def distorted_docs(names, tmpdir, only=None):
    gen = os.path.join(ROOT, "samples", "generated")
    docs = []
    stems = sorted(n[:-4] for n in os.listdir(gen) if n.endswith(".pdf"))
    if only:
        stems = [s for s in stems if s in only]
    for stem in stems:
        for dist in names:
            ext, cmd = DISTORTIONS[dist]
            tmp = os.path.join(tmpdir, f"{stem}-{dist}-p")
            out = os.path.join(tmpdir, f"{stem}-{dist}.{ext}")
            # Image formats hold one page: multi-page documents become an image-only PDF.
            pack = (f"n=$(ls {tmp}*.{ext} | wc -l); if [ $n -eq 1 ]; then mv {tmp}*.{ext} {out}; "
                    f"else python3 {os.path.join(ROOT, 'samples', 'scans', 'images_to_pdf.py')}"
                    f" {out}.pdf 300 {tmp}*.{ext} && mv {out}.pdf {out}; fi")
            if ext in ("png",):
                # images_to_pdf.py embeds JPEG only: keep multi-page PNG scans as TIFF.
                pack = (f"n=$(ls {tmp}*.{ext} | wc -l); if [ $n -eq 1 ]; then mv {tmp}*.{ext} "
                        f"{out}; else {IM} {tmp}*.{ext} -compress Zip {out}.tif && "
                        f"mv {out}.tif {out}; fi")
            make = cmd.format(pdf=os.path.join(gen, stem + ".pdf"), tmp=tmp, out=out, pack=pack)
            docs.append(Doc("distorted", f"{stem}/{dist}", out, sample_truth(stem), make=make))
    return docs


# --------------------------------------------------------------------------------------
# Running.

def analyze(binary, path):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    env.setdefault("XDG_DATA_HOME", tempfile.gettempdir())
    r = subprocess.run([binary, "analyze", path, "--format", "json", "--no-store"],
                       capture_output=True, text=True, env=env, timeout=600)
    if r.returncode != 0:
        return None, r.stderr.strip()
    try:
        return json.loads(r.stdout), ""
    except json.JSONDecodeError as e:
        return None, f"bad JSON: {e}"


def restrict_to_pages(doc, bill, digital_bills):
    """Truth items on the given pages: the text layer of the same PDF says which."""
    if doc.pages is None or doc.truth["items"] is None:
        return doc.truth
    stem = COMMITTED_SCANS[doc.name][0]
    digital = digital_bills.get(stem)
    if digital is None:
        return doc.truth
    on_pages = [it for it in digital.get("line_items", [])
                if get(it, "source.page") in doc.pages]
    items, _, _ = [], None, None
    pool = list(doc.truth["items"])
    for it in read_items({"line_items": on_pages}):
        for i, w in enumerate(pool):
            if all(same(w[k], it.get(k)) for k in ITEM_KEYS if k in w):
                items.append(pool.pop(i))
                break
    # A part of the document: totals and due dates may sit on another page.
    header = {k: v for k, v in doc.truth["header"].items()
              if k in ("provider.name", "account_number", "statement_date")}
    return {"document_type": doc.truth["document_type"], "header": header, "items": items}


def run_doc(binary, doc):
    if doc.make:
        r = subprocess.run(["bash", "-c", "set -e; " + doc.make], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(doc.path):
            return doc, None, "could not make the scan: " + r.stderr.strip()[-300:]
    bill, err = analyze(binary, doc.path)
    return doc, bill, err


def add(total, s):
    for k, v in s.items():
        if k != "wrong":
            total[k] = total.get(k, 0) + v


def figures(t):
    p = t["items_matched"] / t["items_got"] if t.get("items_got") else 1.0
    r = t["items_matched"] / t["items_want"] if t.get("items_want") else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    h = t["header_right"] / t["header_total"] if t.get("header_total") else 1.0
    d = t["doctype_right"] / t["doctype_total"] if t.get("doctype_total") else 1.0
    return p, r, f1, h, d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--sets", default="digital,cases,corpus")
    ap.add_argument("--distortions", default="all")
    ap.add_argument("--samples", default="",
                    help="distorted set: only these samples/generated stems (comma-separated)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--min-f1", type=float)
    ap.add_argument("--min-header", type=float)
    ap.add_argument("--min-doctype", type=float)
    ap.add_argument("--json", help="write the per-document scores here")
    a = ap.parse_args()
    if not os.access(a.binary, os.X_OK):
        print(f"accuracy.py: {a.binary}: not an executable", file=sys.stderr)
        return 2
    sets = [s for s in a.sets.split(",") if s]
    dist = list(DISTORTIONS) if a.distortions == "all" else a.distortions.split(",")
    for d in dist:
        if d not in DISTORTIONS:
            print(f"accuracy.py: unknown distortion {d}; known: {', '.join(DISTORTIONS)}",
                  file=sys.stderr)
            return 2
    tmpdir = tempfile.mkdtemp(prefix="billwise_accuracy_")
    try:
        docs = []
        for s in sets:
            if s == "digital":
                docs += digital_docs()
            elif s == "cases":
                docs += case_docs()
            elif s == "corpus":
                docs += corpus_docs()
            elif s == "scans":
                docs += scan_docs()
            elif s == "distorted":
                if not shutil.which("pdftoppm") or not shutil.which("convert"):
                    print("accuracy.py: distorted set skipped (pdftoppm/convert missing)")
                    continue
                docs += distorted_docs(dist, tmpdir, [x for x in a.samples.split(",") if x])
            else:
                print(f"accuracy.py: unknown set {s}", file=sys.stderr)
                return 2
        # Page-restricted scans need the digital reading of their PDF.
        digital_bills = {}
        if any(d.pages for d in docs):
            gen = os.path.join(ROOT, "samples", "generated")
            for stem in {COMMITTED_SCANS[d.name][0] for d in docs if d.pages}:
                digital_bills[stem], _ = analyze(a.binary, os.path.join(gen, stem + ".pdf"))
        results = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for doc, bill, err in ex.map(lambda d: run_doc(a.binary, d), docs):
                results.append((doc, bill, err))
        totals = {}
        failed = False
        report = []
        for doc, bill, err in results:
            if bill is None:
                s = {"items_want": len(doc.truth["items"] or []), "items_got": 0,
                     "items_matched": 0, "header_total": len(doc.truth["header"]),
                     "header_right": 0, "doctype_total": 1 if doc.truth["document_type"] else 0,
                     "doctype_right": 0, "wrong": [f"analyze failed: {err}"]}
            else:
                s = score(restrict_to_pages(doc, bill, digital_bills), bill)
            totals.setdefault(doc.set_name, {})
            add(totals[doc.set_name], s)
            p, r, f1, h, d = figures(s)
            report.append({"set": doc.set_name, "doc": doc.name, "precision": p, "recall": r,
                           "f1": f1, "header": h, "doctype": d, "wrong": s["wrong"]})
            if a.verbose or s["wrong"]:
                print(f"{doc.set_name:9} {doc.name:42} F1 {f1:.3f} (P {p:.3f} R {r:.3f}) "
                      f"header {h:.3f} doctype {d:.0f}")
                for w in s["wrong"][:12 if not a.verbose else 1000]:
                    print(f"    {w}")
        print()
        print(f"{'set':10} {'docs':>4} {'items':>6} {'P':>6} {'R':>6} {'F1':>6} "
              f"{'header':>7} {'doctype':>8}")
        for name, t in totals.items():
            n = sum(1 for doc, _, _ in results if doc.set_name == name)
            p, r, f1, h, d = figures(t)
            print(f"{name:10} {n:4d} {t['items_want']:6d} {p:6.3f} {r:6.3f} {f1:6.3f} "
                  f"{h:7.3f} {d:8.3f}")
            if a.min_f1 is not None and f1 < a.min_f1:
                failed = True
            if a.min_header is not None and h < a.min_header:
                failed = True
            if a.min_doctype is not None and d < a.min_doctype:
                failed = True
        if a.json:
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(report, f, indent=1)
        if failed:
            print("accuracy.py: below the required figures", file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
