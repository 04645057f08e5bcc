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

namespace {
/// As many requests in flight as the controller buffer holds: what the
/// memory system can sustain when the cores keep it busy.
constexpr double kAll = 1e9;

dram::Pattern makePattern(dram::PatternKind kind, double request,
                          double writes, double outstanding) {
  dram::Pattern p;
  p.kind = kind;
  p.requestBytes = request;
  p.writeFraction = writes;
  p.outstanding = outstanding;
  return p;
}
} // namespace

ChipReport ds::evaluateChip(const ChipIR &chip, const DesignIR *design) {
  ChipReport r;
  r.chip = &chip;
  r.design = design;
  const MemoryIR &m = *chip.memory;

  // Thermal first: the DRAM is read at the temperature full power gives it.
  // Full activity = TDP: the logic takes what the DRAM leaves of it.
  double stream = 4 * m.sector; // a 128 B L2 line fill on 32 B sectors
  dram::StackResult cool = dram::evaluateStack(
      m, makePattern(dram::PatternKind::Sequential, stream, 0, kAll),
      chip.ambient);
  double dramPower = cool.backgroundPower + cool.energyPerByte * cool.bandwidth;
  r.power.dramPerStack = dramPower / double(m.stacks);
  r.power.logicStatic = chip.staticPower;
  r.power.logicDynamic = std::max(0.0, chip.tdp - chip.staticPower - dramPower);
  r.thermal = thermal::evaluate(chip, r.power);
  r.dramTemperature = r.thermal.layers.empty()
                          ? chip.ambient
                          : *std::max_element(r.thermal.layers.begin(),
                                              r.thermal.layers.end());

  struct Named {
    const char *name;
    dram::Pattern p;
  };
  const Named patterns[] = {
      {"stream reads", makePattern(dram::PatternKind::Sequential, stream, 0, kAll)},
      {"stream 30% writes",
       makePattern(dram::PatternKind::Sequential, stream, 0.3, kAll)},
      {"random sector reads",
       makePattern(dram::PatternKind::Random, m.sector, 0, kAll)},
      {"random line reads", makePattern(dram::PatternKind::Random, stream, 0, kAll)},
      {"one request in flight",
       makePattern(dram::PatternKind::Random, stream, 0, 1)},
  };
  for (const Named &n : patterns)
    r.patterns.push_back(
        {n.name, n.p, dram::evaluateStack(m, n.p, r.dramTemperature)});

  auto dramFn = [&](const dram::Pattern &p) {
    return dram::evaluateStack(m, p, r.dramTemperature).bandwidth;
  };
  double dramEnergy = r.patterns.front().result.energyPerByte;
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

  double bw = r.patterns.front().result.bandwidth;
  r.ridgeIntensity = bw > 0 ? compute::peakFlops(chip, DType::BF16,
                                                 DType::BF16) / bw
                            : 0;
  r.area = area::evaluate(chip);
  return r;
}
