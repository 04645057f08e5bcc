//===- KernelsReference.h - Overlapped GEMM + collective kernels -*- C++
//-*-===//
//
// The kernels schema (DESIGN.md 7, `kernels/*.csv`): a GEMM fused with the
// tensor-parallel collective that feeds it (ag_gemm: all-gather of the
// activation, then the GEMM) or drains it (gemm_rs: the GEMM, then a
// reduce-scatter of its output), communication overlapped tile by tile.
// Each row is priced with the chip's compute model, its DRAM at the
// loaded temperature, its scale-up network and the tile-overlap formula of
// the overlap-scheduling pass (DESIGN.md 6.6).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_KERNELSREFERENCE_H
#define DEEPSTACK_PASSES_KERNELSREFERENCE_H

#include "runtime/validate/Schema.h"

namespace ds {

const ReferenceSchema &kernelsReferenceSchema();

} // namespace ds

#endif
