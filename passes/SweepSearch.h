//===- SweepSearch.h - Pruned search of a design space ----------*- C++ -*-===//
//
// The space is split into tasks: the subtrees below the first few levels,
// in enumeration order. Workers (threads, or MPI ranks through the same
// interface) take tasks dynamically and descend them depth first:
//  - at every node, the constraints and the objective are evaluated over
//    intervals of the metrics the subtree can reach (SweepBound); a subtree
//    whose constraints cannot hold is pruned "by constraint", one whose
//    objective bound is below the N-th best point found so far (and that
//    cannot enter the Pareto set) is pruned "by bound";
//  - at a leaf the Instantiator applies the point in place and the design
//    is evaluated with the per-thread memos (operators, clocks, network
//    models, chip area) warm.
// Results are merged with a total order (objective, then path), so the
// top-N and Pareto set do not depend on the number of workers or on the
// order in which tasks finish.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPSEARCH_H
#define DEEPSTACK_PASSES_SWEEPSEARCH_H

#include "frontend/Driver.h"
#include "passes/SweepSpace.h"
#include "runtime/search/ResultSet.h"
#include <atomic>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

namespace ds {

struct SweepStats {
  uint64_t evaluated = 0;        ///< leaves whose design was evaluated
  uint64_t rejected = 0;         ///< of those, failing a `require`
  uint64_t prunedBound = 0;      ///< points in subtrees cut by the bound
  uint64_t prunedConstraint = 0; ///< points whose `require` fails on the
                                 ///< bound, never evaluated
  uint64_t infeasible = 0;       ///< out of memory or thermally infeasible
  uint64_t invalid = 0;          ///< values a field rejects, schedules that
                                 ///< do not fit the system
  uint64_t boundViolations = 0;  ///< leaves better than their bound (a bug)
  uint64_t probes = 0;           ///< relaxed evaluations made by bounds
                                 ///< (not points; passes/SweepProbe.cpp)
  uint64_t corners = 0;          ///< corner searches (SweepCorner.cpp)
  void add(const SweepStats &o);
  uint64_t visited() const {
    return evaluated + prunedBound + prunedConstraint + infeasible + invalid;
  }
};

/// One task: the values of the first `splitDepth` levels.
using TaskPrefix = std::vector<uint32_t>;

/// Hardware corners whose relaxed best objective is known to lie below a
/// value (passes/SweepCorner.cpp), shared by the workers of a process.
/// Objectives are oriented: larger is better.
class CornerRecords {
public:
  /// The lowest bound of a record under \p prefix (the values of the
  /// levels above the monotone ones) whose corner is at least \p corner
  /// in every coordinate (oriented: larger is better); +inf if none.
  double dominating(const std::vector<double> &prefix,
                    const std::vector<double> &corner);
  void add(const std::vector<double> &prefix, std::vector<double> corner,
           double below);

private:
  struct Record {
    std::vector<double> corner;
    double below;
  };
  std::mutex mu;
  std::map<std::vector<double>, std::vector<Record>> byPrefix;
};

/// The incumbent shared by every worker of a process.
struct SharedIncumbent {
  std::atomic<double> threshold{-std::numeric_limits<double>::infinity()};
  std::atomic<bool> stop{false};
  CornerRecords corners;
  void raise(double t);
};

class SweepSearch {
public:
  SweepSearch(FrontendOptions opts, std::string path, std::string sweep);
  ~SweepSearch();

  /// Compiles a private copy for the planner; false with \p error.
  bool prepare(std::string &error);
  SweepSpace &space();
  const SweepIR &sweep() const;
  /// Splits the space into at least \p wanted tasks (fewer if it is small).
  bool planTasks(size_t wanted, std::string &error);
  const std::vector<TaskPrefix> &tasks() const { return taskList; }

  class Worker;
  /// A worker with its own compilation; null with \p error.
  std::unique_ptr<Worker> makeWorker(std::string &error);
  /// Searches task \p t into \p into; \p exhaustive disables bound pruning.
  void runTask(Worker &w, size_t t, search::ResultSet &into,
               SweepStats &stats, SharedIncumbent &shared, bool exhaustive);
  /// What the workers have done so far, live (the progress line): leaves
  /// reached, points decided (leaves and cut subtrees), the best objective
  /// (larger is better; minimised objectives are negated).
  struct Live {
    std::atomic<uint64_t> leaves{0}, covered{0};
    std::atomic<double> best{-std::numeric_limits<double>::infinity()};
  };
  const Live &live() const { return liveState; }
  uint64_t progress() const { return liveState.leaves.load(); }

  /// What else a checkpoint must match: the inputs (file contents, -I,
  /// --set) as the command line saw them.
  void setInputsFingerprint(std::string f) { inputs = std::move(f); }
  const std::string &inputsFingerprint() const { return inputs; }
  /// Certifies only within a relative gap (0: exact, the default).
  void setGap(double g) { relativeGap = g; }
  double gap() const { return relativeGap; }
  /// Reports the best \p n instead of the sweep's `report top`.
  void setTopN(int64_t n) { topOverride = n; }
  /// The largest Pareto front kept (search::ResultSet::kMaxFront).
  void setMaxPareto(size_t n) { maxPareto = n; }
  /// A fresh result set for this sweep (its top-N and Pareto wishes).
  search::ResultSet emptyResults() const;
  /// Column names of a point: axes (declaration order) then metrics.
  std::vector<std::string> columns() const;
  /// The axis values (declaration order) of the point at \p path, as
  /// Values (replayed through the planner's compilation).
  std::vector<Value> axisValuesAt(const search::Path &path);
  /// The index of each axis's value (declaration order; 0 for a derived
  /// axis) at \p path, which lists them in search order.
  std::vector<unsigned> axisIndicesAt(const search::Path &path) const;

private:
  bool orderTasks(std::string &error);

  FrontendOptions opts;
  std::string path, sweepName;
  std::unique_ptr<Instantiator> planner;
  std::unique_ptr<SweepSpace> planSpace;
  std::vector<TaskPrefix> taskList;
  unsigned splitDepth = 0;
  int64_t topOverride = 0;
  size_t maxPareto = search::ResultSet::kMaxFront;
  double relativeGap = 0;
  std::string inputs;
  Live liveState;
};

} // namespace ds

#endif
