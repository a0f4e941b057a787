// The entry point of the module billwise-pdf.so (pipeline/letters/pdf_backend.h): the only
// symbol the module exports (pdf_plugin.map hides the rest, PoDoFo's inline code included).
#include "pipeline/letters/pdf_backend.h"

extern "C" __attribute__((visibility("default"))) const billwise::PdfBackend* billwise_pdf_backend(int abi) {
  if (abi != billwise::kPdfBackendAbi) return nullptr;
  return &billwise::PodofoPdfBackend();
}
