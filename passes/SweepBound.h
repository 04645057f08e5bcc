//===- SweepBound.h - Enclosures of a subtree's metrics ---------*- C++ -*-===//
//
// At a node of the search (levels above it assigned), an interval for every
// axis and every metric that encloses all points below. Assigned axes are
// points; unassigned axes span their values. Metrics come from a roofline
// of the design: once the hardware levels are assigned the chip's peak
// DRAM bandwidth, peak compute, kernel fixed cost and capacity are exact,
// and the decode work per device (weights and KV cache read, FLOPs, kernels
// per token period) has a lower bound over the schedule and workload axes
// still open. Metrics without a bound span everything, which never prunes.
// Every evaluated leaf is checked against its own bound (a violation is a
// model/bound bug and is counted in the statistics).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPBOUND_H
#define DEEPSTACK_PASSES_SWEEPBOUND_H

#include "passes/SweepSpace.h"
#include "runtime/network/NetworkModel.h"
#include <functional>
#include "llvm/ADT/StringMap.h"
#include <vector>

namespace ds {

/// True when every metric \p sweep's objective reads has a roofline bound
/// (otherwise \p why names the first that has none).
bool canBoundObjective(const SweepIR &sweep, std::string &why);

class SweepBound {
public:
  using NetworkOf = std::function<const net::NetworkModel &(const NetworkIR &)>;
  SweepBound(Instantiator &inst, const SweepSpace &space, PathEnv &env,
             NetworkOf networkOf = nullptr);

  /// Axis intervals below level \p k, declaration order.
  const std::vector<Interval> &axes(unsigned k);
  /// Metric intervals below level \p k, ir/Metrics.def order.
  const std::vector<Interval> &metrics(unsigned k);
  /// The interval of a non-axis field at this node (fields that no axis
  /// reaches are points; the others span everything until assigned).
  Interval field(llvm::StringRef qualified, unsigned k);
  /// While set, the open level \p level spans only \p iv (a range of its
  /// values judged together).
  void setRange(unsigned level, Interval iv) {
    rangeLevel = int(level);
    rangeIv = iv;
  }
  void clearRange() { rangeLevel = -1; }
  /// Metrics the roofline encloses.
  static bool bounded(llvm::StringRef metric);

private:
  /// What the hardware offers one device, as the best any point below the
  /// node can have (exact once the hardware levels are assigned).
  struct Supply {
    bool valid = false;
    double bandwidth = 0; ///< B/s: peak DRAM bandwidth * utilization
    double gemmFlops = 0; ///< FLOP/s for weights x activations * util.
    double attnFlops = 0; ///< FLOP/s for activations x KV cache * util.
    double vectorFlops = 0; ///< FP32 FLOP/s * util.
    double l2 = 0;        ///< B/s: L2 bandwidth * utilization
    double mmaM = 1;      ///< rows a tensor instruction pads to (lowest)
    double launch = 0;    ///< s per kernel (lowest)
    double hop = 0;       ///< s: the lowest latency of a network level
    double capacity = 0;  ///< bytes (highest)
    double staticPower = 0; ///< W (lowest)
    Interval devices;
  };
  /// What the model asks of a replica, unpartitioned (what any partition
  /// asks of a device, times at most tp): per decode token unless noted.
  struct Demand {
    double weights = 0;       ///< bytes of GEMM weights but experts,
                              ///< embedding and head, all layers
    double expertWeights = 0; ///< bytes of every routed expert, all layers
    double experts = 0, topK = 0;
    double kvPerToken = 0;    ///< KV-cache bytes per context token
    double attnFlopsPerCtx = 0; ///< attention FLOPs per context token
    double vectorFlops = 0;   ///< FP32 FLOPs of elementwise kernels
    double kernels = 0;       ///< compute kernels per step, all layers
    double weightBytes = 2;   ///< bytes per weight element
    double activationBytes = 2;
    double layers = 0, moeLayers = 0;
  };
  bool supplyAt(unsigned k, Supply &s);
  bool supplyHull(unsigned k, Supply &s);
  bool demandAt(unsigned k, Demand &d);
  void roofline(unsigned k);
  /// The decode collectives' least exposed time for one microbatch through
  /// every stage, once the hardware and the layout are fixed; 0 before.
  double networkFloor(unsigned k, double tokens, double mHi);
  Interval axisInterval(unsigned axis, unsigned k);
  /// What field() needs to know about a name, resolved once.
  struct FieldInfo {
    int axis = -1;          ///< the axis it is, or -1
    unsigned openLevel = 0; ///< levels below this may change it
    Interval value;         ///< cached value, valid from valueAt
    uint64_t valueAt = ~0ull;
  };
  FieldInfo &info(llvm::StringRef qualified);
  llvm::StringMap<FieldInfo> fields;
  std::vector<Interval> hulls; ///< per constant level
  std::vector<bool> hullKnown;
  int rangeLevel = -1;
  Interval rangeIv;
  int cachedLevel = -1;   ///< metricIv holds the bound at this level ...
  uint64_t cachedAt = 0;  ///< ... as of this PathEnv clock

  Instantiator &inst;
  const SweepSpace &space;
  PathEnv &env;
  NetworkOf networkOf;
  unsigned scheduleLevel = 0; ///< levels below it may change the schedule
  std::vector<Interval> axisIv, metricIv;
  std::vector<int> levelOf; ///< axis -> level
  unsigned modelLevel = 0;  ///< levels below it may change the model
  unsigned supplyLevel = 0; ///< ... the system or what the supply reads
  unsigned designRefLevel = 0; ///< ... which system, workload or schedule
  Supply supply;
  uint64_t supplyKey[5] = {~0ull, ~0ull, ~0ull, ~0ull, ~0ull};
  const void *supplyChip = nullptr;
  Demand demand;
  uint64_t demandKey = ~0ull;
  const void *demandModel = nullptr;
};

} // namespace ds

#endif
