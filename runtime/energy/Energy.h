//===- Energy.h - Dynamic energy of operators -------------------*- C++ -*-===//
//
// Energy of one operator from the traffic and FLOPs its tiling implies: math
// at the data type's pJ/FLOP, SRAM and L2 accesses at their pJ/bit, DRAM at
// the stack model's energy per byte (DESIGN.md 6.3).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_ENERGY_ENERGY_H
#define DEEPSTACK_RUNTIME_ENERGY_ENERGY_H

#include "ir/IR.h"
#include "runtime/compute/ComputeModel.h"

namespace ds {
namespace energy {

/// Joules per FLOP of tensor or vector math in data type \p t.
double flopEnergy(const ChipIR &chip, DType t);

struct OpEnergy {
  double compute = 0, sram = 0, l2 = 0, dram = 0; ///< joules
  double total() const { return compute + sram + l2 + dram; }
};

/// Energy of \p op whose math runs in \p t and whose DRAM traffic costs
/// \p dramEnergyPerByte (J/B, from dram::StackResult).
OpEnergy opEnergy(const ChipIR &chip, const compute::OpCost &op, DType t,
                  double dramEnergyPerByte);

} // namespace energy
} // namespace ds

#endif
