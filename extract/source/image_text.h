// Image text: telling when a page's text layer does not carry what is printed on the page (a
// bill placed on the page as a picture, among text-layer prose), and joining the words OCR
// reads from the picture to the text layer.
//
// The check is in two steps, the first free, the second cheap, so a normal text page costs
// nothing noticeable:
//  1. UntextedRegion: from the text layer alone, the largest rectangle of the page that holds
//     no text-layer word of three or more letters and digits (shorter words, such as the
//     numbered callouts drawn over a figure, do not count). A text page, even one half empty,
//     usually ends here: the rectangle must cover at least kMinUntextedShare of the page.
//  2. LooksPrinted: the rectangle rendered at a low resolution (kProbeDpi) holds ink in most
//     of its tiles, as rows of print do, where an empty end of a bill, a rule or a frame has
//     ink in few.
// Only a page that passes both is OCR'd; MergeImageWords then keeps every text-layer word and
// adds the OCR words that lie where the text layer has none.
//
// Pure functions on plain data: thread-safe, no failure modes.
#ifndef BILLWISE_EXTRACT_SOURCE_IMAGE_TEXT_H_
#define BILLWISE_EXTRACT_SOURCE_IMAGE_TEXT_H_

#include <optional>

#include "pipeline/model/image.h"
#include "pipeline/model/page.h"

namespace billwise {

// Share of the page the untexted rectangle must cover before its pixels are looked at.
inline constexpr double kMinUntextedShare = 0.15;
// Resolution the untexted rectangle is rendered at for LooksPrinted.
inline constexpr int kProbeDpi = 36;
// Share of the rectangle's tiles (about 8 points square) that must hold ink.
inline constexpr double kMinInkedShare = 0.15;
// OCR words below this confidence are not added to a text page (a photo reads as noise).
inline constexpr float kMinMergedConfidence = 50.0f;

// The largest rectangle (PDF points, page coordinates) free of text-layer words of three or
// more letters and digits, when it covers at least kMinUntextedShare of the page; else none.
// Measured on a grid of about 9-point cells, words widened by a few points.
std::optional<Box> UntextedRegion(const Page& page);

// True when at least kMinInkedShare of the image's tiles of about 8 points hold a pixel darker
// than mid-gray. `image.dpi` gives the tile size in pixels.
bool LooksPrinted(const GrayImage& image);

// Adds to `text_page` the words of `ocr_page` (same page, same size, read by OCR) that lie
// where the text layer has no word (the grid of UntextedRegion) and that have a confidence of
// at least kMinMergedConfidence. The added words make lines of their own, after the text
// layer's lines (as a second column is read after the first): an image of a bill beside
// text-layer prose is not read across the prose. Returns the number of words added. The page keeps its text-layer origin;
// its ocr_confidence becomes the mean confidence of the added words (unchanged when none).
int MergeImageWords(Page* text_page, const Page& ocr_page);

}  // namespace billwise

#endif  // BILLWISE_EXTRACT_SOURCE_IMAGE_TEXT_H_
