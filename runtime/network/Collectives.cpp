//===- Collectives.cpp - Collective algorithms as steps of flows ----------===//
//
// Payload conventions (as the reference files): S is the per-rank buffer of
// all-reduce and reduce-scatter, the per-rank contribution of all-gather,
// the per-destination chunk of all-to-all and the message of broadcast and
// send/recv.
//
//===----------------------------------------------------------------------===//
#include "runtime/network/Collectives.h"

#include <algorithm>
#include <fmt/format.h>

using namespace ds;
using namespace ds::net;

namespace {
const char *const kCollectiveNames[] = {"all_reduce", "all_gather",
                                        "reduce_scatter", "all_to_all",
                                        "broadcast", "send_recv"};

bool isPow2(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

unsigned log2i(int64_t n) {
  unsigned l = 0;
  while ((int64_t(1) << l) < n)
    ++l;
  return l;
}

llvm::StringRef algName(Algorithm a) { return spelling(EnumId::Algorithm, a); }

Step xorStep(int64_t mask, double fraction) {
  Step s;
  s.rule.kind = FlowRule::Xor;
  s.rule.arg = mask;
  s.fraction = fraction;
  return s;
}

Step shiftStep(int64_t distance, int64_t weight, int64_t radix,
               double fraction) {
  Step s;
  s.rule.kind = FlowRule::Shift;
  s.rule.arg = distance;
  s.rule.weight = weight;
  s.rule.radix = radix;
  s.fraction = fraction;
  return s;
}

/// `count` steps of a ring along one dimension, each moving `fraction`.
void ring(CommPhase &p, int64_t count, int64_t weight, int64_t radix,
          double fraction) {
  for (int64_t i = 0; i < count; ++i)
    p.steps.push_back(shiftStep(1, weight, radix, fraction));
}

/// Every rank sends to every other rank of its group at once (one
/// independent phase); `onlyLevel` keeps the flows crossing that level.
CommPhase allPairs(int64_t n, double fraction, int onlyLevel = -1) {
  CommPhase p;
  p.independent = true;
  for (int64_t i = 1; i < n; ++i) {
    Step s = isPow2(n) ? xorStep(i, fraction) : shiftStep(i, 1, n, fraction);
    s.onlyLevel = onlyLevel;
    p.steps.push_back(s);
  }
  return p;
}

/// Two complementary binary trees (NCCL's double binary tree), each reducing
/// then broadcasting half of the buffer, pipelined in packets: one step
/// whose flows are the tree edges in both directions and whose latency is
/// twice the trees' depth in path latencies.
Step doubleBinaryTree(int64_t n) {
  Step s;
  s.rule.kind = FlowRule::List;
  s.fraction = 0.5;
  // Reduce up and broadcast down a heap tree of depth log2(n+1) - 1 edges.
  s.latencyHops = std::max(1u, 2 * (log2i(n + 1) - 1));
  for (int64_t shift : {int64_t(0), n / 2}) {
    for (int64_t i = 1; i < n; ++i) {
      int64_t c = (i + shift) % n, p = ((i - 1) / 2 + shift) % n;
      s.rule.list.push_back({c, p});
      s.rule.list.push_back({p, c});
    }
  }
  return s;
}

std::string needsPow2(Algorithm a, const GroupShape &g) {
  if (isPow2(g.size))
    return "";
  for (const GroupDim &d : g.dims)
    if (!isPow2(d.radix) && g.dims.size() > 1)
      return fmt::format("'{}' needs a power-of-two group; the group of {} "
                         "ranks ({}) has a dimension of size {}",
                         algName(a), g.size, g.describe(), d.radix);
  return fmt::format("'{}' needs a power-of-two group; the group has {} ranks",
                     algName(a), g.size);
}

std::string needsDims(Algorithm a, const GroupShape &g, size_t atLeast) {
  if (g.dims.size() >= atLeast && g.dims.front().level >= 0)
    return "";
  return fmt::format("'{}' needs a group aligned with {} network dimensions; "
                     "the group of {} ranks spans {}",
                     algName(a), atLeast, g.size,
                     g.dims.front().level < 0 ? "the network unevenly"
                                              : g.describe());
}

/// Reduce-scatter or all-gather ring along each group dimension in turn
/// (inner first for reduce-scatter; outer first, data growing, for
/// all-gather). `fraction` is what one rank holds at the start.
void dimensionRings(CommPhase &p, const GroupShape &g, bool gather,
                    double fraction) {
  if (gather) {
    for (size_t k = g.dims.size(); k-- > 0;) {
      const GroupDim &d = g.dims[k];
      ring(p, d.radix - 1, d.weight, d.radix, fraction);
      fraction *= d.radix;
    }
    return;
  }
  for (const GroupDim &d : g.dims) {
    fraction /= d.radix;
    ring(p, d.radix - 1, d.weight, d.radix, fraction);
  }
}

std::string allReduce(Algorithm a, const GroupShape &g,
                      llvm::ArrayRef<int> levels, StepPlan &out) {
  int64_t n = g.size;
  CommPhase p;
  switch (a) {
  case Algorithm::Ring:
    ring(p, 2 * (n - 1), 1, n, 1.0 / n);
    break;
  case Algorithm::RecursiveDoubling:
    if (auto e = needsPow2(a, g); !e.empty())
      return e;
    for (unsigned k = 0; k < log2i(n); ++k)
      p.steps.push_back(xorStep(int64_t(1) << k, 1.0));
    break;
  case Algorithm::Rabenseifner:
  case Algorithm::HalvingDoubling: {
    if (auto e = needsPow2(a, g); !e.empty())
      return e;
    unsigned l = log2i(n);
    for (unsigned k = 0; k < l; ++k) // reduce-scatter: nearest gets most
      p.steps.push_back(xorStep(int64_t(1) << k, 1.0 / double(2ll << k)));
    for (unsigned k = l; k-- > 0;) // the mirror all-gather
      p.steps.push_back(xorStep(int64_t(1) << k, 1.0 / double(2ll << k)));
    break;
  }
  case Algorithm::DoubleBinaryTree:
    p.steps.push_back(doubleBinaryTree(n));
    break;
  case Algorithm::Direct: // one shot: the whole buffer to every peer
    out.phases.push_back(allPairs(n, 1.0));
    return "";
  case Algorithm::DimensionOrdered:
    if (auto e = needsDims(a, g, 2); !e.empty())
      return e;
    dimensionRings(p, g, false, 1.0);
    dimensionRings(p, g, true, 1.0 / n);
    break;
  case Algorithm::Hierarchical: {
    if (levels.size() < 2 || g.dims.front().level < 0)
      return fmt::format("'hierarchical' needs a group spanning two or more "
                         "network levels; the group of {} ranks spans {}",
                         n, levels.size() < 2 ? "one" : "them unevenly");
    int64_t inner = 1;
    for (const GroupDim &d : g.dims)
      if (d.level == g.dims.front().level)
        inner *= d.radix;
    int64_t outer = n / inner;
    // Reduce-scatter inside (S/inner per step), all-reduce of the S/inner
    // piece across (S/n per step), all-gather inside.
    ring(p, inner - 1, 1, inner, 1.0 / inner);
    ring(p, 2 * (outer - 1), inner, outer, 1.0 / n);
    ring(p, inner - 1, 1, inner, 1.0 / inner);
    break;
  }
  default:
    return fmt::format("'{}' is not an all-reduce algorithm", algName(a));
  }
  out.phases.push_back(std::move(p));
  return "";
}

std::string gatherOrScatter(bool gather, Algorithm a, const GroupShape &g,
                            StepPlan &out) {
  int64_t n = g.size;
  double chunk = gather ? 1.0 : 1.0 / n; // what one rank sends per peer
  CommPhase p;
  switch (a) {
  case Algorithm::Ring:
    ring(p, n - 1, 1, n, chunk);
    break;
  case Algorithm::RecursiveDoubling:
  case Algorithm::HalvingDoubling:
  case Algorithm::Rabenseifner: {
    if (auto e = needsPow2(a, g); !e.empty())
      return e;
    unsigned l = log2i(n);
    if (gather) // farthest partner first, while the data is smallest
      for (unsigned k = l; k-- > 0;)
        p.steps.push_back(xorStep(int64_t(1) << k, double(n >> (k + 1))));
    else // nearest partner first, while the data is largest
      for (unsigned k = 0; k < l; ++k)
        p.steps.push_back(xorStep(int64_t(1) << k, 1.0 / double(2ll << k)));
    break;
  }
  case Algorithm::Direct:
    out.phases.push_back(allPairs(n, chunk));
    return "";
  case Algorithm::DimensionOrdered:
    if (auto e = needsDims(a, g, 2); !e.empty())
      return e;
    dimensionRings(p, g, gather, 1.0);
    break;
  default:
    return fmt::format("'{}' is not {} algorithm", algName(a),
                       gather ? "an all-gather" : "a reduce-scatter");
  }
  out.phases.push_back(std::move(p));
  return "";
}

std::string allToAll(Algorithm a, const GroupShape &g,
                     llvm::ArrayRef<int> levels, StepPlan &out) {
  int64_t n = g.size;
  switch (a) {
  case Algorithm::Direct: // every pair at once, one level after the other
    if (levels.empty())
      return "";
    for (int l : levels)
      out.phases.push_back(allPairs(n, 1.0, levels.size() > 1 ? l : -1));
    return "";
  case Algorithm::Pairwise: {
    CommPhase p = allPairs(n, 1.0);
    p.independent = false;
    out.phases.push_back(std::move(p));
    return "";
  }
  case Algorithm::DimensionOrdered:
    if (auto e = needsDims(a, g, 2); !e.empty())
      return e;
    for (const GroupDim &d : g.dims) { // forward everything along each axis
      CommPhase p;
      p.independent = true;
      for (int64_t i = 1; i < d.radix; ++i)
        p.steps.push_back(shiftStep(i, d.weight, d.radix, double(n / d.radix)));
      out.phases.push_back(std::move(p));
    }
    return "";
  default:
    return fmt::format("'{}' is not an all-to-all algorithm", algName(a));
  }
}

std::string broadcast(Algorithm a, const GroupShape &g, StepPlan &out) {
  int64_t n = g.size;
  CommPhase p;
  Step s;
  s.rule.kind = FlowRule::List;
  switch (a) {
  case Algorithm::RecursiveDoubling: // binomial tree from rank 0
    for (int64_t span = 1; span < n; span *= 2) {
      Step t = s;
      for (int64_t r = 0; r < span && r + span < n; ++r)
        t.rule.list.push_back({r, r + span});
      p.steps.push_back(std::move(t));
    }
    break;
  case Algorithm::Ring: // a pipelined chain
    for (int64_t r = 0; r + 1 < n; ++r)
      s.rule.list.push_back({r, r + 1});
    s.latencyHops = unsigned(std::max<int64_t>(1, n - 1));
    p.steps.push_back(std::move(s));
    break;
  case Algorithm::Direct:
    for (int64_t r = 1; r < n; ++r)
      s.rule.list.push_back({0, r});
    p.steps.push_back(std::move(s));
    break;
  default:
    return fmt::format("'{}' is not a broadcast algorithm", algName(a));
  }
  out.phases.push_back(std::move(p));
  return "";
}
} // namespace

llvm::StringRef ds::net::collectiveName(Collective c) {
  return kCollectiveNames[unsigned(c)];
}

bool ds::net::parseCollective(llvm::StringRef s, Collective &out) {
  for (unsigned i = 0; i < std::size(kCollectiveNames); ++i)
    if (s == kCollectiveNames[i]) {
      out = Collective(i);
      return true;
    }
  return false;
}

std::string GroupShape::describe() const {
  std::string s;
  for (const GroupDim &d : dims)
    s += (s.empty() ? "" : " x ") + std::to_string(d.radix);
  return s;
}

int64_t FlowRule::partner(int64_t r) const {
  if (kind == Xor)
    return r ^ arg;
  int64_t x = (r / weight) % radix;
  return r + ((x + arg) % radix - x) * weight;
}

std::string ds::net::buildSchedule(Collective c, Algorithm alg,
                                   const GroupShape &g,
                                   llvm::ArrayRef<int> levels, StepPlan &out) {
  out.phases.clear();
  if (g.size < 2)
    return ""; // nothing to exchange
  switch (c) {
  case Collective::AllReduce:
    return allReduce(alg, g, levels, out);
  case Collective::AllGather:
    return gatherOrScatter(true, alg, g, out);
  case Collective::ReduceScatter:
    return gatherOrScatter(false, alg, g, out);
  case Collective::AllToAll:
    return allToAll(alg, g, levels, out);
  case Collective::Broadcast:
    return broadcast(alg, g, out);
  case Collective::SendRecv: {
    if (alg != Algorithm::Direct)
      return fmt::format("'{}' is not a send/recv algorithm; use direct",
                         algName(alg));
    CommPhase p;
    Step s; // every stage sends to the next at the same time
    s.rule.kind = FlowRule::List;
    for (int64_t r = 0; r + 1 < g.size; ++r)
      s.rule.list.push_back({r, r + 1});
    p.steps.push_back(std::move(s));
    out.phases.push_back(std::move(p));
    return "";
  }
  }
  return "unknown collective";
}

llvm::ArrayRef<Algorithm> ds::net::autoCandidates(Collective c) {
  static const Algorithm allReduce[] = {
      Algorithm::Ring,         Algorithm::Rabenseifner,
      Algorithm::RecursiveDoubling, Algorithm::DoubleBinaryTree,
      Algorithm::Direct,       Algorithm::Hierarchical,
      Algorithm::DimensionOrdered};
  static const Algorithm gather[] = {Algorithm::Ring,
                                     Algorithm::HalvingDoubling,
                                     Algorithm::Direct,
                                     Algorithm::DimensionOrdered};
  static const Algorithm allToAll[] = {
      Algorithm::Direct, Algorithm::Pairwise, Algorithm::DimensionOrdered};
  static const Algorithm bcast[] = {Algorithm::RecursiveDoubling,
                                    Algorithm::Ring, Algorithm::Direct};
  static const Algorithm p2p[] = {Algorithm::Direct};
  switch (c) {
  case Collective::AllReduce:
    return allReduce;
  case Collective::AllGather:
  case Collective::ReduceScatter:
    return gather;
  case Collective::AllToAll:
    return allToAll;
  case Collective::Broadcast:
    return bcast;
  case Collective::SendRecv:
    return p2p;
  }
  return {};
}
