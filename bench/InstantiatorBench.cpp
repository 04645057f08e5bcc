//===- InstantiatorBench.cpp - Cost of one sweep point's commit -----------===//
//
// A sweep commits once per leaf point, and a point's evaluation is ~9 us, so
// a commit that changes a schedule or workload field must stay near 1 us; a
// memory field change (stack3d.layers: connected_layers' default and chip
// fields read it) is rarer and may cost more. Also: the private compile
// itself with dependency tracking, against the same compile without; and
// the enclosure of derived hardware fields a search node asks for.
//
//===----------------------------------------------------------------------===//
#include "frontend/Instantiator.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <benchmark/benchmark.h>

using namespace ds;

namespace {
const std::string kSweep = DEEPSTACK_SOURCE_DIR "/examples/sweep_dse.ds";
// Axes of examples/sweep_dse.ds.
enum : unsigned { Layers, Connected, Tp, Pp, Dp, Batch };

Value count(double n) { return Value::number(n, Dim::none(), true); }

std::unique_ptr<Instantiator> open() {
  std::string error;
  auto inst = Instantiator::create(FrontendOptions(), kSweep, "dse", error);
  if (!inst)
    llvm::errs() << error << "\n";
  return inst;
}

/// Alternates \p axis between \p a and \p b, one commit per iteration.
void alternate(benchmark::State &state, unsigned axis, double a, double b) {
  auto inst = open();
  std::string why;
  bool flip = false;
  for (auto _ : state) {
    inst->set(axis, count(flip ? a : b));
    flip = !flip;
    if (!inst->commit(why))
      state.SkipWithError(why.c_str());
    benchmark::DoNotOptimize(inst->design().generation);
  }
}

void BM_CommitBatch(benchmark::State &s) { alternate(s, Batch, 8, 64); }
void BM_CommitTp(benchmark::State &s) { alternate(s, Tp, 4, 8); }
void BM_CommitLayers(benchmark::State &s) { alternate(s, Layers, 8, 16); }

void BM_CommitUnchanged(benchmark::State &state) {
  auto inst = open();
  std::string why;
  for (auto _ : state) {
    inst->set(Batch, count(64));
    benchmark::DoNotOptimize(inst->commit(why));
  }
}

/// A failing point (connected_layers > layers) and the valid one after it.
void BM_CommitFailAndRecover(benchmark::State &state) {
  auto inst = open();
  std::string why;
  for (auto _ : state) {
    inst->set(Connected, count(12));
    benchmark::DoNotOptimize(inst->commit(why));
    inst->set(Connected, count(4));
    if (!inst->commit(why))
      state.SkipWithError(why.c_str());
  }
}

void BM_CreateTracked(benchmark::State &state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(open());
}

void BM_CompileUntracked(benchmark::State &state) {
  for (auto _ : state) {
    std::string text;
    llvm::raw_string_ostream os(text);
    Compilation c(FrontendOptions(), os);
    benchmark::DoNotOptimize(c.run(kSweep));
  }
}

/// A chip whose peak scales with cores and clock, both open, and a memory
/// whose defaults read layers: ten enclosures, as one search node asks.
void BM_FieldIntervals(benchmark::State &state) {
  llvm::SmallString<128> path;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("ivbench", "ds", fd, path)) {
    state.SkipWithError("no temporary file");
    return;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << "import \"" DEEPSTACK_SOURCE_DIR "/examples/flagship.ds\";\n"
       << "chip acc : acc3d { cores = 128; peak { bf16 = b200.peak.bf16 * "
          "cores / b200.cores * clock / b200.clock; } }\n"
       << "system sy { chip = acc; network = pod; }\n"
       << "design dd { system = sy; workload = chat; schedule = s; }\n"
       << "sweep sw over dd { acc.clock in linspace(1 GHz, 2 GHz, 5); "
          "acc.cores in 64 .. 128; stack3d.layers in {4, 8, 16}; "
          "s.tp in {1, 2, 4, 8}; }\n";
  }
  std::string error;
  auto inst = Instantiator::create(FrontendOptions(), path, "sw", error);
  llvm::sys::fs::remove(path);
  if (!inst) {
    state.SkipWithError(error.c_str());
    return;
  }
  const char *fields[] = {"acc.peak.bf16",     "acc.peak.fp16",
                          "acc.peak.tf32",     "acc.sram_bandwidth",
                          "acc.l2_bandwidth",  "acc.peak.fp8",
                          "acc.launch",        "stack3d.layers",
                          "acc.memory.layers", "acc.area.vertical_port"};
  auto axisIv = [](unsigned a) -> Interval {
    static const Interval open[] = {{1e9, 2e9}, {64, 128}, {4, 16}, {1, 8}};
    return open[a];
  };
  for (auto _ : state)
    for (const char *f : fields)
      benchmark::DoNotOptimize(inst->fieldInterval(f, axisIv));
}
} // namespace

BENCHMARK(BM_CommitBatch);
BENCHMARK(BM_CommitTp);
BENCHMARK(BM_CommitLayers);
BENCHMARK(BM_CommitUnchanged);
BENCHMARK(BM_CommitFailAndRecover);
BENCHMARK(BM_FieldIntervals);
BENCHMARK(BM_CreateTracked)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileUntracked)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
