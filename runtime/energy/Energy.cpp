//===- Energy.cpp - Dynamic energy of operators ---------------------------===//
#include "runtime/energy/Energy.h"

using namespace ds;
using namespace ds::energy;

double energy::flopEnergy(const ChipIR &chip, DType t) {
  switch (t) {
  case DType::FP8:
  case DType::INT8:
    return chip.flopEnergyFP8;
  case DType::FP4:
  case DType::INT4:
    // Half the bits of FP8 through the same datapath.
    return chip.flopEnergyFP8 / 2;
  case DType::FP32:
  case DType::TF32:
    return chip.flopEnergyFP32;
  case DType::BF16:
  case DType::FP16:
    return chip.flopEnergyBF16;
  }
  return chip.flopEnergyBF16;
}

OpEnergy energy::opEnergy(const ChipIR &chip, const compute::OpCost &op,
                          DType t, double dramEnergyPerByte) {
  OpEnergy e;
  // Padded FLOPs: the tensor unit burns energy on the padding too.
  e.compute = op.paddedFlops * flopEnergy(chip, t);
  // Per-bit energies are stored in SI as joules per byte.
  e.sram = op.sramBytes * chip.sramEnergy;
  e.l2 = op.l2Bytes * chip.l2Energy;
  e.dram = op.dramBytes * dramEnergyPerByte;
  return e;
}
