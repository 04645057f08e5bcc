//===- SweepExpr.h - Evaluating a sweep's expressions -----------*- C++ -*-===//
//
// Sema checked every sweep expression once with each axis at its first
// value; the search evaluates them again at every node. Three evaluators
// share the IR form (ir::Expr):
//  - values:   an axis's list, range or generator with earlier axes bound,
//              as checked Values (units, whole numbers) for the Instantiator;
//  - numbers:  objectives and constraints at a leaf, in doubles (hot path);
//  - intervals: the same over a subtree, from metric and axis intervals, so
//              a bound can prune it (sound: the true value lies inside).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPEXPR_H
#define DEEPSTACK_PASSES_SWEEPEXPR_H

#include "ir/IR.h"
#include "ir/Interval.h"
#include "ir/Value.h"
#include "llvm/ADT/Optional.h"
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace ds {

/// What a sweep expression may read besides constants.
class SweepEnv {
public:
  virtual ~SweepEnv() = default;
  /// The value of axis \p i at this node (earlier axes only).
  virtual const Value &axisValue(int i) = 0;
  /// A field that is not an axis ("chat.prompt", "pod.board.link").
  virtual llvm::Optional<Value> fieldValue(llvm::StringRef qualified) = 0;
};

/// Evaluates \p e to a Value; None with \p error (one line) when it fails
/// at this node (a division by zero, divisors of 0, ...).
llvm::Optional<Value> evalValue(const Expr &e, SweepEnv &env,
                                std::string &error);

/// The values of an axis (a list, a range a .. b, a generator or, for a
/// derived axis, the single value). False with \p error when they cannot be
/// computed at this node; an empty list is not an error.
bool axisValues(const SweepAxis &axis, SweepEnv &env, std::vector<Value> &out,
                std::string &error);

/// A name (enum value, declaration) as a number: a stable code of its
/// spelling, so `s.overlap == tile` compares in doubles and intervals.
double nameCode(llvm::StringRef name);

/// Metric indices follow ir/Metrics.def (allMetrics()).
unsigned metricCount();
/// Index of \p name in ir/Metrics.def, or -1.
int metricIndex(llvm::StringRef name);
/// True when a smaller value of the metric is better (times, energy, power,
/// memory, temperature, area, cost).
bool lowerIsBetter(llvm::StringRef metric);

/// Leaf evaluation in doubles (booleans are 0/1): \p metrics by index,
/// \p axes the leaf's axis values in SI, \p fields the values of the
/// non-axis fields the expression reads, looked up by name.
struct NumericEnv {
  const double *metrics = nullptr;
  const double *axes = nullptr;
  std::function<double(llvm::StringRef)> field;
};
double evalNumber(const Expr &e, const NumericEnv &env);

struct IntervalEnv {
  const Interval *metrics = nullptr;
  const Interval *axes = nullptr; ///< a point once the axis is assigned
  std::function<Interval(llvm::StringRef)> field;
};
/// Sound enclosure of \p e over every point of a subtree.
Interval evalInterval(const Expr &e, const IntervalEnv &env);

/// An enclosure of every value an axis expression (list, range, generator
/// or derived expression) can produce over \p env's intervals.
Interval valuesHull(const Expr &e, const IntervalEnv &env);

/// Calls \p fn for every metric name \p e reads.
void forEachMetric(const Expr &e, const std::function<void(llvm::StringRef)> &fn);
/// Calls \p fn for every non-axis field \p e reads.
void forEachField(const Expr &e, const std::function<void(llvm::StringRef)> &fn);
/// Calls \p fn for every axis \p e reads.
void forEachAxis(const Expr &e, const std::function<void(int)> &fn);

} // namespace ds

#endif
