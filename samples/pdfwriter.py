"""A tiny PDF writer for the synthetic samples: standard library only.

Writes PDF 1.4 files with the base-14 fonts Helvetica, Helvetica-Bold, Courier, Courier-Bold,
Times-Roman and Times-Bold (WinAnsiEncoding, no embedding), positioned text, filled and stroked
rectangles and rules, and Flate-compressed content streams. Coordinates given to Page are
in points with a TOP-left origin (y is the baseline of text, growing down), which is how the
layouts are easier to think about; the writer flips them into PDF user space.

Output is deterministic: fixed /ID, fixed dates, no timestamps.
"""

import hashlib
import zlib

# Advance widths (1/1000 em) of the printable ASCII characters 32..126, from the Adobe
# Font Metrics of the base-14 fonts.
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]
_HELVETICA_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
]

_TIMES = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
]
_TIMES_BOLD = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
]

# The first four are written into every file (the committed samples depend on that object
# numbering); the Times pair only into files that use it.
FONTS = {
    "F1": ("Helvetica", _HELVETICA),
    "F2": ("Helvetica-Bold", _HELVETICA_BOLD),
    "F3": ("Courier", None),
    "F4": ("Courier-Bold", None),
    "F5": ("Times-Roman", _TIMES),
    "F6": ("Times-Bold", _TIMES_BOLD),
}
_ALWAYS = ("F1", "F2", "F3", "F4")
REGULAR, BOLD, MONO, MONO_BOLD, SERIF, SERIF_BOLD = "F1", "F2", "F3", "F4", "F5", "F6"


def text_width(s, font, size):
    """Width of s in points when set in font at size."""
    _, widths = FONTS[font]
    total = 0
    for ch in s:
        code = ord(ch)
        if widths is None:
            total += 600
        elif 32 <= code <= 126:
            total += widths[code - 32]
        else:
            total += 556
    return total * size / 1000.0


def _escape(s):
    out = []
    for ch in s:
        if ch in "\\()":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            code = ch.encode("cp1252", errors="replace")[0]
            out.append("\\%03o" % code)
    return "".join(out)


def _num(v):
    s = ("%.3f" % v).rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


class Page:
    """One page's drawing operations (top-left origin, points)."""

    def __init__(self, width=612, height=792):
        self.width = width
        self.height = height
        self._ops = []
        self.fonts = set()

    def text(self, x, y, s, font=REGULAR, size=9, gray=0.0, align="left"):
        """Draws s with its baseline at y; align is left, right (x is the right edge) or center."""
        if not s:
            return
        self.fonts.add(font)
        w = text_width(s, font, size)
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        self._ops.append(
            "BT %s g /%s %s Tf %s %s Td (%s) Tj ET"
            % (_num(gray), font, _num(size), _num(x), _num(self.height - y), _escape(s))
        )

    def rect(self, x, y, w, h, fill=None, stroke=None, line_width=0.5):
        """Rectangle with its top-left corner at (x, y); fill and stroke are gray levels."""
        ops = []
        if fill is not None:
            ops.append("%s g" % _num(fill))
        if stroke is not None:
            ops.append("%s G %s w" % (_num(stroke), _num(line_width)))
        ops.append("%s %s %s %s re" % (_num(x), _num(self.height - y - h), _num(w), _num(h)))
        if fill is not None and stroke is not None:
            ops.append("B")
        elif fill is not None:
            ops.append("f")
        else:
            ops.append("S")
        self._ops.append("q " + " ".join(ops) + " Q")

    def rule(self, x0, x1, y, line_width=0.5, gray=0.0, dash=None):
        """Horizontal rule from x0 to x1 at y."""
        d = "[%s] 0 d " % " ".join(_num(v) for v in dash) if dash else ""
        self._ops.append(
            "q %s%s G %s w %s %s m %s %s l S Q"
            % (d, _num(gray), _num(line_width), _num(x0), _num(self.height - y), _num(x1),
               _num(self.height - y))
        )

    def vrule(self, x, y0, y1, line_width=0.5, gray=0.0):
        self._ops.append(
            "q %s G %s w %s %s m %s %s l S Q"
            % (_num(gray), _num(line_width), _num(x), _num(self.height - y0), _num(x),
               _num(self.height - y1))
        )

    def content(self):
        return ("\n".join(self._ops) + "\n").encode("latin-1")


class Document:
    """A list of Pages written as one PDF file."""

    def __init__(self, title, creation_date="D:20261102090000Z"):
        self.title = title
        self.creation_date = creation_date
        self.pages = []

    def new_page(self, width=612, height=792):
        page = Page(width, height)
        self.pages.append(page)
        return page

    def to_bytes(self):
        objects = []  # bodies, object number = index + 1

        def add(body):
            objects.append(body)
            return len(objects)

        catalog = add(None)
        pages_obj = add(None)
        font_ids = {}
        used = set().union(*(page.fonts for page in self.pages)) if self.pages else set()
        for key, (base, _) in FONTS.items():
            if key not in _ALWAYS and key not in used:
                continue
            font_ids[key] = add(
                b"<< /Type /Font /Subtype /Type1 /BaseFont /" + base.encode()
                + b" /Encoding /WinAnsiEncoding >>"
            )
        info = add(
            ("<< /Title (%s) /Producer (billwise samples/generate.py) /Creator (billwise samples)"
             " /CreationDate (%s) /ModDate (%s) >>"
             % (_escape(self.title), self.creation_date, self.creation_date)).encode("latin-1")
        )
        fonts = b" ".join(b"/%s %d 0 R" % (k.encode(), v) for k, v in font_ids.items())
        kids = []
        for page in self.pages:
            data = zlib.compress(page.content(), 9)
            content = add(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
                + b"\nendstream"
            )
            kids.append(add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /Font << %s >>"
                b" /ProcSet [/PDF /Text] >> /Contents %d 0 R >>"
                % (pages_obj, _num(page.width).encode(), _num(page.height).encode(), fonts,
                   content)
            ))
        objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
        objects[pages_obj - 1] = (
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
            + b"] /Count %d >>" % len(kids)
        )

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        doc_id = hashlib.md5(self.title.encode("utf-8")).hexdigest().encode()
        out += (
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info, doc_id, doc_id, xref)
        )
        return bytes(out)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.to_bytes())
