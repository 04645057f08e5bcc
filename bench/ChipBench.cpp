//===- ChipBench.cpp - One chip evaluation: DRAM + compute + thermal ------===//
//
// The flagship chip (examples/flagship.ds): one stack evaluation of a
// streaming pattern, one decode GEMM through the compute model (whose tile
// search calls the stack model), and the thermal chain with throttling;
// then all three together, which is what one design point costs before any
// memoization. Two finer ones split the GEMM: its tile search alone (a
// constant DRAM bandwidth) and one stack evaluation of the pattern its
// chosen tile asks for.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"
#include "runtime/thermal/Thermal.h"

#include <benchmark/benchmark.h>

using namespace ds;

namespace {
const ChipIR &flagship() {
  static std::unique_ptr<Compilation> c = [] {
    auto comp = std::make_unique<Compilation>(FrontendOptions());
    if (!comp->run(DEEPSTACK_SOURCE_DIR "/examples/flagship.ds"))
      abort();
    return comp;
  }();
  return c->module()->chips.front();
}

dram::Pattern stream() {
  dram::Pattern p;
  p.kind = dram::PatternKind::Sequential;
  p.requestBytes = 128;
  p.outstanding = 64;
  return p;
}

void BM_StackStream(benchmark::State &state) {
  const ChipIR &chip = flagship();
  for (auto _ : state)
    benchmark::DoNotOptimize(
        dram::evaluateStack(*chip.memory, stream(), 350).bandwidth);
}

void BM_DecodeGemm(benchmark::State &state) {
  const ChipIR &chip = flagship();
  compute::GemmShape s;
  s.m = 64;
  s.n = 8192;
  s.k = 8192;
  auto dram = [&](const dram::Pattern &p) {
    return dram::evaluateStack(*chip.memory, p, 350).bandwidth;
  };
  for (auto _ : state)
    benchmark::DoNotOptimize(compute::gemm(chip, s, dram).time);
}

void BM_DecodeGemmSearch(benchmark::State &state) {
  const ChipIR &chip = flagship();
  compute::GemmShape s;
  s.m = 64;
  s.n = 8192;
  s.k = 8192;
  auto dram = [](const dram::Pattern &) { return 10e12; };
  for (auto _ : state)
    benchmark::DoNotOptimize(compute::gemm(chip, s, dram).time);
}

void BM_StackDecodePattern(benchmark::State &state) {
  const ChipIR &chip = flagship();
  dram::Pattern p = stream();
  p.outstanding = 896;
  p.writeFraction = 1.0 / 130;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        dram::evaluateStack(*chip.memory, p, 350).bandwidth);
}

void BM_Thermal(benchmark::State &state) {
  const ChipIR &chip = flagship();
  thermal::PowerInput p{250, 600, 40};
  for (auto _ : state)
    benchmark::DoNotOptimize(thermal::evaluate(chip, p).clockScale);
}

void BM_ChipEvaluation(benchmark::State &state) {
  const ChipIR &chip = flagship();
  compute::GemmShape s;
  s.m = 64;
  s.n = 8192;
  s.k = 8192;
  auto dram = [&](const dram::Pattern &p) {
    return dram::evaluateStack(*chip.memory, p, 350).bandwidth;
  };
  for (auto _ : state) {
    auto mem = dram::evaluateStack(*chip.memory, stream(), 350);
    auto op = compute::gemm(chip, s, dram);
    thermal::PowerInput p{250, 600, mem.backgroundPower};
    benchmark::DoNotOptimize(thermal::evaluate(chip, p).clockScale + op.time);
  }
}
} // namespace

BENCHMARK(BM_StackStream);
BENCHMARK(BM_DecodeGemm);
BENCHMARK(BM_DecodeGemmSearch);
BENCHMARK(BM_StackDecodePattern);
BENCHMARK(BM_Thermal);
BENCHMARK(BM_ChipEvaluation);
