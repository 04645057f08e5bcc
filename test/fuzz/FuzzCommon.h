//===- FuzzCommon.h - What every libFuzzer target checks --------*- C++ -*-===//
//
// The properties the targets share: each input runs on a thread with the
// driver's stack (so input limits, not the fuzzer's 8 MiB stack, decide
// what is too deep), a failure always says where, and a report never holds
// NaN, an infinity or a negative time. A broken property aborts, which
// libFuzzer records as a crash with the input that caused it.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_TEST_FUZZ_FUZZCOMMON_H
#define DEEPSTACK_TEST_FUZZ_FUZZCOMMON_H

#include "llvm/ADT/StringRef.h"
// llvm/Support/thread.h uses std::terminate without including <exception>.
#include <exception>
#include "llvm/Support/thread.h"
#include <string>

namespace ds {
namespace fuzz {

/// Runs \p fn to completion on a thread with a 512 MiB stack, as
/// tools/deepstack.cpp does.
template <typename Fn> void onDriverStack(Fn fn) {
  llvm::thread worker(llvm::Optional<unsigned>(512u << 20), fn);
  worker.join();
}

/// Aborts when a failed run printed no "error: " line: the driver would
/// have exited 1 with nothing the user can act on.
void requireErrorMessage(bool ok, const std::string &errors,
                         llvm::StringRef what);

/// Aborts unless \p json parses and every number in it is finite and, but
/// for temperatures in Celsius (keys ending "_C"), not negative.
void requireSaneJSON(llvm::StringRef json, llvm::StringRef what);

} // namespace fuzz
} // namespace ds

#endif
