//===- DramBench.cpp - Speed of the DRAM transaction model ----------------===//
//
// One dram::evaluate() per iteration on the HBM2 and DDR4 devices of
// data/reference/dram, for every pattern kind at 1, 8, 16 and 64 requests
// outstanding per channel (the design-space search calls it once per
// memory and access pattern, so it must stay well under a microsecond).
// BM_DramEvaluateMix cycles through all of them: its time is the mean.
//
//===----------------------------------------------------------------------===//
#include "runtime/dram/DeviceModel.h"

#include <benchmark/benchmark.h>
#include <vector>

using namespace ds;
using namespace ds::dram;

namespace {
constexpr double ns = 1e-9;

Device hbm2() {
  Device d;
  d.channels = 8;
  d.tck = 1 * ns;
  d.burstBytes = 64;
  d.burstTime = 2 * ns;
  d.ranks = 1;
  d.bankGroups = 4;
  d.banksPerGroup = 4;
  d.rowBytes = 2048;
  d.seqRunBytes = 2048;
  d.controllerLatency = 2 * ns;
  return d; // the defaults are HBM2's timings
}

Device ddr4() {
  constexpr double tck = 0.63 * ns;
  Device d;
  d.channels = 1;
  d.tck = tck;
  d.burstBytes = 64;
  d.burstTime = 4 * tck;
  d.ranks = 2;
  d.bankGroups = 4;
  d.banksPerGroup = 4;
  d.rowBytes = 8192;
  d.tCL = 22 * tck;
  d.tCWL = 16 * tck;
  d.tRCD = d.tRP = 22 * tck;
  d.tRAS = 52 * tck;
  d.tRRD_S = 4 * tck;
  d.tRRD_L = 8 * tck;
  d.tFAW = 34 * tck;
  d.tCCD_S = 4 * tck;
  d.tCCD_L = 8 * tck;
  d.tWTR_S = 4 * tck;
  d.tWTR_L = 12 * tck;
  d.tWR = 24 * tck;
  d.tRTP = 12 * tck;
  d.tRFC = 560 * tck;
  d.tREFI = 12480 * tck;
  d.seqRunBytes = 8192;
  d.controllerLatency = 2 * tck;
  return d;
}

struct Case {
  Device device;
  Pattern pattern;
};

/// Every pattern kind on both devices at 1, 8, 16 and 64 outstanding.
std::vector<Case> cases() {
  std::vector<Case> all;
  struct Kind {
    PatternKind kind;
    double param;
  };
  const Kind kinds[] = {{PatternKind::Sequential, 0},
                        {PatternKind::Random, 0},
                        {PatternKind::Stride, 8192},
                        {PatternKind::RowLocal, 0.9},
                        {PatternKind::Banks, 4}};
  for (const Device &d : {hbm2(), ddr4()})
    for (const Kind &k : kinds)
      for (double n : {1, 8, 16, 64}) {
        Pattern p;
        p.kind = k.kind;
        p.param = k.param;
        p.requestBytes = 64;
        p.outstanding = n;
        all.push_back({d, p});
      }
  return all;
}

void BM_DramEvaluate(benchmark::State &state) {
  static const std::vector<Case> all = cases();
  const Case &c = all[state.range(0)];
  for (auto _ : state)
    benchmark::DoNotOptimize(evaluate(c.device, c.pattern));
  static const char *const kindNames[] = {"seq", "random", "stride", "rowloc",
                                          "banks"};
  state.SetLabel(std::string(c.device.channels == 8 ? "hbm2 " : "ddr4 ") +
                 kindNames[unsigned(c.pattern.kind)] +
                 " N=" + std::to_string(int(c.pattern.outstanding)));
}
BENCHMARK(BM_DramEvaluate)->DenseRange(0, 39);

void BM_DramEvaluateMix(benchmark::State &state) {
  static const std::vector<Case> all = cases();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(evaluate(all[i].device, all[i].pattern));
    i = i + 1 == all.size() ? 0 : i + 1;
  }
}
BENCHMARK(BM_DramEvaluateMix);
} // namespace

BENCHMARK_MAIN();
