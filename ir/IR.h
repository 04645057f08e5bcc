//===- IR.h - The typed, SI-valued design IR --------------------*- C++ -*-===//
//
// Independent of the AST: every field is a C++ member in SI units, generated
// from the field tables (ir/fields/*.def); references are pointers into the
// same Module. Passes and models read only this.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_IR_H
#define DEEPSTACK_IR_IR_H

#include "ir/Enums.h"
#include "ir/Schema.h"
#include "ir/Value.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace ds {

/// A network level's shape: switch(8), torus(4, 4), ...
struct Topology {
  TopologyKind kind = TopologyKind::Switch;
  llvm::SmallVector<int64_t, 3> dims;
  /// Devices (or groups of the level below) the level connects.
  int64_t size() const;
  std::string str() const;
};

/// Common to every declaration.
struct DeclIR {
  std::string name;
  llvm::SMLoc loc;
  /// Fields that took their documented default (printed "(default)").
  llvm::StringSet<> defaulted;
  /// The module's number in this process (1, 2, ...): with the address, it
  /// identifies a declaration even after an older module was freed.
  uint64_t generation = 0;
};

struct MemoryIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Memory.def"
};
struct ChipIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Chip.def"
};
struct LevelIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Level.def"
};
struct NetworkIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Network.def"
  std::vector<LevelIR> levels; ///< innermost first
  int64_t devices() const;
};
struct SystemIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/System.def"
};
struct ModelIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Model.def"
};
struct WorkloadIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Workload.def"
};
struct ScheduleIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Schedule.def"
};
struct DesignIR : DeclIR {
#include "ir/IRMembers.inc"
#include "ir/fields/Design.def"
};

/// An expression of a sweep, kept symbolic until the search expands it.
struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;
struct Expr {
  enum Kind { Const, Field, Axis, Metric, Unary, Binary, Call, List, Range };
  Kind kind = Const;
  Value constant;        ///< Const
  std::string name;      ///< Field "decl.field", Axis, Metric, op, function
  int axis = -1;         ///< Axis: index into SweepIR::axes
  std::vector<ExprPtr> operands;
  llvm::SMLoc loc;
  std::string str() const;
};

/// One axis of a design space: a field of a declaration and its values.
struct SweepAxis {
  std::string decl;  ///< declaration whose field varies
  DeclKind declKind; ///< its kind
  std::string field; ///< dotted field path
  ExprPtr values;    ///< list, range or generator (may use earlier axes)
  bool derived = false; ///< `x = expr` instead of `x in values`
  llvm::SMLoc loc;
};

struct SweepIR : DeclIR {
  const DesignIR *design = nullptr;
  std::vector<SweepAxis> axes; ///< in declaration order
  std::vector<ExprPtr> constraints; ///< `require` lines
  ExprPtr objective; ///< null when the sweep only enumerates
  bool maximize = true;
  int64_t topN = 10;
  std::vector<ExprPtr> pareto;
  /// `compare AXIS on m1, m2;`: the reported points side by side for each
  /// value of axes[compareAxis] (-1: none), with ratios to its first value.
  int compareAxis = -1;
  std::vector<ExprPtr> compareMetrics;
};

/// Everything a run declared or imported, in dependency order.
struct Module {
  std::deque<MemoryIR> memories;
  std::deque<ChipIR> chips;
  std::deque<NetworkIR> networks;
  std::deque<SystemIR> systems;
  std::deque<ModelIR> models;
  std::deque<WorkloadIR> workloads;
  std::deque<ScheduleIR> schedules;
  std::deque<DesignIR> designs;
  std::deque<SweepIR> sweeps;
  /// Declarations in print order: dependencies first, then source order.
  std::vector<std::pair<DeclKind, const DeclIR *>> order;
  /// Declarations written in the main file (the rest came from imports).
  std::vector<const DeclIR *> mainFileDecls;

  const DesignIR *findDesign(llvm::StringRef name) const;
  const SweepIR *findSweep(llvm::StringRef name) const;
};

/// Prints the IR as stable text for --emit=ir and lit tests.
void printIR(const Module &m, llvm::raw_ostream &os);

} // namespace ds

#endif
