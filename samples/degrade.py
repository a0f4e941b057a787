#!/usr/bin/env python3
"""Renders a PDF as a degraded scan: a 200 dpi office scan, a fax, or a phone photo.

    python3 samples/degrade.py KIND IN.pdf OUT_STEM [--seed N]

KIND is one of:
  scan200  200 dpi grey, turned up to 1.2 degrees, slight blur and sensor noise, JPEG q75;
           one page -> OUT_STEM.jpg, several -> an image-only PDF OUT_STEM.pdf (200 dpi)
  fax      fax standard mode: 204 x 98 dpi (pixels twice as tall as wide), turned up to
           1 degree, speckle, thresholded to 1 bit, Group 4 TIFF (all pages) OUT_STEM.tif
  photo    a phone photo of each page: 200 dpi, on a dark table, perspective (corners
           moved up to ~4% of the page), a slight bow of the lines, a shadow gradient across
           the page, JPEG q80; one page -> OUT_STEM.jpg, several -> OUT_STEM.pdf

Prints the path written. Needs pdftoppm (poppler-utils) and ImageMagick's convert; python3
for the image-only PDF (samples/scans/images_to_pdf.py). The output is repeatable for a given
seed (ImageMagick's noise takes -seed).
"""

import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES_TO_PDF = os.path.join(HERE, "scans", "images_to_pdf.py")
KINDS = ("scan200", "fax", "photo")


def convert_binary():
    # The Debian binary when present (a wrapper earlier on PATH may change its options).
    return "/usr/bin/convert" if os.path.exists("/usr/bin/convert") else "convert"


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], r.stderr.strip()[-300:]))


def render(pdf, tmp, rx, ry=None):
    """Grey pages of pdf at rx x ry dpi; returns the PGM paths in page order."""
    args = ["pdftoppm", "-gray"]
    args += ["-rx", str(rx), "-ry", str(ry)] if ry else ["-r", str(rx)]
    run(args + [pdf, os.path.join(tmp, "p")])
    return sorted(glob.glob(os.path.join(tmp, "p*.pgm")))


def pack(images, stem, dpi):
    """One page: the image itself; several: an image-only PDF of the JPEG pages."""
    if len(images) == 1:
        out = stem + os.path.splitext(images[0])[1]
        shutil.move(images[0], out)
        return out
    out = stem + ".pdf"
    run([sys.executable, IMAGES_TO_PDF, out, str(dpi)] + images)
    return out


def scan200(pdf, stem, rng, tmp):
    im = convert_binary()
    jpgs = []
    for k, pgm in enumerate(render(pdf, tmp, 200)):
        jpg = pgm[:-4] + ".jpg"
        run([im, "-seed", str(rng.randrange(10**6)), pgm, "-background", "white", "-rotate",
             "%.2f" % rng.uniform(-1.2, 1.2), "+repage", "-blur", "0x%.2f" % rng.uniform(0.3, 0.7),
             "-attenuate", "%.2f" % rng.uniform(0.2, 0.5), "+noise", "Gaussian",
             "-quality", "75", "-density", "200", "-units", "PixelsPerInch", "-strip", jpg])
        jpgs.append(jpg)
    return pack(jpgs, stem, 200)


def fax(pdf, stem, rng, tmp):
    im = convert_binary()
    pages = render(pdf, tmp, 204, 98)
    out = stem + ".tif"
    run([im, "-seed", str(rng.randrange(10**6))] + pages +
        ["-background", "white", "-rotate", "%.2f" % rng.uniform(-1.0, 1.0), "+repage",
         "-attenuate", "%.2f" % rng.uniform(0.03, 0.08), "+noise", "Impulse",
         "-threshold", "%d%%" % rng.randrange(50, 62), "-monochrome", "-compress", "Group4",
         "-density", "204x98", "-units", "PixelsPerInch", "-strip", out])
    return out


def photo(pdf, stem, rng, tmp):
    im = convert_binary()
    jpgs = []
    for pgm in render(pdf, tmp, 200):
        w, h = 1700, 2200                      # a Letter page at 200 dpi
        border = 140
        W, H = w + 2 * border, h + 2 * border
        j = lambda: rng.uniform(0.0, 0.04)     # noqa: E731  corner shift, share of the side
        corners = [(border, border), (border + w, border), (border + w, border + h),
                   (border, border + h)]
        moved = [(border + w * j(), border + h * j()), (border + w - w * j(), border + h * j()),
                 (border + w - w * j(), border + h - h * j()),
                 (border + w * j(), border + h - h * j())]
        spec = "  ".join("%d,%d %d,%d" % (a[0], a[1], b[0], b[1]) for a, b in zip(corners, moved))
        angle = rng.choice([0, 90, 180, 270]) + rng.uniform(-30, 30)
        dark = rng.randrange(45, 70)
        jpg = pgm[:-4] + ".jpg"
        run([im, "-seed", str(rng.randrange(10**6)), pgm, "-resize", "%dx%d!" % (w, h),
             "-bordercolor", "gray(30)", "-border", str(border),
             # the page bows: each column shifts up or down by a smooth wave
             "-background", "gray(30)", "-wave", "%.1fx%d" % (rng.uniform(10, 20), 2 * W),
             "-virtual-pixel", "background", "-distort", "Perspective", spec,
             # a shadow: a small rotated gradient, cropped and scaled up to the photo
             "(", "-size", "300x300", "gradient:white-gray(%d%%)" % dark,
             "-rotate", "%.1f" % angle, "-gravity", "center", "-extent", "200x200",
             "-resize", "%dx%d!" % (W, H + 20), "+repage", ")",
             "-gravity", "northwest", "-compose", "Multiply", "-composite",
             "-blur", "0x%.2f" % rng.uniform(0.4, 0.9), "-attenuate", "0.4", "+noise", "Gaussian",
             "-colorspace", "gray", "-quality", "80", "-strip", jpg])
        jpgs.append(jpg)
    return pack(jpgs, stem, 200)


def degrade(kind, pdf, stem, seed=0):
    """Writes the degraded rendering of pdf for kind next to stem; returns its path."""
    if kind not in KINDS:
        raise ValueError("unknown kind %s; known: %s" % (kind, ", ".join(KINDS)))
    rng = random.Random("%s-%d-%s" % (kind, seed, os.path.basename(stem)))
    tmp = tempfile.mkdtemp(prefix="billwise_degrade_")
    try:
        return {"scan200": scan200, "fax": fax, "photo": photo}[kind](pdf, stem, rng, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    args = sys.argv[1:]
    seed = 0
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        print(degrade(args[0], args[1], args[2], seed))
    except (ValueError, RuntimeError) as e:
        print("degrade.py: %s: %s" % (args[1], e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
