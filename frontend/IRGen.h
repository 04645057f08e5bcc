//===- IRGen.h - Checked declarations to IR ---------------------*- C++ -*-===//
//
// generateIR builds a module once; an IRGen kept alive beside its module can
// also rewrite a declaration's fields in place after Sema's values changed
// (sweep points, frontend/Instantiator.h), so pointers into the module stay
// valid.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_IRGEN_H
#define DEEPSTACK_FRONTEND_IRGEN_H

#include "frontend/Sema.h"
#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include <memory>

namespace ds {

/// Builds the IR of the main file's declarations and everything they
/// reference. Requires a successful Sema::check().
std::unique_ptr<Module> generateIR(Sema &sema);

/// Emits declarations into a module and rewrites them in place.
class IRGen {
public:
  /// Works on \p module, indexing the declarations it already holds (by
  /// name, so \p module must come from \p sema).
  IRGen(Sema &sema, Module &module);

  /// Emits the main file's declarations and everything they reference.
  void emitMainFile();
  /// The IR of \p d (a level's is inside its network's), or null when \p d
  /// was not emitted.
  DeclIR *find(const DeclInfo &d);
  /// Writes \p d's current values into its IR again (a network's levels
  /// too, in place: the level count must not have changed). A reference to
  /// a declaration not emitted yet emits it. False when \p d has no IR.
  bool rewrite(DeclInfo &d);

private:
  void visit(DeclInfo *d);
  void emit(DeclInfo &d);
  template <typename T> T &start(std::deque<T> &store, DeclInfo &d);
  void fill(DeclInfo &d, DeclIR &out);
  void fillLevel(DeclInfo &l, LevelIR &ir);
  static Topology toTopology(const Value &v);

  template <typename T> const T *lookup(llvm::StringRef name) {
    if (!byName.count(name))
      visit(sema.findDecl(name));
    return static_cast<const T *>(byName.lookup(name));
  }
  const MemoryIR *findMemory(llvm::StringRef n) { return lookup<MemoryIR>(n); }
  const ChipIR *findChip(llvm::StringRef n) { return lookup<ChipIR>(n); }
  const NetworkIR *findNetwork(llvm::StringRef n) { return lookup<NetworkIR>(n); }
  const SystemIR *findSystem(llvm::StringRef n) { return lookup<SystemIR>(n); }
  const ModelIR *findModel(llvm::StringRef n) { return lookup<ModelIR>(n); }
  const WorkloadIR *findWorkload(llvm::StringRef n) { return lookup<WorkloadIR>(n); }
  const ScheduleIR *findSchedule(llvm::StringRef n) { return lookup<ScheduleIR>(n); }

  Sema &sema;
  Module &module;
  uint64_t generation = 0; ///< number of the module emitted into
  /// Every emitted declaration (levels excluded) by name.
  llvm::StringMap<DeclIR *> byName;
  llvm::DenseMap<const DeclInfo *, DeclIR *> byDecl;
};

} // namespace ds

#endif
