#!/usr/bin/env python3
"""Writes an image-only PDF from JPEG files, one page per image (standard library only).

    python3 images_to_pdf.py OUT.pdf DPI page1.jpg [page2.jpg ...]

Each JPEG is embedded as-is with /DCTDecode and drawn over the whole page; the page size is
the image size at DPI. Output is deterministic (fixed /ID, no dates). Used by make_scans.sh
when img2pdf is not installed.
"""

import struct
import sys


def jpeg_info(data):
    """(width, height, components) from a JPEG's SOF marker."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
                      0xCF):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height, data[i + 9]
        i += 2 + length
    raise ValueError("no SOF marker in JPEG")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out_path, dpi, images = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    objects = [None, None]  # catalog, pages
    kids = []
    for path in images:
        data = open(path, "rb").read()
        w, h, comps = jpeg_info(data)
        cs = {1: b"/DeviceGray", 3: b"/DeviceRGB", 4: b"/DeviceCMYK"}[comps]
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s"
                       b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
                       % (w, h, cs, len(data)) + data + b"\nendstream")
        img = len(objects)
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n" % (pw, ph)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream")
        cont = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources"
                       b" << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                       % (pw, ph, img, cont))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                  + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, b"0" * 32, b"0" * 32, xref))
    with open(out_path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
