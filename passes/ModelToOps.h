//===- ModelToOps.h - A transformer step as operators -----------*- C++ -*-===//
//
// Pass `model-to-ops` (DESIGN.md 3 pass 1, 6.5): one forward step of the
// whole model on one replica, unpartitioned - the per-layer operators with
// exact shapes (GEMMs, attention, vector ops), identical layers as one
// operator with a count, plus embedding, final norm and LM head. Partition
// then splits the shapes over the devices and inserts the collectives.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_MODELTOOPS_H
#define DEEPSTACK_PASSES_MODELTOOPS_H

#include "passes/OpGraph.h"

namespace ds {

struct StepShape {
  Phase phase = Phase::Decode;
  double sequences = 1;     ///< requests in the microbatch
  double queryTokens = 1;   ///< new tokens per request (1 in decode)
  int64_t context = 1;      ///< keys per request after this step
  double imbalance = 1;     ///< hottest expert's load over the mean
};

OpGraph modelToOps(const ModelIR &m, const StepShape &s);

/// Weight bytes of the whole model (all layers, embedding and head).
double modelWeightBytes(const ModelIR &m);

/// KV-cache bytes per token of context, all layers, one replica.
double kvBytesPerToken(const ModelIR &m);

/// Cached values per token and layer on one of \p tp devices: MLA's latent
/// (replicated), else K and V of the local KV heads (replicated when tp
/// exceeds them).
double kvValuesPerTokenLayer(const ModelIR &m, int64_t tp);

} // namespace ds

#endif
