//===- Evaluate.h - A design's metrics --------------------------*- C++ -*-===//
//
// Pass `evaluate` (DESIGN.md 3 pass 6, 6.6): runs passes 1-5 for the
// workload's phases and turns them into the metrics an architect compares:
// memory per device (weights, KV cache, activations) against capacity - an
// over-full design is infeasible and not timed - then TTFT, TPOT, end-to-
// end latency, system tokens/s, tokens/s per device, tokens/J, power,
// DRAM layer temperatures, a breakdown per operator class and the limits
// that bind.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_EVALUATE_H
#define DEEPSTACK_PASSES_EVALUATE_H

#include "frontend/Diagnostics.h"
#include "passes/OverlapScheduling.h"
#include "passes/ParallelLayout.h"
#include "runtime/network/NetworkModel.h"
#include "runtime/thermal/Thermal.h"
#include <functional>
#include <string>
#include <vector>

namespace ds {

/// One phase: its operators at a representative context, their costs and
/// the step of one microbatch through one stage (decode: averaged over the
/// KV lengths from prompt to prompt + generate).
struct PhaseResult {
  bool present = false;
  OpGraph graph;
  std::vector<TiledOp> tiles;
  std::vector<net::CollectiveCost> comm;
  ScheduledStep step;
  double bubble = 0;   ///< s of pipeline idle per token period (decode) or
                       ///< per prefill (TTFT)
  double power = 0;    ///< W per device while this phase runs
  double clockScale = 1; ///< sustained clock / full clock (power, heat)
  bool overLimit = false; ///< even the lowest clock breaks a limit
};

struct MemoryUse {
  double weights = 0, kvCache = 0, activations = 0; ///< bytes per device
  double capacity = 0;
  double total() const { return weights + kvCache + activations; }
};

struct DesignMetrics {
  const DesignIR *design = nullptr;
  ParallelLayout layout;
  int64_t devices = 0;
  MemoryUse memory;
  bool feasible = true;
  std::string infeasible; ///< why not, with the overflowing numbers

  double ttft = 0, tpot = 0, endToEnd = 0; ///< s
  double stps = 0;             ///< system decode tokens/s
  double tokensPerDevice = 0;  ///< stps / devices
  double prefillTps = 0;       ///< system prefill tokens/s
  double energyPerToken = 0;   ///< J per decoded token, system
  double tokensPerJoule = 0;
  double avgPower = 0, peakPower = 0; ///< W per device
  double dramTemperature = 0;         ///< K the DRAM was read at
  thermal::ThermalResult thermal;     ///< at the average decode power
  PhaseResult prefill, decode;
  std::vector<std::string> limits, warnings;
};

/// Observes each pass's result (for --print-after=NAME).
using PassObserver =
    std::function<void(llvm::StringRef pass, const PhaseResult &phase)>;

/// False (after located errors) when the design cannot be evaluated at all
/// (schedule does not fit the network, a collective cannot run); an
/// over-full design evaluates to feasible = false.
/// \p explain = false skips the text of the binding limits and warnings
/// (a sweep ranks millions of points by their numbers only).
/// \p checkCapacity = false times a design whose full-length KV cache does
/// not fit (a paged cache that holds what the running requests have:
/// passes/ServingReference.cpp); its memory use is still reported.
bool evaluateDesign(const DesignIR &d, const net::NetworkModel &network,
                    DiagEngine &diags, DesignMetrics &out,
                    const PassObserver &observe = nullptr,
                    bool explain = true, bool checkCapacity = true);

/// Forgets the per-thread memos (operator costs, settled clocks).
void clearEvaluationCaches();

/// Evenly spaced KV lengths a decode step is averaged over.
constexpr unsigned kDecodeSamples = 4;

} // namespace ds

#endif
