//===- Partition.h - Split a step over the devices --------------*- C++ -*-===//
//
// Pass `partition` (DESIGN.md 3 pass 2, 6.5): the operators of one device
// in one pipeline stage. TP splits heads (KV heads replicate when tp
// exceeds them), the MLP width and the vocabulary; SP splits the tokens;
// CP splits the context; EP places experts/ep experts per device, each
// receiving its share of the routed tokens times the imbalance; PP keeps
// layers/pp layers. The collectives the split needs are inserted next to
// the operator they overlap with.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_PARTITION_H
#define DEEPSTACK_PASSES_PARTITION_H

#include "frontend/Diagnostics.h"
#include "passes/OpGraph.h"
#include "passes/ParallelLayout.h"

namespace ds {

/// Errors (heads not divisible by tp, experts by ep, fewer layers than
/// stages) are located at the schedule. False after errors.
bool checkPartition(const DesignIR &d, DiagEngine &diags);

/// Rewrites \p g (from modelToOps, one replica's microbatch) into one
/// device's operators of one stage.
void partition(const DesignIR &d, const ParallelLayout &l, OpGraph &g);

} // namespace ds

#endif
