//===- FrontendFuzzer.cpp - libFuzzer over the whole front end ------------===//
//
// Any input must end in success or located errors: never a crash, a hang, a
// sanitizer report or a failure without a message. On success the IR is
// printed, which walks every declaration the input made.
//
//===----------------------------------------------------------------------===//
#include "FuzzCommon.h"

#include "frontend/Driver.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  ds::fuzz::onDriverStack([text] {
    std::string errors;
    llvm::raw_string_ostream os(errors);
    ds::Compilation c(ds::FrontendOptions(), os);
    bool ok = c.runBuffer(text, "fuzz.ds");
    os.flush();
    ds::fuzz::requireErrorMessage(ok, errors, "frontend");
    if (ok && c.module()) {
      std::string ir;
      llvm::raw_string_ostream irOs(ir);
      ds::printIR(*c.module(), irOs);
    }
  });
  return 0;
}
