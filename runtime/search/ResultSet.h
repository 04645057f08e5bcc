//===- ResultSet.h - Top-N and Pareto set of a search -----------*- C++ -*-===//
//
// Points are identified by their path (the index of each axis's value in
// search order), which also breaks ties: among equal objectives the point
// met first in the enumeration wins. With that total order the top-N and
// the Pareto set are the same whatever the number of threads or ranks and
// whether or not subtrees were pruned (pruning only drops points that
// cannot enter either set).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_SEARCH_RESULTSET_H
#define DEEPSTACK_RUNTIME_SEARCH_RESULTSET_H

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace ds {
namespace search {

using Path = std::vector<uint32_t>;

struct Point {
  Path path;
  double objective = 0;           ///< larger is better (minimise negates)
  std::vector<double> pareto;     ///< larger is better, per Pareto metric
  std::vector<double> axes;       ///< axis values in SI, declaration order
  std::vector<double> metrics;    ///< every metric, ir/Metrics.def order
};

/// True when \p a ranks before \p b: higher objective, then earlier path.
bool ranksBefore(const Point &a, const Point &b);
/// True when \p a is at least as good as \p b everywhere and better once.
bool dominates(const std::vector<double> &a, const std::vector<double> &b);

class ResultSet {
public:
  /// Every Pareto offer scans the front, so a front of millions would take
  /// a sweep's time and memory: beyond \p maxFront points it stops growing
  /// and paretoOverflowed() says so (the search then fails).
  static constexpr size_t kMaxFront = 100000;

  ResultSet(size_t topN = 10, bool wantPareto = false,
            size_t maxFront = kMaxFront)
      : topN(topN), wantPareto(wantPareto), maxFront(maxFront) {}

  void offer(const Point &p);
  void merge(const ResultSet &other);

  /// The N-th best objective so far (-inf until N points are held): a
  /// subtree whose objective bound is below it cannot enter the top-N.
  double threshold() const;
  /// True when some held Pareto point dominates \p corner (the best every
  /// Pareto metric can be in a subtree): nothing there can join the set.
  bool paretoExcludes(const std::vector<double> &corner) const;

  /// Best first.
  std::vector<Point> top() const { return best; }
  /// Sorted by path.
  std::vector<Point> paretoSet() const;
  size_t topCapacity() const { return topN; }
  bool hasPareto() const { return wantPareto; }
  /// A point that belonged on the front was dropped because it was full.
  bool paretoOverflowed() const { return overflowed; }
  size_t paretoCapacity() const { return maxFront; }

private:
  size_t topN;
  bool wantPareto;
  size_t maxFront;
  bool overflowed = false;
  std::vector<Point> best;  ///< sorted, at most topN
  std::vector<Point> front; ///< mutually non-dominated
};

} // namespace search
} // namespace ds

#endif
