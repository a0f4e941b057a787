#!/usr/bin/env python3
"""`billwise analyze` on files holding several documents, and on what it cannot read.

- A file holding an itemization and then the insurer's EOB page prints a JSON array of two
  bills with --format json, each with its own type, the cues that decided it, and
  read_quality; the text report prints both.
- One document prints one object (not an array).
- A statement whose items do not add up to its printed total is `partial`, and its math
  finding is an `info` note to check by hand, never an error.
- A file with nothing bill-like in it is `unreadable` with a reason, and no item is made up.

Usage: documents_test.py BILLWISE_BINARY"""
import json
import os
import subprocess
import sys
import tempfile

ITEMIZATION = """RIVERBEND REGIONAL HOSPITAL
ITEMIZED STATEMENT                         THIS IS NOT A BILL
Patient Account: 884120                    Statement Date: 03/02/2026

Date        Rev    CPT      Description                  Qty      Charges
02/11/2026  0450   99284    ER visit level 4               1     2,450.00
02/11/2026  0300   80053    Metabolic panel                1       120.00
                                              Total Charges:    2,570.00
                                              Amount Due:       2,570.00
"""

EOB = """NORTHSTAR HEALTH PLAN
EXPLANATION OF BENEFITS                    THIS IS NOT A BILL
Member:   Dana R. Whitfield                 Member ID:     NSH448120977
Provider: Riverbend Regional Hospital       Claim Number:  2026-0418-55102
Patient Account Number: 884120              Date Processed: 03/20/2026
Statement Date: 03/22/2026

Service Date   Procedure   Billed       Allowed      Plan Paid   Patient Responsibility
02/11/2026     99284       $2,450.00    $900.00      $800.00     $100.00
02/11/2026     80053       $120.00      $20.00       $20.00      $0.00
Totals                     $2,570.00    $920.00      $820.00     $100.00
"""

SHORT = ITEMIZATION.replace("Total Charges:    2,570.00", "Total Charges:    2,594.00").replace(
    "Amount Due:       2,570.00", "Amount Due:       2,594.00")


def analyze(binary, path, fmt="json"):
    r = subprocess.run([binary, "analyze", path, "--format", fmt, "--no-store"], capture_output=True, timeout=300)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def main():
    binary = sys.argv[1]
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as folder:
        two = os.path.join(folder, "bill_and_eob.txt")
        with open(two, "w") as f:
            f.write(ITEMIZATION + "\f" + EOB)
        code, out, err = analyze(binary, two)
        check(code == 0, f"two documents: exit {code} {err}")
        docs = json.loads(out) if code == 0 else []
        check(isinstance(docs, list) and len(docs) == 2, f"two documents: expected a JSON array of 2, got {out[:200]}")
        if isinstance(docs, list) and len(docs) == 2:
            check(docs[0]["document_type"] == "itemized_statement", f"first type {docs[0]['document_type']}")
            check(docs[1]["document_type"] == "eob", f"second type {docs[1]['document_type']}")
            check(docs[0]["source"]["document"] == {"index": 1, "count": 2, "first_page": 1, "last_page": 1},
                  f"first source.document {docs[0]['source'].get('document')}")
            check(docs[1]["source"]["document"]["index"] == 2, "second source.document")
            check(docs[1]["claim_number"] == "2026-0418-55102", f"claim_number {docs[1].get('claim_number')}")
            check(docs[1]["member_id"] == "NSH448120977", f"member_id {docs[1].get('member_id')}")
            check(docs[1]["account_number"] == "884120", f"EOB account_number {docs[1].get('account_number')}")
            check(docs[1]["statement_date"] == "2026-03-22", f"EOB statement_date {docs[1].get('statement_date')}")
            check(docs[0]["read_quality"]["status"] == "complete", f"first read_quality {docs[0]['read_quality']}")
            types = [d for d in docs[0]["diagnostics"] if d["stage"] == "type"]
            check(len(types) == 1 and "this is not a bill" in types[0]["message"],
                  f"first document's type diagnostic {types}")
        code, out, err = analyze(binary, two, "text")
        check(code == 0 and "Document 1 of 2" in out and "Document 2 of 2" in out, f"text report of two: {out[:300]}")
        check("Reading:    complete" in out, "text report shows the reading")

        one = os.path.join(folder, "bill.txt")
        with open(one, "w") as f:
            f.write(ITEMIZATION)
        code, out, err = analyze(binary, one)
        check(code == 0 and isinstance(json.loads(out), dict), f"one document: an object expected, exit {code}")

        short = os.path.join(folder, "short.txt")
        with open(short, "w") as f:
            f.write(SHORT)
        code, out, err = analyze(binary, short)
        bill = json.loads(out) if code == 0 else {}
        rq = bill.get("read_quality") or {}
        check(rq.get("status") == "partial" and rq.get("printed_total") == 2594.0 and rq.get("items_total") == 2570.0,
              f"short: read_quality {rq}")
        math = [f for f in bill.get("findings", []) if f["kind"] == "math"]
        check(math and all(f["severity"] == "info" and f["check_by_hand"] for f in math), f"short: math {math}")
        check(not any(f["severity"] == "error" for f in bill.get("findings", [])), "short: no error on a partial reading")

        prose = os.path.join(folder, "letter.txt")
        with open(prose, "w") as f:
            f.write("Dear neighbour,\nThe library opens at nine on Saturdays.\nSee you there.\n")
        code, out, err = analyze(binary, prose)
        bill = json.loads(out) if code == 0 else {}
        rq = bill.get("read_quality") or {}
        check(rq.get("status") == "unreadable" and rq.get("notes"), f"prose: read_quality {rq}")
        check(bill.get("line_items") == [], "prose: no made-up items")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
