//===- NetworkAbstraction.cpp - The collectives a design implies ----------===//
//
// Message sizes per forward step, T tokens per microbatch on one replica
// (decode: one per request; prefill: the prompt), a = activation bytes:
//   TP  all-reduce of T*hidden*a after attention and after the MLP
//   SP  all-gather + reduce-scatter of (T/sp)*hidden*a around attention
//   CP  prefill: all-gather of each rank's K and V; decode: all-reduce of
//       the partial attention outputs
//   EP  all-to-all of T*top_k/ep tokens per destination, dispatch + combine
//   PP  send/recv of T*hidden*a to the next stage
// (the full operator graph and overlap belong to the model-to-ops and
// partition passes; this pass prices what crosses the network).
//
//===----------------------------------------------------------------------===//
#include "passes/NetworkAbstraction.h"
#include "ir/Checked.h"
#include "passes/MetricsCheck.h"

#include "passes/ModelToOps.h"

#include <cmath>
#include <fmt/format.h>

using namespace ds;

bool ds::checkParallelLayout(const DesignIR &d, DiagEngine &diags) {
  const ScheduleIR &s = *d.schedule;
  const NetworkIR &n = *d.system->network;
  // Far beyond any machine, and every count below it fits in int64_t
  // products with a model's sizes.
  constexpr int64_t kMaxDevices = 1000000000;
  if (n.devices() > kMaxDevices) {
    diags.report(n.loc, DiagKind::TooManyDevices, n.name,
                 saturated(n.devices()) ? "more than 2^63"
                                        : std::to_string(n.devices()),
                 kMaxDevices);
    return false;
  }
  ParallelLayout l = ParallelLayout::of(s);
  if (l.ranks == n.devices()) {
    if (l.stageRanks % s.ep == 0)
      return true;
    diags.report(s.loc, DiagKind::ExpertRanks, s.name, s.ep, l.stageRanks);
    return false;
  }
  diags.report(s.loc, DiagKind::RanksMismatch, s.name, l.describe(),
               d.system->name, n.devices());
  std::string levels;
  for (const LevelIR &lv : n.levels)
    levels += (levels.empty() ? "" : " x ") + lv.topology.str();
  diags.report(n.loc, DiagKind::NoteValues,
               fmt::format("network '{}' has {} devices ({})", n.name,
                           n.devices(), levels));
  return false;
}

Algorithm ds::scheduledAlgorithm(const ScheduleIR &s, net::Collective c) {
  switch (c) {
  case net::Collective::AllReduce:
    return s.allReduce;
  case net::Collective::AllGather:
    return s.allGather;
  case net::Collective::ReduceScatter:
    return s.reduceScatter;
  case net::Collective::AllToAll:
    return s.allToAll;
  case net::Collective::SendRecv:
    return Algorithm::Direct;
  case net::Collective::Broadcast:
    return Algorithm::Auto;
  }
  return Algorithm::Auto;
}

std::vector<CommOp> ds::stepCollectives(const DesignIR &d,
                                        const ParallelLayout &l, Phase ph,
                                        double tokens) {
  const ModelIR &m = *d.workload->model;
  const ScheduleIR &s = *d.schedule;
  auto deg = [&](ParallelDim p) { return l.degree[unsigned(p)]; };
  double act = dtypeBytes(m.activations), kv = dtypeBytes(m.kvCache);
  double stageLayers = std::ceil(double(m.layers) / double(s.pp));
  double moeLayers =
      m.experts > 0 ? std::ceil(double(m.layers - m.denseLayers) / double(s.pp))
                    : 0;
  std::vector<CommOp> ops;
  auto add = [&](const char *what, const char *partner, ParallelDim dim,
                 net::Collective c, double bytes, double count) {
    if (deg(dim) < 2 || count <= 0 || bytes <= 0)
      return;
    CommOp op;
    op.what = what;
    op.phase = ph;
    op.dim = dim;
    op.collective = c;
    op.algorithm = scheduledAlgorithm(s, c);
    op.bytes = bytes;
    op.count = count;
    op.partner = partner;
    ops.push_back(std::move(op));
  };
  using C = net::Collective;
  // Tokens on one rank: SP splits them, and CP splits the prompt.
  double local =
      tokens / double(s.sp) / (ph == Phase::Prefill ? double(s.cp) : 1.0);
  double hidden = local * double(m.hidden) * act;
  add("attention output", "o_proj", ParallelDim::TP, C::AllReduce, hidden,
      stageLayers);
  // The MLP's all-reduce: dense layers after mlp.down, MoE layers after
  // the experts (their partners differ, and so does what overlaps).
  double denseStage = stageLayers - moeLayers;
  add("MLP output", "mlp.down", ParallelDim::TP, C::AllReduce, hidden,
      denseStage);
  add("MoE output", m.sharedExperts > 0 ? "moe.shared.down" : "moe.down",
      ParallelDim::TP, C::AllReduce, hidden, moeLayers);
  add("sequence gather", "qkv", ParallelDim::SP, C::AllGather, hidden,
      stageLayers);
  add("sequence scatter", "o_proj", ParallelDim::SP, C::ReduceScatter,
      hidden * double(s.sp), stageLayers);
  if (ph == Phase::Prefill)
    add("context K/V gather", "attention", ParallelDim::CP, C::AllGather,
        local * kvValuesPerTokenLayer(m, s.tp) * kv, stageLayers);
  else
    add("context partial outputs", "attention", ParallelDim::CP, C::AllReduce,
        hidden, stageLayers);
  // Tokens each EP rank dispatches: the distinct tokens of its EP group
  // (one replica's per TP group it spans) over ep.
  double dispatched = local / double(std::min(s.tp, s.ep));
  double perDestination =
      dispatched * double(m.topK) / double(s.ep) * double(m.hidden) * act;
  // EP within a TP group finds every token already on every rank (TP
  // attention replicates them) and sums the experts' partial outputs in
  // the TP all-reduce; only EP across TP groups moves tokens all-to-all.
  if (s.ep > s.tp) {
    add("expert dispatch", "moe.up", ParallelDim::EP, C::AllToAll,
        perDestination, moeLayers);
    add("expert combine", "moe.down", ParallelDim::EP, C::AllToAll,
        perDestination, moeLayers);
  }
  add("stage activations", "", ParallelDim::PP, C::SendRecv, hidden, 1);
  return ops;
}

int64_t ds::effectiveMicrobatches(const DesignIR &d) {
  int64_t requests = (d.workload->batch + d.schedule->dp - 1) / d.schedule->dp;
  return std::max<int64_t>(1, std::min(d.schedule->microbatches, requests));
}

double ds::microbatchTokens(const DesignIR &d, Phase ph) {
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  double perRequest = ph == Phase::Prefill ? double(w.prompt) : 1.0;
  double requests = std::ceil(double(w.batch) / double(s.dp));
  return std::ceil(requests / double(effectiveMicrobatches(d))) * perRequest;
}

std::vector<CommOp> ds::impliedCollectives(const DesignIR &d,
                                           const ParallelLayout &l) {
  std::vector<CommOp> ops;
  for (Phase ph : {Phase::Prefill, Phase::Decode}) {
    if (d.workload->phase != Phase::Both && d.workload->phase != ph)
      continue;
    for (CommOp &op : stepCollectives(d, l, ph, microbatchTokens(d, ph)))
      ops.push_back(std::move(op));
  }
  return ops;
}

bool ds::runNetworkAbstraction(const DesignIR &d,
                               const net::NetworkModel &model,
                               DiagEngine &diags, NetworkAbstraction &out) {
  if (!checkParallelLayout(d, diags))
    return false;
  out.layout = ParallelLayout::of(*d.schedule);
  bool ok = true;
  for (CommOp &op : impliedCollectives(d, out.layout)) {
    auto cost = model.price(op.collective, op.algorithm,
                            out.layout.group(op.dim), op.bytes);
    if (!cost) {
      diags.report(d.schedule->loc, DiagKind::CollectiveNotPriced,
                   parallelDimName(op.dim),
                   net::collectiveName(op.collective),
                   llvm::toString(cost.takeError()));
      ok = false;
      continue;
    }
    if (!checkCollectiveCost(d, op.what, *cost, diags))
      return false; // the others share the cause: one error is enough
    out.comms.push_back(PricedComm{std::move(op), *cost});
  }
  return ok;
}
