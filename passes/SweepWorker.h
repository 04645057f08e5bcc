//===- SweepWorker.h - One thread's descent through a space -----*- C++ -*-===//
#ifndef DEEPSTACK_PASSES_SWEEPWORKER_H
#define DEEPSTACK_PASSES_SWEEPWORKER_H

#include "passes/Evaluate.h"
#include "passes/SweepBound.h"
#include "passes/SweepSearch.h"
#include "ir/Schema.h"
#include "llvm/ADT/DenseMap.h"
#include <array>
#include <map>

namespace ds {

/// The metrics of an evaluated design, ir/Metrics.def order.
void metricValues(const DesignMetrics &m, const DesignIR &d, double area,
                  double cost, std::vector<double> &out);

class SweepSearch::Worker {
public:
  explicit Worker(std::unique_ptr<Instantiator> inst);
  ~Worker();

  /// The first level a corner bounds (passes/SweepCorner.cpp): levels from
  /// it to the last hardware level are monotone; ~0u when none is.
  unsigned cornerLevel() const { return cornerFrom; }

  /// The objective's bound at a task's root (-inf when it is cut).
  double rootBound(const TaskPrefix &prefix);

  void search(const TaskPrefix &prefix, search::ResultSet &into,
              SweepStats &stats, SharedIncumbent &shared, bool exhaustive,
              Live &live, double gap = 0);

private:
  struct Context {
    search::ResultSet *into;
    SweepStats *stats;
    SharedIncumbent *shared;
    bool exhaustive;
    std::atomic<uint64_t> *leaves;
    std::atomic<uint64_t> *covered; ///< points decided, for the progress
    std::atomic<double> *best;      ///< best objective, for the progress
    double gap = 0; ///< relative: cut what cannot beat the N-th by more
    /// A corner search (passes/SweepCorner.cpp): leaves are evaluated
    /// relaxed and never reported, requires are dropped (a relaxation),
    /// and the search stops at the first leaf reaching `cornerThreshold`.
    bool corner = false;
    double cornerThreshold = 0;
    double cornerBest = -std::numeric_limits<double>::infinity();
    bool cornerUnusable = false; ///< a leaf the corner cannot stand for
    bool cornerFloor = true; ///< leaves with the overlap floor
  };
  /// Adds \p n decided points to a statistic and to the live count.
  static void account(Context &c, uint64_t &field, uint64_t n) {
    field += n;
    c.covered->fetch_add(n, std::memory_order_relaxed);
  }
  /// What the bound says about the subtree below level \p k.
  struct Judgement {
    enum Cut { Keep, Constraint, Infeasible } cut = Keep;
    uint32_t index = 0;
    double best = std::numeric_limits<double>::infinity(); ///< objective
    std::vector<double> corner; ///< best each Pareto metric can be
  };
  Judgement judge(unsigned k, Context &c);
  /// True when the subtree cannot enter the top-N nor the Pareto set.
  bool boundCuts(const Judgement &j, Context &c);
  void descend(unsigned k, Context &c);
  /// Below this many values a level's children are judged one by one.
  static constexpr uint32_t kRangeLeaf = 16;
  static bool numeric(const std::vector<Value> &values);
  void visitRange(unsigned k, const std::vector<Value> &values, uint32_t lo,
                  uint32_t hi, Context &c);
  void visitChildren(unsigned k, const std::vector<Value> &values,
                     uint32_t lo, uint32_t hi, Context &c);
  Judgement judgeRange(unsigned k, const std::vector<Value> &values,
                       uint32_t lo, uint32_t hi, Context &c);
  /// The two halves of values[lo, hi) of level \p k, judged, the more
  /// promising first.
  struct Half {
    Judgement judgement;
    uint32_t lo, hi;
  };
  std::array<Half, 2> judgeHalves(unsigned k, const std::vector<Value> &values,
                                  uint32_t lo, uint32_t hi, Context &c);
  uint64_t rangeSize(unsigned k, const std::vector<Value> &values,
                     uint32_t lo, uint32_t hi);
  void leaf(Context &c);
  /// The schema of level \p k's field, and whether it accepts a value
  /// (type, whole number, range) before anything is committed.
  const FieldSchema *fieldOf(unsigned k) const;
  static bool acceptable(const FieldSchema &f, const Value &v);
  /// Points below level \p k with levels < k assigned.
  uint64_t subtreeSize(unsigned k);
  /// Prunes the subtree below level \p k (levels < k assigned): true when
  /// it was cut, with its points counted.
  bool prune(unsigned k, Context &c);
  const net::NetworkModel &networkFor(const NetworkIR &n);
  /// What the probes bound (passes/SweepProbe.cpp): the objective when it
  /// is stps, tps_per_device or tpot alone.
  enum class ProbeObjective { None, Stps, TpsPerDevice, Tpot };
  ProbeObjective probeObjective = ProbeObjective::None;
  /// The oriented objective of \p m crediting \p batch requests per
  /// token period (stps = batch / TPOT).
  double probeValue(const DesignMetrics &m, double batch) const;
  /// The batch-range bound (passes/SweepProbe.cpp): the level of the
  /// design workload's batch axis when it is the deepest and the objective
  /// is stps, tps_per_device or tpot alone; -1 otherwise.
  int batchLevel = -1;
  void findBatchLevel();
  /// Tightens \p j for the batches values[lo, hi) of level \p k with the
  /// design evaluated relaxed at the smallest of them.
  void batchRangeBound(unsigned k, const std::vector<Value> &values,
                       uint32_t lo, uint32_t hi, Judgement &j, Context &c);
  /// Hardware corners (passes/SweepCorner.cpp): levels [cornerFrom,
  /// hardwareLevels) are hardware axes the model is monotone in, with
  /// cornerDir +1 (larger is better) or -1; ~0u when there are none.
  unsigned cornerFrom = ~0u;
  std::vector<int> cornerDir;
  /// Per level: a link's bandwidth or latency, which leaves every tiling
  /// (and so the real tile overlap) as it is.
  std::vector<bool> cornerLink;
  void findCornerLevels();
  /// Tightens \p j (the node below level \p k, or the values [lo, hi) of
  /// level k when \p range) with the relaxed best of its best corner.
  void cornerBound(unsigned k, Judgement &j, Context &c,
                   const std::vector<Value> *range = nullptr, uint32_t lo = 0,
                   uint32_t hi = 0);
  /// Every field that follows a monotone level at its best end at the
  /// corner (assigned in env) over the region it dominates; memoized per
  /// corner.
  bool dependentsAtBest();
  std::map<std::vector<double>, bool> dependentsChecked;
  /// The relaxed search below level \p k in corner mode: true once a leaf
  /// reaches c.cornerThreshold.
  bool cornerDescend(unsigned k, Context &c);
  bool cornerVisit(unsigned k, const std::vector<Value> &values, uint32_t lo,
                   uint32_t hi, Context &c);
  /// Corners that reached a value (a lower bound of their best).
  std::map<std::vector<double>, double> cornerReached;
  /// The threshold a subtree must reach to matter (gap included).
  double cutThreshold(const Context &c);
  /// A probe's objective, widened to cover how the clock of a throttled
  /// step is found: by bisection to (1 - 0.05) / 2^14 = 5.8e-5 of the
  /// clock scale s (passes/RunPhase.cpp), from below, so the probe's step
  /// may be up to 5.8e-5 / s longer than at its exact settled clock (a real
  /// point's own rounding only makes it slower). 1e-4 / s covers it.
  /// At full clock 1e-8 still covers the tiler's search, which stops
  /// within 1e-9 of the best tile (runtime/compute/ComputeDetail.h).
  static double widened(double objective, double clockScale) {
    double slack = clockScale < 1 ? 1e-4 / clockScale : 1e-8;
    return objective + slack * std::fabs(objective);
  }
  /// Evaluates the committed point (with \p floorOverlap, tile overlap at
  /// its floor: passes/OverlapScheduling.h); false
  /// when it cannot be evaluated or does not fit in memory.
  bool evaluateRelaxed(DesignMetrics &m, bool floorOverlap);
  void refreshDiags();

  std::unique_ptr<Instantiator> inst;
  SweepSpace space;
  PathEnv env;
  SweepBound bound;
  search::Path path;
  /// Every point this worker found, across its tasks: the bound it prunes
  /// against (its threshold and Pareto front only grow).
  search::ResultSet incumbent;
  bool incumbentReady = false;
  std::vector<double> metrics;
  std::map<std::pair<const void *, uint64_t>, std::unique_ptr<net::NetworkModel>>
      networks;
  std::map<std::pair<const void *, uint64_t>, std::pair<double, double>> areas;
  SubtreeCounter<uint64_t> sizes;
  llvm::SourceMgr sm;
  std::unique_ptr<DiagEngine> diags;
  std::vector<std::function<double(llvm::StringRef)>> unusedFieldFns;
};

} // namespace ds

#endif
