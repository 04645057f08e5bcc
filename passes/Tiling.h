//===- Tiling.h - Every compute operator on the chip ------------*- C++ -*-===//
//
// Pass `tiling` (DESIGN.md 3 pass 3): each GEMM, attention and vector
// operator of a partitioned step through the compute model, whose tiles
// give the DRAM traffic and access pattern, priced by the stack model at
// the DRAM's temperature; plus each operator's dynamic energy.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_TILING_H
#define DEEPSTACK_PASSES_TILING_H

#include "passes/OpGraph.h"
#include "runtime/compute/ComputeModel.h"
#include <vector>

namespace ds {

struct TiledOp {
  compute::OpCost cost; ///< one execution (zero for collectives)
  double energy = 0;    ///< J, one execution on one device
  double dramEnergy = 0; ///< J of it in the DRAM (does not scale with clock)
};

/// The chip's memory seen at \p dramTemperature (kelvin).
struct ChipContext {
  const ChipIR *chip = nullptr;
  double dramTemperature = 0;
  double dramEnergyPerByte = 0; ///< J/B for streaming traffic
  double dramCapacity = 0;      ///< bytes on the chip
  double dramBackground = 0;    ///< W of all dies, whatever the traffic
};

ChipContext chipContext(const ChipIR &chip, double dramTemperature);

/// The hottest DRAM die of \p chip at full power (TDP): the temperature
/// designs and reference kernels read their memory at.
double loadedDramTemperature(const ChipIR &chip);

/// One TiledOp per operator of \p g (collectives left empty).
std::vector<TiledOp> tile(const ChipContext &c, const OpGraph &g);

/// Tiles one operator (a collective returns an empty TiledOp), memoized
/// per thread by chip (address and module generation), DRAM temperature
/// and shape. IR is immutable once generated, so entries never go stale.
TiledOp tileOp(const ChipContext &c, const Op &op);
TiledOp tileUncached(const ChipContext &c, const Op &op);
void clearOperatorCache();

} // namespace ds

#endif
