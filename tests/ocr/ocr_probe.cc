// ocr_probe: reads one file through the OCR path and prints what was done and the lines.
// Used by bench/ocr_*.sh and for measuring cleanup choices (extract/ocr/README.md).
//   ocr_probe FILE [--median auto|on|off] [--background ..] [--deskew ..] [--binarize ..]
//             [--bands ..] [--photo ..] [--dewarp ..] [--workers N] [--ocr auto|always|never] [--quiet]
//             [--text]   (print Line::text of every page, nothing else)
//             [--stages] (default cleanup on this thread, printing CPU seconds per stage)
//             [--words]  (print every word: confidence, box in points, text)
//             [--cells]  (print every line's cells: x0-x1 in points and text)
//             [--reread CONF] (second look at short words below CONF; 0 = off; implies
//                              --stages)
//             [--save-cleaned STEM] (write each cleaned page as STEM-N.pgm; implies --stages)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "extract/ocr/document_reader.h"
#include "extract/ocr/leptonica_image.h"
#include "extract/ocr/tesseract_engine.h"
#include "extract/source/pdf_document.h"
#include "extract/source/sniff.h"

namespace {

billwise::Step ParseStep(const char* s) {
  if (std::strcmp(s, "on") == 0) return billwise::Step::kOn;
  if (std::strcmp(s, "off") == 0) return billwise::Step::kOff;
  return billwise::Step::kAuto;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ocr_probe FILE [options]\n");
    return 2;
  }
  billwise::CleanupOptions cleanup;
  billwise::ReadOptions read;
  bool text_only = false, quiet = false, custom = false, words = false, cells = false;
  float reread = -1;
  std::string save_stem;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "auto";
    if (a == "--median") { cleanup.median = ParseStep(v); custom = true; ++i; }
    else if (a == "--background") { cleanup.background = ParseStep(v); custom = true; ++i; }
    else if (a == "--deskew") { cleanup.deskew = ParseStep(v); custom = true; ++i; }
    else if (a == "--binarize") { cleanup.binarize = ParseStep(v); custom = true; ++i; }
    else if (a == "--bands") { cleanup.invert_bands = ParseStep(v); custom = true; ++i; }
    else if (a == "--photo") { cleanup.photo = ParseStep(v); custom = true; ++i; }
    else if (a == "--dewarp") { cleanup.dewarp = ParseStep(v); custom = true; ++i; }
    else if (a == "--workers") { read.workers = std::atoi(v); ++i; }
    else if (a == "--ocr") { read.ocr_mode = billwise::ParseOcrMode(v).value_or(billwise::OcrMode::kAuto); ++i; }
    else if (a == "--reread") { reread = static_cast<float>(std::atof(v)); custom = true; ++i; }
    else if (a == "--save-cleaned") { save_stem = v; custom = true; ++i; }
    else if (a == "--stages") custom = true;  // one engine, this thread, per-stage CPU times
    else if (a == "--text") text_only = true;
    else if (a == "--words") words = true;
    else if (a == "--cells") cells = true;
    else if (a == "--quiet") quiet = true;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto start = std::chrono::steady_clock::now();
  std::vector<billwise::Page> pages;
  if (custom) {
    // Single-threaded path with explicit cleanup choices (images, or PDFs rendered).
    auto engine = billwise::TesseractEngine::Create();
    if (!engine) { std::fprintf(stderr, "%s\n", engine.error().message.c_str()); return 2; }
    if (reread >= 0) {
      billwise::RereadOptions options = (*engine)->reread();
      options.below_confidence = reread;
      (*engine)->SetReread(options);
    }
    std::vector<billwise::GrayImage> images;
    billwise::Expected<std::vector<billwise::GrayImage>> decoded;
    if (billwise::SniffKind(bytes) == billwise::FileKind::kPdf) {
      auto doc = billwise::PdfDocument::Open(bytes);
      if (!doc) { std::fprintf(stderr, "%s\n", doc.error().message.c_str()); return 2; }
      decoded.emplace();
      for (int i = 0; i < doc->PageCount(); ++i) {
        auto image = doc->Render(i, read.dpi, read.max_pixels_per_page);
        if (!image) { std::fprintf(stderr, "%s\n", image.error().message.c_str()); return 2; }
        decoded->push_back(std::move(*image));
      }
    } else {
      decoded = billwise::DecodeImages(bytes, read.max_pixels_per_page, read.max_pages);
    }
    if (!decoded) { std::fprintf(stderr, "%s\n", decoded.error().message.c_str()); return 2; }
    int n = 0;
    for (auto& image : *decoded) {
      if (!save_stem.empty()) {
        const billwise::GrayImage cleaned =
            billwise::CleanupForOcr(billwise::NormalizeResolution(image), cleanup);
        std::ofstream out(save_stem + "-" + std::to_string(n + 1) + ".pgm", std::ios::binary);
        out << "P5\n" << cleaned.width << " " << cleaned.height << "\n255\n";
        out.write(reinterpret_cast<const char*>(cleaned.pixels.data()),
                  static_cast<std::streamsize>(cleaned.pixels.size()));
      }
      billwise::OcrPageReport rep;
      auto page = billwise::OcrImage(**engine, image, ++n, cleanup, &rep);
      if (!page) { std::fprintf(stderr, "%s\n", page.error().message.c_str()); return 2; }
      if (!text_only) {
        std::fprintf(stderr,
                     "page %d: dpi %d turns %d noise %.2f median %d bg %d skew %.2f deskewed %d "
                     "bin %d bands %d photo %d dewarp %d (%d lines) specks %d conf %.1f (first pass %.1f)\n"
                     "  cpu s: resolution %.3f orientation %.3f cleanup %.3f recognition %.3f "
                     "lines %.3f\n",
                     n, rep.dpi, rep.quarter_turns, rep.cleanup.noise, rep.cleanup.median,
                     rep.cleanup.background, rep.cleanup.skew_degrees, rep.cleanup.deskewed,
                     rep.cleanup.binarized, rep.cleanup.bands_inverted, rep.cleanup.photo_corrected, rep.cleanup.dewarped, rep.cleanup.dewarp_lines, rep.cleanup.specks_removed,
                     page->ocr_confidence, rep.first_pass_confidence, rep.cpu_resolution, rep.cpu_orientation, rep.cpu_cleanup,
                     rep.cpu_recognition, rep.cpu_lines);
        const billwise::RecognizeStats& stats = (*engine)->last_stats();
        std::fprintf(stderr, "  words %d, read again %d, second reading kept %d\n", stats.words,
                     stats.reread, stats.replaced);
      }
      pages.push_back(std::move(*page));
    }
  } else {
    auto result = billwise::ReadDocument(bytes, read);
    if (!result) { std::fprintf(stderr, "%s\n", result.error().message.c_str()); return 2; }
    if (!text_only) {
      std::fprintf(stderr, "origin %s pages %zu\n", billwise::TextOriginName(result->text_origin), result->pages.size());
      for (const auto& d : result->diagnostics) std::fprintf(stderr, "  %s\n", d.message.c_str());
    }
    pages = std::move(result->pages);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) {
    for (const auto& page : pages) {
      if (words) {
        for (const auto& w : page.words) {
          std::printf("%5.1f %7.1f %7.1f %7.1f %7.1f %s\n", w.confidence, w.box.x0, w.box.y0,
                      w.box.x1, w.box.y1, w.text.c_str());
        }
        continue;
      }
      for (const auto& line : page.lines) {
        if (!cells) {
          std::printf("%s\n", line.text.c_str());
          continue;
        }
        std::printf("%6.1f", line.box.y0);
        for (const auto& c : line.cells) {
          std::printf(" | %.0f-%.0f %s", c.box.x0, c.box.x1, c.text.c_str());
        }
        std::printf("\n");
      }
    }
  }
  if (!text_only) std::fprintf(stderr, "time %.3f s\n", seconds);
  return 0;
}
