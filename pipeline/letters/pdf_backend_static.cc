// GetPdfBackend for programs that link PoDoFo themselves (library
// billwise_letters_pdf_static): the in-process backend, always available.
#include "pipeline/letters/pdf_backend.h"

namespace billwise {

Expected<const PdfBackend*> GetPdfBackend() { return &PodofoPdfBackend(); }

}  // namespace billwise
