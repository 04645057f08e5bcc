//===- NetworkAbstraction.h - The collectives a design implies --*- C++ -*-===//
//
// Pass `network-abstraction` (DESIGN.md 3, pass 4): from a design's model,
// workload and schedule, the collectives one forward step needs, each with
// its real group (degree and stride of its parallel dimension) priced by the
// network model (runtime/network). Also checks that the schedule's ranks
// fill the system exactly.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_NETWORKABSTRACTION_H
#define DEEPSTACK_PASSES_NETWORKABSTRACTION_H

#include "frontend/Diagnostics.h"
#include "passes/ParallelLayout.h"
#include "runtime/network/NetworkModel.h"
#include <string>
#include <vector>

namespace ds {

/// One collective of a forward step.
struct CommOp {
  std::string what;  ///< e.g. "attention output"
  Phase phase = Phase::Decode;
  ParallelDim dim = ParallelDim::TP;
  net::Collective collective = net::Collective::AllReduce;
  Algorithm algorithm = Algorithm::Auto;
  double bytes = 0;  ///< S of the collective (see runtime/network)
  double count = 0;  ///< times per forward step on one device
  /// The operator whose tiles it overlaps (data it feeds or drains), or
  /// "" for none.
  const char *partner = "";
};

struct PricedComm {
  CommOp op;
  net::CollectiveCost cost;
};

struct NetworkAbstraction {
  ParallelLayout layout;
  std::vector<PricedComm> comms;
};

/// Error when the schedule's ranks differ from the system's devices,
/// located at the schedule with a note at the network. False after errors.
bool checkParallelLayout(const DesignIR &d, DiagEngine &diags);

/// Microbatches in flight: the schedule's, but never more than the
/// requests of a replica (ceil(batch / dp)).
int64_t effectiveMicrobatches(const DesignIR &d);

/// Tokens of one microbatch on one replica: ceil(ceil(batch / dp) /
/// microbatches) requests, times the prompt in prefill.
double microbatchTokens(const DesignIR &d, Phase ph);

/// The collectives of one forward step of a stage in phase \p ph with
/// \p tokens tokens per microbatch (counts per step).
std::vector<CommOp> stepCollectives(const DesignIR &d, const ParallelLayout &l,
                                    Phase ph, double tokens);

/// The collectives of one forward step of \p d's workload phase(s).
std::vector<CommOp> impliedCollectives(const DesignIR &d,
                                       const ParallelLayout &l);

/// The schedule's algorithm for \p c (all_reduce = ..., or auto).
Algorithm scheduledAlgorithm(const ScheduleIR &s, net::Collective c);

/// Prices every implied collective; a collective the network cannot run
/// (e.g. rabenseifner on 6 ranks) is an error at the schedule.
bool runNetworkAbstraction(const DesignIR &d, const net::NetworkModel &model,
                           DiagEngine &diags, NetworkAbstraction &out);

} // namespace ds

#endif
