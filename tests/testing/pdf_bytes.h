// Hand-built PDF files for tests: a list of object bodies becomes a whole file with a correct
// cross-reference table. Header-only; no shared state.
#ifndef BILLWISE_TESTS_TESTING_PDF_BYTES_H_
#define BILLWISE_TESTS_TESTING_PDF_BYTES_H_

#include <cstdio>
#include <string>
#include <vector>

namespace billwise::testing {

// A PDF 1.4 file whose objects are `objects` (object i + 1 is objects[i], written without
// "N 0 obj"/"endobj"), with its xref table and a trailer naming object 1 as the catalog.
inline std::string PdfFromObjects(const std::vector<std::string>& objects) {
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    out += buf;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace billwise::testing

#endif  // BILLWISE_TESTS_TESTING_PDF_BYTES_H_
