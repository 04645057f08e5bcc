//===- SweepCompare.h - Reported points side by side per axis value -*- C++ -*-===//
//
// `compare AXIS on METRIC;` in a sweep answers "by how much does one value
// of AXIS beat another, and where": the reported points are grouped by the
// values of every other enumerated axis, each group shows METRIC for each
// value of AXIS and the ratio to its first value, and a summary gives the
// ratio's range and how many groups each value wins.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPCOMPARE_H
#define DEEPSTACK_PASSES_SWEEPCOMPARE_H

#include "ir/IR.h"
#include <string>
#include <vector>

namespace ds {

/// One reported point as the comparison sees it.
struct ComparePoint {
  std::vector<std::string> axes; ///< each axis value as text, declaration order
  std::vector<unsigned> index;   ///< each axis value's index in its list
  std::vector<double> metrics;   ///< every metric, ir/Metrics.def order
};

struct CompareTable {
  std::string metric;
  bool lowerIsBetter = false;
  /// Temperatures compare by difference (a ratio of kelvins says little):
  /// ratio() is then values[c] - values[0] in K, and ties are within kTieK.
  bool difference = false;
  std::vector<std::string> keyAxes; ///< the grouping axes (enumerated ones)
  std::vector<std::string> columns; ///< AXIS's values; the first is the baseline
  struct Group {
    std::vector<std::string> key;
    std::vector<double> values; ///< per column; NaN where no point was reported
  };
  std::vector<Group> groups; ///< in enumeration order
  /// Column c (c >= 1) against the baseline, over groups that have both.
  struct Summary {
    unsigned compared = 0; ///< groups with both values
    unsigned better = 0;   ///< ... where column c is better than the baseline
    unsigned tied = 0;     ///< ... where they are within kTie of each other
    double minRatio = 0, maxRatio = 0;
    size_t minGroup = 0, maxGroup = 0;
  };
  std::vector<Summary> summary; ///< index c - 1
  /// Ratios within 0.1% of 1 are ties: below the model's resolution.
  static constexpr double kTie = 1e-3;
  static constexpr double kTieK = 0.05;

  /// values[c] / values[0] (or their difference) for group g; NaN when
  /// either is missing or a ratio's baseline is 0.
  double ratio(size_t g, size_t c) const;
};

/// The comparison of \p points on metric \p metricIndex over sweep \p s's
/// `compare` axis (which must be set).
CompareTable compareTable(const SweepIR &s, int metricIndex,
                          const std::vector<ComparePoint> &points);

} // namespace ds

#endif
