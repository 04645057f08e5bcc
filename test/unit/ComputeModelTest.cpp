//===- ComputeModelTest.cpp - Operator costs computed by hand -------------===//
//
// Each expected value is worked out in the comment above it from the
// equations of DESIGN.md 6.2 (quoted by line) on the H100-like chip of
// ComputeTestChips.h: peak BF16 989e12 * u 0.9 = 8.901e14 FLOP/s, i.e.
// 6.7432e12 per core; DRAM 3.35e12 * 0.9 = 3.015e12 B/s; L2 132 * 1.83e9 *
// 64 * 0.9 = 13.914e12 B/s; SRAM twice that; launch 2 us.
//
//===----------------------------------------------------------------------===//
#include "runtime/compute/ComputeModel.h"
#include "ComputeTestChips.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace ds;
using namespace ds::compute;
using ds::test::fixedHbm;

namespace {
constexpr double kPeak = 989e12 * 0.9;  // BF16, derated
constexpr double kDram = 3.35e12 * 0.9; // derated
constexpr double kLaunch = 2e-6;

void expectFinite(const OpCost &c) {
  for (double v :
       {c.time, c.flops, c.paddedFlops, c.dramBytes, c.l2Bytes, c.sramBytes,
        c.waves, c.computeTime, c.dramTime, c.l2Time, c.sramTime,
        c.pattern.outstanding, c.pattern.requestBytes, c.pattern.writeFraction})
    EXPECT_TRUE(std::isfinite(v)) << v;
}
} // namespace

TEST(ComputeModel, PeakPerDataType) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::BF16, DType::BF16), 989e12);
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::FP8, DType::FP8), 1979e12);
  // Mixed operands run at the slower type (W4A16, FP8 x BF16).
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::INT4, DType::BF16), 989e12);
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::FP8, DType::BF16), 989e12);
  // TF32 runs on the tensor cores at half the BF16 rate when peak.tf32 is
  // left unset: 989e12 / 2.
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::TF32, DType::TF32), 494.5e12);
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::FP4, DType::FP4), 3958e12);
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::INT8, DType::INT8), 1979e12);
  // Undeclared rates follow the schema defaults: FP8 = 2 x BF16.
  chip.peakFP8 = 0;
  EXPECT_DOUBLE_EQ(peakFlops(chip, DType::FP8, DType::FP8), 2 * 989e12);
}

// DESIGN.md 6.2 l.197-198: t = max(FLOPs/(peak u), ...) * ceil(W)/W + launch.
// 8192^3 BF16: 2 * 8192^3 = 1.0995e12 FLOPs / 8.901e14 = 1.23527 ms.
// Every tile that is not L2-bound leaves the same partial wave:
//   256x256: 1024 tiles = 7.76 waves -> 8:  8 * 132 / 1024 = 1.03125
//   128x256: 2048 tiles -> 16 waves:       16 * 132 / 2048 = 1.03125
//   128x128: 4096 tiles -> 32 waves:       32 * 132 / 4096 = 1.03125
// (64x128 would quantize better, 1.0151, but reads 64 A + 128 B = 25.9 GB
// from L2: 1.86 ms.) So t = 1.23527 ms * 1.03125 + 2 us = 1.27587 ms.
// DRAM: 256x256 tiles, 8 A panels (8 * 256 * 8192 * 2 = 33.5 MB) stay in
// the 52.4 MB L2 while B streams: A once, B ceil(32 / 8) = 4 times, C once:
// 6 * 134.2 MB = 805 MB, 0.27 ms: not the bound.
TEST(ComputeModel, ComputeBoundGemm) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s;
  s.m = s.n = s.k = 8192;
  OpCost c = gemm(chip, s, fixedHbm);
  double flops = 2.0 * 8192 * 8192 * 8192;
  EXPECT_DOUBLE_EQ(c.flops, flops);
  EXPECT_NEAR(c.time, flops / kPeak * 1.03125 + kLaunch, 1e-9);
  EXPECT_EQ(c.bound, Bound::Compute);
  double tiles = c.waves * 132;
  EXPECT_TRUE(std::abs(tiles - 1024) < 1e-6 || std::abs(tiles - 2048) < 1e-6 ||
              std::abs(tiles - 4096) < 1e-6)
      << tiles;
  EXPECT_LT(c.dramTime, c.computeTime);
  expectFinite(c);

  OpCost t = gemmWithTile(chip, s, {256, 256, 64, 1}, fixedHbm);
  EXPECT_EQ(t.panelM, 8);
  EXPECT_EQ(t.panelN, 32);
  EXPECT_DOUBLE_EQ(t.dramBytes, 6 * 8192.0 * 8192 * 2);
  EXPECT_NEAR(t.time, c.time, 1e-12);
}

// DESIGN.md 6.2 l.192-193: a decode GEMM (M = 1) is padded to mma.m = 64
// rows but stays memory-bound. 1 x 8192 x 8192 BF16: bytes = weights
// 8192 * 8192 * 2 = 134,217,728 + A 16,384 + C 16,384 = 134,250,496 (every
// operand once: the single tile row shares all of B); / 3.015e12 =
// 44.527 us; + 2 us = 46.527 us. Compute: 2 * 64 * 8192^2 = 8.6e9 padded
// FLOPs, 9.7 us.
TEST(ComputeModel, MemoryBoundDecodeGemm) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s;
  s.m = 1;
  s.n = s.k = 8192;
  OpCost c = gemm(chip, s, fixedHbm);
  double bytes = 8192.0 * 8192 * 2 + 2 * 8192 * 2;
  EXPECT_DOUBLE_EQ(c.dramBytes, bytes);
  EXPECT_NEAR(c.time, bytes / kDram + kLaunch, 1e-12);
  EXPECT_EQ(c.bound, Bound::Dram);
  EXPECT_DOUBLE_EQ(c.flops, 2.0 * 8192 * 8192);
  EXPECT_GE(c.paddedFlops, 2.0 * 64 * 8192 * 8192);
  // Requests: a K-contiguous weight row of tk = 64 BF16 = 128 B (4 sectors)
  // or 32 x 2 = 64 B; writes are the 16 KiB output.
  EXPECT_TRUE(c.pattern.requestBytes == 128 || c.pattern.requestBytes == 64);
  EXPECT_NEAR(c.pattern.writeFraction, 16384 / bytes, 1e-12);
  expectFinite(c);
}

// DESIGN.md 6.2 l.191: W = tiles / N, and l.198: time scales by ceil(W)/W.
// 256 x (256 * 132) x 4096 BF16 with 256x256x64 tiles: 132 tiles, one wave;
// one more tile column makes 133 tiles, two waves. A tile is 2 * 256^2 *
// 4096 = 5.369e8 FLOPs / 6.7432e12 per core = 79.62 us. DRAM is made fast
// (30 TB/s) so compute binds.
TEST(ComputeModel, WaveQuantization) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  auto fast = [](const dram::Pattern &) { return 30e12; };
  GemmShape s;
  s.m = 256;
  s.k = 4096;
  s.n = 256 * 132;
  OpCost one = gemmWithTile(chip, s, {256, 256, 64, 1}, fast);
  s.n = 256 * 133;
  OpCost two = gemmWithTile(chip, s, {256, 256, 64, 1}, fast);
  double tile = 2.0 * 256 * 256 * 4096 / (kPeak / 132);
  EXPECT_DOUBLE_EQ(one.waves, 1.0);
  EXPECT_DOUBLE_EQ(two.waves, 133.0 / 132);
  EXPECT_NEAR(one.computeTime, tile, 1e-12);
  EXPECT_NEAR(two.computeTime, 2 * tile, 1e-12);
  EXPECT_EQ(two.bound, Bound::Compute);
  EXPECT_NEAR(two.time, 2 * tile + kLaunch, 1e-12);
}

// DESIGN.md 6.2 l.192: padded FLOPs = 2 ceil(M/64) 64 ceil(N/8) 8
// ceil(K/16) 16. M = 1, N = K = 4096: 2 * 64 * 4096 * 4096 = 2.147e9, also
// for a 16-row tile (a tensor instruction is 64 rows however small the
// tile) and for M = 64. Useful FLOPs stay 2 * 1 * 4096^2.
TEST(ComputeModel, MmaPadding) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s;
  s.m = 1;
  s.n = s.k = 4096;
  double padded = 2.0 * 64 * 4096 * 4096;
  for (int64_t tm : {16, 64}) {
    OpCost c = gemmWithTile(chip, s, {tm, 128, 64, 1}, fixedHbm);
    EXPECT_DOUBLE_EQ(c.paddedFlops, padded) << tm;
    EXPECT_DOUBLE_EQ(c.flops, 2.0 * 4096 * 4096);
  }
  OpCost c = gemm(chip, s, fixedHbm);
  EXPECT_GE(c.paddedFlops, padded);
  s.m = 64;
  EXPECT_DOUBLE_EQ(
      gemmWithTile(chip, s, {64, 128, 64, 1}, fixedHbm).paddedFlops, padded);
}

// Tiny GEMMs cost the launch: 16^3 is 8 KFLOP and 1.5 KB.
TEST(ComputeModel, LaunchBound) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s;
  s.m = s.n = s.k = 16;
  OpCost c = gemm(chip, s, fixedHbm);
  EXPECT_EQ(c.bound, Bound::Launch);
  EXPECT_GT(c.time, kLaunch);
  EXPECT_LT(c.time, 1.1 * kLaunch);
}

// DESIGN.md 6.2 l.199-200: decode attention, per sequence FLOPs =
// 4 hq d ctx and bytes = KV 2 hkv d ctx b_kv + Q + O. Batch 8, hq 32,
// hkv 8, d 128, ctx 4096, BF16:
//   FLOPs = 4 * 32 * 128 * 4096 * 8 = 536,870,912
//   KV    = 2 * 8 * 128 * 4096 * 2 * 8 = 134,217,728
//   Q, O  = 8 * 32 * 128 * 2 = 65,536 each
//   t     = 134,348,800 / 3.015e12 + 2 us = 44.560 + 2 = 46.560 us.
// 64 (batch x KV head) units fill 64 of 132 cores: the context is split in
// two (flash-decoding), 128 work items.
TEST(ComputeModel, DecodeAttention) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  AttentionShape s;
  s.batch = 8;
  s.headsQ = 32;
  s.headsKV = 8;
  s.headDim = 128;
  s.context = 4096;
  OpCost c = attention(chip, s, fixedHbm);
  EXPECT_DOUBLE_EQ(c.flops, 536870912.0);
  EXPECT_DOUBLE_EQ(c.dramBytes, 134348800.0);
  EXPECT_NEAR(c.time, 134348800.0 / kDram + kLaunch, 1e-12);
  EXPECT_EQ(c.bound, Bound::Dram);
  EXPECT_EQ(c.tile.splitK, 2);
  EXPECT_DOUBLE_EQ(c.waves, 128.0 / 132);
  // A K or V row of one head: 128 x 2 B = 256 B, 8 sectors.
  EXPECT_DOUBLE_EQ(c.pattern.requestBytes, 256);
  EXPECT_NEAR(c.pattern.writeFraction, 65536 / 134348800.0, 1e-15);
  expectFinite(c);
}

// DESIGN.md 6.2 l.200: causal prefill FLOPs = 2 hq d s^2. Batch 1, hq 32,
// hkv 8, d 128, s = 4096: 2 * 32 * 128 * 4096^2 = 1.3744e11. Padding (whole
// 64-row query blocks on the diagonal, whole key blocks) adds a little:
// the best blocks (64 rows, 32 keys) execute 2 * 8 * 64 * 530,416 keys *
// 256 = 1.3905e11. DRAM: Q and O 32 * 4096 * 128 * 2 = 33,554,432 each and
// K, V once (16,777,216: one group's 2 MiB K/V stays in L2 while its query
// blocks run) = 83,886,080 bytes.
TEST(ComputeModel, PrefillAttention) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  AttentionShape s;
  s.headsQ = 32;
  s.headsKV = 8;
  s.headDim = 128;
  s.queries = s.context = 4096;
  s.causal = true;
  OpCost c = attention(chip, s, fixedHbm);
  double flops = 2.0 * 32 * 128 * 4096.0 * 4096;
  EXPECT_DOUBLE_EQ(c.flops, flops);
  EXPECT_DOUBLE_EQ(c.paddedFlops, 2.0 * 8 * 64 * 530416 * 256);
  EXPECT_DOUBLE_EQ(c.dramBytes, 83886080.0);
  EXPECT_GE(c.time, flops / kPeak + kLaunch);
  EXPECT_NE(c.bound, Bound::Dram);
  expectFinite(c);

  // Chunked prefill: 512 new tokens after 3584 cached ones see
  // q ctx - q^2 / 2 = 512 * 4096 - 512^2 / 2 = 1,966,080 pairs per head:
  // 4 * 32 * 128 * 1,966,080 FLOPs.
  s.queries = 512;
  OpCost chunk = attention(chip, s, fixedHbm);
  EXPECT_DOUBLE_EQ(chunk.flops, 4.0 * 32 * 128 * 1966080);
  EXPECT_LT(chunk.time, c.time);
}

// DESIGN.md 6.2 l.201: vector ops take bytes / B_eff. 1 GB: 1e9 / 3.015e12
// = 331.67 us + 2 us. 1e12 FP32 FLOPs on 1 MB: 1e12 / (67e12 * 0.9) =
// 16.584 ms, compute-bound. Nothing to do: the launch.
TEST(ComputeModel, VectorOp) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  OpCost c = vectorOp(chip, 1e9, 1e9, fixedHbm);
  EXPECT_NEAR(c.time, 1e9 / kDram + kLaunch, 1e-12);
  EXPECT_EQ(c.bound, Bound::Dram);
  EXPECT_EQ(c.pattern.kind, dram::PatternKind::Sequential);
  EXPECT_DOUBLE_EQ(c.pattern.requestBytes, 128);
  OpCost f = vectorOp(chip, 1e6, 1e12, fixedHbm);
  EXPECT_NEAR(f.time, 1e12 / (67e12 * 0.9) + kLaunch, 1e-12);
  EXPECT_EQ(f.bound, Bound::Compute);
  OpCost z = vectorOp(chip, 0, 0, fixedHbm);
  EXPECT_DOUBLE_EQ(z.time, kLaunch);
  EXPECT_EQ(z.bound, Bound::Launch);
}

// The access pattern the tiling hands the DRAM model: 1 x 8192 x 8192 BF16
// with 16x256x64 tiles (32 tiles; split 4 ways fills 128 cores). Each core
// keeps 2 stages of (1 row x 64 + 64 x 256) x 2 B = 2 * 32,896 B of loads
// and its 1 x 256 x 2 = 512 B output tile in flight: 128 * 66,304 B over
// 80 channels in 128 B requests (a weight row of 64 BF16) = 828.8 per
// channel.
TEST(ComputeModel, GemmPattern) {
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  GemmShape s;
  s.m = 1;
  s.n = s.k = 8192;
  dram::Pattern seen;
  auto spy = [&](const dram::Pattern &p) {
    seen = p;
    return 3.35e12;
  };
  OpCost c = gemmWithTile(chip, s, {16, 256, 64, 4}, spy);
  EXPECT_EQ(seen.kind, dram::PatternKind::Sequential);
  EXPECT_DOUBLE_EQ(seen.requestBytes, 128);
  EXPECT_DOUBLE_EQ(seen.outstanding, 128 * 66304.0 / 80 / 128);
  EXPECT_DOUBLE_EQ(c.waves, 128.0 / 132);
  // Split-K partials (4 x 8192 x 4 B) stay in L2.
  EXPECT_DOUBLE_EQ(c.dramBytes, 8192.0 * 8192 * 2 + 2 * 8192 * 2);
}

// Bad input never yields NaN or inf: a chip with no rates at all, and (in
// release builds, where the debug assertion is off) zero dimensions.
TEST(ComputeModel, DegenerateInputsStayFinite) {
  ChipIR empty;
  GemmShape s;
  s.m = s.n = s.k = 1000;
  expectFinite(gemm(empty, s, fixedHbm));
  AttentionShape a;
  expectFinite(attention(empty, a, fixedHbm));
  expectFinite(vectorOp(empty, 1e6, 1e6, fixedHbm));
  auto zero = [](const dram::Pattern &) { return 0.0; };
  MemoryIR m = test::hbm3();
  ChipIR chip = test::h100(m);
  expectFinite(gemm(chip, s, zero));
#ifdef NDEBUG
  s.m = 0;
  s.k = -5;
  s.batch = 0;
  OpCost c = gemm(chip, s, fixedHbm);
  expectFinite(c);
  EXPECT_DOUBLE_EQ(c.flops, 2.0 * 1 * 1000 * 1);
#endif
}
