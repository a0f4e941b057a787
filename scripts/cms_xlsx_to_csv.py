#!/usr/bin/env python3
"""Converts the first sheet of a CMS .xlsx release to CSV, dropping named columns.

Usage: scripts/cms_xlsx_to_csv.py IN.xlsx OUT.csv [--drop COLUMN]...

CMS publishes some fee schedules (CLFS, DMEPOS, PEN) only as workbooks. billwise ships
them in data/cms as CSV: every row of the sheet, preamble and header included, cell text
as Excel stores it (numbers in their stored form), with the columns named by --drop removed
from the header row on (used to strip AMA CPT descriptor columns). Uses only the Python
standard library (an .xlsx file is a zip of XML parts).
"""
import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for c in letters:
        n = n * 26 + ord(c) - ord("A") + 1
    return n - 1


def read_rows(path):
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        for row in sheet.iter("{%s}row" % NS["m"]):
            cells = {}
            for c in row.findall("m:c", NS):
                kind = c.get("t")
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
                else:
                    v = c.find("m:v", NS)
                    text = "" if v is None else (v.text or "")
                    if kind == "s" and text:
                        text = shared[int(text)]
                cells[column_index(c.get("r"))] = text
            width = max(cells) + 1 if cells else 0
            yield [cells.get(i, "") for i in range(width)]


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    src, dst, drop = argv[1], argv[2], []
    rest = argv[3:]
    while rest:
        if rest[0] != "--drop" or len(rest) < 2:
            sys.exit(__doc__)
        drop.append(rest[1])
        rest = rest[2:]
    rows = list(read_rows(src))
    dropped = set()
    for row in rows:  # the header row: the first holding every dropped name
        if all(name in [c.strip() for c in row] for name in drop):
            dropped = {i for i, c in enumerate(row) if c.strip() in drop}
            break
    else:
        if drop:
            sys.exit(f"{src}: no header row names all of {drop}")
    with open(dst, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        for row in rows:
            w.writerow([c for i, c in enumerate(row) if i not in dropped])


if __name__ == "__main__":
    main(sys.argv)
