//===- RunPhase.h - Passes 1-5 for one phase of a design --------*- C++ -*-===//
#ifndef DEEPSTACK_PASSES_RUNPHASE_H
#define DEEPSTACK_PASSES_RUNPHASE_H

#include "passes/Evaluate.h"
#include "passes/ModelToOps.h"

namespace ds {

/// The step of one microbatch of \p d's workload in phase \p ph attending
/// to \p context keys.
StepShape shapeFor(const DesignIR &d, Phase ph, int64_t context);

/// Costs one phase into \p r; false after a located error (a collective
/// the network cannot run).
bool runPhase(const DesignIR &d, const ParallelLayout &l, Phase ph,
              const ChipContext &chip, const net::NetworkModel &network,
              DiagEngine &diags, PhaseResult &r, const PassObserver &observe);

/// Forgets the memo of settled clocks.
void clearSettledClocks();

} // namespace ds

#endif
