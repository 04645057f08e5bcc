//===- DramModelTest.cpp - Transaction-aware DRAM channel model -----------===//
//
// Simple regimes with the expected value computed by hand in the comment,
// then properties over random devices and patterns (seeded, so a failure
// reproduces). Times in the comments are clocks of tck = 1 ns.
//
//===----------------------------------------------------------------------===//
#include "runtime/dram/DeviceModel.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace ds;
using namespace ds::dram;

namespace {
constexpr double ns = 1e-9;
constexpr double GBps = 1e9;

/// The HBM2 device of data/reference/dram/hbm2_8gb_x128.csv: 8 channels,
/// 64 B bursts in 2 clocks of 1 ns (peak 8 * 64 / 2 ns = 256 GB/s), 1 rank
/// of 4 x 4 banks, rows and runs of 2 KiB. Refresh off unless a test
/// turns it on.
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
  d.tCL = 14 * ns;
  d.tCWL = 4 * ns;
  d.tRCD = 14 * ns;
  d.tRP = 14 * ns;
  d.tRAS = 34 * ns;
  d.tRRD_S = 4 * ns;
  d.tRRD_L = 6 * ns;
  d.tFAW = 30 * ns;
  d.tCCD_S = 1 * ns;
  d.tCCD_L = 2 * ns;
  d.tWTR_S = 6 * ns;
  d.tWTR_L = 8 * ns;
  d.tWR = 16 * ns;
  d.tRTP = 4 * ns;
  d.refresh = RefreshMode::None;
  d.tRFC = 260 * ns;
  d.tREFI = 3900 * ns;
  d.readQueue = 32;
  d.writeQueue = 32;
  d.bankQueue = 8;
  d.seqRunBytes = 2048;
  d.controllerLatency = 2 * ns;
  return d;
}

Pattern pattern(PatternKind kind, double request, double outstanding,
                double param = 0) {
  Pattern p;
  p.kind = kind;
  p.param = param;
  p.requestBytes = request;
  p.outstanding = outstanding;
  return p;
}

/// Relative comparison: |a/b - 1| <= tol.
::testing::AssertionResult near(double a, double b, double tol) {
  if (std::fabs(a / b - 1) <= tol)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << a << " vs " << b << " (" << 100 * (a / b - 1) << "%)";
}
} // namespace

TEST(DramModel, PeakBandwidth) {
  // 8 channels * 64 B / 2 ns = 256 GB/s.
  EXPECT_DOUBLE_EQ(hbm2().peakBandwidth(), 256 * GBps);
}

TEST(DramModel, OneOutstandingRequestIsLittlesLaw) {
  // A random one-burst read with nothing else in flight: controller 2 +
  // precharge tRP 14 + activate tRCD 14 + CL 14 + burst 2 = 46 ns, so each
  // channel moves 64 B per 46 ns: 8 * 64 / 46 ns = 11.13 GB/s.
  Result r = evaluate(hbm2(), pattern(PatternKind::Random, 64, 1));
  EXPECT_TRUE(near(r.bandwidth, 8 * 64 / (46 * ns), 1e-9));
  EXPECT_TRUE(near(r.latency, 46 * ns, 1e-9));
  EXPECT_EQ(r.bound, Limit::Latency);
  EXPECT_EQ(r.rowHitRate, 0);
}

TEST(DramModel, SingleBankIsRowCycleBound) {
  // All requests in one bank, each in a new row: one row cycle per request,
  // tRC = max(tRAS, tRCD + tRTP) + tRP = max(34, 18) + 14 = 48 ns, so
  // 8 * 64 B / 48 ns = 10.67 GB/s however many are outstanding. (The bus,
  // 2 ns, and the activate window, 7.5 ns, join through the 8-norm and add
  // less than 1e-7.)
  Result r = evaluate(hbm2(), pattern(PatternKind::Banks, 64, 64, 1));
  EXPECT_TRUE(near(r.bandwidth, 8 * 64 / (48 * ns), 1e-6));
  EXPECT_EQ(r.bound, Limit::Bank);
  // A stride of 16 rows of 2 KiB (32 KiB, 16 banks) comes back to the same
  // bank every time: the same limit.
  Result s = evaluate(hbm2(), pattern(PatternKind::Stride, 64, 64, 32768));
  EXPECT_TRUE(near(s.bandwidth, r.bandwidth, 1e-6));
}

TEST(DramModel, RandomOneBurstReadsAreActivateBound) {
  // Every read opens a row: 4 activates per tFAW = 30 ns per rank, one
  // per 7.5 ns (tRRD_S = 4 ns is shorter), so 8 * 64 B / 7.5 ns =
  // 68.27 GB/s. Banks (48 ns / 16 = 3 ns) and bus (2 ns) join through the
  // 8-norm: 7.5 * (1 + (3/7.5)^8 + (2/7.5)^8)^(1/8) = 7.5006 ns.
  Result r = evaluate(hbm2(), pattern(PatternKind::Random, 64, 128));
  EXPECT_TRUE(near(r.bandwidth, 8 * 64 / (7.5 * ns), 1e-3));
  EXPECT_EQ(r.bound, Limit::Activate);
  // The window is per rank: two ranks activate twice as often (the bus,
  // now 2 of 3.75 ns per request, adds 0.09% through the 8-norm).
  Device two = hbm2();
  two.ranks = 2;
  Result r2 = evaluate(two, pattern(PatternKind::Random, 64, 128));
  EXPECT_TRUE(near(r2.bandwidth, 2 * 8 * 64 / (7.5 * ns), 2e-3));
  // Doubling the request doubles the bandwidth (one activate per request).
  Result big = evaluate(hbm2(), pattern(PatternKind::Random, 128, 128));
  EXPECT_TRUE(near(big.bandwidth, 2 * r.bandwidth, 1e-3));
}

TEST(DramModel, SequentialStreamIsBusBound) {
  // One activate per 2 KiB run (32 bursts), the next run in the next bank
  // group: the bus never idles, 64 B per 2 ns per channel = 256 GB/s.
  Result r = evaluate(hbm2(), pattern(PatternKind::Sequential, 64, 64));
  EXPECT_TRUE(near(r.bandwidth, 256 * GBps, 1e-6));
  EXPECT_EQ(r.bound, Limit::Bus);
  EXPECT_DOUBLE_EQ(r.rowHitRate, 1 - 64.0 / 2048);
  // Column commands 4 ns apart in any bank group: 64 B per 4 ns = 128 GB/s.
  Device slow = hbm2();
  slow.tCCD_S = slow.tCCD_L = 4 * ns;
  Result s = evaluate(slow, pattern(PatternKind::Sequential, 64, 64));
  EXPECT_TRUE(near(s.bandwidth, 128 * GBps, 1e-6));
}

TEST(DramModel, RefreshOverhead) {
  // A bus-bound stream on one rank loses tRFC / tREFI = 260 / 3900 of the
  // time to all-bank refresh: 256 * (1 - 1/15) = 238.93 GB/s.
  Device d = hbm2();
  d.refresh = RefreshMode::AllBank;
  Result r = evaluate(d, pattern(PatternKind::Sequential, 64, 64));
  EXPECT_TRUE(near(r.bandwidth, 256 * GBps * (1 - 260.0 / 3900), 1e-6));
  // Per-bank refresh stops one of 16 banks at a time: 1 - 260 / (3900 * 16).
  d.refresh = RefreshMode::PerBank;
  r = evaluate(d, pattern(PatternKind::Sequential, 64, 64));
  EXPECT_TRUE(near(r.bandwidth, 256 * GBps * (1 - 260.0 / (3900 * 16)), 1e-6));
}

TEST(DramModel, EstimatedRowHitRates) {
  Device d = hbm2();
  // One miss per 2 KiB run of 32 bursts.
  EXPECT_DOUBLE_EQ(
      estimateRowHitRate(d, pattern(PatternKind::Sequential, 64, 1)),
      1 - 1.0 / 32);
  // A random request opens a row; its later bursts hit it.
  EXPECT_DOUBLE_EQ(estimateRowHitRate(d, pattern(PatternKind::Random, 64, 1)),
                   0);
  EXPECT_DOUBLE_EQ(estimateRowHitRate(d, pattern(PatternKind::Random, 256, 1)),
                   0.75);
  EXPECT_DOUBLE_EQ(estimateRowHitRate(d, pattern(PatternKind::Banks, 64, 1, 4)),
                   0);
  // A 128 B stride: 16 requests share a run's activate.
  EXPECT_DOUBLE_EQ(
      estimateRowHitRate(d, pattern(PatternKind::Stride, 64, 1, 128)),
      1 - 1.0 / 16);
  EXPECT_DOUBLE_EQ(
      estimateRowHitRate(d, pattern(PatternKind::Stride, 64, 1, 4096)), 0);
  EXPECT_DOUBLE_EQ(
      estimateRowHitRate(d, pattern(PatternKind::RowLocal, 64, 1, 0.9)), 0.9);
  // The estimate is used when no hit rate is given, the measured one else.
  Pattern p = pattern(PatternKind::Sequential, 64, 64);
  EXPECT_DOUBLE_EQ(evaluate(d, p).rowHitRate, 1 - 1.0 / 32);
  p.rowHitRate = 0.5;
  EXPECT_DOUBLE_EQ(evaluate(d, p).rowHitRate, 0.5);
}

TEST(DramModel, DegenerateInputsStayFiniteAndBelowPeak) {
  Device one = hbm2();
  one.ranks = one.bankGroups = one.banksPerGroup = 1;
  Device broken = hbm2();
  broken.writeQueue = 0;
  broken.tREFI = 0;
  broken.refresh = RefreshMode::AllBank;
  broken.tFAW = -1;
  Device refreshing = hbm2();
  refreshing.refresh = RefreshMode::AllBank;
  refreshing.tRFC = 2 * refreshing.tREFI;
  for (const Device &d : {hbm2(), one, broken, refreshing}) {
    for (PatternKind k :
         {PatternKind::Sequential, PatternKind::Random, PatternKind::Stride,
          PatternKind::RowLocal, PatternKind::Banks}) {
      for (double request : {1.0, 32.0, 64.0, 4096.0}) {
        for (double outstanding : {0.0, 0.5, 1.0, 1e9, double(NAN)}) {
          for (double write : {0.0, 1.0}) {
            Pattern p = pattern(k, request, outstanding, 0);
            p.writeFraction = write;
            Result r = evaluate(d, p);
            EXPECT_TRUE(std::isfinite(r.bandwidth) && r.bandwidth > 0);
            EXPECT_LE(r.bandwidth, d.peakBandwidth() * (1 + 1e-12));
            EXPECT_TRUE(std::isfinite(r.latency) && r.latency > 0);
          }
        }
      }
    }
  }
  // A request smaller than a burst moves the whole burst: half of the
  // stream's peak is useful.
  Result half = evaluate(hbm2(), pattern(PatternKind::Sequential, 32, 64));
  EXPECT_TRUE(near(half.bandwidth, 128 * GBps, 1e-6));
  // Undefined pattern values fall back to one request of one burst.
  Pattern undefined = pattern(PatternKind::Random, NAN, NAN, NAN);
  undefined.writeFraction = undefined.rowHitRate = NAN;
  Result u = evaluate(hbm2(), undefined);
  EXPECT_TRUE(std::isfinite(u.latency) && std::isfinite(u.requestRate));
  EXPECT_EQ(u.bandwidth, 0); // no bytes requested
  // No clock, no burst: nothing moves.
  Device none = hbm2();
  none.tck = 0;
  EXPECT_EQ(evaluate(none, pattern(PatternKind::Random, 64, 1)).bandwidth, 0);
}

namespace {
/// A random, valid device and pattern (timings in clocks drawn around
/// DDR4/HBM/LPDDR values).
struct RandomCase {
  Device device;
  Pattern pattern;
};

RandomCase randomCase(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](std::initializer_list<double> v) {
    return *(v.begin() +
             std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng));
  };
  auto range = [&](double lo, double hi) {
    return std::floor(std::uniform_real_distribution<double>(lo, hi + 1)(rng));
  };
  RandomCase c;
  Device &d = c.device;
  d.channels = unsigned(pick({1, 2, 8, 16}));
  double tck = pick({0.5, 0.63, 1.0, 1.25}) * ns;
  d.tck = tck;
  d.burstBytes = pick({32, 64});
  d.burstTime = pick({2, 4, 8}) * tck;
  d.ranks = unsigned(pick({1, 2, 4}));
  d.bankGroups = unsigned(pick({1, 2, 4, 8}));
  d.banksPerGroup = unsigned(pick({1, 2, 4}));
  d.rowBytes = pick({1024, 2048, 8192});
  d.tCL = range(10, 40) * tck;
  d.tCWL = range(4, 30) * tck;
  d.tRCD = range(10, 40) * tck;
  d.tRP = range(10, 40) * tck;
  d.tRAS = d.tRCD + range(10, 40) * tck;
  d.tRRD_S = range(2, 8) * tck;
  d.tRRD_L = d.tRRD_S + range(0, 4) * tck;
  d.tFAW = range(4, 10) * d.tRRD_S;
  d.tCCD_S = range(1, 4) * tck;
  d.tCCD_L = d.tCCD_S + range(0, 4) * tck;
  d.tWTR_S = range(2, 8) * tck;
  d.tWR = range(8, 30) * tck;
  d.tRTP = range(4, 12) * tck;
  d.refresh = RefreshMode(unsigned(pick({0, 1, 2})));
  d.tRFC = range(100, 600) * tck;
  d.tREFI = range(3900, 12480) * tck;
  d.readQueue = unsigned(pick({8, 32, 64}));
  d.writeQueue = unsigned(pick({8, 32, 64}));
  d.seqRunBytes = d.burstBytes * pick({4, 8, 32, 128});
  Pattern &p = c.pattern;
  p.kind = PatternKind(unsigned(pick({0, 1, 2, 3, 4})));
  p.param = p.kind == PatternKind::Stride ? pick({64, 256, 4096, 65536, 1e6})
            : p.kind == PatternKind::RowLocal ? pick({0, 0.5, 0.9})
            : p.kind == PatternKind::Banks    ? pick({1, 2, 5, 16, 64})
                                              : 0;
  p.requestBytes = pick({16, 64, 100, 256});
  p.writeFraction = pick({0, 0.1, 0.3, 0.5, 1});
  p.outstanding = 64;
  return c;
}

class DramProperty : public ::testing::TestWithParam<unsigned> {};
} // namespace

TEST_P(DramProperty, FinitePositiveAndNeverAbovePeak) {
  RandomCase c = randomCase(GetParam());
  for (double n : {1, 2, 3, 8, 24, 64, 200}) {
    c.pattern.outstanding = n;
    Result r = evaluate(c.device, c.pattern);
    EXPECT_TRUE(std::isfinite(r.bandwidth) && r.bandwidth > 0) << n;
    EXPECT_LE(r.bandwidth, c.device.peakBandwidth() * (1 + 1e-12)) << n;
    EXPECT_TRUE(std::isfinite(r.latency) && r.latency > 0) << n;
    EXPECT_TRUE(std::isfinite(r.requestRate) && r.requestRate > 0) << n;
  }
}

TEST_P(DramProperty, MoreOutstandingNeverLowersBandwidth) {
  RandomCase c = randomCase(GetParam());
  double last = 0;
  for (double n = 1; n <= 160; ++n) {
    c.pattern.outstanding = n;
    double b = evaluate(c.device, c.pattern).bandwidth;
    // The fixed point stops at a relative change of 1e-6.
    EXPECT_GE(b, last * (1 - 1e-5)) << "outstanding " << n;
    last = std::max(last, b);
  }
}

TEST_P(DramProperty, LargerRequestsNeverLowerSequentialEfficiency) {
  RandomCase c = randomCase(GetParam());
  c.pattern.kind = PatternKind::Sequential;
  double last = 0;
  for (double request = 8; request <= c.device.seqRunBytes; request *= 2) {
    c.pattern.requestBytes = request;
    double efficiency =
        evaluate(c.device, c.pattern).bandwidth / c.device.peakBandwidth();
    EXPECT_GE(efficiency, last * (1 - 1e-5)) << "request " << request;
    last = std::max(last, efficiency);
  }
}

INSTANTIATE_TEST_SUITE_P(Dram, DramProperty, ::testing::Range(0u, 200u));
