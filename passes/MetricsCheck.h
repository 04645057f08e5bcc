//===- MetricsCheck.h - No NaN, infinity or negative time out ---*- C++ -*-===//
//
// The models compute in doubles: an input far outside the range a model was
// written for (a link of 1e-300 B/s, 10^15 layers) can overflow to an
// infinity or turn 0 * inf into a NaN somewhere deep inside. Rather than
// guard every formula, evaluation checks everything it hands to a report
// or a sweep and fails with a located error naming the first bad metric:
// a report may say "cannot evaluate", never print nan as a throughput.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_METRICSCHECK_H
#define DEEPSTACK_PASSES_METRICSCHECK_H

#include "passes/Evaluate.h"
#include <string>

namespace ds {

/// The first metric of \p m that is not finite, or negative where it cannot
/// be (everything but temperatures in Celsius), as "name = value"; empty
/// when all are sane. Metrics of an infeasible design are not computed and
/// not checked.
std::string firstInsaneMetric(const DesignMetrics &m);

/// Reports NonFiniteMetric at the design when firstInsaneMetric finds one.
bool checkMetrics(const DesignMetrics &m, DiagEngine &diags);

/// The same for one priced collective of \p d (the network report):
/// NonFiniteMetric naming the collective and its first bad number.
bool checkCollectiveCost(const DesignIR &d, llvm::StringRef what,
                         const net::CollectiveCost &c, DiagEngine &diags);

} // namespace ds

#endif
