//===- FrontendFuzzer.cpp - libFuzzer over the whole front end ------------===//
//
// Any input must end in success or located errors: never a crash, a hang, a
// sanitizer report or an unlocated message. Runs each input on a thread with
// the driver's stack size so that depth limits, not the fuzzer's stack,
// decide what is too deep.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"

#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::thread worker(llvm::Optional<unsigned>(512u << 20), [text] {
    std::string errors;
    llvm::raw_string_ostream os(errors);
    ds::Compilation c(ds::FrontendOptions(), os);
    bool ok = c.runBuffer(text, "fuzz.ds");
    os.flush();
    // Every failure must say where: the first line is "file:line:col: error"
    // or a "deepstack: error:" for whole-file problems.
    if (!ok && errors.find("error: ") == std::string::npos) {
      fprintf(stderr, "failure without an error message\n");
      abort();
    }
    if (ok && c.module()) {
      std::string ir;
      llvm::raw_string_ostream irOs(ir);
      ds::printIR(*c.module(), irOs);
    }
  });
  worker.join();
  return 0;
}
