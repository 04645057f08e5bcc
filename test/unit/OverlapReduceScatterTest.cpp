//===- OverlapReduceScatterTest.cpp - GEMM fused with a ring reduce-scatter ===//
//
// The gemm_rs model of passes/OverlapScheduling: the ring's adds stream
// through DRAM on the cores (the GEMM loses that time) and sit on the
// ring's chain between receiving a chunk and forwarding it (the transfer
// gains it). Expected values computed by hand.
//
//===----------------------------------------------------------------------===//
#include "passes/OverlapScheduling.h"

#include <gtest/gtest.h>

using namespace ds;

TEST(RingReduceScatterAdds, TwoReadsPerHopOneWriteAtTheEnd) {
  // n = 8, buffer 64 B, 2 B elements: chunk = 8 B, 7 hops.
  // Each hop reads the received chunk and the own partial: 7 * 2 * 8 = 112;
  // the last hop writes the kept sum: 8. Total 120 B, 8/120 written,
  // 7 * 8 / 2 = 28 additions.
  RingAdds a = ringReduceScatterAdds(8, 64, 2);
  EXPECT_DOUBLE_EQ(a.bytes, 120);
  EXPECT_DOUBLE_EQ(a.writeFraction, 8.0 / 120.0);
  EXPECT_DOUBLE_EQ(a.elements, 28);
  // n = 2, buffer 1 MB, 1 B elements: chunk 0.5 MB, one hop: 2 reads and
  // the write, 1.5 MB; a third written; 0.5 M additions.
  a = ringReduceScatterAdds(2, 1e6, 1);
  EXPECT_DOUBLE_EQ(a.bytes, 1.5e6);
  EXPECT_DOUBLE_EQ(a.writeFraction, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(a.elements, 5e5);
  // One GPU: nothing to reduce.
  a = ringReduceScatterAdds(1, 1e6, 2);
  EXPECT_DOUBLE_EQ(a.bytes, 0);
  EXPECT_DOUBLE_EQ(a.elements, 0);
}

TEST(OverlapReduceScatter, ComputeBoundPaysTheAddsOnce) {
  // C = 100, H = 1, L = 20, R = 8, W = 4: overlapTile(108, 1, 28, 4) =
  // 108/4 + max(108*3/4, 1 + 28*3/4) + 1 + 28/4 = 27 + max(81, 22) + 1 + 7
  // = 116: the GEMM plus the adds (108), one latency and the last chunk's
  // transfer and add (7). Without adds: 106 (OverlapTile test).
  EXPECT_DOUBLE_EQ(overlapReduceScatter(100, 1, 20, 8, 4), 116);
  // No adds: the tile-overlap formula itself.
  EXPECT_DOUBLE_EQ(overlapReduceScatter(100, 1, 20, 0, 4),
                   overlapTile(100, 1, 20, 4));
}

TEST(OverlapReduceScatter, CommunicationBoundPaysTheAddsOnTheChain) {
  // C = 20, H = 2, L = 100, R = 12, W = 4: overlapTile(32, 2, 112, 4) =
  // 32/4 + max(32*3/4, 2 + 112*3/4) + 2 + 112/4 = 8 + max(24, 86) + 2 + 28
  // = 124, against 109 without adds: the transfer plus the adds (112), the
  // first chunk's GEMM and add (8) and two latencies (4).
  EXPECT_DOUBLE_EQ(overlapReduceScatter(20, 2, 100, 12, 4), 124);
  // One wave: nothing overlaps; the cores add (C + R) and the chain adds
  // (L + R): min(32 + max(0, 2 + 0) + 2 + 112, 32 + 2 + 112) = min(148, 146)
  // = 146.
  EXPECT_DOUBLE_EQ(overlapReduceScatter(20, 2, 100, 12, 1), 146);
  // Negative adds are taken as none.
  EXPECT_DOUBLE_EQ(overlapReduceScatter(20, 2, 100, -5, 4),
                   overlapTile(20, 2, 100, 4));
}

TEST(AsKernel, TheLaunchJoinsTheLatency) {
  // A ring reduce-scatter priced at 21 us of latency and 73 us of
  // bandwidth time (94 us), run as a kernel with a 4 us launch: the launch
  // comes before the first byte, so latency 25, bandwidth 73, time 98.
  net::CollectiveCost c;
  c.latency = 21e-6;
  c.bandwidth = 73e-6;
  c.time = 94e-6;
  net::CollectiveCost k = asKernel(c, 4e-6);
  EXPECT_DOUBLE_EQ(k.latency, 25e-6);
  EXPECT_DOUBLE_EQ(k.bandwidth, 73e-6);
  EXPECT_DOUBLE_EQ(k.time, 98e-6);
  // No launch: the network price itself.
  EXPECT_DOUBLE_EQ(asKernel(c, 0).time, c.time);
}

TEST(OverlapReduceScatter, TheLaunchIsPaidOnceComputeBoundTwiceCommBound) {
  // The kernels schema passes the launched latency H + s to the formula,
  // as scheduleStep does for a tiled collective. Compute-bound (C = 100,
  // H = 1, L = 20, R = 8, W = 4) with s = 3: overlapTile(108, 4, 28, 4) =
  // 27 + max(81, 4 + 21) + 4 + 7 = 119 = 116 + 3: only the last chunk's
  // latency shows.
  EXPECT_DOUBLE_EQ(overlapReduceScatter(100, 1 + 3, 20, 8, 4), 119);
  // Communication-bound (C = 20, H = 2, L = 100, R = 12, W = 4) with s = 3:
  // overlapTile(32, 5, 112, 4) = 8 + max(24, 5 + 84) + 5 + 28 = 130 =
  // 124 + 2 * 3: the first and the last chunk's latencies are both exposed.
  EXPECT_DOUBLE_EQ(overlapReduceScatter(20, 2 + 3, 100, 12, 4), 130);
}
