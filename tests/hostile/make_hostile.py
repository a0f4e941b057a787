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


def tiff_pages(n, loop=False, width=1, height=1):
    """A little-endian TIFF of n 8-bit gray pages sharing one strip; with loop=True the last
    IFD points back at the first (an endless page chain)."""
    out = bytearray(b"II*\x00\x08\x00\x00\x00")
    strip = len(out)
    out += b"\x80" * 8  # strip data (only the first byte is read for a 1x1 page)
    first = len(out)
    entries = 8
    ifd_size = 2 + 12 * entries + 4
    for i in range(n):
        here = len(out)
        nxt = here + ifd_size if i + 1 < n else (first if loop else 0)
        def entry(tag, typ, value):
            return struct.pack("<HHII", tag, typ, 1, value)
        out += struct.pack("<H", entries)
        out += entry(256, 4, width) + entry(257, 4, height) + entry(258, 3, 8) + entry(259, 3, 1)
        out += entry(262, 3, 1) + entry(273, 4, strip) + entry(278, 4, height) + entry(279, 4, 8)
        out += struct.pack("<I", nxt)
    out[4:8] = struct.pack("<I", first)
    return bytes(out)


def jpeg_header(width, height):
    """A baseline JPEG header declaring width x height, with tables, and almost no data."""
    def seg(marker, payload):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
    dqt = seg(0xDB, b"\x00" + b"\x01" * 64)
    sof = seg(0xC0, b"\x08" + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00")
    # The standard luminance DC and AC Huffman tables.
    dc_bits = bytes([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    dht_dc = seg(0xC4, b"\x00" + dc_bits + bytes(range(12)))
    ac_bits = bytes([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D])
    ac_vals = bytes([1, 2, 3, 0, 4, 0x11, 5, 0x12, 0x21, 0x31, 0x41, 6, 0x13, 0x51, 0x61, 7] + list(range(0x20, 0x20 + 146)))
    dht_ac = seg(0xC4, b"\x10" + ac_bits + ac_vals[:162])
    sos = seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return (b"\xff\xd8" + seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00") + dqt + sof + dht_dc
            + dht_ac + sos + b"\x00" * 64 + b"\xff\xd9")


def flate_bomb_pdf(megabytes):
    """One page whose content stream inflates to `megabytes` MB of spaces."""
    comp = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(comp.compress(block) for _ in range(megabytes)) + comp.flush()
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


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
    # Gaps beyond the list in the issue: declared sizes far beyond the data, endless chains,
    # decompression bombs and claims that do not match the file.
    write("huge_declared.jpg", jpeg_header(65000, 65000))
    write("huge_declared.png", png(100000, 100000)[:200])
    write("huge_declared.tif", tiff_pages(1, width=60000, height=60000))
    write("thousands_of_pages.tif", tiff_pages(3000))
    write("ifd_loop.tif", tiff_pages(3, loop=True))
    write("flate_bomb.pdf", flate_bomb_pdf(200))
    write("page_count_1e9.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]))
    write("page_count_negative.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count -5 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]))
    # The trailer's /Prev points back at the same xref table.
    looped = bytearray(good)
    xref_at = looped.rindex(b"xref\n")
    looped = looped.replace(b"trailer\n<< ", b"trailer\n<< /Prev %d " % xref_at)
    write("xref_loop.pdf", bytes(looped))
    write("startxref_out_of_range.pdf", good.replace(b"startxref\n%d" % xref_at, b"startxref\n99999999"))
    write("zero_mediabox.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] >>",
    ]))
    write("nan_mediabox.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1e400 -1e400] /Rotate 45 >>",
    ]))
    # A page whose image XObject declares 60000 x 60000 pixels backed by a few bytes.
    write("huge_image_xobject.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length 35 >>\nstream\nq 612 0 0 792 0 0 cm /Im1 Do Q     \nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x00\x00\x00\nendstream",
    ]))
    # Text files: a form feed flood (a page each), one 4 MB line, invalid UTF-8, NUL bytes.
    write("form_feeds.txt", b"Amount due $1.00\f" * 5000)
    write("long_line.txt", b"99213 Office visit $125.00 " * 150000)
    write("many_lines.txt", b"01/02/2026  99213  OFFICE VISIT  1  $125.00\n" * 100000)
    write("invalid_utf8.txt", b"Statement \xff\xfe\xc3\x28 Amount Due $12.00\n" * 20)
    write("nul_bytes.pdf", b"\x00" * 4096)
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
