// Where billwise finds the files installed with its executable: the OCR module
// (billwise-ocr.so) and the web server program (billwise-serve).
//
// A companion file is looked for, in this order:
//  1. beside the running executable (/proc/self/exe): the build tree puts it there;
//  2. in <exe dir>/BILLWISE_MODULE_RELDIR, the install location relative to the installed
//     executable (lib/billwise under the prefix, see the top-level CMakeLists.txt).
#ifndef BILLWISE_PIPELINE_MODEL_PROGRAM_FILES_H_
#define BILLWISE_PIPELINE_MODEL_PROGRAM_FILES_H_

#include <string>
#include <string_view>
#include <vector>

namespace billwise {

// The folder of the running executable, without a trailing slash; "" when unknown.
std::string ExecutableDir();

// The places `file` is looked for, in order; empty when the executable's folder is unknown.
std::vector<std::string> CompanionFileCandidates(std::string_view file);

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_MODEL_PROGRAM_FILES_H_
