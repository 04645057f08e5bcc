//===- PatternPrice.cpp - Price a routed pattern for a message size -------===//
//
// The cheap half of stage 2: a pattern from routePattern() priced for S
// bytes in a few hundred multiply-adds (Pattern.h has the equations).
//
//===----------------------------------------------------------------------===//
#include "runtime/network/Pattern.h"

#include <algorithm>
#include <cmath>

using namespace ds;
using namespace ds::net;

double ds::net::wireBytes(const FabricSpec &f, double payload) {
  if (payload <= 0)
    return 0;
  return payload + f.header * std::ceil(payload / (f.packet - f.header));
}

PatternPrice ds::net::pricePattern(const Pattern &p, const FabricSpec &f,
                                   double bytes) {
  PatternPrice r;
  llvm::SmallVector<double, 32> wire(p.bucketFraction.size());
  for (size_t b = 0; b < wire.size(); ++b) {
    wire[b] = wireBytes(f, p.bucketFraction[b] * bytes);
    r.energy += p.bucketEnergy[b] * wire[b];
  }
  const std::vector<unsigned> &phaseOf = p.bucketPhase;
  // Dependent steps add their latencies; independent ones overlap.
  for (const PhasePattern &ph : p.phases) {
    double phaseLatency = 0;
    for (const LatencyTerm &t : ph.latency) {
      double w = wireBytes(f, t.fraction * bytes), worst = 0;
      for (const LatencyCandidate &c : t.candidates)
        worst = std::max(worst, c.latency +
                                    std::min(w, f.packet) * c.storeForward);
      double lat = worst * t.hops;
      phaseLatency = ph.independent ? std::max(phaseLatency, lat)
                                    : phaseLatency + lat * t.count;
    }
    r.latency += phaseLatency;
  }
  llvm::SmallVector<double, 8> phaseMax(p.phases.size(), 0.0);
  for (const LinkClass &c : p.classes) {
    double total = 0, acc = 0;
    unsigned cur = c.busy.empty() ? 0 : phaseOf[c.busy.front().first];
    for (auto [b, t] : c.busy) {
      if (phaseOf[b] != cur) {
        phaseMax[cur] = std::max(phaseMax[cur], acc);
        acc = 0;
        cur = phaseOf[b];
      }
      acc += t * wire[b];
      total += t * wire[b];
    }
    if (!c.busy.empty())
      phaseMax[cur] = std::max(phaseMax[cur], acc);
    if (total > r.hottestBusy) {
      r.hottestBusy = total;
      r.hottestLink = c.link;
      r.hottestBytes = total / c.invBandwidth;
    }
  }
  for (double m : phaseMax)
    r.bandwidth += m;
  return r;
}
