//===- NetworkModel.h - Price collectives on a network ----------*- C++ -*-===//
//
// The network model's entry point (DESIGN.md 6.4): a collective on a group
// of ranks, all groups of its kind running at once, priced in two stages
// (algorithm steps, then link contention). Patterns are cached per
// (collective, algorithm, group) and prices per message size, so a sweep
// re-prices a known pattern in well under a microsecond. Not thread-safe:
// give each worker its own model.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_NETWORK_NETWORKMODEL_H
#define DEEPSTACK_RUNTIME_NETWORK_NETWORKMODEL_H

#include "runtime/network/Pattern.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <unordered_map>

namespace ds {
namespace net {

struct CollectiveCost {
  Collective collective = Collective::AllReduce;
  Algorithm algorithm = Algorithm::Auto; ///< the one used (auto resolved)
  double bytes = 0;
  double time = 0;      ///< s = latency + bandwidth
  double latency = 0;   ///< s: hop latencies, overheads, store-and-forward
  double bandwidth = 0; ///< s: busiest link per phase
  double energy = 0;    ///< J, all groups, ACKs included
  uint32_t hottestLink = 0;
  double hottestBytes = 0;       ///< wire bytes on the hottest link
  double hottestUtilisation = 0; ///< its busy time / collective time
  int64_t groups = 1;            ///< groups running at once
  int64_t groupSize = 1;
  unsigned steps = 0;
};

class NetworkModel {
public:
  explicit NetworkModel(FabricSpec spec);

  const Fabric &fabric() const { return fabric_; }

  /// Empty when \p g fits the network, else why not.
  std::string checkGroup(Group g) const;

  /// \p a may be Auto: the fastest applicable algorithm for this size.
  llvm::Expected<CollectiveCost> price(Collective c, Algorithm a, Group g,
                                       double bytes) const;

private:
  struct Key {
    Collective c;
    Algorithm a;
    int64_t size, stride;
    double bytes;
    bool operator==(const Key &o) const {
      return c == o.c && a == o.a && size == o.size && stride == o.stride &&
             bytes == o.bytes;
    }
  };
  struct KeyHash {
    size_t operator()(const Key &k) const;
  };
  struct Routed {
    std::string error;
    Pattern pattern;
  };
  const Routed &routed(Collective c, Algorithm a, Group g) const;
  llvm::Expected<CollectiveCost> priceOne(Collective c, Algorithm a, Group g,
                                          double bytes) const;

  Fabric fabric_;
  std::string specError_; ///< why the fabric cannot be priced, if it cannot
  mutable std::unordered_map<Key, std::unique_ptr<Routed>, KeyHash> patterns_;
  mutable std::unordered_map<Key, CollectiveCost, KeyHash> prices_;
};

} // namespace net
} // namespace ds

#endif
