//===- SweepFuzzer.cpp - libFuzzer over sweep expansion and search --------===//
//
// Checks the input like `deepstack sweep`, then for every sweep it declares
// computes the size of the space as `--count` does (dependent axes
// expanded, independent subtrees multiplied, 128-bit or log10) and, when
// the space is small, runs the pruned search on one thread and renders its
// text, CSV and JSON. The search reloads its input by path (each worker has
// its own compilation), so the input goes to a file in a private
// directory first.
//
//===----------------------------------------------------------------------===//
#include "FuzzCommon.h"

#include "frontend/Driver.h"
#include "passes/NetworkAbstraction.h"
#include "passes/SweepDriver.h"
#include "tools/SweepOutput.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <cstdlib>

using namespace ds;

namespace {
/// Spaces up to this many points are searched, larger ones only counted:
/// every point may evaluate a design, and an input must finish in well
/// under libFuzzer's timeout.
constexpr unsigned kMaxSearchedPoints = 64;
/// More sweeps in one input add time, not coverage.
constexpr unsigned kMaxSweeps = 2;

/// Never destroyed: the exit handler below still needs it after static
/// destructors have run.
const std::string &inputPath() {
  static const std::string *path = [] {
    llvm::SmallString<128> dir;
    if (llvm::sys::fs::createUniqueDirectory("deepstack-fuzz-sweep", dir))
      abort();
    llvm::sys::path::append(dir, "fuzz.ds");
    return new std::string(dir);
  }();
  return *path;
}

/// libFuzzer's -fork mode starts a process per job: each removes its
/// directory when it exits.
const int cleanup = std::atexit([] {
  llvm::sys::fs::remove(inputPath());
  llvm::sys::fs::remove(llvm::sys::path::parent_path(inputPath()));
});

void expand(const SweepIR &sw) {
  SweepSearch search(FrontendOptions(), inputPath(), sw.name);
  std::string error;
  if (!search.prepare(error))
    return;
  SpaceSize size;
  if (!search.space().count(size, error))
    return;
  (void)size.str();
  (void)size.approx();
  if (size.overflow || size.exact > kMaxSearchedPoints)
    return;
  if (!search.planTasks(8, error))
    return;
  SweepRunOptions o;
  SweepOutcome out;
  if (!runSweep(search, o, out, error))
    return;
  tool::SweepReport r{search, out, size, false};
  (void)tool::sweepText(r);
  (void)tool::sweepCsv(r);
  (void)tool::sweepJson(r);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  // Only inputs that declare a sweep reach the part under test.
  if (!text.contains("sweep"))
    return 0;
  {
    std::error_code ec;
    llvm::raw_fd_ostream f(inputPath(), ec);
    if (ec)
      abort();
    f << text;
  }
  fuzz::onDriverStack([] {
    std::string errors;
    llvm::raw_string_ostream es(errors);
    Compilation c(FrontendOptions(), es);
    bool ok = c.run(inputPath());
    if (ok) {
      const Module &m = *c.module();
      for (const DesignIR &d : m.designs)
        ok &= checkParallelLayout(d, c.diags());
      unsigned n = 0;
      for (const SweepIR &sw : m.sweeps)
        if (ok && llvm::is_contained(m.mainFileDecls, &sw) && n++ < kMaxSweeps)
          expand(sw);
    }
    es.flush();
    fuzz::requireErrorMessage(ok, errors, "sweep");
  });
  return 0;
}
