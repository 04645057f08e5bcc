//===- OverlapScheduling.cpp - A stage's step on the clock ----------------===//
#include "passes/OverlapScheduling.h"

#include <algorithm>
#include <cmath>

using namespace ds;

double ds::overlapTile(double c, double h, double l, double waves) {
  double w = std::max(1.0, std::round(waves));
  double tiled = c / w + std::max(c * (w - 1) / w, h + l * (w - 1) / w) + h +
                 l / w;
  return std::min(tiled, c + h + l);
}

ScheduledStep ds::scheduleStep(const OpGraph &g,
                               const std::vector<TiledOp> &tiles,
                               const std::vector<net::CollectiveCost> &comm,
                               Overlap mode, int64_t microbatches,
                               double launch) {
  ScheduledStep s;
  s.opTime.assign(g.ops.size(), 0);
  auto split = [&](const Op &op) -> TimeSplit & {
    return s.byClass[unsigned(op.cls)];
  };
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op &op = g.ops[i];
    if (op.kind == OpKind::Collective)
      continue;
    const compute::OpCost &c = tiles[i].cost;
    double t = c.time * op.count;
    s.opTime[i] = t;
    if (c.bound == compute::Bound::Dram)
      split(op).memory += t;
    else
      split(op).compute += t;
    s.computeEnergy += tiles[i].energy * op.count;
    s.flops += c.flops * op.count;
    s.dramBytes += c.dramBytes * op.count;
  }
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op &op = g.ops[i];
    if (op.kind != OpKind::Collective)
      continue;
    // A collective is a kernel too: it pays a launch like any operator.
    net::CollectiveCost k = comm[i];
    k.latency += launch;
    k.time += launch;
    double full = k.time * op.count, exposed = full;
    bool p2p = op.comm.collective == net::Collective::SendRecv;
    if (p2p && mode != Overlap::None && microbatches > 1)
      exposed = k.latency * op.count; // behind the next microbatch
    else if (mode == Overlap::Tile && op.overlapsWith >= 0) {
      const compute::OpCost &c = tiles[op.overlapsWith].cost;
      double merged = overlapTile(c.time, k.latency, k.bandwidth, c.waves);
      exposed = std::max(0.0, merged - c.time) * op.count;
    }
    s.opTime[i] = exposed;
    s.commTime += full;
    s.commExposed += exposed;
    s.networkEnergy += k.energy * op.count;
    const Op &owner = op.overlapsWith >= 0 ? g.ops[op.overlapsWith] : op;
    split(owner).network += exposed;
  }
  for (double t : s.opTime)
    s.time += t;
  return s;
}
