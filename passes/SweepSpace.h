//===- SweepSpace.h - A sweep's axes in search order ------------*- C++ -*-===//
//
// Pass `sweep-expansion` (DESIGN.md 3 pass 7): the axes of a sweep in the
// order the search descends them - hardware (memory, chip, network, level,
// system) outside, model, workload and schedule inside, each group in
// declaration order, so a bound computed once the hardware is fixed prunes
// whole schedule subtrees - and the exact size of the space.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPSPACE_H
#define DEEPSTACK_PASSES_SWEEPSPACE_H

#include "frontend/Instantiator.h"
#include "passes/SweepExpr.h"
#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace ds {

/// A Value as a double: numbers are SI, names (enum values, declarations)
/// a stable hash of their spelling, so `==` works in numeric expressions.
double numericOf(const Value &v);

/// The number of points of a space: exact below 2^127, else only log10.
struct SpaceSize {
  unsigned __int128 exact = 0;
  bool overflow = false;
  long double log10 = -1; ///< of the size; -1 for an empty space
  std::string str() const; ///< "2500000000000000" or "10^41.3"
  double approx() const;
};

class SweepSpace {
public:
  /// \p inst provides the sweep and evaluates fields the axes read.
  explicit SweepSpace(Instantiator &inst);

  const SweepIR &sweep() const { return *sw; }
  /// Axis indices (into sweep().axes) in search order.
  const std::vector<unsigned> &order() const { return searchOrder; }
  unsigned depth() const { return unsigned(searchOrder.size()); }
  /// Number of leading levels that vary hardware.
  unsigned hardwareLevels() const { return hwLevels; }
  /// True when level \p k's values depend on nothing assigned above it.
  bool constantValues(unsigned k) const { return constant[k]; }
  /// Levels above \p k (< k) whose values some level >= k reads, and
  /// whether some level >= k reads a field (then every level may matter):
  /// the subtree below level k depends only on these.
  const std::vector<unsigned> &readsAbove(unsigned k) const { return refs[k]; }
  bool readsFieldsBelow(unsigned k) const { return fieldsFrom[k]; }

  /// Counts the points without evaluating any (values of dependent axes are
  /// expanded; independent subtrees multiply). False with \p error when an
  /// axis's values cannot be computed.
  bool count(SpaceSize &size, std::string &error);
  /// The axis whose values failed in the last count(), or -1.
  int failedAxis() const { return failed; }

private:
  Instantiator &inst;
  const SweepIR *sw;
  std::vector<unsigned> searchOrder;
  std::vector<bool> constant;
  std::vector<std::vector<unsigned>> refs;
  std::vector<bool> fieldsFrom;
  unsigned hwLevels = 0;
  int failed = -1;
};

/// Binds the axes of a search path: level k's axis holds values[k][index].
class PathEnv : public SweepEnv {
public:
  PathEnv(Instantiator &inst, const SweepSpace &space);
  /// Values of level \p k at the current node (cached for constant levels).
  bool values(unsigned k, const std::vector<Value> *&out, std::string &error);
  /// Assigns level \p k; the Instantiator sees it on a commit that covers
  /// level k.
  void assign(unsigned k, const Value &v);
  const Value &axisValue(int axis) override;
  /// Reads a field with the levels assigned so far committed.
  llvm::Optional<Value> fieldValue(llvm::StringRef qualified) override;
  /// Applies the assignments of levels < \p levels. Deeper levels keep
  /// the values of an earlier point, so a prefix is not checked against
  /// the CHECK rules (false only when a field cannot be evaluated); a
  /// whole point is, and false then means the point is invalid.
  bool commit(unsigned levels, std::string &why);
  bool commit(std::string &why) { return commit(~0u, why); }
  /// SI values of every axis in declaration order (names hashed).
  const std::vector<double> &numericAxes() const { return numeric; }
  /// A clock that advances whenever a level changes value: a value derived
  /// from levels < n is still valid if changedSince(n, t) is false.
  bool changedSince(unsigned n, uint64_t t) const {
    for (unsigned k = 0; k < n && k < stamps.size(); ++k)
      if (stamps[k] > t)
        return true;
    return false;
  }
  uint64_t now() const { return clock; }
  /// The assigned axes above level \p k: "sched.tp = 2, chat.batch = 8".
  std::string describe(unsigned k) const;

private:
  Instantiator &inst;
  const SweepSpace &space;
  std::vector<Value> current;   ///< per axis (declaration order)
  std::vector<bool> assigned;
  std::vector<bool> applied;    ///< the Instantiator holds current[axis]
  unsigned deepest = 0;         ///< levels < deepest are assigned
  std::vector<uint64_t> stamps; ///< per level: when it last changed
  uint64_t clock = 0;
  std::vector<double> numeric;
  std::vector<std::vector<Value>> scratch; ///< per level
  std::vector<std::vector<Value>> cached;  ///< per constant level
  std::vector<bool> haveCached;
};

/// How counts of points add up: the exact-or-log size of the whole space
/// (--count) and the 64-bit counts of the search's statistics (spaces
/// above 2^63 points are refused before searching).
template <typename Count> struct CountOps;
template <> struct CountOps<uint64_t> {
  static uint64_t zero() { return 0; }
  static uint64_t one() { return 1; }
  static void add(uint64_t &a, uint64_t b) { a += b; }
  static uint64_t times(uint64_t a, size_t n) { return a * n; }
};
template <> struct CountOps<SpaceSize> {
  static SpaceSize zero() { return SpaceSize(); }
  static SpaceSize one();
  static void add(SpaceSize &a, const SpaceSize &b);
  static SpaceSize times(SpaceSize a, size_t n);
};

/// Counts the points below level k of a space (levels < k assigned in the
/// env), memoized on the assigned levels the subtree reads: dependent
/// levels are expanded, a level nothing below reads multiplies.
template <typename Count> class SubtreeCounter {
public:
  SubtreeCounter(const SweepSpace &space, PathEnv &env)
      : space(space), env(env) {}

  /// False with error() when some level's values cannot be computed.
  bool count(unsigned k, Count &out) {
    using Ops = CountOps<Count>;
    if (k == space.depth()) {
      out = Ops::one();
      return true;
    }
    std::vector<double> key;
    if (space.readsFieldsBelow(k)) { // a field may read any level above
      for (unsigned l = 0; l < k; ++l)
        key.push_back(env.numericAxes()[space.order()[l]]);
    } else {
      for (unsigned l : space.readsAbove(k))
        key.push_back(env.numericAxes()[space.order()[l]]);
    }
    auto it = memo.find({k, key});
    if (it != memo.end()) {
      out = it->second;
      return true;
    }
    const std::vector<Value> *vals = nullptr;
    if (!env.values(k, vals, failure)) {
      failedLevel = int(k);
      if (k > 0)
        failure += " (at " + env.describe(k) + ")";
      return false;
    }
    std::vector<Value> values = *vals; // the env reuses its buffers below
    // When nothing below reads this level, every value has the same subtree.
    const std::vector<unsigned> &below = space.readsAbove(k + 1);
    bool same = !space.readsFieldsBelow(k + 1) &&
                std::find(below.begin(), below.end(), k) == below.end();
    Count total = Ops::zero();
    for (const Value &v : values) {
      env.assign(k, v);
      Count sub;
      if (!count(k + 1, sub))
        return false;
      if (same) {
        total = Ops::times(sub, values.size());
        break;
      }
      Ops::add(total, sub);
    }
    if (memo.size() > 100000) // a long search: keep memory bounded
      memo.clear();
    memo[{k, key}] = total;
    out = total;
    return true;
  }
  const std::string &error() const { return failure; }
  /// The level whose values failed, or -1.
  int failed() const { return failedLevel; }

private:
  const SweepSpace &space;
  PathEnv &env;
  std::map<std::pair<unsigned, std::vector<double>>, Count> memo;
  std::string failure;
  int failedLevel = -1;
};

} // namespace ds

#endif
