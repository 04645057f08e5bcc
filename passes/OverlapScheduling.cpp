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

double ds::overlapFloor(double c, double h, double l) {
  return std::min(h + std::max(c, h + l), c + h + l);
}

net::CollectiveCost ds::asKernel(net::CollectiveCost cost, double launch) {
  cost.latency += launch;
  cost.time += launch;
  return cost;
}

namespace {
thread_local bool relaxed = false;
} // namespace
RelaxedScope::RelaxedScope() : saved(relaxed) { relaxed = true; }
RelaxedScope::~RelaxedScope() { relaxed = saved; }
bool ds::relaxedOverlap() { return relaxed; }

double ds::overlapReduceScatter(double c, double h, double l, double r,
                                double waves) {
  r = std::max(0.0, r);
  return overlapTile(c + r, h, l + r, waves);
}

RingAdds ds::ringReduceScatterAdds(int64_t n, double buffer,
                                   double elementBytes) {
  RingAdds a;
  if (n < 2 || !(buffer > 0) || !(elementBytes > 0))
    return a;
  double chunk = buffer / double(n), hops = double(n - 1);
  a.bytes = (2 * hops + 1) * chunk;
  a.writeFraction = chunk / a.bytes;
  a.elements = hops * chunk / elementBytes;
  return a;
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
  // Collectives priced as kernels (each pays a launch).
  std::vector<net::CollectiveCost> priced(g.ops.size());
  for (size_t i = 0; i < g.ops.size(); ++i)
    if (g.ops[i].kind == OpKind::Collective)
      priced[i] = asKernel(comm[i], launch);
  // Under tile overlap, the collectives sharing a partner operator hide
  // behind it together: merge their latencies and bandwidth times so the
  // partner's compute is not credited twice.
  std::vector<double> groupLatency(g.ops.size(), 0), groupBandwidth(
                                                         g.ops.size(), 0);
  auto tiled = [&](const Op &op) {
    return mode == Overlap::Tile && op.overlapsWith >= 0 &&
           op.comm.collective != net::Collective::SendRecv;
  };
  for (size_t i = 0; i < g.ops.size(); ++i)
    if (g.ops[i].kind == OpKind::Collective && tiled(g.ops[i])) {
      groupLatency[g.ops[i].overlapsWith] += priced[i].latency;
      groupBandwidth[g.ops[i].overlapsWith] += priced[i].bandwidth;
    }
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op &op = g.ops[i];
    if (op.kind != OpKind::Collective)
      continue;
    const net::CollectiveCost &k = priced[i];
    double full = k.time * op.count, exposed = full;
    bool p2p = op.comm.collective == net::Collective::SendRecv;
    if (p2p && mode != Overlap::None && microbatches > 1) {
      exposed = k.latency * op.count; // behind the next microbatch
    } else if (tiled(op)) {
      int p = op.overlapsWith;
      const compute::OpCost &c = tiles[p].cost;
      double h = groupLatency[p], l = groupBandwidth[p];
      double merged = relaxed ? overlapFloor(c.time, h, l)
                              : overlapTile(c.time, h, l, c.waves);
      // This collective's share of what the group leaves exposed.
      double shareOf = (h + l) > 0 ? (k.latency + k.bandwidth) / (h + l) : 0;
      exposed = std::max(0.0, merged - c.time) * shareOf * op.count;
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
