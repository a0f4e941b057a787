#!/usr/bin/env python3
"""Builds billwise's data/cms and data/hpt tables from the normalised CMS and
hospital price-transparency CSVs (see data/SOURCES.md for each source).

Usage: trim_refdata.py SOURCE_DIR DATA_DIR

Keeps only the columns the pricing code reads, drops descriptor text for CPT
codes (only HCPCS Level II descriptors are kept), writes values that repeat the
previous row as empty fields, and gzips the large tables (gzip -n, so the output
is byte-for-byte reproducible). The tables billwise looks codes up in are then
packed with `table_pack pack` into the .bwt files shipped in data/ (see
data/SOURCES.md, "Packed tables").
"""
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


def clean_code(code):
    # One Addendum B row carries a stray Latin-1 byte after its code ("A4341\xff").
    return "".join(c for c in code if c.isascii() and c.isalnum())


def is_level2(code):
    return bool(code) and code[0].isalpha() and not code.startswith("D")


def main(src, out):
    cms = os.path.join(out, "cms")
    hpt = os.path.join(out, "hpt")
    os.makedirs(cms, exist_ok=True)
    os.makedirs(hpt, exist_ok=True)

    rvu = read(src, "pfs_rvu_2025_oct.csv")
    cols = ["hcpcs", "modifier", "status_code", "work_rvu", "pe_rvu_nonfac", "pe_nonfac_na_ind",
            "pe_rvu_fac", "pe_fac_na_ind", "mp_rvu", "pctc_ind", "global_days", "mult_proc_ind",
            "bilat_surg_ind"]
    write(os.path.join(cms, "pfs_rvu_2025.csv"), cols, [[r[c] for c in cols] for r in rvu], True)

    for name in ["pfs_gpci_2025.csv", "pfs_gpci_2026.csv", "pfs_localities_2025.csv",
                 "pfs_anesthesia_cf_2025.csv", "pfs_conversion_factors.csv"]:
        rows = read(src, name)
        header = list(rows[0].keys())
        write(os.path.join(cms, name), header, [[r[c] for c in header] for r in rows], False)

    cap = read(src, "pfs_opps_cap_2025_oct.csv")
    rows, prev = [], None
    for r in cap:
        key = (r["hcpcs"], r["modifier"])
        rows.append(["" if key == prev else r["hcpcs"], "" if key == prev else r["modifier"],
                     r["mac"], r["locality"], r["fac_price"], r["nonfac_price"]])
        prev = key
    write(os.path.join(cms, "pfs_opps_cap_2025.csv"),
          ["hcpcs", "modifier", "mac", "locality", "fac_price", "nonfac_price"], rows, True)

    oppsb = read(src, "opps_addendum_b_2025.csv")
    cols = ["hcpcs", "status_ind", "apc", "relative_weight", "payment_rate", "natl_unadj_copay",
            "min_unadj_copay"]
    for r in oppsb:
        r["hcpcs"] = clean_code(r["hcpcs"])
    write(os.path.join(cms, "opps_addendum_b_2025.csv"), cols, [[r[c] for c in cols] for r in oppsb], True)

    hcpcs = read(src, "hcpcs_level2_2025_oct.csv")
    rows = [[r["code"], r["short_desc"], r["long_desc"], r["term_date"]]
            for r in hcpcs if r["kind"] == "code" and is_level2(r["code"])]
    write(os.path.join(cms, "hcpcs_level2_2025.csv"), ["code", "short_desc", "long_desc", "term_date"],
          rows, True)

    zips = read(src, "zip5_carrier_locality_2026q1.csv")
    rows, prev = [], None
    for r in zips:
        key = (r["state"], r["carrier"], r["locality"], r["plus4_flag"])
        rows.append([r["zip5"]] if key == prev else [r["zip5"], *key])
        prev = key
    write(os.path.join(cms, "zip5_locality_2026q1.csv"), ["zip5", "state", "carrier", "locality", "plus4_flag"],
          rows, True)

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
