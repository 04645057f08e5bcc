//===- Tiling.cpp - Every compute operator on the chip --------------------===//
#include "passes/Tiling.h"

#include "runtime/dram/StackModel.h"
#include "runtime/energy/Energy.h"

using namespace ds;

ChipContext ds::chipContext(const ChipIR &chip, double dramTemperature) {
  ChipContext c;
  c.chip = &chip;
  c.dramTemperature = dramTemperature;
  dram::Pattern stream;
  stream.kind = dram::PatternKind::Sequential;
  stream.requestBytes = 4 * chip.memory->sector;
  stream.outstanding = 1e9;
  c.dramEnergyPerByte =
      dram::evaluateStack(*chip.memory, stream, dramTemperature).energyPerByte;
  return c;
}

TiledOp ds::tileOp(const ChipContext &c, const Op &op) {
  const ChipIR &chip = *c.chip;
  auto dramFn = [&](const dram::Pattern &p) {
    return dram::evaluateStack(*chip.memory, p, c.dramTemperature).bandwidth;
  };
  TiledOp t;
  DType math = DType::FP32;
  switch (op.kind) {
  case OpKind::Gemm:
    t.cost = compute::gemm(chip, op.gemm, dramFn);
    math = op.gemm.a;
    break;
  case OpKind::Attention:
    t.cost = compute::attention(chip, op.attn, dramFn);
    math = op.attn.act;
    break;
  case OpKind::Vector:
    t.cost = compute::vectorOp(chip, op.vectorBytes, op.vectorFlops, dramFn);
    break;
  case OpKind::Collective:
    return t;
  }
  t.energy = energy::opEnergy(chip, t.cost, math, c.dramEnergyPerByte).total();
  return t;
}

std::vector<TiledOp> ds::tile(const ChipContext &c, const OpGraph &g) {
  std::vector<TiledOp> out;
  out.reserve(g.ops.size());
  for (const Op &op : g.ops)
    out.push_back(tileOp(c, op));
  return out;
}
