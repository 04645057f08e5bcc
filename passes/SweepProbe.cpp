//===- SweepProbe.cpp - Bounds that evaluate the model itself -------------===//
//
// The roofline (passes/SweepBound.cpp) ignores what only the full model
// knows - launch-bound kernels, wave quantization, exposed collectives -
// and is 10-20% above the best point of a large space. Where the model is
// monotone in an axis, evaluating it at the subtree's best end bounds the
// whole subtree far more tightly. Each such evaluation is a probe: where
// the tiling may differ it runs relaxed (passes/OverlapScheduling.h: tile
// overlap at its floor over every chunking), so it is never slower than
// any point it stands for. Throttling stays: under a power or temperature
// cap a step takes its energy over the sustainable power, and a relaxed
// step has the same energy.
//
// Batch ranges. A decode step never gets shorter with more requests: the
// tokens per microbatch t = ceil(ceil(B / dp) / M) and the microbatches
// M = min(microbatches, ceil(B / dp)) never fall as B grows, every
// operator's time grows with its rows (tiles, waves, KV reads, bytes of
// every collective, experts hit), and TPOT = M * slowest stage (M >= pp)
// or the sum of the stages, which grows with M too. So over batches
// [a, b]: TPOT(B) >= TPOT_relaxed(a) and
//   stps(B) = B / TPOT(B) <= b / TPOT_relaxed(a),
// relaxed: with tile overlap at its floor over every chunking (the real
// chunking follows the waves, which can round up as a batch grows and
// hide more of a collective). test/unit/SweepMonotoneTest.cpp checks the
// monotonicity on random library designs.
//
//===----------------------------------------------------------------------===//
#include "passes/OverlapScheduling.h"
#include "llvm/ADT/Optional.h"
#include "passes/SweepWorker.h"

using namespace ds;

void SweepSearch::Worker::findBatchLevel() {
  batchLevel = -1;
  probeObjective = ProbeObjective::None;
  const SweepIR &sw = space.sweep();
  if (!sw.objective || sw.objective->kind != Expr::Metric || space.depth() == 0)
    return;
  const std::string &m = sw.objective->name;
  if (sw.maximize && m == "stps")
    probeObjective = ProbeObjective::Stps;
  else if (sw.maximize && m == "tps_per_device")
    probeObjective = ProbeObjective::TpsPerDevice;
  else if (!sw.maximize && m == "tpot")
    probeObjective = ProbeObjective::Tpot;
  unsigned last = space.depth() - 1;
  const SweepAxis &a = sw.axes[space.order()[last]];
  if (probeObjective != ProbeObjective::None &&
      a.declKind == DeclKind::Workload && a.field == "batch")
    batchLevel = int(last);
}

double SweepSearch::Worker::probeValue(const DesignMetrics &m,
                                       double batch) const {
  switch (probeObjective) {
  case ProbeObjective::Stps:
    return batch / m.tpot;
  case ProbeObjective::TpsPerDevice:
    return batch / m.tpot / double(m.devices);
  case ProbeObjective::Tpot:
  case ProbeObjective::None:
    break;
  }
  return -m.tpot;
}

bool SweepSearch::Worker::evaluateRelaxed(DesignMetrics &m, bool floorOverlap) {
  std::string why;
  if (!env.commit(why))
    return false;
  const DesignIR &d = inst->design();
  refreshDiags();
  llvm::Optional<RelaxedScope> relaxed;
  if (floorOverlap)
    relaxed.emplace();
  return evaluateDesign(d, networkFor(*d.system->network), *diags, m, nullptr,
                        /*explain=*/false) &&
         m.feasible && m.tpot > 0;
}

void SweepSearch::Worker::batchRangeBound(unsigned k,
                                          const std::vector<Value> &values,
                                          uint32_t lo, uint32_t hi,
                                          Judgement &j, Context &c) {
  if (int(k) != batchLevel || c.exhaustive || j.cut != Judgement::Keep ||
      hi <= lo || boundCuts(j, c))
    return;
  uint32_t smallest = lo;
  double largest = values[lo].num;
  for (uint32_t i = lo; i < hi; ++i) {
    if (values[i].num < values[smallest].num)
      smallest = i;
    largest = std::max(largest, values[i].num);
  }
  env.assign(k, values[smallest]);
  DesignMetrics m;
  c.stats->probes += 1;
  if (!evaluateRelaxed(m, /*floorOverlap=*/true))
    return;
  // The axis must be the batch the design runs (a reference axis above
  // may have picked another workload).
  const SweepAxis &a = space.sweep().axes[space.order()[k]];
  if (inst->design().workload->name != a.decl)
    return;
  j.best = std::min(j.best,
                    widened(probeValue(m, largest), m.decode.clockScale));
}
