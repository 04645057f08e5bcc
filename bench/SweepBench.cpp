//===- SweepBench.cpp - Leaf points per second of a sweep -----------------===//
//
// The sweep issue's throughput target: >= 100,000 leaf points/s per core on
// a cached sweep. "Cached": the design space below (schedule and batch of
// the flagship: 1,440 points) has been visited once, so per-layer operator
// costs, collective prices and settled clocks are memoized; each iteration
// then applies every point in place (Instantiator), evaluates it and ranks
// it, exhaustively (no pruning) on one thread. "Pruned" is the same space
// searched with its bound, counting the leaves of the whole space per
// second (pruned points included).
//
//===----------------------------------------------------------------------===//
#include "passes/SweepSearch.h"
#include "passes/SweepWorker.h"

#include <benchmark/benchmark.h>
#include <fstream>

using namespace ds;

namespace {
std::string spaceFile() {
  std::string path = std::string(DEEPSTACK_SOURCE_DIR) + "/bench/sweep_bench.ds";
  return path;
}

void runSpace(benchmark::State &state, bool exhaustive) {
  SweepSearch search(FrontendOptions(), spaceFile(), "bench");
  std::string error;
  if (!search.prepare(error) || !search.planTasks(1, error))
    return state.SkipWithError(error.c_str());
  auto worker = search.makeWorker(error);
  if (!worker)
    return state.SkipWithError(error.c_str());
  SharedIncumbent shared;
  auto once = [&](SweepStats &st) {
    search::ResultSet r = search.emptyResults();
    for (size_t t = 0; t < search.tasks().size(); ++t)
      search.runTask(*worker, t, r, st, shared, exhaustive);
    return r;
  };
  SweepStats warm;
  once(warm); // fill the memos
  uint64_t points = 0;
  for (auto _ : state) {
    SweepStats st;
    auto r = once(st);
    benchmark::DoNotOptimize(r);
    points += exhaustive ? st.evaluated + st.infeasible + st.invalid
                         : st.visited();
  }
  state.SetItemsProcessed(int64_t(points));
}

void BM_SweepCachedExhaustive(benchmark::State &state) { runSpace(state, true); }
BENCHMARK(BM_SweepCachedExhaustive)->Unit(benchmark::kMillisecond);

void BM_SweepCachedPruned(benchmark::State &state) { runSpace(state, false); }
BENCHMARK(BM_SweepCachedPruned)->Unit(benchmark::kMillisecond);
} // namespace

BENCHMARK_MAIN();
