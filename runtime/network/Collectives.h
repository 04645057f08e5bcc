//===- Collectives.h - Stage 1: collective algorithms as steps --*- C++ -*-===//
//
// A collective algorithm is a list of phases; a phase is a list of steps; a
// step is a set of flows between ranks of one group, all of the same size
// (a fraction of the collective's buffer S). Flows are given as rules on
// group ranks (XOR partner, shift along a group dimension, or an explicit
// list) so a group of any size costs no memory here.
//
// Steps of a *dependent* phase wait for the data of the step before (their
// latencies add); steps of an *independent* phase are all posted at once
// (their latency counts once). In both, packets of consecutive steps
// pipeline, so a phase's bandwidth time is that of its busiest link over
// all its steps (stage 2, runtime/network/Pattern).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_NETWORK_COLLECTIVES_H
#define DEEPSTACK_RUNTIME_NETWORK_COLLECTIVES_H

#include "ir/Enums.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ds {
namespace net {

enum class Collective { AllReduce, AllGather, ReduceScatter, AllToAll, Broadcast, SendRecv };

llvm::StringRef collectiveName(Collective c);
/// Parses "all_reduce", "all_gather", ...; false when unknown.
bool parseCollective(llvm::StringRef s, Collective &out);

/// One dimension of a group's rank space: ranks differing only in this
/// digit are `weight` apart; `level` is the network level it lies in (-1
/// when the group is not aligned with the network's dimensions).
struct GroupDim {
  int64_t radix = 1;
  int64_t weight = 1;
  int level = -1;
};

/// What an algorithm needs to know about its group.
struct GroupShape {
  int64_t size = 1;
  llvm::SmallVector<GroupDim, 4> dims; ///< innermost first; one when unaligned
  std::string describe() const;        ///< e.g. "8 x 4" or "6"
};

/// How a step's flows are generated for every rank r of the group.
struct FlowRule {
  enum Kind : uint8_t { Xor, Shift, List } kind = Xor;
  int64_t arg = 0;         ///< Xor: mask; Shift: distance along the dimension
  int64_t weight = 1;      ///< Shift: the dimension's weight in rank space
  int64_t radix = 0;       ///< Shift: the dimension's radix
  std::vector<std::pair<int64_t, int64_t>> list; ///< List: (src, dst) ranks
  /// Partner of \p r (Xor, Shift).
  int64_t partner(int64_t r) const;
};

struct Step {
  FlowRule rule;
  double fraction = 1;    ///< flow payload / S
  int onlyLevel = -1;     ///< keep only flows whose lowest common level is this
  unsigned latencyHops = 1; ///< pipelined trees: path latencies per step
};

struct CommPhase {
  bool independent = false;
  std::vector<Step> steps;
};

struct StepPlan {
  std::vector<CommPhase> phases;
};

/// Stage 1: the steps of \p alg for \p c on \p g. Returns an error message
/// when the algorithm does not apply (e.g. recursive doubling on 6 ranks);
/// \p levelsSpanned lists the network levels the group's members differ in.
std::string buildSchedule(Collective c, Algorithm alg, const GroupShape &g,
                          llvm::ArrayRef<int> levelsSpanned, StepPlan &out);

/// The algorithms `auto` tries for \p c.
llvm::ArrayRef<Algorithm> autoCandidates(Collective c);

} // namespace net
} // namespace ds

#endif
