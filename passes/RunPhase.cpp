//===- RunPhase.cpp - Passes 1-5 for one phase of a design ----------------===//
//
// model-to-ops, partition, tiling, network-abstraction and overlap-
// scheduling for prefill or decode (decode averaged over the KV lengths),
// at the clock the chip sustains under the step's power (passes/Clock.h).
//
//===----------------------------------------------------------------------===//
#include "passes/RunPhase.h"

#include "passes/Clock.h"
#include "passes/ModelToOps.h"
#include "passes/Partition.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

using namespace ds;

namespace {
/// What the clock a step settles at depends on.
struct ClockKey {
  const ChipIR *chip;
  uint64_t generation;
  double time, energy, dramBytes, networkEnergy, devices;
  bool relaxed; ///< the overlap floor changes the steps below full clock
  bool operator<(const ClockKey &o) const {
    return std::tie(chip, generation, time, energy, dramBytes, networkEnergy,
                    devices, relaxed) <
           std::tie(o.chip, o.generation, o.time, o.energy, o.dramBytes,
                    o.networkEnergy, o.devices, o.relaxed);
  }
};

std::map<ClockKey, std::pair<double, bool>> &settledClocks() {
  thread_local std::map<ClockKey, std::pair<double, bool>> m;
  return m;
}
} // namespace

void ds::clearSettledClocks() { settledClocks().clear(); }

StepShape ds::shapeFor(const DesignIR &d, Phase ph, int64_t context) {
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  StepShape st;
  st.phase = ph;
  double perReplica = std::ceil(double(w.batch) / double(s.dp));
  st.sequences = std::ceil(perReplica / double(effectiveMicrobatches(d)));
  st.queryTokens = ph == Phase::Prefill ? double(w.prompt) : 1.0;
  st.context = context;
  st.imbalance = w.imbalance;
  return st;
}

/// Costs one phase; decode averages the step over kDecodeSamples KV lengths
/// (only attention depends on them).
bool ds::runPhase(const DesignIR &d, const ParallelLayout &l, Phase ph,
              const ChipContext &chip, const net::NetworkModel &network,
              DiagEngine &diags, PhaseResult &r, const PassObserver &observe) {
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  r.present = true;
  unsigned samples = ph == Phase::Decode ? kDecodeSamples : 1;
  auto contextAt = [&](unsigned i) {
    if (ph == Phase::Prefill)
      return w.prompt;
    return w.prompt + int64_t(std::llround((double(i) + 0.5) *
                                           double(w.generate) / samples));
  };
  r.graph = modelToOps(*d.workload->model, shapeFor(d, ph, contextAt(samples / 2)));
  if (observe)
    observe("model-to-ops", r);
  partition(d, l, r.graph);
  if (observe)
    observe("partition", r);
  r.tiles = tile(chip, r.graph);
  if (observe)
    observe("tiling", r);
  r.comm.assign(r.graph.ops.size(), net::CollectiveCost());
  for (size_t i = 0; i < r.graph.ops.size(); ++i) {
    const Op &op = r.graph.ops[i];
    if (op.kind != OpKind::Collective)
      continue;
    auto cost = network.price(op.comm.collective, op.comm.algorithm,
                              l.group(op.comm.dim), op.comm.bytes);
    if (!cost) {
      diags.report(s.loc, DiagKind::CollectiveNotPriced,
                   parallelDimName(op.comm.dim),
                   net::collectiveName(op.comm.collective),
                   llvm::toString(cost.takeError()));
      return false;
    }
    r.comm[i] = *cost;
  }
  if (observe)
    observe("network-abstraction", r);
  // Average the stage step over the KV lengths, at clock scale `clock`.
  auto averaged = [&](double clock) {
    double energyScale = std::pow(clock, chip.chip->dvfsAlpha - 1);
    ScheduledStep sum;
    std::vector<TiledOp> tiles;
    for (unsigned k = 0; k < samples; ++k) {
      tiles = r.tiles; // reuses the buffer after the first sample
      if (samples > 1)
        for (size_t i = 0; i < r.graph.ops.size(); ++i)
          if (r.graph.ops[i].kind == OpKind::Attention) {
            Op op = r.graph.ops[i];
            op.attn.context = std::max<int64_t>(
                1, int64_t(std::ceil(double(contextAt(k)) / double(s.cp))));
            tiles[i] = tileOp(chip, op);
          }
      if (clock < 1)
        for (TiledOp &t : tiles) {
          t.cost.time = timeAtClock(t.cost, clock);
          t.energy = t.dramEnergy + (t.energy - t.dramEnergy) * energyScale;
        }
      ScheduledStep st =
          scheduleStep(r.graph, tiles, r.comm, s.overlap, effectiveMicrobatches(d),
                       chip.chip->launch / clock);
      if (k == 0) {
        sum = st;
        continue;
      }
      sum.time += st.time;
      for (unsigned c = 0; c < kOpClasses; ++c) {
        sum.byClass[c].compute += st.byClass[c].compute;
        sum.byClass[c].memory += st.byClass[c].memory;
        sum.byClass[c].network += st.byClass[c].network;
      }
      for (size_t i = 0; i < st.opTime.size(); ++i)
        sum.opTime[i] += st.opTime[i];
      sum.commTime += st.commTime;
      sum.commExposed += st.commExposed;
      sum.computeEnergy += st.computeEnergy;
      sum.networkEnergy += st.networkEnergy;
      sum.flops += st.flops;
      sum.dramBytes += st.dramBytes;
    }
    double inv = 1.0 / samples;
    sum.time *= inv;
    for (TimeSplit &t : sum.byClass) {
      t.compute *= inv;
      t.memory *= inv;
      t.network *= inv;
    }
    for (double &t : sum.opTime)
      t *= inv;
    sum.commTime *= inv;
    sum.commExposed *= inv;
    sum.computeEnergy *= inv;
    sum.networkEnergy *= inv;
    sum.flops *= inv;
    sum.dramBytes *= inv;
    return sum;
  };
  // The clock the chip sustains while it runs this step: the highest
  // clock at which the step's power (static, logic, DRAM traffic and
  // background, links - the SerDes are inside the TDP) stays within the
  // TDP and the temperatures within the limit. Power falls monotonically
  // with the clock (alpha >= 1), so bisect.
  const ChipIR &c = *chip.chip;
  double devices = double(d.system->network->devices());
  double background = chip.dramBackground;
  auto within = [&](const ScheduledStep &st) {
    double dram = st.dramBytes * chip.dramEnergyPerByte / st.time;
    double link = st.networkEnergy / devices / st.time;
    thermal::PowerInput p;
    p.logicStatic = c.staticPower;
    p.logicDynamic = std::max(0.0, st.computeEnergy / st.time - dram + link);
    p.dramPerStack = (dram + background) / double(c.memory->stacks);
    return !thermal::evaluate(c, p).throttled;
  };
  ScheduledStep sum = averaged(1.0);
  r.clockScale = 1;
  // The settled clock is a function of the full-clock step and the chip:
  // memoize it (a sweep revisits the same steps on the same chips).
  ClockKey key{&c,           c.generation,   sum.time,
               sum.computeEnergy, sum.dramBytes, sum.networkEnergy,
               devices,           relaxedOverlap()};
  auto known = settledClocks().find(key);
  if (known != settledClocks().end()) {
    r.clockScale = known->second.first;
    r.overLimit = known->second.second;
    if (r.clockScale < 1)
      sum = averaged(r.clockScale);
  } else if (!within(sum)) {
    constexpr double kLowest = 0.05; // below this the chip is unusable
    double lo = kLowest, hi = 1;
    ScheduledStep atLo = averaged(lo);
    if (!within(atLo)) {
      r.clockScale = lo;
      r.overLimit = true;
      sum = atLo;
    } else {
      for (int i = 0; i < 14; ++i) {
        double mid = 0.5 * (lo + hi);
        (within(averaged(mid)) ? lo : hi) = mid;
      }
      r.clockScale = lo;
      sum = averaged(lo);
    }
  }
  if (known == settledClocks().end()) {
    if (settledClocks().size() > (1u << 16))
      settledClocks().clear();
    settledClocks().emplace(key, std::make_pair(r.clockScale, r.overLimit));
  }
  r.step = sum;
  if (observe)
    observe("overlap-scheduling", r);
  return true;
}
