//===- Pattern.h - Stage 2: a collective routed on the fabric ---*- C++ -*-===//
//
// Routing a schedule (stage 1) on a fabric gives a Pattern that no longer
// depends on the message size: per phase the latency terms of its steps,
// and per link class the seconds each wire byte of a step's flows keeps
// the link busy, with every concurrent group and the ACKs of the reverse
// traffic added in. Pricing a pattern for S bytes is then a few hundred
// multiply-adds:
//
//   phase time = latency + max over links of sum over steps of load / B
//   latency    = sum (dependent) or max (independent) over steps of
//                hops * max over flows (sum of hop latencies + overhead
//                                       + one packet per intermediate node)
//
// Groups aligned with the network's digits are routed once: every other
// group is a translate, so a link's load is the routed group's load times
// the number of translates that map the link onto itself (DESIGN.md 6.4).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_NETWORK_PATTERN_H
#define DEEPSTACK_RUNTIME_NETWORK_PATTERN_H

#include "runtime/network/Collectives.h"
#include "runtime/network/Fabric.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

namespace ds {
namespace net {

/// Members base + i * stride (i < size); every base runs at the same time.
struct Group {
  int64_t size = 1;
  int64_t stride = 1;
};

/// The group's dimensions on \p f (aligned when stride and size * stride
/// fall on digit boundaries) and the levels its members differ in.
GroupShape shapeOf(const Fabric &f, Group g, llvm::SmallVectorImpl<int> &levels);

/// One flow's fixed time: latency + min(wire, packet) * storeForward.
struct LatencyCandidate {
  double latency = 0;      ///< s: hop latencies and per-message overhead
  double storeForward = 0; ///< s/byte: sum of 1/B of links after the first
};

struct LatencyTerm {
  double fraction = 1;
  unsigned count = 1; ///< identical consecutive steps
  unsigned hops = 1;
  llvm::SmallVector<LatencyCandidate, 2> candidates; ///< Pareto set
};

struct PhasePattern {
  bool independent = false;
  std::vector<LatencyTerm> latency;
  unsigned firstBucket = 0, endBucket = 0;
};

/// Links whose busy time per step is the same (after deduplication).
struct LinkClass {
  uint32_t link = 0;        ///< a representative, for reports
  double invBandwidth = 0;  ///< s/byte
  /// (bucket, seconds of this link per wire byte of one flow), by bucket.
  llvm::SmallVector<std::pair<uint32_t, double>, 8> busy;
};

struct Pattern {
  std::vector<PhasePattern> phases;
  std::vector<double> bucketFraction; ///< steps of one phase and fraction
  std::vector<unsigned> bucketPhase;  ///< the phase of each bucket
  std::vector<double> bucketEnergy;   ///< J per wire byte, every group
  std::vector<LinkClass> classes;
  int64_t groups = 1;
  unsigned steps = 0;
  bool aligned = false;
};

Pattern routePattern(const Fabric &f, const StepPlan &s, Group g,
                     const GroupShape &shape);

struct PatternPrice {
  double latency = 0, bandwidth = 0; ///< s, summed over phases
  double energy = 0;                 ///< J
  uint32_t hottestLink = 0;
  double hottestBusy = 0;  ///< s the hottest link is busy
  double hottestBytes = 0; ///< wire bytes on it (ACKs included)
};

/// Wire bytes of a message of \p payload bytes: payload plus a header per
/// packet of (packet - header) payload bytes.
double wireBytes(const FabricSpec &f, double payload);

PatternPrice pricePattern(const Pattern &p, const FabricSpec &f, double bytes);

} // namespace net
} // namespace ds

#endif
