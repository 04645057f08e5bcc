//===- IntervalEval.h - Field values enclosed over a box of axes -*- C++
//-*-===//
//
// The sweep's search prunes a subtree with bounds, so at a node where only
// some axes are assigned it needs, per field, an interval holding the
// field's value at every point below. Axis fields span their axis interval;
// fields no axis reaches (Sema's dependency graph) keep their value; every
// other field is its binding (or schema default) evaluated in interval
// arithmetic, recursively. Expressions are compiled once into a small tree
// whose paths are already resolved, so a query is a walk with a per-call
// memo; the trees are rebuilt only when the dependency graph grows.
//
// Sound under floating point: each operation is evaluated on the same
// operands in the same order as Evaluator, and round-to-nearest is monotone,
// so the computed ends bound every computed point value.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_INTERVALEVAL_H
#define DEEPSTACK_FRONTEND_INTERVALEVAL_H

#include "frontend/Sema.h"
#include "ir/Interval.h"
#include <functional>
#include <memory>
#include <vector>

namespace ds {

class IntervalEval {
public:
  using AxisIntervals = std::function<Interval(unsigned axis)>;

  /// \p axes are the sweep's axis fields in axis order. Reads \p sema's
  /// values and dependency graph, never writes them.
  IntervalEval(Sema &sema, std::vector<DepKey> axes);
  ~IntervalEval();

  /// An enclosure of \p qualified ("decl.field", "net.level.field" or a
  /// path through reference fields, as Instantiator::field) over every
  /// point whose axis a lies in axisIv(a). Interval::all() when the field is
  /// not a number or cannot be enclosed.
  Interval field(llvm::StringRef qualified, const AxisIntervals &axisIv);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace ds

#endif
