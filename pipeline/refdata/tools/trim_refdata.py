#!/usr/bin/env python3
"""Builds billwise's data/cms, data/ncci and data/hpt tables from the normalised CMS
and hospital price-transparency CSVs (see data/SOURCES.md for each source).

Usage: trim_refdata.py SOURCE_DIR DATA_DIR

The CMS code tables (PFS RVUs, OPPS caps, OPPS Addendum B, HCPCS Level II, ZIP
localities, NCCI MUE and PTP) are kept in their CSV form, every column and row,
gzip-compressed (no name, no timestamp: byte-for-byte reproducible); their
descriptor columns hold HCPCS Level II text only (no CPT text). The build loads
them into the reference database (data/cms/releases.csv). The small locality
tables are copied as they are; the hospital slice keeps the columns billwise
reads, with values that repeat the previous row written as empty fields.
"""
import shutil
import csv
import gzip
import io
import os
import sys


def read(src, name):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(path, header, rows, compress):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if compress:
        with open(path + ".gz", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
                gz.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def main(src, out):
    cms = os.path.join(out, "cms")
    hpt = os.path.join(out, "hpt")
    os.makedirs(cms, exist_ok=True)
    os.makedirs(hpt, exist_ok=True)

    ncci = os.path.join(out, "ncci")
    os.makedirs(ncci, exist_ok=True)
    for name, folder, target in [
            ("pfs_rvu_2025_oct.csv", cms, "pfs_rvu_2025.csv.gz"),
            ("pfs_opps_cap_2025_oct.csv", cms, "pfs_opps_cap_2025.csv.gz"),
            ("opps_addendum_b_2025.csv", cms, "opps_addendum_b_2025.csv.gz"),
            ("hcpcs_level2_2025_oct.csv", cms, "hcpcs_level2_2025.csv.gz"),
            ("zip5_carrier_locality_2026q1.csv", cms, "zip5_locality_2026q1.csv.gz"),
            ("ncci_mue_2024q3.csv", ncci, "mue_2024q3.csv.gz"),
            ("ncci_mue_practitioner_mai3_2026q2.csv", ncci, "mue_practitioner_mai3_2026q2.csv.gz"),
            ("ncci_mue_practitioner_excerpt_2026q3.csv", ncci, "mue_practitioner_excerpt_2026q3.csv.gz"),
            ("ncci_ptp_active_2024q3.csv", ncci, "ptp_2024q3.csv.gz")]:
        with open(os.path.join(src, name), "rb") as f, open(os.path.join(folder, target), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
                shutil.copyfileobj(f, gz)

    for name in ["pfs_gpci_2025.csv", "pfs_gpci_2026.csv", "pfs_localities_2025.csv",
                 "pfs_anesthesia_cf_2025.csv", "pfs_conversion_factors.csv"]:
        rows = read(src, name)
        header = list(rows[0].keys())
        write(os.path.join(cms, name), header, [[r[c] for c in header] for r in rows], False)

    hospitals = read(src, "hpt_hospitals.csv")
    write(os.path.join(hpt, "hpt_hospitals.csv"), ["ccn", "state", "hospital_name", "mrf_url"],
          sorted([[r["ccn"], r["state"], r["hospital_name"], r["mrf_url"]] for r in hospitals]), True)

    def blank_if(a, b):
        return "" if a == b else a

    sl = sorted(read(src, "hpt_gross_cash_slice.csv"), key=lambda r: (r["ccn"], r["code"]))
    rows, prev = [], None
    for r in sl:
        rows.append([blank_if(r["ccn"], prev), r["code"], r["gross_min"],
                     blank_if(r["gross_max"], r["gross_min"]), r["cash_min"],
                     blank_if(r["cash_max"], r["cash_min"])])
        prev = r["ccn"]
    write(os.path.join(hpt, "hpt_cash_slice.csv"), ["ccn", "code", "gross_min", "gross_max", "cash_min", "cash_max"],
          rows, True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
