//===- FrontendBench.cpp - Parse and check speed --------------------------===//
//
// Generates a 10,000-line design file (memories, chips, networks, models,
// workloads, schedules, designs that extend and reference each other) and
// measures parsing alone and parsing + Sema + IR generation.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <benchmark/benchmark.h>
#include <fmt/format.h>

using namespace ds;

namespace {
/// One group of declarations is 50 lines; 200 groups make 10,000 lines.
std::string group(int i) {
  return fmt::format(R"(memory m{0} {{
  stacks = 4;
  layers = {1};
  connected_layers = layers / 2;
  layer_capacity = 4 GiB;
  channels_per_layer = 8;
  banks_per_channel = 16;
  row_size = 1 KiB;
  bus_width = 32 B;
  data_rate = 4.8 GT/s;
  vertical = hybrid_bond {{ bandwidth_per_layer = 1.2 TB/s; energy = 0.05 pJ/bit; }}
  timing {{ tRCD = 14 ns; tRP = 14 ns; tRAS = 33 ns; tRRD = 2 ns; tFAW = 12 ns; }}
  energy {{ activate = 0.9 nJ; access = 1.1 pJ/bit; }}
}}
chip c{0} {{
  cores = 148;
  clock = 1.8 GHz;
  peak {{ bf16 = 2250 TFLOP/s * clock / 1.965 GHz; }}
  sram_per_core = 228 KiB;
  l2 = 126 MiB;
  memory = m{0};
  scale_up {{ bandwidth = 900 GB/s; latency = 0.5 us; }}
  tdp = 1000 W;
}}
chip c{0}b : c{0} {{ clock = 2.0 GHz; }}
network n{0} {{
  level board = switch(8) {{ link = 900 GB/s; latency = 0.5 us; energy = 5 pJ/bit; }}
  level rack = torus(4, 4) {{ link = 100 GB/s; latency = 2 us; }}
}}
system s{0} {{ chip = c{0}b; network = n{0}; }}
model mo{0} {{
  layers = 80;
  hidden = 8192;
  heads = 64;
  kv_heads = 8;
  ffn = 28672;
  vocab = 128256;
  max_context = 131072;
}}
workload w{0} {{
  model = mo{0};
  phase = decode;
  batch = 64;
  prompt = 1024;
  generate = 1024;
}}
schedule sc{0} {{ tp = 8; pp = 2; dp = 8; overlap = tile; }}
design d{0} {{
  system = s{0};
  workload = w{0};
  schedule = sc{0};
}}
// group {0} ends here
)",
                     i, 4 + 4 * (i % 4));
}

std::string writeGenerated() {
  static std::string path;
  if (!path.empty())
    return path;
  llvm::SmallString<128> p;
  int fd;
  llvm::sys::fs::createTemporaryFile("bench", "ds", fd, p);
  llvm::raw_fd_ostream out(fd, true);
  for (int i = 0; i < 200; ++i)
    out << group(i);
  path = std::string(p);
  return path;
}

void runBench(benchmark::State &state, bool parseOnly) {
  std::string path = writeGenerated();
  std::string errors;
  llvm::raw_string_ostream errs(errors);
  for (auto _ : state) {
    Compilation c(FrontendOptions(), errs);
    if (!c.run(path, parseOnly))
      state.SkipWithError(("compilation failed: " + errs.str()).c_str());
    benchmark::DoNotOptimize(c.module());
  }
  state.counters["lines/s"] = benchmark::Counter(
      10000.0 * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Parse10kLines(benchmark::State &state) { runBench(state, true); }
void BM_ParseAndCheck10kLines(benchmark::State &state) {
  runBench(state, false);
}
} // namespace

BENCHMARK(BM_Parse10kLines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndCheck10kLines)->Unit(benchmark::kMillisecond);

int main(int argc, char **argv) {
  // Measure the allocator set-up the deepstack driver runs with.
  ds::tuneAllocator();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
