//===- Driver.h - One compilation from a path to IR -------------*- C++ -*-===//
//
// Owns the SourceMgr, diagnostics, Sema and IR of one run, so the command
// line tool, the fuzzer and the benchmarks drive the front end the same way.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_DRIVER_H
#define DEEPSTACK_FRONTEND_DRIVER_H

#include "frontend/Diagnostics.h"
#include "frontend/Sema.h"
#include "ir/IR.h"
#include "llvm/Support/SourceMgr.h"
#include <memory>
#include <string>
#include <vector>

namespace ds {

struct FrontendOptions {
  std::vector<std::string> includeDirs;
  std::vector<std::string> settings; ///< `decl.field=value`
  bool showDiagKind = false;
  unsigned errorLimit = 50;
};

/// Process-wide allocator tuning for the front end; call once from main.
/// ANTLR allocates millions of small tokens and contexts interleaved with
/// large vectors, and glibc's fastbin consolidation then took 12% of parse
/// time (perf, 10,000-line benchmark); without fastbins parse + check of
/// that file drops from ~100 ms to ~80 ms.
void tuneAllocator();

class Compilation {
public:
  explicit Compilation(FrontendOptions opts,
                       llvm::raw_ostream &errs = llvm::errs());
  ~Compilation();

  /// Parses \p path and its imports (stops there if \p parseOnly), checks
  /// and lowers to IR. False after any error, all of them reported.
  bool run(llvm::StringRef path, bool parseOnly = false);
  /// The same for in-memory text named \p name.
  bool runBuffer(llvm::StringRef text, llvm::StringRef name,
                 bool parseOnly = false);

  Sema &sema() { return *semaPtr; }
  const Module *module() const { return ir.get(); }
  /// The IR for in-place rewriting (frontend/Instantiator.h).
  Module *mutableModule() { return ir.get(); }
  llvm::SourceMgr &sourceMgr() { return sm; }
  DiagEngine &diags() { return diagEngine; }

private:
  bool finish(bool loaded, bool parseOnly);

  FrontendOptions opts;
  llvm::SourceMgr sm;
  DiagEngine diagEngine;
  std::unique_ptr<Sema> semaPtr;
  std::unique_ptr<Module> ir;
};

} // namespace ds

#endif
