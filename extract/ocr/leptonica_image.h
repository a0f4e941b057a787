// Leptonica adapter: decoding raster files and cleaning page images up before OCR.
//
// This is the only file in billwise that calls Leptonica. It turns PNG, JPEG and TIFF bytes
// (every page of a multi-page TIFF) into 8-bit GrayImages, converts between GrayImage and
// Leptonica's Pix, and runs the cleanup steps that measurably help Tesseract on scans
// (extract/ocr/README.md has the numbers):
//  - resolution: pages scanned at 150 dpi or less (or with no dpi and a small page) are
//    upscaled to about 300 dpi;
//  - phone photos: the bright page is found on a dark background, its quadrilateral mapped
//    back to a rectangle (projective transform), its uneven lighting evened out and its
//    bowed text lines straightened (Leptonica's vertical-disparity dewarp);
//  - specks: on bilevel pages (faxes) dark pixels with no dark neighbour are removed;
//  - noise: a cheap noise estimate decides whether a 3x3 median runs (it is the step that
//    matters on noisy scans and is skipped on clean renders);
//  - uneven background: background normalisation when the paper brightness varies;
//  - white-on-dark table header bands can be found and inverted in place (measured: off by
//    default, Tesseract 5 already reads inverted lines);
//  - skew beyond about 0.5 degrees is corrected; binarisation is optional (off by default:
//    Tesseract's own Otsu does as well once the page is denoised).
//
// Contract: pure functions on values. Thread-safe (no shared state; Leptonica's messages
// are silenced once per process). Failures are returned as Error, never thrown; a cleanup
// step that fails inside Leptonica is skipped and the page goes on uncleaned.
#ifndef BILLWISE_EXTRACT_OCR_LEPTONICA_IMAGE_H_
#define BILLWISE_EXTRACT_OCR_LEPTONICA_IMAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.h"
#include "pipeline/model/image.h"

struct Pix;  // Leptonica's image; only leptonica_image.cc sees its definition.

namespace billwise {

// Owns a Pix; destroys it with pixDestroy.
struct PixDeleter {
  void operator()(Pix* pix) const;
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Copies a GrayImage into a new 8-bit Pix (row padding and Leptonica's big-endian byte
// order inside 32-bit words handled); the resolution is carried over. Null on failure.
PixPtr PixFromGray(const GrayImage& image);

// Copies any Pix (1, 2, 4, 8, 16, 32 bpp, colour-mapped or not) into an 8-bit GrayImage.
// `fallback_dpi` is used when the Pix carries no resolution.
Expected<GrayImage> GrayFromPix(const Pix* pix, int fallback_dpi = 0);

// Decodes PNG, JPEG or TIFF bytes into gray pages (all pages of a TIFF, at most
// `max_pages`, else kLimitExceeded). The header is read first: a (first) page over
// `max_pixels` fails with kLimitExceeded before any pixels are decoded; later TIFF pages are
// checked as each is decoded. Other formats or corrupt data: kInvalidInput.
// Pages keep the file's resolution in `dpi`, or 0 when the file states none. A 1-bit page
// under 300 dpi on either axis (a fax at 204 x 98 dpi) comes back as 300-dpi grey:
// despeckled, each axis scaled to 300 dpi, smoothed (extract/ocr/README.md, step 0). Any
// other page whose horizontal and vertical resolutions differ is stretched along the coarser
// axis so its pixels are square at the finer resolution.
// Nothing is printed: libpng/libjpeg messages are discarded by pointing file descriptor 2 at
// /dev/null for the duration of the call (serialised by a process-wide mutex, so decodes
// run one at a time and other threads' stderr output during a decode is lost).
Expected<std::vector<GrayImage>> DecodeImages(std::string_view bytes, int64_t max_pixels,
                                              int max_pages);

// Brings a page to OCR resolution: a page at 150 dpi or less, or with no dpi (0) whose size
// suggests less than about 200 dpi for a Letter/A4 page, is upscaled (linear interpolation)
// to about `target_dpi`; dpi is then set. Pages already fine are returned unchanged (the
// no-dpi case gets the dpi its size implies).
GrayImage NormalizeResolution(GrayImage image, int target_dpi = 300);

// Turns the image clockwise by 90 degrees times `quarter_turns` (any integer).
GrayImage RotateQuarterTurns(const GrayImage& image, int quarter_turns);

// A smaller copy (area-averaged) scaled by `factor` in (0, 1]; dpi scaled too.
GrayImage Downscale(const GrayImage& image, double factor);

// The 3x3 median of an 8-bit page: pixel for pixel what Leptonica's
// pixMedianFilter(pix, 3, 3) gives, border included (Leptonica mirrors a one-pixel border,
// i.e. repeats the edge row and column). Each column's three values are sorted once per row
// and reused by the three windows that share them; the median of the window is then the
// median of (largest low, median of the middles, smallest high), all branch-free byte
// min/max that the compiler vectorises. About 100x fewer instructions than Leptonica's
// histogram rank filter on a 300-dpi page (extract/ocr/README.md). An image whose pixel
// count does not match its size is returned unchanged.
GrayImage Median3x3(const GrayImage& image);

// Leptonica's own rank-filter median (pixMedianFilter) over a `width` x `height` window:
// the reference Median3x3 is checked against, and the filter for other window sizes. The
// input is returned unchanged when Leptonica fails.
GrayImage LeptonicaMedian(const GrayImage& image, int width, int height);

// The page turned by `radians` (counter-clockwise positive, as Leptonica) about its centre,
// same size, uncovered corners white: pixel for pixel Leptonica's
// pixRotate(pix, radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0) on an 8-bit image
// (16x16 sub-pixel area weighting, the same float arithmetic), on the GrayImage directly, so
// the deskew step needs no Pix copies around it. Turns under 0.001 radians return the image.
GrayImage RotateAreaMap(const GrayImage& image, float radians);

// Leptonica's own pixRotate as above: the reference RotateAreaMap is tested against.
GrayImage LeptonicaRotateAreaMap(const GrayImage& image, float radians);

// True when every pixel is 0 or 255 (a fax or a thresholded scan).
bool IsBilevel(const GrayImage& image);

// Whitens every dark pixel (< 128) none of whose 8 neighbours is dark; returns how many.
int RemoveIsolatedDots(GrayImage* image);

// Noise estimate of a page: the mean absolute second difference over paper-coloured pixels
// (0 for a clean render; 2-3 on a typical office scan; > 6 on a noisy fax or phone shot).
double EstimateNoise(const GrayImage& image);

enum class Step { kAuto, kOn, kOff };

struct CleanupOptions {
  Step median = Step::kAuto;         // kAuto: when EstimateNoise() >= noise_threshold
  Step background = Step::kAuto;     // kAuto: when the paper brightness varies over the page
  Step deskew = Step::kAuto;         // kAuto: when |skew| >= min_skew_degrees with confidence
  Step binarize = Step::kOff;        // Otsu; off by default (see README)
  Step invert_bands = Step::kOff;    // white-on-dark bands turned dark-on-white; off by
                                     // default: Tesseract inverts such lines itself and
                                     // reads them better unaltered (README)
  Step photo = Step::kAuto;          // page-on-dark-table detection and perspective fix
  Step dewarp = Step::kAuto;         // bowed text lines straightened; kAuto: photographed
                                     // pages (after the perspective fix)
  Step despeckle = Step::kAuto;      // isolated dark pixels removed; kAuto: bilevel pages
  double noise_threshold = 4.0;
  double min_skew_degrees = 0.2;  // a 0.3 degree tilt joins a shaded header band's rule
                                  // to its text across a 1700-pixel row
};

struct CleanupReport {
  double noise = 0;
  bool median = false;
  bool background = false;
  float skew_degrees = 0;  // measured skew (positive = counter-clockwise correction applied)
  bool deskewed = false;
  bool binarized = false;
  int bands_inverted = 0;
  bool photo_corrected = false;
  bool dewarped = false;
  int dewarp_lines = 0;    // long text lines found for the dewarp model (0 when not tried)
  int specks_removed = 0;  // isolated dark pixels whitened (despeckle)
};

// Runs the cleanup steps on an 8-bit page (call NormalizeResolution first). Never fails:
// a step Leptonica cannot do is skipped. `report` (optional) says what ran.
GrayImage CleanupForOcr(const GrayImage& image, const CleanupOptions& options,
                        CleanupReport* report = nullptr);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_OCR_LEPTONICA_IMAGE_H_
