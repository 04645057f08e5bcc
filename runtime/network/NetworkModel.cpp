//===- NetworkModel.cpp - Collectives priced with caches ------------------===//
#include "runtime/network/NetworkModel.h"

#include "llvm/ADT/Hashing.h"
#include <cmath>
#include <cstring>
#include <fmt/format.h>

using namespace ds;
using namespace ds::net;

size_t NetworkModel::KeyHash::operator()(const Key &k) const {
  uint64_t bits;
  std::memcpy(&bits, &k.bytes, sizeof bits);
  return llvm::hash_combine(unsigned(k.c), unsigned(k.a), k.size, k.stride,
                            bits);
}

NetworkModel::NetworkModel(FabricSpec spec) : fabric_(std::move(spec)) {
  // The IR and the reference reader check these; the C++ API may not.
  const FabricSpec &f = fabric_.spec();
  if (f.levels.empty())
    specError_ = "the network has no level";
  if (!(f.packet > f.header) || !(f.header >= 0) || !(f.ack >= 0))
    specError_ = "packets must be larger than their header";
  for (const LevelSpec &l : f.levels)
    if (!(l.link > 0) || !(l.latency >= 0) || !(l.crossbar >= 0) ||
        l.ports < 1 || l.size() < 1 || !std::isfinite(l.link))
      specError_ = fmt::format("level '{}' needs a positive link bandwidth, "
                               "a latency >= 0 and at least one port",
                               l.name);
}

std::string NetworkModel::checkGroup(Group g) const {
  int64_t n = fabric_.devices();
  if (g.size < 1 || g.stride < 1)
    return fmt::format("a group needs at least one rank and a stride of at "
                       "least 1 (got {} ranks, stride {})",
                       g.size, g.stride);
  if (g.size > n / g.stride || g.size * g.stride > n)
    return fmt::format("a group of {} ranks {}needs {} devices, but the "
                       "network has {}",
                       g.size,
                       g.stride > 1 ? fmt::format("{} apart ", g.stride) : "",
                       g.size * g.stride, n);
  if (n % (g.size * g.stride))
    return fmt::format("groups of {} ranks {}do not tile the network's {} "
                       "devices",
                       g.size,
                       g.stride > 1 ? fmt::format("{} apart ", g.stride) : "",
                       n);
  return "";
}

const NetworkModel::Routed &NetworkModel::routed(Collective c, Algorithm a,
                                                 Group g) const {
  Key k{c, a, g.size, g.stride, 0};
  auto it = patterns_.find(k);
  if (it != patterns_.end())
    return *it->second;
  auto r = std::make_unique<Routed>();
  llvm::SmallVector<int, 4> levels;
  GroupShape shape = shapeOf(fabric_, g, levels);
  StepPlan s;
  r->error = buildSchedule(c, a, shape, levels, s);
  if (r->error.empty())
    r->pattern = routePattern(fabric_, s, g, shape);
  return *patterns_.emplace(k, std::move(r)).first->second;
}

llvm::Expected<CollectiveCost>
NetworkModel::priceOne(Collective c, Algorithm a, Group g, double bytes) const {
  const Routed &r = routed(c, a, g);
  if (!r.error.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), r.error);
  PatternPrice p = pricePattern(r.pattern, fabric_.spec(), bytes);
  CollectiveCost cost;
  cost.collective = c;
  cost.algorithm = a;
  cost.bytes = bytes;
  cost.latency = p.latency;
  cost.bandwidth = p.bandwidth;
  cost.time = p.latency + p.bandwidth;
  cost.energy = p.energy;
  cost.hottestLink = p.hottestLink;
  cost.hottestBytes = p.hottestBytes;
  cost.hottestUtilisation = cost.time > 0 ? p.hottestBusy / cost.time : 0;
  cost.groups = r.pattern.groups;
  cost.groupSize = g.size;
  cost.steps = r.pattern.steps;
  return cost;
}

llvm::Expected<CollectiveCost> NetworkModel::price(Collective c, Algorithm a,
                                                   Group g,
                                                   double bytes) const {
  if (!specError_.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), specError_);
  if (std::string e = checkGroup(g); !e.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), e);
  if (!(bytes >= 0) || !std::isfinite(bytes))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "message size must be finite and >= 0");
  bytes += 0.0; // -0.0 -> +0.0: equal keys must hash alike
  Key k{c, a, g.size, g.stride, bytes};
  auto it = prices_.find(k);
  if (it != prices_.end())
    return it->second;
  llvm::Expected<CollectiveCost> best =
      llvm::createStringError(llvm::inconvertibleErrorCode(), "no algorithm");
  if (a != Algorithm::Auto) {
    llvm::consumeError(best.takeError());
    best = priceOne(c, a, g, bytes);
  } else {
    std::string reasons;
    for (Algorithm cand : autoCandidates(c)) {
      auto cost = priceOne(c, cand, g, bytes);
      if (!cost) {
        reasons += (reasons.empty() ? "" : "; ") + toString(cost.takeError());
        continue;
      }
      if (!best || cost->time < best->time) {
        if (!best)
          llvm::consumeError(best.takeError());
        best = std::move(cost);
      }
    }
    if (!best) {
      llvm::consumeError(best.takeError());
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "no algorithm applies: " + reasons);
    }
  }
  if (best)
    prices_.emplace(k, *best);
  return best;
}
