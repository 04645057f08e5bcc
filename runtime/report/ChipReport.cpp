//===- ChipReport.cpp - One chip's hardware models, evaluated -------------===//
//
// Reference patterns and operators are the ones an architect reads a memory
// and a core array by: streaming and random reads of L2-sector-sized
// requests, a write mix, a large compute-bound GEMM and the decode GEMV that
// dominates LLM serving.
//
//===----------------------------------------------------------------------===//
#include "runtime/report/ChipReport.h"

#include "runtime/energy/Energy.h"
#include <algorithm>
#include <cmath>

using namespace ds;

ChipReport ds::evaluateChip(const ChipIR &chip, const DesignIR *design,
                            std::vector<PatternReport> patterns) {
  ChipReport r;
  r.chip = &chip;
  r.design = design;
  const MemoryIR &m = *chip.memory;

  // Thermal first: the DRAM is read at the temperature full power gives it.
  // Full activity = TDP: the logic takes what the DRAM leaves of it.
  std::vector<PatternReport> reference = referencePatterns(m);
  dram::Pattern stream = reference.front().pattern;
  dram::StackResult cool = dram::evaluateStack(m, stream, chip.ambient);
  double dramPower = cool.backgroundPower + cool.energyPerByte * cool.bandwidth;
  r.power.dramPerStack = dramPower / double(m.stacks);
  r.power.logicStatic = chip.staticPower;
  r.power.logicDynamic = std::max(0.0, chip.tdp - chip.staticPower - dramPower);
  r.thermal = thermal::evaluate(chip, r.power);
  double dramTemperature = r.thermal.layers.empty()
                               ? chip.ambient
                               : *std::max_element(r.thermal.layers.begin(),
                                                   r.thermal.layers.end());
  // Streaming sets the energy per byte and the ridge point whatever
  // patterns are shown.
  dram::StackResult streaming =
      dram::evaluateStack(m, stream, dramTemperature);
  r.memory = evaluateMemory(m, dramTemperature, dram::Vantage::Cores,
                            patterns.empty() ? std::move(reference)
                                             : std::move(patterns));

  auto dramFn = [&](const dram::Pattern &p) {
    return dram::evaluateStack(m, p, dramTemperature).bandwidth;
  };
  double dramEnergy = streaming.energyPerByte;
  auto addGemm = [&](const char *name, const compute::GemmShape &s) {
    compute::OpCost c = compute::gemm(chip, s, dramFn);
    r.ops.push_back(
        {name, c, energy::opEnergy(chip, c, s.a, dramEnergy).total()});
  };
  compute::GemmShape big;
  big.m = big.n = big.k = 8192;
  addGemm("GEMM 8192x8192x8192 bf16", big);
  compute::GemmShape gemv;
  gemv.m = 1;
  gemv.n = 8192;
  gemv.k = 8192;
  addGemm("GEMV 1x8192x8192 bf16 (decode)", gemv);
  compute::GemmShape batch64 = gemv;
  batch64.m = 64;
  addGemm("GEMM 64x8192x8192 bf16 (decode, batch 64)", batch64);
  compute::AttentionShape att;
  att.batch = 64;
  att.headsQ = 64;
  att.headsKV = 8;
  att.headDim = 128;
  att.context = 4096;
  compute::OpCost a = compute::attention(chip, att, dramFn);
  r.ops.push_back({"decode attention, 64 x 4096 tokens, GQA 64/8", a,
                   energy::opEnergy(chip, a, DType::BF16, dramEnergy).total()});

  double bw = streaming.bandwidth;
  r.ridgeIntensity = bw > 0 ? compute::peakFlops(chip, DType::BF16,
                                                 DType::BF16) / bw
                            : 0;
  r.area = area::evaluate(chip);
  return r;
}
