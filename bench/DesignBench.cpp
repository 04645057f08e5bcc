//===- DesignBench.cpp - Evaluating one design point ----------------------===//
//
// The workload issue's target: one full design point (Llama-3-70B decode on
// 64 B200-class chips, a 3-level network) in < 200 us cold and < 10 us when
// its network and layer results are cached (a sweep revisiting the same
// chip, network and shapes). "Cold" builds the network model and evaluates
// with empty caches; "warm" reuses a network model and the operator cache.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "passes/Evaluate.h"

#include "llvm/Support/raw_ostream.h"
#include <benchmark/benchmark.h>

using namespace ds;

namespace {
const char *kDesign = R"(
import "chips/b200.ds";
import "models/llama3.ds";
network pod64 {
  level board = switch(4) { link = 900 GB/s; latency = 0.5 us; ports = 4; }
  level rack  = switch(4) { link = 100 GB/s; latency = 1 us; }
  level spine = switch(4) { link = 50 GB/s;  latency = 2 us; }
}
system sys { chip = b200; network = pod64; }
workload w { model = llama3_70b; phase = decode; batch = 256; prompt = 1024; generate = 1024; }
schedule s { tp = 4; dp = 8; pp = 2; overlap = tile; }
design d { system = sys; workload = w; schedule = s; }
)";

struct Fixture {
  Compilation c{FrontendOptions()};
  const DesignIR *d = nullptr;
  Fixture() {
    if (c.runBuffer(kDesign, "bench.ds"))
      d = c.module()->findDesign("d");
  }
};

void BM_DesignCold(benchmark::State &state) {
  Fixture f;
  if (!f.d)
    return state.SkipWithError("design does not compile");
  for (auto _ : state) {
    clearEvaluationCaches();
    net::NetworkModel network(net::FabricSpec::fromIR(*f.d->system->network));
    DesignMetrics m;
    evaluateDesign(*f.d, network, f.c.diags(), m);
    benchmark::DoNotOptimize(m.stps);
  }
}
BENCHMARK(BM_DesignCold)->Unit(benchmark::kMicrosecond);

void BM_DesignWarm(benchmark::State &state) {
  Fixture f;
  if (!f.d)
    return state.SkipWithError("design does not compile");
  net::NetworkModel network(net::FabricSpec::fromIR(*f.d->system->network));
  DesignMetrics m;
  evaluateDesign(*f.d, network, f.c.diags(), m);
  for (auto _ : state) {
    evaluateDesign(*f.d, network, f.c.diags(), m);
    benchmark::DoNotOptimize(m.stps);
  }
}
BENCHMARK(BM_DesignWarm)->Unit(benchmark::kMicrosecond);
} // namespace

BENCHMARK_MAIN();
