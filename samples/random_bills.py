#!/usr/bin/env python3
"""Writes randomly laid-out synthetic bills, EOBs and collection notices with exact truth.

    python3 samples/random_bills.py --out DIR [--seed 2026] [--count 520]

For each file NNNN_KIND it writes NNNN_KIND.pdf and NNNN_KIND.expected.json: one bill JSON
object (the contract's extraction fields, as the committed samples/generated/*.expected.json),
or a JSON array of them when the file holds several documents. The truth records what is
printed, under the meanings of ../shared/bill-json.md ("What the header fields mean on each
kind of document").

Each file draws its own layout from its own random stream (seed and index), so file N is the
same whatever --count is. What varies: the kind of document; the letterhead (left, centred,
with an initials logo, a title larger than the name); how header fields are set out (label and
value side by side, label above value in boxes, a summary box, inline pairs) and their
wordings; the table's columns, their order, header wordings and abbreviations, upper or title
case, header cells on one or two lines; date, money and credit formats; fonts (Helvetica,
Times, Courier) and sizes; header shading, dark bands, zebra rows, row rules or a full grid;
records on one line, with a wrapped description, with the description above the line, or with a
service period on a second line; page breaks with repeated headers, page subtotals and
"continued" lines; payments inside or below the table; remittance stubs; several documents
in one file. Python 3 standard library only; output is byte-for-byte deterministic.
"""

import argparse
import datetime
import json
import os
import random
import sys

sys.dont_write_bytecode = True  # keep the samples folder free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_data as data  # noqa: E402
from pdfwriter import (BOLD, MONO, MONO_BOLD, REGULAR, SERIF, SERIF_BOLD,  # noqa: E402
                       Document, text_width)

D = datetime.date
DAY = datetime.timedelta(days=1)
LEFT, RIGHT, BOTTOM = 40, 572, 735

# --------------------------------------------------------------------------------------------
# Invented parties.


def phone(rng):
    return "(%s) 555-01%02d" % (rng.choice(data.AREA), rng.randrange(100))


def address(rng, po_box=False):
    town, state, zip2 = rng.choice(data.TOWN)
    zipc = zip2 + "%03d" % rng.randrange(1000)
    if po_box:
        line1 = "PO Box %d" % rng.randrange(1000, 99999)
    else:
        line1 = "%d %s" % (rng.randrange(10, 9900), rng.choice(data.STREET))
        if rng.random() < 0.25:
            line1 += rng.choice([", Suite ", ", Ste ", ", Unit "]) + str(rng.randrange(100, 900))
    return [line1, "%s, %s %s" % (town, state, zipc)]


def person(rng):
    return "%s %s. %s" % (rng.choice(data.FIRST), rng.choice(data.MIDDLE), rng.choice(data.LAST))


def organisation(rng, kinds):
    return "%s %s" % (rng.choice(data.PLACE), rng.choice(kinds))


def account_number(rng, name):
    initials = "".join(w[0] for w in name.replace(",", "").split() if w[0].isalpha())[:4].upper()
    style = rng.randrange(4)
    if style == 0:
        return "%s-%d" % (initials, rng.randrange(10**7, 10**8))
    if style == 1:
        return str(rng.randrange(10**8, 10**10))
    if style == 2:
        return "%s%06d" % (initials[:2], rng.randrange(10**6))
    return "%d-%04d-%d" % (rng.randrange(100, 999), rng.randrange(10**4), rng.randrange(10, 99))


# --------------------------------------------------------------------------------------------
# Printing formats, chosen per document.

DATE_FORMATS = ["%m/%d/%Y", "%m/%d/%Y", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%b %d, %Y",
                "%d-%b-%Y", "%m-%d-%Y"]


def fmt_date(d, f):
    s = d.strftime(f)
    return s.upper() if f == "%d-%b-%Y" else s


def fmt_money(cents, dollar=False, credit="paren", commas=True):
    """1,234.56; $1,234.56; credits (negative cents) as (1.00), 1.00-, -1.00 or 1.00 CR."""
    whole = "{:,}".format(abs(cents) // 100) if commas else str(abs(cents) // 100)
    s = "%s.%02d" % (whole, abs(cents) % 100)
    if dollar:
        s = "$" + s
    if cents >= 0:
        return s
    return {"paren": "(%s)", "minus": "%s-", "lead": "-%s", "cr": "%s CR"}[credit] % s


class Style:
    """How one document is printed."""

    def __init__(self, rng):
        family = rng.choices(["sans", "serif", "mono"], [6, 3, 1])[0]
        self.regular, self.bold = {"sans": (REGULAR, BOLD), "serif": (SERIF, SERIF_BOLD),
                                   "mono": (MONO, MONO_BOLD)}[family]
        self.size = rng.choice([7.5, 8, 8, 8.5, 9, 9.5]) if family != "mono" else \
            rng.choice([7.5, 8])
        self.lead = self.size * rng.uniform(1.3, 1.6)
        self.date_format = rng.choice(DATE_FORMATS)
        self.item_dollar = rng.random() < 0.25
        self.commas = rng.random() < 0.9
        self.credit = rng.choice(["paren", "paren", "minus", "lead", "cr"])
        self.upper_titles = rng.random() < 0.5
        self.header_fill = rng.choices([None, 0.88, 0.78, 0.2], [4, 3, 2, 2])[0]
        self.row_rules = rng.random() < 0.2
        self.zebra = not self.row_rules and rng.random() < 0.2
        self.grid = rng.random() < 0.12
        self.two_line_titles = rng.random() < 0.2
        self.header_rule = rng.random() < 0.7

    def date(self, d):
        return fmt_date(d, self.date_format)

    def money(self, cents, dollar=None):
        return fmt_money(cents, self.item_dollar if dollar is None else dollar, self.credit,
                         self.commas)

    def title(self, s):
        return s.upper() if self.upper_titles else s


def wrap(text, font, size, width):
    lines, cur = [], ""
    for word in text.split():
        trial = word if not cur else cur + " " + word
        if cur and text_width(trial, font, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return lines + ([cur] if cur else [])


# --------------------------------------------------------------------------------------------
# Page furniture: letterhead, label/value blocks, footers.


def letterhead(page, rng, st, org, title, compact=False):
    """Draws the sender's name, address and phone and the document title; returns next y."""
    name = org["name"].upper() if org.get("upper") else org["name"]
    align = org["align"]
    size = 10 if compact else org["size"]
    x = {"left": LEFT, "center": 306}[align]
    y = 48
    if org.get("logo") and not compact:
        initials = "".join(w[0] for w in org["name"].split() if w[0].isupper())[:4]
        page.rect(LEFT, 30, 46, 30, fill=0.25)
        page.text(LEFT + 23, 51, initials, st.bold, 13, gray=1.0, align="center")
        if align == "left":
            x = LEFT + 56
    page.text(x, y, name, st.bold, size, align=align)
    y += size * 0.6 + 8
    if not compact:
        lines = org["address"] + ["%s %s" % (org["phone_label"], org["phone"])]
        if org.get("one_line_address"):
            lines = [", ".join(org["address"]) + "   " + lines[-1]]
        for line in lines:
            page.text(x, y, line, st.regular, 8, align=align)
            y += 10
    title_size = org["title_size"] if not compact else 9
    # A title at the right of the name's line must not run into the name (text drawn over
    # text is no layout a reader could be asked to read): it goes below, centred.
    name_w = text_width(name, st.bold, size)
    name_x1 = x + name_w if align == "left" else 306 + name_w / 2
    fits_right = RIGHT - text_width(title, st.bold, title_size) >= name_x1 + 12
    if (org["title_pos"] == "right" or compact) and fits_right:
        page.text(RIGHT, 48, title, st.bold, title_size, align="right")
    else:
        y += 6
        page.text(306, y + title_size * 0.5, title, st.bold, title_size, align="center")
        y += title_size + 4
    return max(y, 60) + 10


def org_look(rng, org):
    org["align"] = rng.choices(["left", "center"], [7, 3])[0]
    org["size"] = rng.choice([12, 13, 14, 16, 18])
    org["upper"] = rng.random() < 0.4
    org["logo"] = rng.random() < 0.15
    org["one_line_address"] = rng.random() < 0.2
    org["phone_label"] = rng.choice(["Phone:", "Tel", "Billing questions:", "Customer Service",
                                     "Call"])
    org["title_pos"] = "center" if org["align"] == "center" else \
        rng.choice(["right", "right", "center"])
    # Sometimes the title is set larger than the sender's name.
    org["title_size"] = rng.choice([10, 11, 12]) if rng.random() < 0.8 else org["size"] + 3
    return org


def field_block(page, rng, st, fields, y, x0=LEFT, x1=RIGHT, arrangement=None):
    """Label/value pairs in one of several arrangements; returns the next y."""
    arrangement = arrangement or rng.choice(["grid", "grid", "boxes", "rightbox", "inline"])
    size = st.size + 0.5
    if arrangement == "grid":
        half = (x1 - x0) / 2
        per_col = (len(fields) + 1) // 2
        offset = max(text_width(lbl, st.bold, size) for lbl, _ in fields) + 8
        offset = min(offset, half - 70)
        for k, (lbl, val) in enumerate(fields):
            col, row = divmod(k, per_col)
            x = x0 + col * half
            page.text(x, y + row * (size + 4), lbl, st.bold, size)
            page.text(x + offset, y + row * (size + 4), val, st.regular, size)
        return y + per_col * (size + 4) + 10
    if arrangement == "boxes":
        width = (x1 - x0) / len(fields)
        fill = rng.choice([None, 0.9])
        for k, (lbl, val) in enumerate(fields):
            x = x0 + k * width
            if fill is not None:
                page.rect(x, y - 9, width, 12, fill=fill)
            page.rect(x, y - 9, width, 28, stroke=0.0, line_width=0.5)
            page.text(x + 4, y, lbl.rstrip(":"), st.bold, size - 1.5)
            fit = size
            while fit > 6 and text_width(val, st.regular, fit) > width - 8:
                fit -= 0.5
            page.text(x + 4, y + 14, val, st.regular, fit)
        return y + 34
    if arrangement == "rightbox":
        bx = x0 + (x1 - x0) * 0.55
        h = len(fields) * (size + 5) + 8
        page.rect(bx, y - 10, x1 - bx, h, stroke=0.0, line_width=0.7)
        for k, (lbl, val) in enumerate(fields):
            yy = y + k * (size + 5)
            page.text(bx + 6, yy, lbl, st.regular, size)
            page.text(x1 - 6, yy, val, st.bold, size, align="right")
        return y + h + 4
    # inline: "Label: value" pairs, two to a line.
    for k in range(0, len(fields), 2):
        for j, (lbl, val) in enumerate(fields[k:k + 2]):
            page.text(x0 + j * (x1 - x0) / 2, y, lbl + " " + val, st.regular, size)
        y += size + 5
    return y + 8


def address_block(page, st, y, name, addr, mono=False):
    font = MONO if mono else st.regular
    for line in [name] + addr:
        page.text(LEFT + 10, y, line.upper() if mono else line, font, 9)
        y += 11
    return y + 8


def notes(page, st, y, lines):
    for note in lines:
        for ln in wrap(note, st.regular, 7.5, RIGHT - LEFT):
            if y > 770:
                return y
            page.text(LEFT, y, ln, st.regular, 7.5)
            y += 9.5
    return y


# --------------------------------------------------------------------------------------------
# The table: columns, header row, records, page breaks.

TITLES = {
    "date": ["Date", "Service Date", "Date of Service", "Svc Date", "Svc Dt", "DOS",
             "Serv Date", "Dt of Svc"],
    "rev": ["Rev", "Rev Cd", "Rev Code", "Revenue Code", "UB Code", "RC"],
    "code": ["CPT", "CPT Cd", "CPT/HCPCS", "HCPCS", "Proc", "Proc Code", "Procedure", "Code",
             "Service Code", "CPT Code", "HCPCS/CPT"],
    "chgcode": ["Chg Code", "Item #", "Charge Code", "CDM #"],
    "desc": ["Description", "Description / Particulars", "Service Description", "Services",
             "Particulars", "Description of Service", "Item Description", "Service"],
    "mod": ["Mod", "Modifier", "Mods"],
    "qty": ["Qty", "Units", "Quantity", "Unit(s)", "Svc Units"],
    "unit": ["Unit Price", "Rate", "Price", "Unit Chg", "Unit Cost"],
    "charge": ["Charges", "Amount", "Chg", "Amount (USD)", "Charge Amount", "Total Charges",
               "Charges $", "Total", "Gross Charges", "Charge", "Amount ($)"],
    "ins_paid": ["Ins Paid", "Insurance Paid", "Ins Pmt", "Insurance Payments"],
    "adj": ["Adjustment", "Adj", "Adjustments", "Write-Off"],
    "balance": ["Balance", "Bal", "Patient Balance", "You Owe"],
    # EOB columns.
    "billed": ["Amount Billed", "Billed", "Charged", "Provider Charges", "Billed Amount"],
    "allowed": ["Allowed", "Allowed Amount", "Plan Allowance", "Negotiated Rate"],
    "not_covered": ["Not Covered", "Amount Not Covered", "Ineligible"],
    "deductible": ["Deductible", "Ded"],
    "copay": ["Copay", "Co-pay", "Copayment"],
    "coins": ["Coinsurance", "Coins", "Co-ins"],
    "plan_paid": ["Plan Paid", "Amount Paid", "Paid by Plan", "Plan Payment", "Benefit Paid"],
    "patient_resp": ["Patient Responsibility", "You May Owe", "Your Share", "What You Owe",
                     "Patient Resp", "Member Responsibility"],
    "remark": ["Remark", "Remark Code", "Notes", "Rmk"],
}
NUMERIC = {"qty", "unit", "charge", "ins_paid", "adj", "balance", "billed", "allowed",
           "not_covered", "deductible", "copay", "coins", "plan_paid", "patient_resp"}


def choose_title(rng, st, key):
    t = rng.choice(TITLES[key])
    return st.title(t)


def cell(st, key, rec):
    """The text of one cell of an item record."""
    if key == "date":
        return st.date(rec["dos"]) if rec.get("dos") else ""
    if key == "rev":
        return rec.get("rev") or ""
    if key == "code":
        code = rec.get("code") or ""
        if code and rec["mods"] and not rec.get("mod_column"):
            code += rec["mod_sep"] + rec["mod_sep"].join(rec["mods"])
        return code
    if key == "mod":
        return " ".join(rec["mods"])
    if key == "chgcode":
        return rec.get("chgcode", "")
    if key == "desc":
        return rec["desc"]
    if key == "qty":
        return str(rec["qty"])
    if key == "remark":
        return rec.get("note", "")
    value = {"unit": rec.get("unit"), "charge": rec["charge"], "billed": rec["charge"],
             "ins_paid": rec.get("insurance_paid"), "adj": rec.get("adjustment"),
             "balance": rec.get("balance"), "allowed": rec.get("allowed"),
             "not_covered": rec.get("not_covered"), "deductible": rec.get("deductible"),
             "copay": rec.get("copay"), "coins": rec.get("coins"),
             "plan_paid": rec.get("insurance_paid"),
             "patient_resp": rec.get("patient_responsibility")}[key]
    if value is None:
        return ""
    if key in ("adj", "ins_paid") and value and rec.get("credits_negative"):
        value = -value
    return st.money(value)


class Table:
    """Columns placed across the page from the widths of their contents."""

    def __init__(self, rng, st, keys, records, desc_min=110):
        self.st = st
        self.keys = keys
        self.titles = {k: choose_title(rng, st, k) for k in keys}
        self.size = st.size
        gap = rng.choice([8, 10, 14])
        widths = {}
        for k in keys:
            if k == "desc":
                continue
            vals = [cell(st, k, r) for r in records] + self.title_lines(k)
            widths[k] = max(text_width(v, st.regular if v not in self.title_lines(k) else
                                       st.bold, self.size) for v in vals)
        fixed = sum(widths.values()) + gap * (len(keys) - 1)
        while "desc" in keys and RIGHT - LEFT - fixed < desc_min and self.size > 6.5:
            scale = (self.size - 0.5) / self.size
            self.size -= 0.5
            widths = {k: w * scale for k, w in widths.items()}
            fixed = sum(widths.values()) + gap * (len(keys) - 1)
        if "desc" in keys:
            longest = max(text_width(r["desc"], st.regular, self.size) for r in records)
            widths["desc"] = max(min(longest, RIGHT - LEFT - fixed), 60)
        spare = RIGHT - LEFT - sum(widths.values()) - gap * (len(keys) - 1)
        # Spread the spare width over the gaps, so the last column ends at the right margin.
        gap += max(spare, 0) / max(len(keys) - 1, 1)
        self.x = {}
        x = LEFT
        for k in keys:
            self.x[k] = (x, x + widths[k])
            x += widths[k] + gap
        self.widths = widths

    def title_lines(self, k):
        t = self.titles[k]
        if self.st.two_line_titles and " " in t and len(t) > 7:
            words = t.split()
            half = (len(words) + 1) // 2
            return [" ".join(words[:half]), " ".join(words[half:])]
        return [t]

    def anchor(self, k):
        x0, x1 = self.x[k]
        return (x1, "right") if k in NUMERIC else (x0, "left")

    def header(self, page, y):
        st = self.st
        lines = max(len(self.title_lines(k)) for k in self.keys)
        h = lines * (self.size + 2) + 6
        dark = st.header_fill is not None and st.header_fill < 0.5
        if st.header_fill is not None:
            page.rect(LEFT - 3, y - self.size - 2, RIGHT - LEFT + 6, h, fill=st.header_fill)
        elif st.header_rule:
            page.rule(LEFT, RIGHT, y - self.size - 3, 0.8)
        for k in self.keys:
            x, align = self.anchor(k)
            tl = self.title_lines(k)
            for j, t in enumerate(tl):
                yy = y + (j + lines - len(tl)) * (self.size + 2)
                page.text(x, yy, t, st.bold, self.size, gray=1.0 if dark else 0.0, align=align)
        y += (lines - 1) * (self.size + 2)
        if st.header_rule or st.grid:
            page.rule(LEFT, RIGHT, y + 4, 0.6)
        return y + self.size * 1.6 + 4

    def row(self, page, y, texts, bold=False, desc_lines=None):
        """Draws one record; texts maps column key -> text; returns the height used."""
        st = self.st
        font = st.bold if bold else st.regular
        lead = self.size * 1.35
        lines = desc_lines or []
        for k in self.keys:
            if k == "desc":
                for j, ln in enumerate(lines):
                    page.text(self.x[k][0] + (4 if j else 0), y + j * lead, ln, font, self.size)
                continue
            t = texts.get(k, "")
            if t:
                x, align = self.anchor(k)
                page.text(x, y, t, font, self.size, align=align)
        return max(len(lines), 1) * lead


def layout_table(doc, page, y, st, rng, table, records, new_page, extra_rows=(),
                 record_mode="single", page_subtotal=False):
    """Draws the column header and all records with page breaks; returns (page, y).

    records carry the item fields; extra_rows are (texts, bold) drawn after the items (payment
    rows, totals) in the same columns. new_page(doc) starts a continuation page and returns
    (page, y) where the column header goes."""
    st_lead = table.size * 1.35
    y = table.header(page, y)
    subtotal = 0
    top = y
    zebra = False
    repeat_header = rng.random() < 0.85
    for rec in records:
        texts = {k: cell(st, k, rec) for k in table.keys if k != "desc"}
        if record_mode == "desc_above":
            desc_lines = []
            need = 2 * st_lead
        else:
            desc_lines = wrap(rec["desc"], st.regular, table.size, table.widths.get("desc", 200))
            if record_mode == "range_below" and rec.get("dos"):
                desc_lines.append("%s to %s" % (st.date(rec["dos"]), st.date(rec["dos_end"])))
            need = max(len(desc_lines), 1) * st_lead
        if y + need > BOTTOM - 24:
            if st.grid:
                grid(page, table, top, y)
            if page_subtotal and "charge" in table.keys:
                page.rule(table.x["charge"][0], RIGHT, y - table.size, 0.5)
                page.text(LEFT, y + 2, st.title("Page subtotal"), st.bold, table.size)
                page.text(RIGHT, y + 2, st.money(subtotal), st.bold, table.size, align="right")
                subtotal = 0
            if rng.random() < 0.7:
                page.text(306, 760, st.title("Continued on next page"), st.regular, 8,
                          align="center")
            page, y = new_page(doc)
            y = table.header(page, y) if repeat_header else y + 8
            top = y
        if st.zebra and zebra:
            page.rect(LEFT - 3, y - table.size - 1, RIGHT - LEFT + 6, need, fill=0.93)
        zebra = not zebra
        if record_mode == "desc_above":
            page.text(LEFT, y, rec["desc"], st.bold if rng.random() < 0.0 else st.regular,
                      table.size)
            y += st_lead
            table.row(page, y, texts)
            y += st_lead
        else:
            y += table.row(page, y, texts, desc_lines=desc_lines)
        if st.row_rules:
            page.rule(LEFT, RIGHT, y - table.size * 0.9, 0.25, gray=0.5)
        subtotal += rec["charge"]
    for texts, bold in extra_rows:
        if y + st_lead > BOTTOM:
            page, y = new_page(doc)
            top = y
        dl = [texts["desc"]] if "desc" in texts else []
        y += table.row(page, y, texts, bold=bold, desc_lines=dl)
    if st.grid:
        grid(page, table, top, y)
    return page, y


def grid(page, table, top, y):
    """Vertical rules between the columns from top to y, and a closing rule."""
    for k in table.keys[1:]:
        x = table.x[k][0] - 4
        page.vrule(x, top - table.size - 4, y - table.size * 0.6, 0.4)
    page.rule(LEFT, RIGHT, y - table.size * 0.6, 0.6)


# --------------------------------------------------------------------------------------------
# Items and truth.


def code_type(code):
    if code is None:
        return None
    if code.isdigit() and len(code) == 5:
        return "cpt"
    if len(code) == 5 and code[0].isalpha() and code[1:].isdigit():
        return "hcpcs"
    return "internal"


def dollars(cents):
    return None if cents is None else round(cents / 100.0, 2)


def price(rng, low, high, factor):
    return int(rng.uniform(low, high) * factor) * 100 + rng.choice([0, 0, 25, 50, 75, 99, 10])


def item_json(it):
    j = {
        "date_of_service": it["dos"].isoformat() if it.get("dos") else None,
        "code": it.get("code"),
        "code_type": code_type(it.get("code")),
        "modifiers": list(it["mods"]),
        "revenue_code": it.get("rev"),
        "description": it["desc"],
        "quantity": it["qty"],
        "charge": dollars(it["charge"]),
    }
    for key in ("allowed", "insurance_paid", "adjustment", "patient_responsibility"):
        if it.get(key) is not None:
            j[key] = dollars(it[key])
    if it.get("note"):
        j["note"] = it["note"]
    return j


def truth(kind, doc_type, pages, provider, patient, account, statement, due, amount_due,
          totals, items, collector=None, claim_number=None, member_id=None):
    return {
        "schema": "billwise.bill/1",
        "source": {"pages": pages, "text_origin": "text_layer",
                   "generator_layout": "random/" + kind},
        "document_type": doc_type,
        "provider": {"name": provider["name"], "address": provider.get("address", []),
                     "phone": provider.get("phone")} if provider else
                    {"name": None, "address": [], "phone": None},
        "patient": patient,
        "account_number": account,
        "claim_number": claim_number,
        "member_id": member_id,
        "statement_date": statement.isoformat() if statement else None,
        "due_date": due.isoformat() if due else None,
        "amount_due": dollars(amount_due),
        "totals": {k: dollars(totals.get(k)) for k in
                   ("charges", "insurance_paid", "adjustments", "patient_paid",
                    "patient_responsibility")},
        "line_items": [item_json(it) for it in items],
        "collector": collector,
        "planted": [],
    }


def make_items(rng, setting, start, n, factor):
    """n charge lines over a few days from start, for a setting's catalogue."""
    items = []
    days = rng.choice([1, 1, 1, 2, 3, 4]) if setting == "hospital" else rng.choice([1, 1, 2, 3])
    dates = sorted({start + DAY * rng.randrange(0, days * (1 if setting == "hospital" else 20))
                    for _ in range(days)}) or [start]
    if setting == "hospital":
        pool = data.HOSPITAL
    else:
        pool = [(None,) + c for c in {"office": data.OFFICE, "lab": data.LAB,
                                      "imaging": data.IMAGING, "therapy": data.THERAPY}[setting]]
    for k in range(n):
        rev, code, desc, low, high = rng.choice(pool)
        if setting != "hospital" and rng.random() < 0.15:
            rev, code, desc, low, high = (None,) + rng.choice(data.LAB)
        dos = dates[min(k * len(dates) // n, len(dates) - 1)]
        qty = 1
        if code in ("G0378",) or (rev in ("0110", "0120")):
            qty = rng.randrange(2, 24 if code else 5)
        elif code and code.startswith(("J", "97")) and rng.random() < 0.5:
            qty = rng.randrange(2, 5)
        elif rev in ("0250", "0270") and rng.random() < 0.4:
            qty = rng.randrange(2, 6)
        unit = price(rng, low, high, factor)
        mods = []
        if code in data.MODIFIERS and rng.random() < 0.5:
            mods = [rng.choice(data.MODIFIERS[code])]
        items.append({"dos": dos, "dos_end": dos + DAY * (qty - 1 if rev in ("0110", "0120")
                                                          else 0),
                      "rev": rev, "code": code, "mods": mods, "desc": desc, "qty": qty,
                      "unit": unit, "charge": qty * unit})
    return items


def described(rng, desc):
    """Descriptions as printed: upper case for charge-master text, or title case."""
    if rng.random() < 0.5:
        return desc
    return " ".join(w if any(c.isdigit() for c in w) else w.capitalize() for w in desc.split())


# --------------------------------------------------------------------------------------------
# Document kinds. Each draws into a pdfwriter Document and returns its truth.

STATEMENT_TITLES = {
    "hospital": ["ITEMIZED STATEMENT", "Itemized Bill", "Detail of Charges",
                 "Patient Itemization", "Statement of Account", "Itemized Statement of Charges"],
    "office": ["PATIENT STATEMENT", "Statement", "Billing Statement", "Patient Account Statement"],
    "lab": ["Laboratory Services Statement", "PATIENT STATEMENT", "Invoice", "Statement"],
    "imaging": ["Imaging Services Statement", "STATEMENT", "Patient Invoice"],
    "therapy": ["Therapy Services Statement", "Statement of Services", "INVOICE"],
}
LABELS = {
    "account": ["Account Number:", "Account #:", "Acct No.:", "Patient Account:",
                "Guarantor Account:", "Account No:", "Account ID:"],
    "statement": ["Statement Date:", "Stmt Date:", "Billing Date:", "Date of Statement:",
                  "Statement Dt:", "Date Issued:"],
    "due": ["Due Date:", "Payment Due:", "Please Pay By:", "Due By:", "Pay By:"],
    "amount_due": ["Amount Due:", "Balance Due:", "Please Pay:", "Pay This Amount:",
                   "Total Amount Due:", "Patient Balance:", "Amount You Owe:"],
    "patient": ["Patient:", "Patient Name:", "Patient Name", "Guarantor:"],
}


def label(rng, key):
    return rng.choice(LABELS[key])


def new_party(rng, setting):
    kinds = {"hospital": data.HOSPITAL_KIND, "office": data.CLINIC_KIND, "lab": data.LAB_KIND,
             "imaging": data.LAB_KIND, "therapy": data.THERAPY_KIND}[setting]
    org = {"name": organisation(rng, kinds), "address": address(rng), "phone": phone(rng)}
    return org


def statement_doc(pdf, rng, setting, kind, provider=None, patient=None, start=None):
    """An itemized statement (hospital, office, lab, imaging, therapy); returns its truth."""
    st = Style(rng)
    provider = provider or new_party(rng, setting)
    org_look(rng, provider)
    patient = patient or {"name": person(rng), "address": address(rng)}
    account = account_number(rng, provider["name"])
    start = start or D(2026, 1, 5) + DAY * rng.randrange(300)
    n = rng.choice([2, 3, 4, 5, 6, 8]) if setting != "hospital" else \
        rng.choice([6, 10, 14, 20, 28, 40, 60])
    items = make_items(rng, setting, start, n, rng.uniform(0.7, 1.4))
    last_service = max(it["dos_end"] for it in items)
    statement = last_service + DAY * rng.randrange(12, 50)
    due = statement + DAY * rng.choice([21, 25, 30])
    mod_sep = rng.choice(["-", " ", "-"])
    for it in items:
        it["desc"] = described(rng, it["desc"]) if setting == "hospital" else it["desc"]
        it["mod_sep"] = mod_sep
    charges = sum(it["charge"] for it in items)
    paid_by_plan = rng.random() < 0.7
    ins = charges * rng.randrange(25, 60) // 100 if paid_by_plan else 0
    adj = charges * rng.randrange(5, 30) // 100 if paid_by_plan else 0
    pat = rng.choice([0, 0, 2500, 5000, 10000]) if charges - ins - adj > 12000 else 0
    amount_due = charges - ins - adj - pat
    due_printed = rng.random() < 0.85
    insurer = rng.choice(data.INSURER)

    # Columns.
    per_line_credits = setting != "hospital" and paid_by_plan and rng.random() < 0.4
    left = ["date"]
    if setting == "hospital":
        if rng.random() < 0.75:
            left.append("rev")
        if rng.random() < 0.15:
            left.append("chgcode")
    left.append("code")
    if rng.random() < 0.15:
        left.append("mod")
    left.append("desc")
    record_mode = rng.choices(["single", "desc_above", "range_below"], [7, 2, 1])[0]
    if record_mode == "desc_above":
        st.grid = False
    if record_mode == "desc_above":
        left.remove("desc")
    if record_mode == "range_below":
        left.remove("date")
    order = rng.random()
    if order < 0.2 and "date" in left and "code" in left:       # code before date
        left.remove("code")
        left.insert(0, "code")
    elif order < 0.35 and "desc" in left:                        # description before code
        left.remove("desc")
        left.insert(left.index("code"), "desc")
    elif order < 0.45 and "rev" in left:                         # revenue code after the code
        left.remove("rev")
        left.insert(left.index("code") + 1, "rev")
    right = []
    show_qty = any(it["qty"] > 1 for it in items) or rng.random() < 0.5
    if show_qty:
        right.append("qty")
        if rng.random() < 0.4:
            right.append("unit")
    right.append("charge")
    if per_line_credits:
        right += ["ins_paid", "adj", "balance"]
    if show_qty and rng.random() < 0.2 and "desc" in left:       # quantity before description
        right.remove("qty")
        left.insert(left.index("desc"), "qty")
    keys = left + right
    for it in items:
        it["mod_column"] = "mod" in keys
        if "chgcode" in keys:
            it["chgcode"] = str(rng.randrange(10**7, 10**8))
        if per_line_credits:
            it["insurance_paid"] = it["charge"] * rng.randrange(25, 60) // 100
            it["adjustment"] = it["charge"] * rng.randrange(5, 30) // 100
            it["balance"] = it["charge"] - it["insurance_paid"] - it["adjustment"]
            it["credits_negative"] = st.credit != "paren" or rng.random() < 0.5
    if per_line_credits:
        ins = sum(it["insurance_paid"] for it in items)
        adj = sum(it["adjustment"] for it in items)
        pat = 0
        amount_due = charges - ins - adj

    title = rng.choice(STATEMENT_TITLES[setting])
    pages = [0]

    def page_no_later(page):
        pages[0] += 1
        return page

    def new_page(doc):
        page = page_no_later(doc.new_page())
        y = letterhead(page, rng, st, provider, title, compact=True)
        page.text(LEFT, y, "%s %s" % (label(rng, "account"), account), st.regular, 8)
        return page, y + 22

    first = page_no_later(pdf.new_page())
    first_index = len(pdf.pages) - 1
    y = letterhead(first, rng, st, provider, title)
    fields = [(label(rng, "statement"), st.date(statement)), (label(rng, "account"), account)]
    if rng.random() < 0.7:
        fields.insert(0, (label(rng, "patient"), patient["name"]))
    if due_printed:
        fields.append((label(rng, "due"), st.date(due)))
    fields.append((label(rng, "amount_due"), fmt_money(amount_due, True)))
    if rng.random() < 0.4:
        fields.append(("Insurance:" if rng.random() < 0.5 else "Primary Ins:", insurer))
    if rng.random() < 0.3:
        rng.shuffle(fields)
    if rng.random() < 0.6:
        y = address_block(first, st, y + 6, patient["name"], patient["address"],
                          mono=rng.random() < 0.5) + 4
    y = field_block(first, rng, st, fields, y + 8)
    y += 14
    table = Table(rng, st, keys, items)
    credits = []
    if paid_by_plan and not per_line_credits:
        pay_date = last_service + DAY * rng.randrange(3, (statement - last_service).days - 1)
        credits.append((pay_date, rng.choice(["PAYMENT - ", "Insurance Payment ", "INS PMT "])
                        + insurer.upper(), ins, "Insurance Payments"))
        credits.append((pay_date, rng.choice(["CONTRACTUAL ADJUSTMENT", "Contractual Adj",
                                              "INSURANCE ADJUSTMENT", "Discount"]), adj,
                        "Adjustments"))
    if pat:
        credits.append((statement - DAY * 3, rng.choice(["PATIENT PAYMENT - THANK YOU",
                                                         "Payment received", "PT PMT"]), pat,
                        "Patient Payments"))
    extra = []
    credits_in_table = credits and "desc" in keys and rng.random() < 0.5
    amount_key = "charge"
    if credits_in_table:
        for dt, desc, cents, _ in credits:
            texts = {"desc": desc, amount_key: st.money(-cents)}
            if "date" in keys:
                texts["date"] = st.date(dt)
            extra.append((texts, False))
    page, y = layout_table(pdf, first, y, st, rng, table, items, new_page, extra,
                           record_mode=record_mode, page_subtotal=rng.random() < 0.3)
    # Totals below the table, right-aligned under the amount column.
    totals_x = table.x["charge"][1] if not per_line_credits else RIGHT
    label_x = max(LEFT + 200, table.x["charge"][0] - 150)
    rows = [(st.title("Total Charges"), charges)]
    if not credits_in_table:
        for _, _, cents, name in credits:
            rows.append((st.title(name), -cents))
    if per_line_credits:
        rows += [(st.title("Insurance Payments"), -ins), (st.title("Adjustments"), -adj)]
    rows.append((st.title(rng.choice(["Amount Due", "Balance Due", "Patient Balance Due",
                                      "Total Due", "Please Pay This Amount"])), amount_due))
    if y + 16 * len(rows) + 20 > BOTTOM:
        page, y = new_page(pdf)
    page.rule(label_x, RIGHT, y - 6, 0.6)
    y += 8
    for k, (lbl, cents) in enumerate(rows):
        last = k == len(rows) - 1
        page.text(label_x, y, lbl, st.bold if last or k == 0 else st.regular, st.size + 0.5)
        page.text(totals_x, y, fmt_money(cents, last or rng.random() < 0.3, st.credit),
                  st.bold if last else st.regular, st.size + 0.5, align="right")
        y += st.size + 7
    y += 12
    if y < 660 and rng.random() < 0.35:
        y = remittance_stub(page, rng, st, provider, account, amount_due, due if due_printed
                            else None, y)
    notes(page, st, y + 6, [
        rng.choice(["Payments and adjustments shown in parentheses are credits.",
                    "Questions about your bill? Call our billing office.",
                    "Financial assistance is available to eligible patients. Ask for a plain-"
                    "language summary of our financial assistance policy."]),
        "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional."])
    number_pages(pdf, st, first_index, pages[0], rng)
    return truth(kind, "itemized_statement", pages[0], provider, patient, account, statement,
                 due if due_printed else None, amount_due,
                 {"charges": charges, "insurance_paid": ins or None, "adjustments": adj or None,
                  "patient_paid": pat or None}, items)


def number_pages(pdf, st, first_index, count, rng):
    if count < 2 and rng.random() < 0.5:
        return
    style = rng.choice(["Page %d of %d", "Page %d / %d", "%d of %d"])
    for k in range(count):
        pdf.pages[first_index + k].text(RIGHT, 775, style % (k + 1, count), st.regular, 7.5,
                                        align="right")


def remittance_stub(page, rng, st, provider, account, amount_due, due, y):
    y = max(y, 600)
    page.rule(20, 592, y, 0.8, dash=(4, 3))
    page.text(306, y + 11, "Please detach and return this portion with your payment",
              st.regular, 7, align="center")
    y += 30
    rows = [("Account Number", account), ("Amount Due", fmt_money(amount_due, True))]
    if due:
        rows.append(("Due Date", st.date(due)))
    for lbl, val in rows:
        page.text(LEFT, y, lbl, st.regular, 8.5)
        page.text(LEFT + 110, y, val, st.bold, 8.5)
        y += 12
    page.text(340, y - 24, "Amount Enclosed  $", st.regular, 8.5)
    page.rect(430, y - 36, 130, 16, stroke=0.0)
    page.text(340, y + 2, "Make checks payable to:", st.regular, 8)
    page.text(340, y + 13, provider["name"], st.bold, 8.5)
    for k, line in enumerate(address(rng, po_box=True)):
        page.text(340, y + 24 + 11 * k, line, st.regular, 8.5)
    return y + 50


def summary_doc(pdf, rng, kind):
    st = Style(rng)
    setting = rng.choice(["hospital", "office", "lab"])
    provider = org_look(rng, new_party(rng, setting))
    patient = {"name": person(rng), "address": address(rng)}
    account = account_number(rng, provider["name"])
    statement = D(2026, 1, 5) + DAY * rng.randrange(320)
    due = statement + DAY * rng.choice([20, 25, 30])
    charges = rng.randrange(200, 9000) * 100 + rng.choice([0, 50, 75, 20])
    ins = charges * rng.randrange(20, 60) // 100
    adj = charges * rng.randrange(5, 25) // 100
    pat = rng.choice([0, 0, 2500, 5000])
    prev = rng.choice([0, 0, 0, rng.randrange(20, 400) * 100])
    amount_due = prev + charges - ins - adj - pat
    pdf_page = pdf.new_page()
    title = rng.choice(["STATEMENT", "Patient Statement", "Account Summary", "Billing Summary",
                        "Statement of Account"])
    y = letterhead(pdf_page, rng, st, provider, title)
    fields = [(label(rng, "statement"), st.date(statement)), (label(rng, "account"), account),
              (label(rng, "patient"), patient["name"]),
              (label(rng, "amount_due"), fmt_money(amount_due, True))]
    due_printed = rng.random() < 0.8
    if due_printed:
        fields.append((label(rng, "due"), st.date(due)))
    y = address_block(pdf_page, st, y + 4, patient["name"], patient["address"],
                      mono=rng.random() < 0.5)
    y = field_block(pdf_page, rng, st, fields, y + 8)
    y += 18
    heading = st.title(rng.choice(["Account Activity", "Account Summary", "Summary of Charges"]))
    if st.header_fill is not None:
        pdf_page.rect(LEFT, y - 12, RIGHT - LEFT, 17, fill=max(st.header_fill, 0.8))
    pdf_page.text(LEFT + 6, y, heading, st.bold, 10)
    y += 20
    rows = []
    if prev:
        rows.append(("Previous balance", prev))
    rows += [(rng.choice(["Total charges", "New charges", "Charges this period",
                          "Total charges for this visit"]), charges),
             (rng.choice(["Insurance payments", "Payments from insurance"]), -ins),
             (rng.choice(["Insurance adjustments", "Adjustments", "Contractual adjustments"]),
              -adj)]
    if pat:
        rows.append((rng.choice(["Your payments", "Patient payments"]), -pat))
    for lbl, cents in rows:
        pdf_page.text(LEFT + 20, y, lbl, st.regular, 9.5)
        pdf_page.text(RIGHT - 12, y, fmt_money(cents, True, st.credit), st.regular, 9.5,
                      align="right")
        y += 15
    pdf_page.rule(360, RIGHT - 12, y - 8, 0.8)
    y += 6
    pdf_page.text(LEFT + 20, y, rng.choice(["Amount due", "Balance due", "Please pay"]), st.bold,
                  10.5)
    pdf_page.text(RIGHT - 12, y, fmt_money(amount_due, True), st.bold, 10.5, align="right")
    y += 30
    y = notes(pdf_page, st, y, [
        "This statement summarizes your account. You may request an itemized bill listing "
        "every service and supply charged.",
        "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are fictional."])
    if rng.random() < 0.7:
        remittance_stub(pdf_page, rng, st, provider, account, amount_due,
                        due if due_printed else None, y + 20)
    return truth(kind, "summary_statement", 1, provider, patient, account, statement,
                 due if due_printed else None, amount_due,
                 {"charges": charges, "insurance_paid": ins, "adjustments": adj,
                  "patient_paid": pat or None}, [])


REMARKS = {"CO-45": "Charge exceeds fee schedule/maximum allowable; provider write-off",
           "PR-1": "Deductible amount", "PR-2": "Coinsurance amount", "PR-3": "Copayment amount",
           "CO-97": "Payment included in the allowance for another service"}


def eob_doc(pdf, rng, kind, provider=None, patient=None, items=None, account=None):
    """An insurer's explanation of benefits for one claim."""
    st = Style(rng)
    insurer = {"name": rng.choice(data.INSURER), "address": address(rng, po_box=True),
               "phone": "1-800-555-01%02d" % rng.randrange(100)}
    org_look(rng, insurer)
    insurer["phone_label"] = rng.choice(["Member Services", "Customer Service", "Questions?"])
    provider = provider or new_party(rng, rng.choice(["office", "lab", "imaging", "hospital"]))
    patient = patient or {"name": person(rng), "address": address(rng)}
    if items is None:
        setting = rng.choice(["office", "lab", "imaging", "therapy"])
        items = make_items(rng, setting, D(2026, 1, 5) + DAY * rng.randrange(300),
                           rng.choice([1, 2, 3, 4, 5, 6]), rng.uniform(0.8, 1.3))
        for it in items:
            it["mod_sep"] = "-"
    rows = []
    for it in items:
        billed = it["charge"]
        allowed = billed * rng.randrange(35, 80) // 100
        kind_pr = rng.choice(["deductible", "copay", "coins", "coins"])
        pr = {"deductible": min(allowed, rng.randrange(20, 200) * 100),
              "copay": min(allowed, rng.choice([2000, 2500, 3000, 4000])),
              "coins": allowed * rng.choice([10, 20, 30]) // 100}[kind_pr]
        r = dict(it, allowed=allowed, insurance_paid=allowed - pr, patient_responsibility=pr,
                 not_covered=0, deductible=pr if kind_pr == "deductible" else 0,
                 copay=pr if kind_pr == "copay" else 0, coins=pr if kind_pr == "coins" else 0,
                 note={"deductible": "PR-1", "copay": "PR-3", "coins": "PR-2"}[kind_pr])
        rows.append(r)
    billed = sum(r["charge"] for r in rows)
    paid = sum(r["insurance_paid"] for r in rows)
    pr_total = sum(r["patient_responsibility"] for r in rows)
    last_dos = max(r["dos"] for r in rows)
    received = last_dos + DAY * rng.randrange(3, 20)
    processed = received + DAY * rng.randrange(2, 15)
    notice = processed + DAY * rng.randrange(0, 4)
    claim = "%s%d" % (rng.choice(["", "E", "C", "CLM"]), rng.randrange(10**9, 10**11))
    member_id = "%s%09d" % ("".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3)),
                            rng.randrange(10**9))
    account_printed = rng.random() < 0.7
    account = account or account_number(rng, provider["name"])

    page = pdf.new_page()
    first_index = len(pdf.pages) - 1
    title = rng.choice(["EXPLANATION OF BENEFITS", "Explanation of Benefits",
                        "Your Explanation of Benefits", "EOB - Claim Detail"])
    y = letterhead(page, rng, st, insurer, title)
    page.text(RIGHT, y - 2, "THIS IS NOT A BILL", st.bold, 9, align="right")
    y += 14
    if rng.random() < 0.6:
        y = address_block(page, st, y, patient["name"], patient["address"], mono=True)
    fields = [(rng.choice(["Member:", "Subscriber:", "Member Name:"]), patient["name"]),
              (rng.choice(["Member ID:", "ID Number:", "Member ID #:"]), member_id),
              (rng.choice(["Claim Number:", "Claim #:", "Claim ID:"]), claim),
              (rng.choice(["Statement Date:", "Date of Notice:", "Notice Date:"]),
               st.date(notice)),
              (rng.choice(["Provider:", "Rendering Provider:", "Service Provider:"]),
               provider["name"])]
    if rng.random() < 0.7:
        fields.append((rng.choice(["Date Processed:", "Processed Date:", "Processed:"]),
                       st.date(processed)))
    if rng.random() < 0.5:
        fields.append((rng.choice(["Date Received:", "Received:"]), st.date(received)))
    if account_printed:
        fields.append((rng.choice(["Patient Account No.:", "Patient Account #:",
                                   "Provider Account:", "Pt Acct #:"]), account))
    if rng.random() < 0.5:
        fields.append(("Group:", rng.choice(data.EMPLOYER) + " %05d" % rng.randrange(10**5)))
    y = field_block(page, rng, st, fields, y + 6,
                    arrangement=rng.choice(["grid", "grid", "inline"]))
    y += 16
    keys = ["date", "code"]
    if rng.random() < 0.5:
        keys.append("desc")
    keys.append("billed")
    if rng.random() < 0.3:
        keys.append("not_covered")
    keys.append("allowed")
    if rng.random() < 0.6:
        keys += ["deductible", "copay", "coins"]
    keys += ["plan_paid", "patient_resp"]
    if rng.random() < 0.6:
        keys.append("remark")
    if rng.random() < 0.2:
        keys.remove("code")
        keys.insert(0, "code")
    for r in rows:
        r["mod_column"] = False
    st.two_line_titles = st.two_line_titles or rng.random() < 0.4
    table = Table(rng, st, keys, rows, desc_min=90)
    total_texts = {"billed": st.money(billed), "allowed": st.money(sum(r["allowed"] for r in rows)),
                   "plan_paid": st.money(paid), "patient_resp": st.money(pr_total)}
    for k in ("deductible", "copay", "coins", "not_covered"):
        if k in keys:
            total_texts[k] = st.money(sum(r[k] for r in rows))
    total_texts[keys[0]] = st.title(rng.choice(["Claim Totals", "Totals", "Total"]))
    if "desc" in keys and keys[0] != "desc":
        pass

    def new_page(doc):
        p = doc.new_page()
        yy = letterhead(p, rng, st, insurer, title, compact=True)
        return p, yy + 10

    page, y = layout_table(pdf, page, y, st, rng, table, rows, new_page,
                           [(total_texts, True)])
    y += 16
    if rng.random() < 0.6:
        page.text(LEFT, y, st.title("Remark codes"), st.bold, 9)
        y += 12
        for code in sorted({r["note"] for r in rows}):
            page.text(LEFT + 8, y, code, st.bold, 8)
            page.text(LEFT + 50, y, REMARKS[code], st.regular, 8)
            y += 10
        y += 8
    page.text(LEFT, y, rng.choice(["You may owe the provider ", "Your total responsibility: ",
                                   "Amount you owe the provider: "]) + fmt_money(pr_total, True),
              st.bold, 9.5)
    y += 16
    notes(page, st, y, ["You have 180 days from the date of this notice to file an appeal.",
                        "THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are "
                        "fictional."])
    count = len(pdf.pages) - first_index
    number_pages(pdf, st, first_index, count, rng)
    return truth(kind, "eob", count, provider, patient,
                 account if account_printed else None, notice, None, pr_total,
                 {"charges": billed, "insurance_paid": paid,
                  "patient_responsibility": pr_total}, rows,
                 claim_number=claim, member_id=member_id)


def add_business_days(d, n):
    while n > 0:
        d += DAY
        if d.weekday() < 5:
            n -= 1
    return d


def collection_doc(pdf, rng, kind, creditor=None, creditor_account=None, patient=None):
    st = Style(rng)
    collector = {"name": rng.choice(data.COLLECTOR), "address": address(rng, po_box=True),
                 "phone": "1-888-555-01%02d" % rng.randrange(100)}
    org_look(rng, collector)
    original = creditor or {"name": organisation(rng, data.HOSPITAL_KIND + data.CLINIC_KIND)}
    sold = rng.random() < 0.3
    current = rng.choice(data.DEBT_BUYER) if sold else original["name"]
    creditor_account = creditor_account or account_number(rng, original["name"])
    account_printed = rng.random() < 0.8
    patient = patient or {"name": person(rng), "address": address(rng)}
    notice = D(2026, 2, 1) + DAY * rng.randrange(300)
    itemization = notice - DAY * rng.randrange(30, 200)
    validation_end = add_business_days(notice, 5) + DAY * 30
    owed_then = rng.randrange(150, 9000) * 100 + rng.choice([0, 25, 50, 88])
    interest = rng.choice([0, 0, rng.randrange(100, 5000)])
    fees = rng.choice([0, 0, 0, 2500])
    paid = rng.choice([0, 0, 2500, 5000])
    now = owed_then + interest + fees - paid
    reference = "%s%d" % (rng.choice(["", "KR-", "R", "F"]), rng.randrange(10**7, 10**10))
    ref_label = rng.choice(["Reference:", "Reference #:", "Our File #:", "File No.:",
                            "Collector Account #:", "Ref No.:"])
    page = pdf.new_page()
    collector["title_pos"] = "right"
    y = letterhead(page, rng, st, collector, st.title(rng.choice(["Notice", "Validation Notice",
                                                                  "Important notice"])))
    page.text(RIGHT, y, "Notice date: " + st.date(notice), st.regular, 9, align="right")
    page.text(RIGHT, y + 12, ref_label + " " + reference, st.regular, 9, align="right")
    y = address_block(page, st, y + 10, patient["name"], patient["address"],
                      mono=rng.random() < 0.6)
    y += 10
    size = st.size + 1
    lines = []
    if rng.random() < 0.6:      # Regulation F model notice
        lines.append(collector["name"] + " is a debt collector. We are trying to collect a debt "
                     "that you owe to " + current + ". We will use any information you give us "
                     "to help collect the debt.")
        for ln in lines:
            for w in wrap(ln, st.regular, size, RIGHT - LEFT):
                page.text(LEFT, y, w, st.regular, size)
                y += size + 4
        y += 10
        page.text(LEFT, y, "Our information shows:", st.bold, size + 1)
        y += size + 8
        sentence = "You had a medical account from " + original["name"]
        if account_printed:
            sentence += " with account number " + creditor_account
        for w in wrap(sentence + ".", st.regular, size, RIGHT - LEFT):
            page.text(LEFT, y, w, st.regular, size)
            y += size + 4
        y += 8
        rows = [("As of " + st.date(itemization) + ", you owed:", fmt_money(owed_then, True)),
                ("Between " + st.date(itemization) + " and today:", ""),
                ("    You were charged this amount in interest:",
                 "+ " + fmt_money(interest, True)),
                ("    You were charged this amount in fees:", "+ " + fmt_money(fees, True)),
                ("    You paid or were credited this amount toward the debt:",
                 "- " + fmt_money(paid, True)),
                ("Total amount of the debt now:", fmt_money(now, True))]
        for lbl, val in rows:
            bold = lbl.startswith("Total")
            if bold:
                page.rule(LEFT, RIGHT, y - size - 2, 0.6)
            page.text(LEFT, y, lbl, st.bold if bold else st.regular, size)
            page.text(RIGHT, y, val, st.bold if bold else st.regular, size, align="right")
            y += size + 6
        y += 12
        text = ("Call or write to us by " + st.date(validation_end) + " to dispute all or part "
                "of the debt. If you do not, we will assume that our information is correct.")
    else:                       # older letter with a field block
        fields = [("Current Creditor:" if sold else "Creditor:", current)]
        if sold:
            fields.append(("Original Creditor:", original["name"]))
        if account_printed:
            fields.append((rng.choice(["Original Account #:", "Creditor Account No.:",
                                       "Account Number:"]), creditor_account))
        fields += [("Balance as of " + st.date(itemization) + ":", fmt_money(owed_then, True)),
                   ("Interest since then:", fmt_money(interest, True)),
                   ("Fees since then:", fmt_money(fees, True)),
                   ("Payments since then:", fmt_money(paid, True)),
                   (rng.choice(["Balance Due:", "Amount Due:", "Total Amount Now Owed:"]),
                    fmt_money(now, True))]
        for lbl, val in fields:
            page.text(LEFT, y, lbl, st.bold, size)
            page.text(LEFT + 200, y, val, st.regular, size)
            y += size + 5
        y += 14
        text = ("This communication is from a debt collector. This is an attempt to collect a "
                "debt and any information obtained will be used for that purpose. Unless you "
                "dispute the validity of the debt, or any portion of it, by "
                + st.date(validation_end) + ", we will assume the debt is valid.")
    for w in wrap(text, st.regular, size, RIGHT - LEFT):
        page.text(LEFT, y, w, st.regular, size)
        y += size + 4
    notes(page, st, y + 16, ["THIS IS A SYNTHETIC SAMPLE DOCUMENT. All names and numbers are "
                             "fictional."])
    coll = {"name": collector["name"], "address": collector["address"],
            "phone": collector["phone"], "reference": reference, "creditor": current,
            "original_creditor": original["name"], "itemization_date": itemization.isoformat(),
            "validation_end_date": validation_end.isoformat(), "notice_date": notice.isoformat()}
    return truth(kind, "collection_notice", 1, {"name": original["name"]}, patient,
                 creditor_account if account_printed else None, notice, None, now,
                 {"patient_paid": paid or None}, [], collector=coll)


# --------------------------------------------------------------------------------------------
# Files.

KINDS = [("hospital", 26), ("office", 12), ("lab", 6), ("imaging", 4), ("therapy", 3),
         ("summary", 11), ("eob", 16), ("collection", 10), ("multi", 12)]


def one_file(seed, index):
    """(name, pdf bytes, truth) of file number index."""
    rng = random.Random("%d-%d" % (seed, index))
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    pdf = Document("random bill %d-%d" % (seed, index))
    if kind in ("hospital", "office", "lab", "imaging", "therapy"):
        docs = [statement_doc(pdf, rng, kind, "itemized_" + kind)]
    elif kind == "summary":
        docs = [summary_doc(pdf, rng, kind)]
    elif kind == "eob":
        docs = [eob_doc(pdf, rng, kind)]
    elif kind == "collection":
        docs = [collection_doc(pdf, rng, kind)]
    else:
        docs = multi_docs(pdf, rng)
    name = "%04d_%s" % (index, kind)
    return name, pdf.to_bytes(), docs[0] if len(docs) == 1 else docs


def multi_docs(pdf, rng):
    """Several documents in one file: a statement and the insurer's EOB for it, a run of
    invoices, or a statement followed by a collector's notice about the same account."""
    combo = rng.choice(["statement_eob", "invoices", "statement_collection"])
    if combo == "statement_eob":
        setting = rng.choice(["office", "lab", "imaging"])
        bill = statement_doc(pdf, rng, setting, "multi/itemized_" + setting)
        items = [dict(dos=D.fromisoformat(li["date_of_service"]), code=li["code"],
                      mods=li["modifiers"], desc=li["description"], qty=li["quantity"],
                      charge=round(li["charge"] * 100), mod_sep="-", rev=None)
                 for li in bill["line_items"]]
        eob = eob_doc(pdf, rng, "multi/eob", provider=dict(bill["provider"]),
                      patient=bill["patient"], items=items, account=bill["account_number"])
        return [bill, eob]
    if combo == "invoices":
        setting = rng.choice(["office", "lab", "therapy"])
        provider = new_party(rng, setting)
        patient = {"name": person(rng), "address": address(rng)}
        return [statement_doc(pdf, rng, setting, "multi/itemized_" + setting,
                              provider=dict(provider), patient=patient)
                for _ in range(rng.choice([2, 3, 4]))]
    bill = statement_doc(pdf, rng, "hospital", "multi/itemized_hospital")
    notice = collection_doc(pdf, rng, "multi/collection", creditor=bill["provider"],
                            creditor_account=bill["account_number"], patient=bill["patient"])
    return [bill, notice]


def generate(out, seed=2026, count=520):
    """Writes count files into out; returns their names."""
    os.makedirs(out, exist_ok=True)
    names = []
    for index in range(count):
        name, pdf_bytes, exp = one_file(seed, index)
        with open(os.path.join(out, name + ".pdf"), "wb") as f:
            f.write(pdf_bytes)
        with open(os.path.join(out, name + ".expected.json"), "w") as f:
            json.dump(exp, f, indent=1)
            f.write("\n")
        names.append(name)
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", type=int, default=520)
    a = ap.parse_args()
    names = generate(a.out, a.seed, a.count)
    print("%d files in %s" % (len(names), a.out))


if __name__ == "__main__":
    main()
