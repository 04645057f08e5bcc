//===- HardwarePropertyTest.cpp - Monotonicity over random configs --------===//
//
// Properties every valid configuration must keep (issue "Hardware models"):
// more connected layers never lower peak bandwidth, capacity scales with
// total layers, more outstanding requests never lower bandwidth, more
// layers never cool the chip at equal power. Random but seeded, so a failure
// reproduces.
//
//===----------------------------------------------------------------------===//
#include "runtime/dram/StackModel.h"
#include "runtime/thermal/Thermal.h"

#include <gtest/gtest.h>
#include <random>

using namespace ds;

namespace {
/// A random, valid memory: every field a model reads is set.
MemoryIR randomMemory(std::mt19937 &rng) {
  auto pick = [&](std::initializer_list<double> v) {
    return *(v.begin() + std::uniform_int_distribution<size_t>(
                             0, v.size() - 1)(rng));
  };
  MemoryIR m;
  m.name = "random";
  m.stacks = int64_t(pick({1, 2, 4, 8}));
  m.layers = int64_t(pick({2, 4, 8, 12, 16}));
  m.connectedLayers = std::uniform_int_distribution<int64_t>(1, m.layers)(rng);
  m.layerCapacity = pick({1, 2, 4}) * 1073741824.0;
  m.channelsPerLayer = int64_t(pick({2, 4, 8, 16}));
  m.bankGroups = int64_t(pick({1, 2, 4}));
  m.banksPerChannel = m.bankGroups * int64_t(pick({2, 4}));
  m.busWidth = pick({8, 16, 32});
  m.burstLength = int64_t(pick({2, 4, 8}));
  m.dataRate = pick({2e9, 3.2e9, 4.8e9, 6.4e9});
  m.rowSize = pick({1024, 2048});
  m.sector = 32;
  m.seqRun = m.rowSize;
  m.buffer = pick({16384, 65536});
  m.refresh = RefreshMode::AllBank;
  m.mode = DramMode::Detailed;
  m.vertical = VerticalLink::HybridBond;
  m.verticalBandwidth = pick({0.25e12, 0.5e12, 1e12, 2e12});
  m.verticalEnergy = 0.4e-12;
  m.tCL = 14e-9;
  m.tCWL = 4e-9;
  m.tRCD = pick({12e-9, 14e-9, 16e-9});
  m.tRP = m.tRCD;
  m.tRAS = 33e-9;
  m.tRRD = 2e-9;
  m.tRRDL = 3e-9;
  m.tFAW = pick({12e-9, 16e-9, 30e-9});
  m.tCCD = double(m.burstLength) / m.dataRate;
  m.tCCDL = 2 * m.tCCD;
  m.tWTR = 5e-9;
  m.tWTRL = 8e-9;
  m.tWR = 16e-9;
  m.tRTP = 5e-9;
  m.tRFC = 350e-9;
  m.tREFI = 3.9e-6;
  m.roundTrip = 300e-9;
  m.readQueue = 32;
  m.writeQueue = 32;
  m.bankQueue = 8;
  m.controllerLatency = 4 / m.dataRate;
  m.coupling = 8;
  m.activateEnergy = 0.9e-9;
  m.accessEnergy = 8.8e-12;
  m.backgroundPower = 0.1;
  return m;
}

dram::Pattern stream(double request, double outstanding) {
  dram::Pattern p;
  p.kind = dram::PatternKind::Sequential;
  p.requestBytes = request;
  p.outstanding = outstanding;
  return p;
}

constexpr int kConfigs = 200;
} // namespace

TEST(HardwareProperty, MoreConnectedLayersNeverLowerPeak) {
  std::mt19937 rng(42);
  for (int i = 0; i < kConfigs; ++i) {
    MemoryIR m = randomMemory(rng);
    double last = 0;
    for (int64_t lc = 1; lc <= m.layers; ++lc) {
      m.connectedLayers = lc;
      double peak = dram::evaluateStack(m, stream(128, 64), 300).peak;
      EXPECT_GE(peak, last) << "config " << i << " Lc " << lc;
      last = peak;
    }
  }
}

TEST(HardwareProperty, CapacityScalesWithTotalLayers) {
  std::mt19937 rng(7);
  for (int i = 0; i < kConfigs; ++i) {
    MemoryIR m = randomMemory(rng);
    double one = dram::evaluateStack(m, stream(128, 64), 300).capacity /
                 double(m.layers);
    m.layers *= 2;
    double twice = dram::evaluateStack(m, stream(128, 64), 300).capacity;
    EXPECT_DOUBLE_EQ(twice, one * double(m.layers)) << "config " << i;
  }
}

TEST(HardwareProperty, MoreOutstandingNeverLowersBandwidth) {
  std::mt19937 rng(11);
  for (int i = 0; i < kConfigs; ++i) {
    MemoryIR m = randomMemory(rng);
    double last = 0;
    for (double n : {1, 2, 4, 8, 16, 32, 64, 128}) {
      auto r = dram::evaluateStack(m, stream(128, n), 300);
      EXPECT_GE(r.bandwidth, last * (1 - 1e-9)) << "config " << i << " n " << n;
      EXPECT_LE(r.bandwidth, r.peak * (1 + 1e-9));
      EXPECT_TRUE(std::isfinite(r.bandwidth) && r.bandwidth > 0);
      last = r.bandwidth;
    }
  }
}

TEST(HardwareProperty, MoreLayersNeverCoolAtEqualPower) {
  std::mt19937 rng(5);
  for (int i = 0; i < kConfigs; ++i) {
    MemoryIR m = randomMemory(rng);
    m.onLogic = i % 2 ? Bool::True : Bool::False;
    ChipIR chip;
    chip.memory = &m;
    chip.ambient = 318.15;
    chip.tempLimit = 368.15;
    chip.tdp = 700;
    chip.rBase = 50.0 / 700;
    chip.rLayer = chip.rBase * 0.01 / 0.56;
    chip.lateral = 0.7;
    chip.dvfsAlpha = 3;
    thermal::PowerInput p{150, 400, 8};
    double last = 0;
    for (int64_t layers : {2, 4, 8, 12, 16}) {
      m.layers = layers;
      double t = thermal::temperaturesAt(chip, p, 1.0).maxTemperature;
      EXPECT_GE(t, last) << "config " << i << " layers " << layers;
      last = t;
    }
  }
}
