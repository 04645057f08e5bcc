//===- HardwareModelTest.cpp - Stack, thermal and area models -------------===//
//
// Expected values are computed by hand in the comments (DESIGN.md 6.1, 6.3).
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "runtime/area/Area.h"
#include "runtime/dram/StackModel.h"
#include "runtime/thermal/Thermal.h"

#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <gtest/gtest.h>

using namespace ds;

namespace {
/// A chip on a stack of `layers` dies, `connected` of them with ports:
/// 8 channels x 32 B x 4 GT/s = 1.024 TB/s per connected die, vertical link
/// 1 TB/s per connected die, 4 GiB dies, 2 stacks.
struct Chip3D {
  Chip3D(int layers, int connected, const char *extra = "") {
    std::string text = fmt(layers, connected, extra);
    comp = std::make_unique<Compilation>(FrontendOptions(), errs);
    ok = comp->runBuffer(text, "chip3d.ds");
  }
  static std::string fmt(int layers, int connected, const char *extra) {
    return "memory m { stacks = 2; layers = " + std::to_string(layers) +
           "; connected_layers = " + std::to_string(connected) +
           "; layer_capacity = 4 GiB; channels_per_layer = 8; bus_width = 32 B;"
           " data_rate = 4 GT/s; on_logic = true;"
           " vertical = hybrid_bond { bandwidth_per_layer = 1 TB/s; }" +
           std::string(extra) +
           " }\n"
           "chip c { cores = 100; clock = 1 GHz; peak { bf16 = 1000 TFLOP/s; }"
           " sram_per_core = 256 KiB; l2 = 64 MiB; memory = m;"
           " scale_up { bandwidth = 450 GB/s; } tdp = 500 W; static_power = 100 W;"
           " thermal { ambient = 45 C; limit = 95 C; } }\n";
  }
  const ChipIR &chip() const { return comp->module()->chips.front(); }
  const MemoryIR &mem() const { return comp->module()->memories.front(); }
  std::string errorsText;
  llvm::raw_string_ostream errs{errorsText};
  std::unique_ptr<Compilation> comp;
  bool ok = false;
};

dram::Pattern stream(double request = 128, double outstanding = 64) {
  dram::Pattern p;
  p.kind = dram::PatternKind::Sequential;
  p.requestBytes = request;
  p.outstanding = outstanding;
  return p;
}
} // namespace

TEST(StackModel, PeakFromConnectedCapacityFromAllLayers) {
  Chip3D c(8, 4);
  ASSERT_TRUE(c.ok) << c.errorsText;
  auto r = dram::evaluateStack(c.mem(), stream(), 300);
  // Capacity: 2 stacks * 8 layers * 4 GiB = 64 GiB.
  EXPECT_DOUBLE_EQ(r.capacity, 64.0 * 1073741824.0);
  // Channels: 2 * 4 connected * 8 * 32 B * 4e9 = 8.192e12 B/s.
  EXPECT_DOUBLE_EQ(r.channelPeak, 8.192e12);
  // Vertical: 2 * 4 * 1e12 = 8e12 B/s, which binds the peak.
  EXPECT_DOUBLE_EQ(r.verticalPeak, 8e12);
  EXPECT_DOUBLE_EQ(r.peak, 8e12);
  EXPECT_LE(r.bandwidth, r.peak);
  EXPECT_GT(r.bandwidth, 0);
}

TEST(StackModel, RechargeHidingEfficiency) {
  // Lc <= L/2: fully hidden.
  Chip3D half(8, 4);
  ASSERT_TRUE(half.ok) << half.errorsText;
  EXPECT_DOUBLE_EQ(dram::evaluateStack(half.mem(), stream(), 300)
                       .rechargeEfficiency,
                   1.0);
  // Lc = L: E_fc = t_row / (t_row + tRP + tRCD);
  // t_row = 1 KiB / (32 B * 4e9 /s) = 8 ns; tRP + tRCD = 28 ns -> 8/36.
  Chip3D full(8, 8);
  ASSERT_TRUE(full.ok) << full.errorsText;
  EXPECT_NEAR(dram::evaluateStack(full.mem(), stream(), 300)
                  .rechargeEfficiency,
              8.0 / 36.0, 1e-12);
  // Lc = 6 of 8: a third of the way from L/2 to L: 1 - (1/2) * (1 - 8/36).
  Chip3D mid(8, 6);
  ASSERT_TRUE(mid.ok) << mid.errorsText;
  EXPECT_NEAR(dram::evaluateStack(mid.mem(), stream(), 300)
                  .rechargeEfficiency,
              1.0 - 0.5 * (1.0 - 8.0 / 36.0), 1e-12);
}

TEST(StackModel, SimpleModeIsPeakTimesEfficiency) {
  Chip3D c(8, 8, " mode = simple; refresh = none;");
  ASSERT_TRUE(c.ok) << c.errorsText;
  // 128 B requests are whole 128 B bursts (32 B x BL4): no waste.
  // B = min(channels 16.384 TB/s, vertical 16 TB/s) * 8/36.
  auto r = dram::evaluateStack(c.mem(), stream(128, 512), 300);
  EXPECT_NEAR(r.bandwidth, 16e12 * 8.0 / 36.0, 1e3);
}

TEST(StackModel, LittlesLawWithOneRequestInFlight) {
  Chip3D c(8, 4, " mode = simple; refresh = none;");
  ASSERT_TRUE(c.ok) << c.errorsText;
  auto r = dram::evaluateStack(c.mem(), stream(128, 1), 300);
  // 64 channels * 1 request * 128 B / (latency incl. 300 ns round trip).
  double channels = 2 * 4 * 8;
  EXPECT_NEAR(r.bandwidth, channels * 128 / r.latency, 1e-3 * r.bandwidth);
  EXPECT_EQ(r.boundBy, "buffering (Little's law)");
}

TEST(StackModel, ControllerVantageHasNoRoundTripNorBufferLimit) {
  Chip3D c(8, 4, " mode = simple; refresh = none;");
  ASSERT_TRUE(c.ok) << c.errorsText;
  // Simple mode's device latency: tRCD 14 ns + tCL 14 ns + one burst
  // (BL4 / 4 GT/s = 1 ns) + controller (4 / 4 GT/s = 1 ns) = 30 ns.
  auto cores = dram::evaluateStack(c.mem(), stream(128, 1), 300);
  EXPECT_NEAR(cores.latency, 330e-9, 1e-15); // + 300 ns round trip
  // 64 channels * 128 B / 330 ns = 24.824 GB/s.
  EXPECT_NEAR(cores.bandwidth, 64 * 128 / 330e-9, 1e-3);
  auto ctrl = dram::evaluateStack(c.mem(), stream(128, 1), 300,
                                  dram::Vantage::Controller);
  EXPECT_NEAR(ctrl.latency, 30e-9, 1e-15);
  // Simple mode has no closed loop of its own: Little's law on the device
  // latency alone, 64 channels * 128 B / 30 ns = 273.07 GB/s.
  EXPECT_NEAR(ctrl.bandwidth, 64 * 128 / 30e-9, 1e-3);
  EXPECT_EQ(ctrl.boundBy, "buffering (Little's law)");
  // With the buffer full the limit is the vertical peak, 8 TB/s (recharge
  // hiding 1 at Lc = L/2, no refresh).
  auto full = dram::evaluateStack(c.mem(), stream(128, 512), 300,
                                  dram::Vantage::Controller);
  EXPECT_NEAR(full.bandwidth, 8e12, 1);
  EXPECT_EQ(full.boundBy, "vertical link");
}

TEST(StackModel, ControllerVantageDetailedHasNoBufferingLimit) {
  Chip3D c(8, 4);
  ASSERT_TRUE(c.ok) << c.errorsText;
  // The detailed model's closed loop holds the requests at the controller:
  // the stack adds no Little's-law limit (channel, vertical, timing).
  auto ctrl = dram::evaluateStack(c.mem(), stream(128, 1), 300,
                                  dram::Vantage::Controller);
  EXPECT_EQ(ctrl.limits.size(), 3u);
  auto cores = dram::evaluateStack(c.mem(), stream(128, 1), 300);
  EXPECT_EQ(cores.limits.size(), 4u);
  EXPECT_GT(ctrl.bandwidth, cores.bandwidth); // no 300 ns round trip
}

TEST(StackModel, RefreshDoublesAbove85C) {
  Chip3D c(8, 4);
  ASSERT_TRUE(c.ok) << c.errorsText;
  auto cool = dram::evaluateStack(c.mem(), stream(), 273.15 + 80);
  auto hot = dram::evaluateStack(c.mem(), stream(), 273.15 + 90);
  // tRFC / tREFI = 350 ns / 3.9 us, then / 1.95 us.
  EXPECT_NEAR(cool.refreshOverhead, 350.0 / 3900.0, 1e-12);
  EXPECT_NEAR(hot.refreshOverhead, 350.0 / 1950.0, 1e-12);
  EXPECT_LE(hot.bandwidth, cool.bandwidth);
}

TEST(StackModel, EnergyPerByte) {
  Chip3D c(8, 4, " energy { activate = 1 nJ; access = 1 pJ/bit; }");
  ASSERT_TRUE(c.ok) << c.errorsText;
  dram::Pattern p = stream(128);
  p.rowHitRate = 1.0; // no activates
  auto r = dram::evaluateStack(c.mem(), p, 300);
  // Hybrid bond 0.05 pJ/bit + 1 pJ/bit access = 1.05 pJ/bit = 8.4 pJ/B.
  EXPECT_NEAR(r.energyPerByte, 8.4e-12, 1e-18);
  p.rowHitRate = 0.0; // one activate per 128 B request: + 1 nJ / 128 B
  r = dram::evaluateStack(c.mem(), p, 300);
  EXPECT_NEAR(r.energyPerByte, 8.4e-12 + 1e-9 / 128, 1e-18);
  // Background: 2 stacks * 8 dies * 0.1 W.
  EXPECT_NEAR(r.backgroundPower, 1.6, 1e-12);
}

TEST(Thermal, ChainOnLogicLowerLayersHotter) {
  Chip3D c(8, 4);
  ASSERT_TRUE(c.ok) << c.errorsText;
  const ChipIR &chip = c.chip();
  // r_base = (95 - 45) / 500 W = 0.1 C/W; r_layer = 0.1 * 0.01/0.56.
  EXPECT_NEAR(chip.rBase, 0.1, 1e-12);
  thermal::PowerInput p{100, 200, 0};
  auto r = thermal::temperaturesAt(chip, p, 1.0);
  double rLayer = 0.1 * 0.01 / 0.56;
  // No DRAM heat: top die = 45 + 300 * 0.1 = 75 C; logic = 75 + 8 * 300 * rL.
  EXPECT_NEAR(r.layers.back() - 273.15, 75.0, 1e-9);
  EXPECT_NEAR(r.logicTemperature - 273.15, 75.0 + 8 * 300 * rLayer, 1e-9);
  EXPECT_NEAR(r.resistance, 0.1 + 8 * rLayer, 1e-12);
  for (size_t i = 1; i < r.layers.size(); ++i)
    EXPECT_LT(r.layers[i], r.layers[i - 1]);
}

TEST(Thermal, ThrottlesToTheLimitWithCubicPower) {
  Chip3D c(8, 4);
  ASSERT_TRUE(c.ok) << c.errorsText;
  const ChipIR &chip = c.chip();
  // 500 W at full clock on R(8) = 0.1 * (1 + 8/56) C/W: hotter than 95 C,
  // so throttle: the logic may dissipate (95 - 45) / R(8) = 437.5 W;
  // static 100 W, so dynamic 337.5 of 400 W: s = (337.5/400)^(1/3).
  thermal::PowerInput p{100, 400, 0};
  auto r = thermal::evaluate(chip, p);
  double R = 0.1 * (1 + 8.0 / 56.0);
  EXPECT_TRUE(r.throttled);
  EXPECT_STREQ(r.limitedBy, "temperature");
  EXPECT_NEAR(r.clockScale, std::cbrt((50.0 / R - 100.0) / 400.0), 1e-9);
  EXPECT_NEAR(r.maxTemperature - 273.15, 95.0, 1e-6);
}

TEST(Thermal, MoreLayersNeverCoolerAtEqualPower) {
  thermal::PowerInput p{100, 300, 5};
  double last = 0;
  for (int layers : {2, 4, 8, 12, 16}) {
    Chip3D c(layers, layers / 2);
    ASSERT_TRUE(c.ok) << c.errorsText;
    double t = thermal::temperaturesAt(c.chip(), p, 1.0).maxTemperature;
    EXPECT_GE(t, last) << layers;
    last = t;
  }
}

TEST(Area, DiesPerWaferAndYield) {
  // 300 mm wafer, 100 mm2 die: pi*150^2/100 - pi*300/sqrt(200)
  // = 706.86 - 66.64 = 640.2 -> 640.
  EXPECT_EQ(area::diesPerWafer(0.3, 100e-6), 640);
  // 1 cm2 at 0.1 defects/cm2, alpha 3: (1 + 0.1/3)^-3 = 0.906.
  EXPECT_NEAR(area::negativeBinomialYield(100e-6, 0.1, 3),
              std::pow(1 + 0.1 / 3, -3), 1e-12);
}

TEST(Area, BreakdownAndCoresThatFit) {
  Chip3D c(8, 4);
  ASSERT_TRUE(c.ok) << c.errorsText;
  auto a = area::evaluate(c.chip());
  // Cores 100 * 4 mm2 = 400; SRAM 100 * 0.25 MiB * 1.2 = 30; L2 64 * 1.2 =
  // 76.8; 3D ports 2 stacks * 4 connected * 1 mm2 = 8; scale-up 30;
  // other 60: 604.8 mm2.
  EXPECT_NEAR(a.total / 1e-6, 604.8, 1e-9);
  EXPECT_TRUE(a.fits);
  // Budget 858: fixed 174.8, per core 4.3 -> floor(683.2 / 4.3) = 158.
  EXPECT_EQ(a.maxCores, 158);
  // DRAM: 64 GiB * 12 USD/GiB = 768 USD.
  EXPECT_NEAR(a.dramCost, 768.0, 1e-9);
}
