#!/usr/bin/env python3
"""Writes the hostile-file set into a folder: files that must end in a clear one-line
error (exit 2 naming the file) or a correct result, never a crash or a hang.

Usage: make_hostile.py OUT_DIR

Everything is generated here with the standard library (zlib for PNG and streams), so
the set needs no fixture files in the repository. qpdf, when installed, adds encrypted
PDFs (with and without a user password)."""
import os
import shutil
import struct
import subprocess
import sys
import zlib


def pdf(objects, root=1, extra_trailer=b""):
    """Builds a PDF from a list of object bodies (bytes); object i+1 is objects[i]."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, extra_trailer, xref)
    return bytes(out)


def text_page_pdf(text=b"Statement Date 01/12/2026 Amount Due $125.00"):
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def blank_pages_pdf(n):
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * n
    return pdf(objs)


def png(width, height, bit_depth=1, color_type=0, rows=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row_bytes = (width * bit_depth + 7) // 8
    comp = zlib.compressobj(9)
    data = bytearray()
    blank_row = b"\x00" + b"\xff" * row_bytes
    for y in range(height):
        data += comp.compress(rows[y] if rows else blank_row)
    data += comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))
            + chunk(b"IDAT", bytes(data)) + chunk(b"IEND", b""))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    good = text_page_pdf()
    write("zero_bytes.pdf", b"")
    for cut in (8, 64, len(good) // 2, len(good) - 40):
        write("truncated_at_%d.pdf" % cut, good[:cut])
    write("wrong_magic.pdf", b"%PDX-1.4\n" + good[9:])
    write("garbage.pdf", bytes((i * 7919 + 13) % 256 for i in range(4096)))
    write("blank_300_pages.pdf", blank_pages_pdf(300))
    # 20000 x 20000 pixels, 1 bit: 50 MB of raster that compresses to a few hundred KB.
    write("huge_20000x20000.png", png(20000, 20000))
    write("png_named.pdf", png(64, 64, 8, 0, [b"\x00" + b"\x80" * 64] * 64))
    write("text_named.pdf", b"This is a plain text file, not a PDF.\nAmount due: $12.00\n")
    write("html_named.pdf", b"<!doctype html><html><body>not a bill</body></html>\n")
    # Pages tree that points back at itself, and a page whose parent loops.
    write("self_reference.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>",
    ]))
    # Arrays nested 100000 deep inside a page's resources.
    depth = 100000
    write("deep_nesting.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Foo " + b"[" * depth + b"]" * depth + b" >>",
    ]))
    # A content stream object that refers to itself as its own length.
    write("self_length.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream",
    ]))
    write("huge_mediabox.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 >>",
    ]))
    write("truncated.png", png(64, 64, 8, 0, [b"\x00" + b"\x80" * 64] * 64)[:60])
    write("truncated.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb")
    write("truncated.tif", b"II*\x00\x08\x00\x00\x00\xff\xff")
    qpdf = shutil.which("qpdf")
    if qpdf:
        src = os.path.join(out, ".plain_source.pdf")
        write(".plain_source.pdf", good)
        subprocess.run([qpdf, "--encrypt", "userpw", "ownerpw", "256", "--", src,
                        os.path.join(out, "encrypted_user_password.pdf")], check=True)
        subprocess.run([qpdf, "--encrypt", "", "ownerpw", "256", "--", src,
                        os.path.join(out, "encrypted_owner_only.pdf")], check=True)
        os.remove(src)


if __name__ == "__main__":
    main()
