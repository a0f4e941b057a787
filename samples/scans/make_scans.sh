#!/usr/bin/env bash
# Makes "scanned" versions of a few generated samples for the OCR tests: rendered with
# pdftoppm, then turned, blurred, noised and compressed with ImageMagick (fixed -seed, so the
# output is repeatable). Usage: samples/scans/make_scans.sh [OUT_DIR]  (default: this folder)
# Needs pdftoppm (poppler-utils) and ImageMagick 6 convert; python3 for the image-only PDF.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
generated="$here/../generated"
out="${1:-$here}"
mkdir -p "$out"
convert_bin="${CONVERT:-}"
if [[ -z "$convert_bin" ]]; then
  if [[ -x /usr/bin/convert ]]; then convert_bin=/usr/bin/convert; else convert_bin=convert; fi
fi
command -v pdftoppm >/dev/null || { echo "make_scans.sh: pdftoppm not found" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Repeatable PNG/TIFF output: no time stamps, no ImageMagick comments.
im() { "$convert_bin" -seed 4242 "$@"; }
png_opts=(-strip -define png:exclude-chunks=date,time)

render() {  # render NAME DPI FIRST LAST -> $tmp/NAME-DPI-N.pgm
  pdftoppm -gray -r "$2" -f "$3" -l "$4" "$generated/$1.pdf" "$tmp/$1-$2"
}

# 1. Hospital statement page 1, 300 dpi, turned 1.5 degrees, light noise and blur, JPEG q55.
render hospital_itemized 300 1 1
im "$tmp"/hospital_itemized-300-1.pgm -background white -rotate 1.5 +repage -blur 0x0.6 \
   -attenuate 0.35 +noise Gaussian -quality 55 -density 300 -units PixelsPerInch -strip \
   "$out/hospital_itemized_p1_300dpi.jpg"

# 2. Physician statement, 200 dpi, turned -0.8 degrees, blurred, 16 gray levels, PNG.
render physician_office 200 1 1
im "$tmp"/physician_office-200-1.pgm -background white -rotate -0.8 +repage -blur 0x0.8 \
   -depth 4 -density 200 -units PixelsPerInch "${png_opts[@]}" \
   "$out/physician_office_200dpi.png"

# 3. Lab bill, 200 dpi, turned 2 degrees, noise, TIFF (Zip, 16 gray levels).
render lab_imaging 200 1 1
im "$tmp"/lab_imaging-200-1.pgm -background white -rotate 2 +repage -attenuate 0.2 +noise Gaussian \
   -depth 4 -compress Zip -density 200 -units PixelsPerInch -strip \
   "$out/lab_imaging_200dpi.tif"

# 4. EOB as a fax: 200 dpi, turned -3 degrees, speckled, thresholded to 1 bit.
render eob_insurer 200 1 1
im "$tmp"/eob_insurer-200-1.pgm -background white -rotate -3 +repage -attenuate 0.12 +noise Impulse \
   -threshold 55% -monochrome -density 200 -units PixelsPerInch "${png_opts[@]}" \
   "$out/eob_insurer_fax.png"

# 5. The whole hospital statement as an image-only PDF (200 dpi JPEG pages, 0.7 degrees).
render hospital_itemized 200 1 99
pages=()
for pgm in "$tmp"/hospital_itemized-200-*.pgm; do
  jpg="${pgm%.pgm}.jpg"
  im "$pgm" -background white -rotate 0.7 +repage -blur 0x0.5 -quality 50 -strip "$jpg"
  pages+=("$jpg")
done
if python3 -c "import img2pdf" 2>/dev/null; then
  python3 -m img2pdf --dpi 200 -o "$out/hospital_itemized_scan.pdf" "${pages[@]}"
else
  python3 "$here/images_to_pdf.py" "$out/hospital_itemized_scan.pdf" 200 "${pages[@]}"
fi

ls -l "$out"/hospital_itemized_p1_300dpi.jpg "$out"/physician_office_200dpi.png \
  "$out"/lab_imaging_200dpi.tif "$out"/eob_insurer_fax.png "$out"/hospital_itemized_scan.pdf
