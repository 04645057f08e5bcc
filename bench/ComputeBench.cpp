//===- ComputeBench.cpp - Cost of costing an operator ---------------------===//
//
// gemm() and attention() run millions of times in a sweep. Measured on the
// shipped H100 (lib/chips/h100.ds) with two DRAM callbacks: a constant (the
// tile search alone) and the transaction-level stack model (what a sweep
// pays). The counter `dram_calls` is DRAM-model evaluations per operator.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"

#include "llvm/Support/raw_ostream.h"
#include <benchmark/benchmark.h>

using namespace ds;
using namespace ds::compute;

namespace {
/// The shipped H100, compiled once. The IR holds what the main file uses,
/// so the chip is declared there as an unchanged extension.
const ChipIR &h100() {
  static std::unique_ptr<Compilation> comp = [] {
    auto c = std::make_unique<Compilation>(FrontendOptions(), llvm::errs());
    if (!c->runBuffer("import \"chips/h100.ds\";\nchip bench : h100 {}\n",
                      "bench.ds") ||
        c->module()->chips.empty() || !c->module()->chips.back().memory)
      std::abort();
    return c;
  }();
  return comp->module()->chips.back();
}

/// GEMMs of a decode and a prefill step of Llama-3-70B at TP 8, and a
/// square one.
GemmShape gemmShape(int64_t i) {
  static const int64_t shapes[][3] = {{1, 1280, 8192},
                                      {64, 7168, 8192},
                                      {4096, 8192, 3584},
                                      {8192, 8192, 8192}};
  GemmShape s;
  s.m = shapes[i][0];
  s.n = shapes[i][1];
  s.k = shapes[i][2];
  return s;
}

AttentionShape attentionShape(int64_t i) {
  AttentionShape s;
  s.headsQ = 8;
  s.headsKV = 1;
  s.headDim = 128;
  if (i == 0) { // decode: 64 sequences, 4096 cached tokens
    s.batch = 64;
    s.context = 4096;
  } else { // causal prefill of 8192 tokens
    s.queries = s.context = 8192;
    s.causal = true;
  }
  return s;
}

double constantBandwidth(const dram::Pattern &) { return 3.35e12; }

template <typename Op>
void run(benchmark::State &state, bool stackModel, Op op) {
  const ChipIR &chip = h100();
  int64_t calls = 0;
  auto stack = [&](const dram::Pattern &p) {
    ++calls;
    return dram::evaluateStack(*chip.memory, p, 273.15 + 60).bandwidth;
  };
  auto fixed = [&](const dram::Pattern &p) {
    ++calls;
    return constantBandwidth(p);
  };
  for (auto _ : state) {
    OpCost c = stackModel ? op(chip, DramBandwidthFn(stack))
                          : op(chip, DramBandwidthFn(fixed));
    benchmark::DoNotOptimize(c);
  }
  state.counters["dram_calls"] =
      benchmark::Counter(double(calls) / double(state.iterations()));
}

void BM_Gemm(benchmark::State &state) {
  GemmShape s = gemmShape(state.range(0));
  run(state, state.range(1), [&](const ChipIR &chip, DramBandwidthFn fn) {
    return gemm(chip, s, fn);
  });
}

void BM_Attention(benchmark::State &state) {
  AttentionShape s = attentionShape(state.range(0));
  run(state, state.range(1), [&](const ChipIR &chip, DramBandwidthFn fn) {
    return attention(chip, s, fn);
  });
}
} // namespace

// Args: {shape, DRAM model (0 constant, 1 stack model)}.
BENCHMARK(BM_Gemm)->ArgsProduct({{0, 1, 2, 3}, {0, 1}});
BENCHMARK(BM_Attention)->ArgsProduct({{0, 1}, {0, 1}});
BENCHMARK_MAIN();
