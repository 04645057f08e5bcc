//===- ComputePropertyTest.cpp - Compute model monotonicity ---------------===//
//
// Properties any GEMM cost model must keep, checked on random shapes from a
// fixed seed: more cores (each bringing its compute and SRAM) never make a
// GEMM slower, more DRAM bandwidth never does, a deeper K never makes it
// faster, and the chosen tile is never worse than any other tile that fits.
//
//===----------------------------------------------------------------------===//
#include "ComputeTestChips.h"
#include "runtime/compute/ComputeModel.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace ds;
using namespace ds::compute;

namespace {
/// Relative slack for floating-point noise only.
constexpr double kEps = 1e-9;

struct Random {
  std::mt19937_64 gen;
  explicit Random(unsigned seed) : gen(0xD5u * 7919u + seed) {}
  /// Log-uniform in [lo, hi]: decode (M = 1) and training shapes alike.
  int64_t dim(int64_t lo, int64_t hi) {
    std::uniform_real_distribution<double> d(std::log(double(lo)),
                                             std::log(double(hi)));
    return std::max<int64_t>(lo, std::llround(std::exp(d(gen))));
  }
  template <typename T> T pick(std::initializer_list<T> l) {
    std::uniform_int_distribution<size_t> d(0, l.size() - 1);
    return l.begin()[d(gen)];
  }
  GemmShape shape() {
    GemmShape s;
    s.m = dim(1, 16384);
    s.n = dim(1, 32768);
    s.k = dim(1, 32768);
    s.batch = pick<int64_t>({1, 1, 1, 2, 8, 64});
    s.sharedB = pick({false, true});
    s.a = pick({DType::BF16, DType::FP8, DType::FP32, DType::BF16});
    s.b = pick({s.a, s.a, DType::INT4, DType::FP8});
    s.out = pick({DType::BF16, DType::FP32});
    return s;
  }
};

/// The H100-like chip with \p cores cores; per-core rates held fixed.
ChipIR withCores(const MemoryIR &m, int64_t cores) {
  ChipIR c = test::h100(m);
  double scale = double(cores) / double(c.cores);
  c.cores = cores;
  c.peakBF16 *= scale;
  c.peakFP16 *= scale;
  c.peakFP8 *= scale;
  c.peakINT8 *= scale;
  c.peakFP4 *= scale;
  c.peakFP32 *= scale;
  c.sramBandwidth *= scale;
  c.l2Bandwidth *= scale;
  return c;
}

class ComputeProperty : public ::testing::TestWithParam<unsigned> {};
} // namespace

TEST_P(ComputeProperty, MoreCoresNeverSlower) {
  Random rnd(GetParam());
  MemoryIR m = test::hbm3();
  GemmShape s = rnd.shape();
  int64_t few = rnd.dim(8, 256), more = few + rnd.dim(1, 128);
  test::LittlesLaw littles;
  for (bool fixed : {true, false}) {
    auto bw = [&](const dram::Pattern &p) {
      return fixed ? test::fixedHbm(p) : littles(p);
    };
    OpCost a = gemm(withCores(m, few), s, bw);
    OpCost b = gemm(withCores(m, more), s, bw);
    EXPECT_LE(b.time, a.time * (1 + kEps))
        << s.m << "x" << s.n << "x" << s.k << " batch " << s.batch << " cores "
        << few << " -> " << more << (fixed ? " fixed" : " littles");
  }
}

TEST_P(ComputeProperty, MoreDramBandwidthNeverSlower) {
  Random rnd(GetParam());
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s = rnd.shape();
  double lo = 1e12 * double(rnd.dim(1, 8));
  double hi = lo * (1 + double(rnd.dim(1, 100)) / 10);
  OpCost a = gemm(chip, s, [&](const dram::Pattern &) { return lo; });
  OpCost b = gemm(chip, s, [&](const dram::Pattern &) { return hi; });
  EXPECT_LE(b.time, a.time * (1 + kEps))
      << s.m << "x" << s.n << "x" << s.k << " " << lo << " -> " << hi;
  test::LittlesLaw slow, fast;
  fast.peak = slow.peak * 2;
  fast.latency = slow.latency / 2;
  EXPECT_LE(gemm(chip, s, fast).time, gemm(chip, s, slow).time * (1 + kEps));
}

TEST_P(ComputeProperty, LargerKNeverFaster) {
  Random rnd(GetParam());
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s = rnd.shape();
  GemmShape deeper = s;
  deeper.k += rnd.dim(1, 4096);
  for (bool fixed : {true, false}) {
    auto bw = [&](const dram::Pattern &p) {
      return fixed ? test::fixedHbm(p) : test::LittlesLaw()(p);
    };
    EXPECT_GE(gemm(chip, deeper, bw).time * (1 + kEps), gemm(chip, s, bw).time)
        << s.m << "x" << s.n << "x" << s.k << " -> K " << deeper.k;
  }
}

// The best-first search returns the cheapest tile (for DRAM models that do
// not lose bandwidth with more requests in flight), and its cost is sane.
TEST_P(ComputeProperty, ChosenTileIsCheapest) {
  Random rnd(GetParam());
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s = rnd.shape();
  test::LittlesLaw littles;
  OpCost best = gemm(chip, s, littles);
  for (int64_t tm : {16, 32, 64, 128, 256})
    for (int64_t tn : {16, 32, 64, 128, 256})
      for (int64_t tk : {32, 64}) {
        double sram = (tm * tk * dtypeBytes(s.a) + tk * tn * dtypeBytes(s.b)) *
                      double(chip.pipelineStages);
        if (sram > chip.sramPerCore)
          continue;
        OpCost t = gemmWithTile(chip, s, {tm, tn, tk, 1}, littles);
        EXPECT_LE(best.time, t.time * (1 + kEps))
            << s.m << "x" << s.n << "x" << s.k << " tile " << tm << "x" << tn
            << "x" << tk;
      }
  double batch = double(s.batch);
  double minBytes =
      (double(s.m) * double(s.k) * dtypeBytes(s.a) +
       double(s.m) * double(s.n) * dtypeBytes(s.out)) *
          batch +
      double(s.k) * double(s.n) * dtypeBytes(s.b) * (s.sharedB ? 1 : batch);
  EXPECT_GE(best.dramBytes, minBytes * (1 - kEps));
  EXPECT_GE(best.paddedFlops, best.flops);
  EXPECT_GE(best.time, chip.launch);
  EXPECT_TRUE(std::isfinite(best.time));
  EXPECT_GE(best.pattern.outstanding, 1.0);
  EXPECT_LE(best.pattern.writeFraction, 1.0);
}

INSTANTIATE_TEST_SUITE_P(ComputeModel, ComputeProperty,
                         ::testing::Range(0u, 200u));
