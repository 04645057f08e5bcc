//===- Partition.cpp - Split a step over the devices ----------------------===//
#include "passes/Partition.h"

#include <cmath>
#include <fmt/format.h>

using namespace ds;

bool ds::checkPartition(const DesignIR &d, DiagEngine &diags) {
  const ScheduleIR &s = *d.schedule;
  const ModelIR &m = *d.workload->model;
  auto fail = [&](std::string msg) {
    diags.report(s.loc, DiagKind::BadPartition, s.name, msg);
    return false;
  };
  if (m.heads % s.tp)
    return fail(fmt::format("tp {} does not divide the {} heads of model '{}'",
                            s.tp, m.heads, m.name));
  if (m.kvRank == 0 && m.kvHeads % s.tp && s.tp % m.kvHeads)
    return fail(fmt::format("tp {} neither divides the {} KV heads of '{}' "
                            "nor is a multiple of them (heads would split "
                            "unevenly)",
                            s.tp, m.kvHeads, m.name));
  if (m.experts > 0 && s.ep < s.tp && s.tp % s.ep)
    return fail(fmt::format("ep {} must divide tp {} (an expert group inside "
                            "a TP group)",
                            s.ep, s.tp));
  if (m.experts > 0 && m.experts % s.ep)
    return fail(fmt::format("ep {} does not divide the {} experts of model "
                            "'{}'",
                            s.ep, m.experts, m.name));
  if (m.experts == 0 && s.ep > 1)
    return fail(fmt::format("ep {} needs a mixture-of-experts model; '{}' is "
                            "dense",
                            s.ep, m.name));
  if (s.pp > m.layers)
    return fail(fmt::format("pp {} is more stages than the {} layers of '{}'",
                            s.pp, m.layers, m.name));
  return true;
}

namespace {
int64_t divUp(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Expected largest of \p bins independent Binomial(n, p) counts: the
/// active experts of the busiest device when each of its n experts is hit
/// with probability p. E[max] = sum over x >= 0 of 1 - F(x)^bins.
double expectedMaxBinomial(int64_t n, double p, int64_t bins) {
  if (n <= 0 || p <= 0)
    return 0;
  if (p >= 1)
    return double(n);
  // pmf in log space: (1 - p)^n underflows for hundreds of experts. The
  // binomial coefficient's log is stepped, log C(n, x+1) = log C(n, x) +
  // log(n - x) - log(x + 1): std::lgamma writes the global signgam, a data
  // race between sweep threads (ThreadSanitizer).
  double lp = std::log(p), lq = std::log1p(-p), cdf = 0, e = 0, logC = 0;
  for (int64_t x = 0; x < n; ++x) {
    cdf += std::exp(logC + double(x) * lp + double(n - x) * lq);
    e += 1 - std::pow(std::min(1.0, cdf), double(bins));
    logC += std::log(double(n - x)) - std::log(double(x + 1));
  }
  return e;
}
int64_t scaled(int64_t v, double f) {
  return std::max<int64_t>(1, int64_t(std::ceil(double(v) * f)));
}
} // namespace

void ds::partition(const DesignIR &d, const ParallelLayout &l, OpGraph &g) {
  const ScheduleIR &s = *d.schedule;
  const ModelIR &m = *d.workload->model;
  // SP splits the tokens; in prefill CP splits the prompt for every
  // operator too (decode's single token is replicated over cp).
  double tokenShare = 1.0 / double(s.sp) /
                      (g.phase == Phase::Prefill ? double(s.cp) : 1.0);
  double stage = std::ceil(double(m.layers) / double(s.pp)) / double(m.layers);
  int64_t hkv = m.kvRank > 0 ? 1 : std::max<int64_t>(1, m.kvHeads / s.tp);
  // MoE: distinct tokens in an EP group, tokens per local expert, experts
  // that receive any token, and the TP split left inside an expert.
  double distinct = g.tokens * std::max(1.0, double(s.ep) / double(s.tp));
  double imbalance = d.workload->imbalance;
  int64_t localExperts = m.experts > 0 ? m.experts / s.ep : 0;
  double perExpert = m.experts > 0 ? distinct * double(m.topK) /
                                         double(m.experts) * imbalance
                                   : 0;
  // Each expert is hit by some of the D tokens' top-k picks with
  // probability 1 - (1 - k/E)^D; the step waits for the busiest device.
  double hit = m.experts > 0
                   ? 1 - std::pow(1 - double(m.topK) / double(m.experts),
                                  distinct)
                   : 0;
  double active = expectedMaxBinomial(localExperts, hit, s.ep);
  int64_t expertSplit = s.tp > s.ep ? s.tp / s.ep : 1;

  std::vector<Op> out;
  out.reserve(g.ops.size() + 12);
  for (Op &op : g.ops) {
    if (op.cls != OpClass::Embedding && op.cls != OpClass::Head)
      op.count *= stage; // embedding, final norm and head run once
    compute::GemmShape &gm = op.gemm;
    int64_t rows = scaled(gm.m, tokenShare);
    switch (op.role) {
    case OpRole::Qkv:
      gm.m = rows;
      if (m.kvRank > 0) {
        if (op.name == "q.up" || op.name == "q")
          gm.n = divUp(gm.n, s.tp);
      } else {
        gm.n = (m.heads / s.tp + 2 * hkv) * m.headDim;
      }
      break;
    case OpRole::OProj:
    case OpRole::MlpDown:
    case OpRole::SharedDown:
      gm.m = rows;
      gm.k = divUp(gm.k, s.tp);
      break;
    case OpRole::MlpUp:
    case OpRole::SharedUp:
      gm.m = rows;
      gm.n = divUp(gm.n, s.tp);
      break;
    case OpRole::Head:
      gm.m = scaled(gm.m, 1.0 / double(s.sp)); // last tokens of this rank's
      gm.n = divUp(gm.n, s.tp);                // sequences only
      break;
    case OpRole::Router:
      gm.m = rows;
      break;
    case OpRole::MlaAbsorb: // per head: the heads split over tp
      gm.m = rows;
      gm.batch = divUp(gm.batch, s.tp);
      break;
    case OpRole::ExpertsUp:
      gm.batch = std::max<int64_t>(1, int64_t(std::ceil(active)));
      gm.m = std::max<int64_t>(1, int64_t(std::ceil(perExpert * tokenShare)));
      gm.n = divUp(gm.n, expertSplit);
      break;
    case OpRole::ExpertsDown:
      gm.batch = std::max<int64_t>(1, int64_t(std::ceil(active)));
      gm.m = std::max<int64_t>(1, int64_t(std::ceil(perExpert * tokenShare)));
      gm.k = divUp(gm.k, expertSplit);
      break;
    case OpRole::ExpertsAct:
      op.vectorBytes *= distinct / g.tokens / double(s.ep) / double(expertSplit) *
                        tokenShare;
      op.vectorFlops *= distinct / g.tokens / double(s.ep) /
                        double(expertSplit) * tokenShare;
      break;
    case OpRole::MlpAct:
      op.vectorBytes *= tokenShare / double(s.tp);
      op.vectorFlops *= tokenShare / double(s.tp);
      break;
    case OpRole::Rope:
    case OpRole::KvWrite: {
      // Heads split over tp; KV heads replicate beyond their count.
      double kvShare = m.kvRank > 0 ? 1.0
                                    : double(hkv) / double(m.kvHeads);
      // RoPE touches q (split over tp) and k (the local KV heads).
      double q = double(m.heads * (m.kvRank > 0 ? m.headDim + m.ropeDim
                                                 : m.headDim));
      double k = m.kvRank > 0 ? double(m.ropeDim)
                              : double(m.kvHeads * m.headDim);
      double share = op.role == OpRole::KvWrite
                         ? kvShare
                         : (q / double(s.tp) + k * kvShare) / (q + k);
      op.vectorBytes *= tokenShare * share;
      op.vectorFlops *= tokenShare * share;
      break;
    }
    case OpRole::Attention:
      op.attn.headsQ = m.heads / s.tp;
      op.attn.headsKV = hkv;
      op.attn.batch = scaled(op.attn.batch, 1.0 / double(s.sp));
      if (op.attn.causal && s.cp > 1) {
        // Ring attention, load-balanced (zig-zag): s/cp queries per rank
        // and s^2/(2 cp) causal pairs, i.e. q * ctx - q^2/2 with
        // ctx = s/2 + s/(2 cp).
        double seq = double(op.attn.queries);
        op.attn.queries = scaled(op.attn.queries, 1.0 / double(s.cp));
        op.attn.context = std::max<int64_t>(
            op.attn.queries,
            int64_t(std::ceil(seq / 2 + seq / (2 * double(s.cp)))));
      } else {
        op.attn.context = scaled(op.attn.context, 1.0 / double(s.cp));
      }
      break;
    case OpRole::Norm:
    case OpRole::Residual:
    case OpRole::Embedding:
      op.vectorBytes *= tokenShare;
      op.vectorFlops *= tokenShare;
      break;
    case OpRole::Comm:
      break;
    }
    if (op.kind == OpKind::Gemm)
      op.weightBytes = double(gm.n) * double(gm.k) *
                       double(op.role == OpRole::ExpertsUp ||
                                      op.role == OpRole::ExpertsDown
                                  ? localExperts
                                  : gm.batch) *
                       dtypeBytes(gm.b);
    out.push_back(std::move(op));
  }
  g.ops.clear();
  // The collectives, each placed after (or, for gathers and dispatch,
  // before) the operator whose tiles it overlaps.
  auto find = [&](const char *name) -> int {
    for (size_t i = 0; i < out.size(); ++i)
      if (out[i].name == name)
        return int(i);
    return -1;
  };
  for (CommOp &c : stepCollectives(d, l, g.phase, g.tokens)) {
    Op op;
    op.kind = OpKind::Collective;
    op.role = OpRole::Comm;
    op.cls = OpClass::Network;
    op.name = fmt::format("{}.{}", parallelDimName(c.dim),
                          net::collectiveName(c.collective));
    op.count = c.count;
    op.overlapsWith = *c.partner ? find(c.partner) : -1;
    op.comm = std::move(c);
    op.name += "." + op.comm.what;
    out.push_back(std::move(op));
  }
  g.ops = std::move(out);
}
