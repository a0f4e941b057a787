#!/usr/bin/env python3
"""Writes the synthetic medical bills in samples/generated/ with their expected JSON.

Every provider, patient, account and amount here is invented. The procedure, supply and
revenue codes are real CPT/HCPCS/UB-04 codes so the audit and pricing stages have something
true to look up. Python 3 standard library only; output is byte-for-byte deterministic.

    python3 samples/generate.py [--out samples/generated]

For each sample NAME it writes NAME.pdf and NAME.expected.json. The JSON holds the ground
truth in the bill JSON contract's extraction fields (what is printed on the page, including a
wrong printed total) plus "planted": the errors deliberately put in for the audit to find.
"""

import argparse
import datetime
import json
import os
import random
import sys

sys.dont_write_bytecode = True  # keep the samples folder free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfwriter import BOLD, MONO, MONO_BOLD, REGULAR, Document, text_width  # noqa: E402

D = datetime.date

# --------------------------------------------------------------------------------------------
# Formatting


def money(cents, dollar=False, credit=None):
    """1,234.56 / $1,234.56; credit: 'paren' -> (45.00), 'minus' -> 45.00-, 'cr' -> 45.00 CR."""
    s = "{:,}.{:02d}".format(abs(cents) // 100, abs(cents) % 100)
    if dollar:
        s = "$" + s
    if cents < 0 or credit in ("paren!", "minus!", "cr!"):
        style = (credit or "minus").rstrip("!")
        if style == "paren":
            return "(" + s + ")"
        if style == "cr":
            return s + " CR"
        if style == "minus":
            return s + "-"
        return "-" + s
    return s


def mdy(d):
    return d.strftime("%m/%d/%Y")


def mdy2(d):
    return d.strftime("%m/%d/%y")


def mon(d):
    return "%s %d, %d" % (d.strftime("%b"), d.day, d.year)


def long_date(d):
    return "%s %d, %d" % (d.strftime("%B"), d.day, d.year)


def dollars(cents):
    return None if cents is None else round(cents / 100.0, 2)


def add_business_days(d, n):
    while n > 0:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def wrap(text, font, size, width):
    """Greedy word wrap to lines no wider than width points."""
    lines, cur = [], ""
    for word in text.split():
        trial = word if not cur else cur + " " + word
        if cur and text_width(trial, font, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def code_type(code):
    if code is None:
        return None
    if code.isdigit() and len(code) == 5:
        return "cpt"
    if len(code) == 5 and code[0].isalpha() and code[1:].isdigit():
        return "hcpcs"
    return "internal"


# --------------------------------------------------------------------------------------------
# Ground truth


def item(dos, code, desc, qty, unit_cents, rev=None, mods=(), charge=None, **extra):
    """A line item; charge defaults to qty x unit price."""
    it = {
        "dos": dos, "code": code, "mods": list(mods), "rev": rev, "desc": desc, "qty": qty,
        "unit": unit_cents, "charge": charge if charge is not None else qty * unit_cents,
    }
    it.update(extra)
    return it


def item_json(it):
    j = {
        "date_of_service": it["dos"].isoformat() if it["dos"] else None,
        "code": it["code"],
        "code_type": code_type(it["code"]),
        "modifiers": it["mods"],
        "revenue_code": it["rev"],
        "description": it["desc"],
        "quantity": it["qty"],
        "charge": dollars(it["charge"]),
    }
    for key in ("allowed", "insurance_paid", "adjustment", "patient_responsibility"):
        if key in it:
            j[key] = dollars(it[key])
    if "note" in it:
        j["note"] = it["note"]
    return j


def expected(layout, doc_type, pages, provider, patient, account, statement_date, due_date,
             amount_due, totals, items, collector=None, planted=(), claim_number=None,
             member_id=None):
    return {
        "schema": "billwise.bill/1",
        "source": {"pages": pages, "text_origin": "text_layer", "generator_layout": layout},
        "document_type": doc_type,
        "provider": provider,
        "patient": patient,
        "account_number": account,
        "claim_number": claim_number,
        "member_id": member_id,
        "statement_date": statement_date.isoformat() if statement_date else None,
        "due_date": due_date.isoformat() if due_date else None,
        "amount_due": dollars(amount_due),
        "totals": {
            "charges": dollars(totals.get("charges")),
            "insurance_paid": dollars(totals.get("insurance_paid")),
            "adjustments": dollars(totals.get("adjustments")),
            "patient_paid": dollars(totals.get("patient_paid")),
            "patient_responsibility": dollars(totals.get("patient_responsibility")),
        },
        "line_items": [item_json(it) for it in items],
        "collector": collector,
        "planted": list(planted),
    }


# --------------------------------------------------------------------------------------------
# Layout 1: hospital itemized statement, UB-04 style (Date | Rev | CPT/HCPCS | Description |
# Qty | Charges), multi-page with repeated headers, "continued", page subtotals, wrapped
# descriptions, payment and adjustment rows with credits printed (45.00).

HOSP_COLS = {"date": 40, "rev": 100, "code": 140, "desc": 200, "desc_w": 250, "qty": 488,
             "charge": 572}


def hospital_header(page, h, page_no, page_count, first):
    page.text(40, 52, h["provider"]["name"].upper(), BOLD, 14)
    y = 66
    for line in h["provider"]["address"]:
        page.text(40, y, line, REGULAR, 8.5)
        y += 11
    page.text(40, y, "Patient Billing Office: " + h["provider"]["phone"], REGULAR, 8.5)
    page.text(572, 52, "ITEMIZED STATEMENT", BOLD, 12, align="right")
    page.text(572, 66, "Page %d of %d" % (page_no, page_count), REGULAR, 8.5, align="right")
    page.rule(40, 572, 106, 1.0)
    if first:
        rows = [
            ("Patient Name:", h["patient"]["name"], "Account Number:", h["account"]),
            ("Guarantor:", h["patient"]["name"], "Statement Date:", mdy(h["statement"])),
            ("Admit Date:", mdy(h["admit"]), "Payment Due By:", mdy(h["due"])),
            ("Discharge Date:", mdy(h["discharge"]), "Patient Type:", h["patient_type"]),
            ("Primary Insurance:", h["insurer"], "Attending:", h["attending"]),
        ]
        y = 122
        for a, b, c, d in rows:
            page.text(40, y, a, BOLD, 8.5)
            page.text(130, y, b, REGULAR, 8.5)
            page.text(340, y, c, BOLD, 8.5)
            page.text(430, y, d, REGULAR, 8.5)
            y += 12
        y += 4
    else:
        y = 122
        page.text(40, y, "Patient: " + h["patient"]["name"], REGULAR, 8.5)
        page.text(340, y, "Account Number: " + h["account"], REGULAR, 8.5)
        y += 12
        page.text(40, y, "Itemized charges (continued)", BOLD, 8.5)
        y += 12
    page.rect(40, y, 532, 16, fill=0.88)
    yb = y + 11
    c = HOSP_COLS
    page.text(c["date"], yb, "DATE", BOLD, 8)
    page.text(c["rev"], yb, "REV", BOLD, 8)
    page.text(c["code"], yb, "CPT/HCPCS", BOLD, 8)
    page.text(c["desc"], yb, "DESCRIPTION", BOLD, 8)
    page.text(c["qty"], yb, "QTY", BOLD, 8, align="right")
    page.text(c["charge"], yb, "CHARGES", BOLD, 8, align="right")
    return y + 30


def render_hospital(h, path):
    """Lays out h (a dict) in the UB-04 style; returns the page count."""
    c = HOSP_COLS
    lead = 12
    bottom = 720
    size = 8
    # Rows to place: (kind, payload). Items may wrap; a date change leaves a small gap.
    rows = []
    for it in h["items"]:
        desc_lines = wrap(it["desc"], REGULAR, size, c["desc_w"])
        rows.append(("item", it, desc_lines))
    # Lay out twice: first to count pages, then for real.
    for attempt in range(2):
        doc = Document(h["title"])
        page_count = attempt and count or 99
        page_no = 1
        page = doc.new_page()
        y = hospital_header(page, h, page_no, page_count, True)
        subtotal = 0
        for kind, it, desc_lines in rows:
            need = lead * len(desc_lines)
            if y + need > bottom:
                page.rule(c["desc"], c["charge"], y - 8, 0.5)
                page.text(c["desc"], y + 2, "PAGE SUBTOTAL", BOLD, size)
                page.text(c["charge"], y + 2, money(subtotal), BOLD, size, align="right")
                page.text(306, 760, "Continued on next page", REGULAR, 8, align="center")
                page_no += 1
                page = doc.new_page()
                y = hospital_header(page, h, page_no, page_count, False)
                subtotal = 0
            page.text(c["date"], y, mdy(it["dos"]), REGULAR, size)
            if it["rev"]:
                page.text(c["rev"], y, it["rev"], REGULAR, size)
            if it["code"]:
                code = it["code"] + ("-" + "-".join(it["mods"]) if it["mods"] else "")
                page.text(c["code"], y, code, REGULAR, size)
            for k, dl in enumerate(desc_lines):
                page.text(c["desc"] + (6 if k else 0), y + k * lead, dl, REGULAR, size)
            page.text(c["qty"], y, str(it["qty"]), REGULAR, size, align="right")
            page.text(c["charge"], y, money(it["charge"]), REGULAR, size, align="right")
            subtotal += it["charge"]
            y += need
        # Totals, then payments and adjustments as rows with credits in parentheses.
        if y + 12 * (6 + len(h["credits"])) > bottom:
            page.text(306, 760, "Continued on next page", REGULAR, 8, align="center")
            page_no += 1
            page = doc.new_page()
            y = hospital_header(page, h, page_no, page_count, False)
        page.rule(c["desc"], c["charge"], y - 8, 0.5)
        y += 4
        page.text(c["desc"], y, "TOTAL CHARGES", BOLD, size)
        page.text(c["charge"], y, money(h["printed_total"]), BOLD, size, align="right")
        y += lead * 1.5
        page.text(c["desc"], y, "PAYMENTS AND ADJUSTMENTS", BOLD, size)
        y += lead
        for dt, desc, cents in h["credits"]:
            page.text(c["date"], y, mdy(dt), REGULAR, size)
            page.text(c["desc"], y, desc, REGULAR, size)
            page.text(c["charge"], y, money(-cents, credit="paren"), REGULAR, size, align="right")
            y += lead
        page.rule(c["desc"], c["charge"], y - 8, 0.5)
        y += 4
        page.text(c["desc"], y, "PATIENT BALANCE DUE", BOLD, 9)
        page.text(c["charge"], y, money(h["amount_due"], dollar=True), BOLD, 9, align="right")
        y += lead * 2
        for note in h["notes"]:
            for ln in wrap(note, REGULAR, 7.5, 532):
                page.text(40, y, ln, REGULAR, 7.5)
                y += 10
        count = page_no
    doc.write(path)
    return count


def hospital_sample(name, seed, provider, patient, account, insurer, attending, admit, days,
                    statement, planted_kinds):
    rng = random.Random(seed)
    # The charge master: (rev, code, description, unit price in cents).
    ed = [("0450", "99284", "EMERGENCY DEPT VISIT LEVEL 4 MODERATE SEVERITY", 245000),
          ("0450", "99285", "EMERGENCY DEPT VISIT LEVEL 5 HIGH SEVERITY", 361000)]
    labs = [("0300", "85025", "CBC WITH AUTOMATED DIFFERENTIAL WBC COUNT", 14850),
            ("0301", "84484", "TROPONIN QUANTITATIVE", 26500),
            ("0300", "85610", "PROTHROMBIN TIME", 6675),
            ("0300", "83690", "LIPASE", 11200),
            ("0301", "82947", "GLUCOSE QUANTITATIVE BLOOD", 4800),
            ("0300", "81001", "URINALYSIS AUTOMATED WITH MICROSCOPY", 7425),
            ("0306", "87086", "URINE CULTURE BACTERIAL QUANTITATIVE COLONY COUNT", 9800)]
    imaging = [("0350", "74177", "CT ABDOMEN AND PELVIS WITH CONTRAST MATERIAL(S)", 489000),
               ("0320", "71046", "X-RAY CHEST 2 VIEWS", 51200),
               ("0402", "76705", "ULTRASOUND ABDOMINAL LIMITED SINGLE QUADRANT OR FOLLOW-UP",
                98500)]
    drugs = [("0636", "J2405", "ONDANSETRON HCL INJECTION PER 1 MG", 1920),
             ("0636", "J1885", "KETOROLAC TROMETHAMINE INJECTION PER 15 MG", 2875),
             ("0636", "J2270", "MORPHINE SULFATE INJECTION UP TO 10 MG", 4150),
             ("0258", "J7030", "INFUSION NORMAL SALINE SOLUTION 1000 CC", 9600),
             ("0250", None, "PHARMACY GENERAL CLASSIFICATION", 3855)]
    procs = [("0260", "96374", "THERAPEUTIC PROPHYLACTIC DIAGNOSTIC INJECTION IV PUSH SINGLE "
              "OR INITIAL SUBSTANCE/DRUG", 48600),
             ("0260", "96375", "IV PUSH EACH ADDITIONAL SEQUENTIAL NEW SUBSTANCE/DRUG", 21000),
             ("0260", "96360", "IV INFUSION HYDRATION INITIAL 31 MINUTES TO 1 HOUR", 74300),
             ("0260", "96361", "IV INFUSION HYDRATION EACH ADDITIONAL HOUR", 22100),
             ("0730", "93005", "ELECTROCARDIOGRAM ROUTINE ECG TRACING ONLY", 31500),
             ("0410", "94760", "PULSE OXIMETRY SINGLE DETERMINATION", 8800)]
    supplies = [("0270", None, "MED-SURG SUPPLIES GENERAL", 18500),
                ("0272", None, "STERILE SUPPLY IV START KIT", 6240)]
    items = []
    d0 = admit
    # Day 1: emergency visit, labs, imaging, drugs.
    items.append(item(d0, ed[0][1], ed[0][2], 1, ed[0][3], rev=ed[0][0], mods=["25"]))
    items.append(item(d0, "36415", "COLLECTION OF VENOUS BLOOD BY VENIPUNCTURE", 1, 3800,
                      rev="0300"))
    items.append(item(d0, "80053", "COMPREHENSIVE METABOLIC PANEL", 1, 28500, rev="0301"))
    for r, cde, desc, p in labs[:4]:
        items.append(item(d0, cde, desc, 1, p, rev=r))
    r, cde, desc, p = imaging[0]
    items.append(item(d0, cde, desc, 1, p, rev=r))
    for r, cde, desc, p in drugs[:4]:
        items.append(item(d0, cde, desc, rng.choice([1, 2, 4]), p, rev=r))
    items.append(item(d0, "G0378", "HOSPITAL OBSERVATION SERVICE PER HOUR", 14, 12500,
                      rev="0762"))
    for r, cde, desc, p in supplies:
        items.append(item(d0, cde, desc, 1, p, rev=r))
    # Middle days: observation, repeat labs, drugs, imaging.
    for k in range(1, days):
        dk = admit + datetime.timedelta(days=k)
        items.append(item(dk, "G0378", "HOSPITAL OBSERVATION SERVICE PER HOUR", 24 if k < days - 1
                          else 10, 12500, rev="0762"))
        items.append(item(dk, "36415", "COLLECTION OF VENOUS BLOOD BY VENIPUNCTURE", 1, 3800,
                          rev="0300"))
        items.append(item(dk, "80048", "BASIC METABOLIC PANEL CALCIUM TOTAL", 1, 17800,
                          rev="0301"))
        items.append(item(dk, "85025", labs[0][2], 1, labs[0][3], rev="0300"))
        for r, cde, desc, p in rng.sample(labs[1:], 2):
            items.append(item(dk, cde, desc, 1, p, rev=r))
        r, cde, desc, p = imaging[k % 3 if k % 3 else 1]
        items.append(item(dk, cde, desc, 1, p, rev=r))
        for r, cde, desc, p in rng.sample(drugs, 3):
            items.append(item(dk, cde, desc, rng.choice([1, 2, 3]), p, rev=r))
        # Hydration: the first hour and, as its add-on, each additional hour.
        for r, cde, desc, p in procs[2:4]:
            items.append(item(dk, cde, desc, 1, p, rev=r))
        r, cde, desc, p = rng.choice(procs[4:])
        items.append(item(dk, cde, desc, 1, p, rev=r))
        items.append(item(dk, None, supplies[0][2], 1, supplies[0][3], rev="0270"))
    planted = []
    if "bundling" in planted_kinds:
        # 80048 (basic panel) is a component of 80053 (comprehensive panel): NCCI pair.
        i = next(k for k, it in enumerate(items) if it["code"] == "80053")
        items.insert(i + 1, item(d0, "80048", "BASIC METABOLIC PANEL CALCIUM TOTAL", 1, 17800,
                                 rev="0301"))
        planted.append({"kind": "bundling", "codes": ["80053", "80048"],
                        "date": d0.isoformat(),
                        "note": "NCCI PTP pair: 80048 is a component of 80053 on the same date"})
    if "units" in planted_kinds:
        dk = admit + datetime.timedelta(days=1)
        i = next(k for k, it in enumerate(items) if it["code"] == "36415" and it["dos"] == dk)
        items[i] = item(dk, "36415", "COLLECTION OF VENOUS BLOOD BY VENIPUNCTURE", 5, 3800,
                        rev="0300")
        planted.append({"kind": "units", "codes": ["36415"], "date": dk.isoformat(),
                        "note": "36415 billed 5 units on one date; the NCCI MUE allows 2 (outpatient hospital)"})
    if "duplicate" in planted_kinds:
        dk = admit + datetime.timedelta(days=1)
        i = next(k for k, it in enumerate(items) if it["code"] == "85025" and it["dos"] == dk)
        items.insert(i + 1, dict(items[i]))
        planted.append({"kind": "duplicate", "codes": ["85025"], "date": dk.isoformat(),
                        "note": "the same CBC billed twice on one date"})
    for k, p in enumerate(planted):
        if p["kind"] in ("duplicate", "bundling", "units"):
            p["lines"] = [i for i, it in enumerate(items)
                          if it["code"] in p["codes"] and it["dos"].isoformat() == p["date"]]
    total = sum(it["charge"] for it in items)
    ins_paid = int(total * 0.41) // 100 * 100 + 18
    adjust = int(total * 0.33) // 100 * 100 + 55
    credits = [(statement - datetime.timedelta(days=9),
                "PAYMENT - " + insurer.upper(), ins_paid),
               (statement - datetime.timedelta(days=9), "CONTRACTUAL ADJUSTMENT", adjust),
               (statement - datetime.timedelta(days=4), "PATIENT PAYMENT - THANK YOU", 10000)]
    amount_due = total - ins_paid - adjust - 10000
    due = statement + datetime.timedelta(days=30)
    h = {
        "title": name, "provider": provider, "patient": patient, "account": account,
        "statement": statement, "due": due, "admit": admit,
        "discharge": admit + datetime.timedelta(days=days - 1), "patient_type": "OUTPATIENT OBS",
        "insurer": insurer, "attending": attending, "items": items, "printed_total": total,
        "credits": credits, "amount_due": amount_due,
        "notes": ["Payments and adjustments shown as (amount) are credits to your account.",
                  "Financial assistance is available to eligible patients. Ask for a plain-"
                  "language summary of our financial assistance policy or apply within 240 days"
                  " of your first post-discharge bill.",
                  "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional."],
    }
    return h, items, planted, {"charges": total, "insurance_paid": ins_paid,
                               "adjustments": adjust, "patient_paid": 10000}, amount_due, due


def make_hospital(out, name, seed, planted_kinds, provider, patient, account, insurer,
                  attending, admit, days, statement):
    h, items, planted, totals, amount_due, due = hospital_sample(
        name, seed, provider, patient, account, insurer, attending, admit, days, statement,
        planted_kinds)
    pages = render_hospital(h, os.path.join(out, name + ".pdf"))
    return expected("hospital_ub04", "itemized_statement", pages, provider, patient, account,
                    statement, due, amount_due, totals, items, planted=planted)


# --------------------------------------------------------------------------------------------
# Layout 2: physician office statement with a white-on-dark header band (Date of Service |
# CPT | Description | Units | Charge | Ins Paid | Adjustment | Balance), MM/DD/YY dates,
# modifiers as 99213-25, adjustments printed 45.00-.


def make_physician(out, name, practice, patient, account, statement, visits, planted_kinds,
                   patient_paid):
    items = []
    for dos, rows in visits:
        for code, mods, desc, units, unit, paid, adj in rows:
            items.append(item(dos, code, desc, units, unit, mods=mods, insurance_paid=paid,
                              adjustment=adj, allowed=None, patient_responsibility=None))
    planted = []
    if "duplicate" in planted_kinds:
        i = next(k for k, it in enumerate(items) if it["code"] == "81002")
        dup = dict(items[i])
        dup["insurance_paid"], dup["adjustment"] = 0, 0
        items.insert(i + 1, dup)
        planted.append({"kind": "duplicate", "codes": ["81002"], "date": dup["dos"].isoformat(),
                        "lines": [i, i + 1], "note": "urinalysis billed twice on one visit"})
    total = sum(it["charge"] for it in items)
    paid = sum(it["insurance_paid"] for it in items)
    adj = sum(it["adjustment"] for it in items)
    amount_due = total - paid - adj - patient_paid
    printed_total = total
    if "math" in planted_kinds:
        printed_total = total + 9000
        amount_due = printed_total - paid - adj - patient_paid
        planted.append({"kind": "math", "note": "printed total charges %s but the lines add up"
                        " to %s; the amount due carries the error" % (money(printed_total),
                                                                      money(total))})
    due = statement + datetime.timedelta(days=25)

    doc = Document(name)
    page = doc.new_page()
    page.rect(0, 0, 612, 78, fill=0.18)
    page.text(40, 34, practice["name"], BOLD, 16, gray=1.0)
    page.text(40, 50, "  |  ".join(practice["address"]), REGULAR, 8.5, gray=1.0)
    page.text(40, 63, "Billing questions: " + practice["phone"] + "   Mon-Fri 8:00-4:30",
              REGULAR, 8.5, gray=1.0)
    page.text(572, 34, "PATIENT STATEMENT", BOLD, 12, gray=1.0, align="right")
    y = 104
    page.text(40, y, "STATEMENT FOR", BOLD, 7.5, gray=0.35)
    page.text(340, y, "ACCOUNT SUMMARY", BOLD, 7.5, gray=0.35)
    y += 13
    page.text(40, y, patient["name"], BOLD, 9.5)
    y2 = y
    for label, value in (("Account No.", account), ("Statement Date", mdy2(statement)),
                         ("Please Pay By", mdy2(due)),
                         ("Amount Due", money(amount_due, dollar=True))):
        page.text(340, y2, label, REGULAR, 9)
        page.text(572, y2, value, BOLD if label == "Amount Due" else REGULAR, 9, align="right")
        y2 += 13
    for line in patient["address"]:
        y += 12
        page.text(40, y, line, REGULAR, 9)
    y = max(y, y2) + 18
    cols = [("Date of Service", 40, "left"), ("CPT", 108, "left"), ("Description", 158, "left"),
            ("Units", 350, "right"), ("Charge", 405, "right"), ("Ins Paid", 458, "right"),
            ("Adjustment", 516, "right"), ("Balance", 572, "right")]
    page.rule(40, 572, y - 10, 1.0)
    for title, x, al in cols:
        page.text(x, y, title, BOLD, 8, align=al)
    page.rule(40, 572, y + 5, 0.5)
    y += 20
    for it in items:
        code = it["code"] + ("-" + "-".join(it["mods"]) if it["mods"] else "")
        bal = it["charge"] - it["insurance_paid"] - it["adjustment"]
        desc_lines = wrap(it["desc"], REGULAR, 8, 150)
        page.text(40, y, mdy2(it["dos"]), REGULAR, 8)
        page.text(108, y, code, REGULAR, 8)
        for k, dl in enumerate(desc_lines):
            page.text(158, y + 11 * k, dl, REGULAR, 8)
        page.text(350, y, str(it["qty"]), REGULAR, 8, align="right")
        page.text(405, y, money(it["charge"]), REGULAR, 8, align="right")
        page.text(458, y, money(it["insurance_paid"]), REGULAR, 8, align="right")
        page.text(516, y, money(-it["adjustment"], credit="minus") if it["adjustment"]
                  else "0.00", REGULAR, 8, align="right")
        page.text(572, y, money(bal), REGULAR, 8, align="right")
        y += 11 * len(desc_lines) + 4
    page.rule(40, 572, y - 6, 0.5)
    y += 10
    for label, cents, credit in (("Total Charges", printed_total, None),
                                 ("Insurance Payments", paid, True),
                                 ("Insurance Adjustments", adj, True),
                                 ("Patient Payments", patient_paid, True)):
        page.text(405, y, label, REGULAR, 9, align="right")
        page.text(572, y, money(-cents, credit="minus") if credit and cents else money(cents),
                  REGULAR, 9, align="right")
        y += 13
    page.rect(330, y - 10, 242, 17, fill=0.88)
    page.text(405, y + 2, "AMOUNT DUE", BOLD, 10, align="right")
    page.text(572, y + 2, money(amount_due, dollar=True), BOLD, 10, align="right")
    y += 34
    for note in ("Amounts followed by a minus sign (45.00-) are credits.",
                 "Your insurance has processed these services. The balance is your "
                 "responsibility under your plan. Call us to set up a payment plan.",
                 "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional."):
        for ln in wrap(note, REGULAR, 7.5, 532):
            page.text(40, y, ln, REGULAR, 7.5)
            y += 10
    doc.write(os.path.join(out, name + ".pdf"))
    return expected("physician_office", "itemized_statement", 1, practice, patient, account,
                    statement, due, amount_due,
                    {"charges": printed_total, "insurance_paid": paid, "adjustments": adj,
                     "patient_paid": patient_paid}, items, planted=planted)


# --------------------------------------------------------------------------------------------
# Layout 3: summary statement (no line items) with a remittance stub.


def make_summary(out, name):
    provider = {"name": "Oakmere Valley Medical Group",
                "address": ["2750 Foxglove Parkway, Suite 300", "Brennan Falls, WI 53591"],
                "phone": "(608) 555-0187"}
    patient = {"name": "Dana R. Whitcombe",
               "address": ["611 Larch Hollow Lane", "Brennan Falls, WI 53590"]}
    account = "OVMG-0072-5519"
    statement = D(2026, 10, 26)
    due = D(2026, 11, 20)
    charges, ins, adj, pat = 431000, 211840, 134960, 25000
    amount_due = charges - ins - adj - pat
    doc = Document(name)
    page = doc.new_page()
    page.text(40, 56, provider["name"], BOLD, 15)
    page.text(40, 70, provider["address"][0] + ", " + provider["address"][1], REGULAR, 8.5)
    page.text(40, 81, "Questions about this statement? Call " + provider["phone"], REGULAR, 8.5)
    page.text(572, 56, "STATEMENT", BOLD, 13, align="right")
    y = 118
    for label, value in (("Statement date", long_date(statement)), ("Account number", account),
                         ("Patient", patient["name"]), ("Visit date", long_date(D(2026, 8, 4))),
                         ("Provider", "Elliot Marsh, MD")):
        page.text(40, y, label, REGULAR, 9.5)
        page.text(180, y, value, BOLD, 9.5)
        y += 15
    y += 14
    page.rect(40, y - 14, 532, 22, fill=0.9)
    page.text(48, y + 1, "ACCOUNT ACTIVITY", BOLD, 10)
    y += 26
    for label, cents in (("Total charges for this visit", charges),
                         ("Insurance payments", -ins), ("Insurance adjustments", -adj),
                         ("Your payments", -pat)):
        page.text(60, y, label, REGULAR, 10)
        page.text(560, y, money(cents, dollar=True, credit="paren"), REGULAR, 10, align="right")
        y += 17
    page.rule(360, 560, y - 8, 0.8)
    y += 6
    page.text(60, y, "Amount due", BOLD, 11)
    page.text(560, y, money(amount_due, dollar=True), BOLD, 11, align="right")
    y += 16
    page.text(60, y, "Please pay by " + long_date(due), REGULAR, 10)
    y += 34
    for note in ("This statement summarizes your account. You have the right to request an "
                 "itemized bill listing every service and supply charged. Call the number above"
                 " to ask for one.",
                 "Pay online, by phone, or by mail with the stub below.",
                 "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional."):
        for ln in wrap(note, REGULAR, 8.5, 532):
            page.text(40, y, ln, REGULAR, 8.5)
            y += 12
        y += 4
    # Remittance stub.
    y = 560
    page.rule(20, 592, y, 0.8, dash=(4, 3))
    page.text(306, y + 12, "Please detach and return this portion with your payment",
              REGULAR, 7.5, align="center")
    y += 36
    page.text(40, y, "REMITTANCE", BOLD, 10)
    y += 18
    for label, value in (("Account number", account), ("Statement date", mdy(statement)),
                         ("Amount due", money(amount_due, dollar=True)),
                         ("Due date", mdy(due))):
        page.text(40, y, label, REGULAR, 9)
        page.text(150, y, value, BOLD, 9)
        y += 14
    page.text(340, 632, "Amount enclosed  $", REGULAR, 9)
    page.rect(430, 620, 140, 18, stroke=0.0)
    page.text(340, 672, "Make checks payable to:", REGULAR, 8.5)
    page.text(340, 686, provider["name"], BOLD, 9)
    page.text(340, 698, "PO Box 44120", REGULAR, 9)
    page.text(340, 710, "Brennan Falls, WI 53591-4120", REGULAR, 9)
    page.text(40, 700, patient["name"].upper(), MONO, 9)
    page.text(40, 711, patient["address"][0].upper(), MONO, 9)
    page.text(40, 722, patient["address"][1].upper(), MONO, 9)
    doc.write(os.path.join(out, name + ".pdf"))
    return expected("summary_remit", "summary_statement", 1, provider, patient, account,
                    statement, due, amount_due,
                    {"charges": charges, "insurance_paid": ins, "adjustments": adj,
                     "patient_paid": pat}, [])


# --------------------------------------------------------------------------------------------
# Layout 4: explanation of benefits from an insurer.


def make_eob(out, name, physician_expected):
    insurer = "Pinecrest Mutual Health Plan"
    member = physician_expected["patient"]
    provider = physician_expected["provider"]
    rows = []
    remarks = {"CO-45": "Charge exceeds fee schedule/maximum allowable; provider write-off",
               "PR-1": "Deductible amount", "PR-2": "Coinsurance amount",
               "PR-3": "Copayment amount"}
    for k, li in enumerate(physician_expected["line_items"]):
        billed = round(li["charge"] * 100)
        allowed = billed * (52 + 3 * (k % 4)) // 100
        if k == 0:
            pr, note = 3000, "PR-3"
        elif k % 3 == 1:
            pr, note = allowed * 20 // 100, "PR-2"
        else:
            pr, note = min(allowed, 4500), "PR-1"
        paid = allowed - pr
        rows.append(item(D.fromisoformat(li["date_of_service"]), li["code"], li["description"],
                         li["quantity"], billed // li["quantity"], mods=li["modifiers"],
                         charge=billed, allowed=allowed, insurance_paid=paid,
                         patient_responsibility=pr, note=note))
    for it in rows:
        del it["unit"]
    billed = sum(r["charge"] for r in rows)
    allowed = sum(r["allowed"] for r in rows)
    paid = sum(r["insurance_paid"] for r in rows)
    pr = sum(r["patient_responsibility"] for r in rows)
    processed = D(2026, 9, 29)
    claim = "PMH-26-0917-448213"
    member_id = "XPM448213907"
    doc = Document(name)
    page = doc.new_page()
    page.text(40, 50, insurer.upper(), BOLD, 15)
    page.text(40, 63, "PO Box 90811, Dunmore Heights, PA 18512   Member Services 1-800-555-0163",
              REGULAR, 8)
    page.text(572, 50, "EXPLANATION OF BENEFITS", BOLD, 12, align="right")
    page.text(572, 63, "THIS IS NOT A BILL", BOLD, 9, align="right")
    page.rule(40, 572, 74, 1.2)
    y = 94
    for a, b, c, d in (("Member:", member["name"], "Claim Number:", claim),
                       ("Member ID:", member_id, "Date Processed:", mdy(processed)),
                       ("Group:", "ASHGROVE LOGISTICS 00417", "Provider:", provider["name"]),
                       ("Patient:", member["name"], "Network Status:", "In-network")):
        page.text(40, y, a, BOLD, 8.5)
        page.text(110, y, b, REGULAR, 8.5)
        page.text(330, y, c, BOLD, 8.5)
        page.text(410, y, d, REGULAR, 8.5)
        y += 12
    y += 14
    cols = [("Service Date", 40, "left"), ("CPT", 98, "left"), ("Billed", 205, "right"),
            ("Allowed", 262, "right"), ("Plan Paid", 322, "right"),
            ("Patient Responsibility", 430, "right"), ("Remark", 448, "left")]
    page.rect(40, y - 11, 532, 16, fill=0.85)
    for title, x, al in cols:
        page.text(x, y, title, BOLD, 8, align=al)
    y += 18
    for r in rows:
        code = r["code"] + ("-" + "-".join(r["mods"]) if r["mods"] else "")
        page.text(40, y, mdy(r["dos"]), REGULAR, 8)
        page.text(98, y, code, REGULAR, 8)
        page.text(205, y, money(r["charge"]), REGULAR, 8, align="right")
        page.text(262, y, money(r["allowed"]), REGULAR, 8, align="right")
        page.text(322, y, money(r["insurance_paid"]), REGULAR, 8, align="right")
        page.text(430, y, money(r["patient_responsibility"]), REGULAR, 8, align="right")
        page.text(448, y, r["note"], REGULAR, 8)
        y += 13
    page.rule(40, 572, y - 8, 0.5)
    y += 4
    page.text(40, y, "Claim Totals", BOLD, 8.5)
    page.text(205, y, money(billed, dollar=True), BOLD, 8.5, align="right")
    page.text(262, y, money(allowed, dollar=True), BOLD, 8.5, align="right")
    page.text(322, y, money(paid, dollar=True), BOLD, 8.5, align="right")
    page.text(430, y, money(pr, dollar=True), BOLD, 8.5, align="right")
    y += 28
    page.text(40, y, "Remark codes", BOLD, 9)
    y += 13
    used = sorted({r["note"] for r in rows})
    for code in used:
        page.text(48, y, code, BOLD, 8)
        page.text(90, y, remarks[code], REGULAR, 8)
        y += 11
    y += 16
    page.text(40, y, "You may owe the provider " + money(pr, dollar=True) + ". This is the "
              "amount of Patient Responsibility shown above.", REGULAR, 8.5)
    y += 12
    page.text(40, y, "You have 180 days from the date of this notice to file an appeal.",
              REGULAR, 8.5)
    y += 12
    page.text(40, y, "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional.",
              REGULAR, 7.5)
    doc.write(os.path.join(out, name + ".pdf"))
    # The EOB prints no patient account number and no notice date (only the processed date):
    # both stay null; the claim number and member ID have keys of their own; the amount due
    # is what the EOB says the patient may owe.
    return expected("eob_insurer", "eob", 1, provider, member, None, None, None, pr,
                    {"charges": billed, "insurance_paid": paid, "patient_responsibility": pr},
                    rows, claim_number=claim, member_id=member_id)


# --------------------------------------------------------------------------------------------
# Layout 5: collection agency validation notice in the Regulation F model-notice style.


def make_collection(out, name):
    collector_name = "Keystone Ridge Recovery Services, LLC"
    creditor = "Larkspur Valley Regional Hospital"
    patient = {"name": "Casey J. Morrow", "address": ["1907 Wrenfield Drive", "Apt 12",
                                                      "Harlow Springs, OH 43230"]}
    notice = D(2026, 11, 2)
    itemization = D(2026, 6, 30)
    # The validation period ends 30 days after the consumer is assumed to receive the notice
    # (5 business days after it is sent).
    validation_end = add_business_days(notice, 5) + datetime.timedelta(days=30)
    owed_then, interest, fees, paid = 184250, 0, 0, 5000
    now = owed_then + interest + fees - paid
    reference = "KRR-5531088271"
    creditor_account = "LVH-20339814"
    doc = Document(name)
    page = doc.new_page()
    page.text(40, 50, collector_name, BOLD, 13)
    page.text(40, 63, "PO Box 7120, Marlow Heights, PA 17011", REGULAR, 9)
    page.text(40, 75, "1-888-555-0149   Mon-Thu 8am-8pm, Fri 8am-5pm ET", REGULAR, 9)
    page.text(572, 50, "Notice date: " + long_date(notice), REGULAR, 9, align="right")
    page.text(572, 63, "Reference: " + reference, REGULAR, 9, align="right")
    y = 110
    for line in [patient["name"]] + patient["address"]:
        page.text(40, y, line, MONO, 9.5)
        y += 12
    y += 18
    page.text(40, y, collector_name + " is a debt collector. We are trying to collect a debt that "
              "you owe to", REGULAR, 9.5)
    y += 13
    page.text(40, y, creditor + ". We will use any information you give us to help collect "
              "the debt.", REGULAR, 9.5)
    y += 26
    page.text(40, y, "Our information shows:", BOLD, 10)
    y += 16
    page.text(40, y, "You had a medical account from " + creditor + " with account number "
              + creditor_account + ".", REGULAR, 9.5)
    y += 20
    rows = [("As of " + long_date(itemization) + ", you owed:", money(owed_then, dollar=True)),
            ("Between " + long_date(itemization) + " and today:", ""),
            ("    You were charged this amount in interest:", "+ " + money(interest, dollar=True)),
            ("    You were charged this amount in fees:", "+ " + money(fees, dollar=True)),
            ("    You paid or were credited this amount toward the debt:",
             "- " + money(paid, dollar=True)),
            ("Total amount of the debt now:", money(now, dollar=True))]
    for label, value in rows:
        bold = label.startswith("Total")
        if bold:
            page.rule(40, 572, y - 10, 0.6)
        page.text(40, y, label, BOLD if bold else REGULAR, 9.5)
        page.text(572, y, value, BOLD if bold else REGULAR, 9.5, align="right")
        y += 15
    y += 16
    page.rect(40, y - 12, 532, 20, fill=0.2)
    page.text(48, y + 2, "How can you dispute the debt?", BOLD, 10, gray=1.0)
    y += 24
    for ln in wrap("Call or write to us by " + long_date(validation_end) + ", to dispute all or "
                   "part of the debt. If you do not, we will assume that our information is "
                   "correct. If you write to us by " + long_date(validation_end) + ", we must stop"
                   " collection on any amount you dispute until we send you information that "
                   "shows you owe the debt.", REGULAR, 9.5, 520):
        page.text(40, y, ln, REGULAR, 9.5)
        y += 13
    y += 12
    page.text(40, y, "What else can you do?", BOLD, 10)
    y += 15
    for ln in wrap("Write to ask for the name and address of the original creditor, if "
                   "different from the current creditor. If you write by "
                   + long_date(validation_end) + ", we must stop collection until we send you "
                   "that information. Go to www.cfpb.gov/debt-collection to learn more about "
                   "your rights under federal law.", REGULAR, 9.5, 520):
        page.text(40, y, ln, REGULAR, 9.5)
        y += 13
    y += 18
    page.text(40, y, "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional.",
              REGULAR, 7.5)
    doc.write(os.path.join(out, name + ".pdf"))
    # The provider is the original creditor; the account number is the creditor's, the
    # collector's own number is its reference.
    collector = {"name": collector_name, "creditor": creditor, "original_creditor": creditor,
                 "reference": reference, "phone": "1-888-555-0149",
                 "itemization_date": itemization.isoformat(),
                 "validation_end_date": validation_end.isoformat(),
                 "notice_date": notice.isoformat(),
                 "address": ["PO Box 7120", "Marlow Heights, PA 17011"]}
    return expected("collection_regf", "collection_notice", 1,
                    {"name": creditor, "address": [], "phone": None}, patient, creditor_account,
                    notice, None, now, {"patient_paid": paid}, [], collector=collector)


# --------------------------------------------------------------------------------------------
# Layout 6: lab and imaging bill with "Jan 5, 2026" dates, an ISO statement date, credits
# printed "45.00 CR" and an aging table (which is not line items).


def make_lab(out, name, planted_kinds):
    provider = {"name": "Summit Crest Diagnostic Imaging & Laboratory",
                "address": ["88 Tamarind Row, Building C", "Lowell Bay, NC 28403"],
                "phone": "(910) 555-0129"}
    patient = {"name": "Rowan E. Castellanos",
               "address": ["4410 Bramblewood Trail", "Lowell Bay, NC 28409"]}
    account = "SC-88104272"
    statement = D(2026, 10, 19)
    due = D(2026, 11, 18)
    d1, d2, d3 = D(2026, 7, 8), D(2026, 8, 21), D(2026, 9, 14)
    items = [
        item(d1, "80061", "Lipid panel", 1, 9400),
        item(d1, "83036", "Hemoglobin A1C", 1, 6200),
        item(d1, "84443", "Thyroid stimulating hormone (TSH)", 1, 11800),
        item(d1, "36415", "Routine venipuncture", 1, 2500),
        item(d2, "77067", "Screening mammography bilateral incl CAD", 1, 41500),
        item(d3, "76700", "Ultrasound abdomen complete", 1, 68000),
        item(d3, "82306", "Vitamin D 25 hydroxy", 1, 15900),
        item(d3, "36415", "Routine venipuncture", 1, 2500),
    ]
    credits = [(D(2026, 8, 2), "Insurance payment - Pinecrest Mutual", 14630),
               (D(2026, 8, 2), "Contractual adjustment", 9120),
               (D(2026, 10, 1), "Insurance payment - Pinecrest Mutual", 38770)]
    total = sum(it["charge"] for it in items)
    ins = credits[0][2] + credits[2][2]
    adj = credits[1][2]
    printed_total = total
    planted = []
    if "math" in planted_kinds:
        printed_total = total - 10000
        planted.append({"kind": "math", "note": "printed total charges %s but the lines add up"
                        " to %s" % (money(printed_total), money(total))})
    amount_due = printed_total - ins - adj
    aging = [("Current", amount_due - 4300 - 2100), ("31-60 Days", 4300),
             ("61-90 Days", 2100), ("Over 90 Days", 0)]
    doc = Document(name)
    page = doc.new_page()
    page.text(40, 48, provider["name"], BOLD, 13)
    page.text(40, 61, provider["address"][0] + "  -  " + provider["address"][1], REGULAR, 8.5)
    page.text(40, 72, "Billing office " + provider["phone"] + "  -  billing@summitcrest.example",
              REGULAR, 8.5)
    page.rect(400, 36, 172, 46, stroke=0.0, line_width=0.8)
    page.text(408, 50, "Statement Date", REGULAR, 8)
    page.text(564, 50, statement.isoformat(), BOLD, 8.5, align="right")
    page.text(408, 63, "Account", REGULAR, 8)
    page.text(564, 63, account, BOLD, 8.5, align="right")
    page.text(408, 76, "Due Date", REGULAR, 8)
    page.text(564, 76, due.isoformat(), BOLD, 8.5, align="right")
    y = 106
    page.text(40, y, "Patient:  " + patient["name"], REGULAR, 9)
    y += 12
    page.text(40, y, "Referring physician:  Priya Okonkwo-Hale, MD", REGULAR, 9)
    y += 26
    page.text(40, y, "Date", BOLD, 8.5)
    page.text(112, y, "Code", BOLD, 8.5)
    page.text(162, y, "Service", BOLD, 8.5)
    page.text(572, y, "Amount", BOLD, 8.5, align="right")
    page.rule(40, 572, y + 5, 0.8)
    y += 18
    for it in items:
        page.text(40, y, mon(it["dos"]), REGULAR, 8.5)
        page.text(112, y, it["code"], REGULAR, 8.5)
        page.text(162, y, it["desc"], REGULAR, 8.5)
        page.text(572, y, money(it["charge"]), REGULAR, 8.5, align="right")
        y += 13
    for dt, desc, cents in credits:
        page.text(40, y, mon(dt), REGULAR, 8.5)
        page.text(162, y, desc, REGULAR, 8.5)
        page.text(572, y, money(-cents, credit="cr"), REGULAR, 8.5, align="right")
        y += 13
    page.rule(380, 572, y - 6, 0.6)
    y += 8
    for label, value, bold in (("Total charges", money(printed_total), False),
                               ("Total credits", money(-(ins + adj), credit="cr"), False),
                               ("Balance due", money(amount_due, dollar=True), True)):
        page.text(380, y, label, BOLD if bold else REGULAR, 9.5)
        page.text(572, y, value, BOLD if bold else REGULAR, 9.5, align="right")
        y += 15
    y += 24
    page.text(40, y, "Account aging", BOLD, 9)
    y += 8
    widths = 532 / 5
    page.rect(40, y, 532, 34, stroke=0.0, line_width=0.6)
    page.rule(40, 572, y + 15, 0.4)
    for k, (label, cents) in enumerate(aging + [("Amount Due", amount_due)]):
        x = 40 + widths * k
        if k:
            page.vrule(x, y, y + 34, 0.4)
        page.text(x + widths / 2, y + 11, label, BOLD, 8, align="center")
        page.text(x + widths / 2, y + 28, money(cents, dollar=True), REGULAR, 9, align="center")
    y += 58
    for note in ("CR = credit to your account. Credits shown were applied on the dates listed.",
                 "Past-due balances over 120 days may be referred to an outside agency after "
                 "written notice. Call us about payment plans and financial assistance.",
                 "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional."):
        for ln in wrap(note, REGULAR, 7.5, 532):
            page.text(40, y, ln, REGULAR, 7.5)
            y += 10
    doc.write(os.path.join(out, name + ".pdf"))
    return expected("lab_imaging", "itemized_statement", 1, provider, patient, account,
                    statement, due, amount_due,
                    {"charges": printed_total, "insurance_paid": ins, "adjustments": adj},
                    items, planted=planted)


# --------------------------------------------------------------------------------------------


def build_all(out):
    os.makedirs(out, exist_ok=True)
    results = {}
    results["hospital_itemized"] = make_hospital(
        out, "hospital_itemized", 20261102, {"duplicate", "bundling", "units"},
        {"name": "Larkspur Valley Regional Hospital",
         "address": ["4100 Quarry Bend Road", "Harlow Springs, OH 43230"],
         "phone": "(614) 555-0193"},
        {"name": "Morgan T. Ellery", "address": ["48 Juniper Court", "Westbrook, OH 43082"]},
        "LVH-20461937", "Buckeye Cooperative Health Plan", "R. Vasquez-Lind, MD",
        D(2026, 10, 12), 3, D(2026, 11, 2))
    results["hospital_itemized_clean"] = make_hospital(
        out, "hospital_itemized_clean", 7, set(),
        {"name": "Cedar Hollow Community Hospital",
         "address": ["1250 Millrace Avenue", "Tamsin, MN 55987"], "phone": "(507) 555-0116"},
        {"name": "Avery L. Quinlan", "address": ["302 Sorrel Street", "Tamsin, MN 55987"]},
        "CHCH-00917733", "Northstar Prairie Health", "J. Abernethy, DO",
        D(2026, 9, 3), 2, D(2026, 9, 28))
    practice = {"name": "Brookstone Family Medicine, PC",
                "address": ["915 Alder Crossing, Suite 210", "Fenwick, CO 80922"],
                "phone": "(719) 555-0175"}
    patient = {"name": "Jamie K. Halvorsen",
               "address": ["2218 Pinyon Ridge Road", "Fenwick, CO 80921"]}
    v1, v2 = D(2026, 8, 11), D(2026, 9, 8)
    visits = [
        (v1, [("99214", ["25"], "Office visit est pt moderate MDM", 1, 26500, 14210, 6890),
              ("20610", ["RT"], "Arthrocentesis major joint without ultrasound", 1, 31000,
               16260, 9540),
              ("J1030", [], "Methylprednisolone acetate inj 40 mg", 1, 4500, 1700, 1550),
              ("81002", [], "Urinalysis non-automated without microscopy", 1, 2200, 830, 920)]),
        (v2, [("99213", ["25"], "Office visit est pt low MDM", 1, 18500, 9020, 4980),
              ("73030", ["RT"], "X-ray shoulder complete 2+ views", 1, 16800, 7910, 5110),
              ("90686", [], "Influenza vaccine quadrivalent preservative free", 1, 3800, 2460,
               1340),
              ("90471", [], "Immunization administration one vaccine", 1, 4000, 1880, 1420)]),
    ]
    results["physician_office"] = make_physician(
        out, "physician_office", practice, patient, "BFM-431877", D(2026, 10, 6), visits,
        {"duplicate", "math"}, 2500)
    practice2 = {"name": "Hartwell Internal Medicine Associates",
                 "address": ["40 Copperleaf Commons", "Ashby Mills, VA 22840"],
                 "phone": "(540) 555-0138"}
    patient2 = {"name": "Leslie P. Tranh", "address": ["77 Kestrel Way", "Ashby Mills, VA 22841"]}
    v3 = D(2026, 9, 17)
    visits2 = [
        (v3, [("99213", ["25"], "Office visit est pt low MDM", 1, 17500, 8420, 4880),
              ("69210", ["RT"], "Removal impacted cerumen by instrumentation", 1, 9500, 4210,
               2990),
              ("87880", [], "Rapid strep antigen test group A streptococcus", 1, 4200,
               1900, 1300),
              ("81002", [], "Urinalysis non-automated without microscopy", 1, 2200, 830, 920)]),
    ]
    results["physician_office_clean"] = make_physician(
        out, "physician_office_clean", practice2, patient2, "HIMA-77120", D(2026, 10, 9),
        visits2, set(), 0)
    results["summary_statement"] = make_summary(out, "summary_statement")
    results["eob_insurer"] = make_eob(out, "eob_insurer", results["physician_office_clean"])
    results["collection_notice"] = make_collection(out, "collection_notice")
    results["lab_imaging"] = make_lab(out, "lab_imaging", {"math"})
    results["lab_imaging_clean"] = make_lab(out, "lab_imaging_clean", set())
    for name, exp in results.items():
        with open(os.path.join(out, name + ".expected.json"), "w") as f:
            json.dump(exp, f, indent=2)
            f.write("\n")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "generated"))
    args = parser.parse_args()
    results = build_all(args.out)
    for name in results:
        print(os.path.join(args.out, name + ".pdf"))


if __name__ == "__main__":
    main()
