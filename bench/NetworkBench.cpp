//===- NetworkBench.cpp - Pricing collectives on a large hierarchy --------===//
//
// The network issue's target: one all-reduce on a 1,024-device, 3-level
// hierarchy (8 per board on NVSwitch, 16 boards per rack switch with 8
// ports each, 8 racks on a spine) in < 20 us cold and < 1 us cached.
// "Cold" builds the model (fabric, empty caches) and routes the pattern;
// "new size" reuses the routed pattern for a size not seen before;
// "cached" repeats a priced call.
//
//===----------------------------------------------------------------------===//
#include "runtime/network/NetworkModel.h"

#include <benchmark/benchmark.h>

using namespace ds;
using namespace ds::net;

namespace {
FabricSpec pod1024() {
  FabricSpec s;
  auto level = [](const char *name, int64_t n, double link, double lat,
                  int64_t ports) {
    LevelSpec l;
    l.name = name;
    l.kind = TopologyKind::Switch;
    l.dims = {n};
    l.link = link;
    l.latency = lat;
    l.energyPerByte = 40e-12;
    l.ports = ports;
    return l;
  };
  s.levels = {level("board", 8, 900e9, 0.5e-6, 8),
              level("rack", 16, 50e9, 1e-6, 8),
              level("spine", 8, 50e9, 2e-6, 1)};
  return s;
}

/// Group by benchmark argument: 0 = TP 8 in a board, 1 = DP 128 (stride
/// 8) across racks, 2 = all 1,024 devices.
Group groupFor(int64_t which) {
  switch (which) {
  case 0:
    return Group{8, 1};
  case 1:
    return Group{128, 8};
  default:
    return Group{1024, 1};
  }
}

void BM_AllReduceCold(benchmark::State &state) {
  Algorithm a = state.range(1) ? Algorithm::Auto : Algorithm::Rabenseifner;
  for (auto _ : state) {
    NetworkModel model(pod1024());
    auto cost = model.price(Collective::AllReduce, a, groupFor(state.range(0)),
                            64.0 * (1 << 20));
    benchmark::DoNotOptimize(cost->time);
  }
}
BENCHMARK(BM_AllReduceCold)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->ArgNames({"group", "auto"})
    ->Unit(benchmark::kMicrosecond);

void BM_AllReduceNewSize(benchmark::State &state) {
  NetworkModel model(pod1024());
  Group g = groupFor(state.range(0));
  double bytes = 1 << 20;
  for (auto _ : state) {
    bytes += 1; // a size never priced: the pattern is reused, the price not
    auto cost = model.price(Collective::AllReduce, Algorithm::Rabenseifner, g,
                            bytes);
    benchmark::DoNotOptimize(cost->time);
  }
}
BENCHMARK(BM_AllReduceNewSize)->Arg(0)->Arg(1)->Arg(2)->ArgNames({"group"});

void BM_AllReduceCached(benchmark::State &state) {
  NetworkModel model(pod1024());
  Group g = groupFor(state.range(0));
  for (auto _ : state) {
    auto cost = model.price(Collective::AllReduce, Algorithm::Auto, g,
                            64.0 * (1 << 20));
    benchmark::DoNotOptimize(cost->time);
  }
}
BENCHMARK(BM_AllReduceCached)->Arg(0)->Arg(1)->Arg(2)->ArgNames({"group"});
} // namespace
BENCHMARK_MAIN();
