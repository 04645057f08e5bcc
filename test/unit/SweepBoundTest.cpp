//===- SweepBoundTest.cpp - The sweep's roofline, by hand -----------------===//
#include "passes/SweepSearch.h"
#include "passes/SweepWorker.h"

#include <gtest/gtest.h>

using namespace ds;

namespace {
std::string input() {
  return std::string(DEEPSTACK_SOURCE_DIR) + "/test/unit/Inputs/bound_tiny.ds";
}
} // namespace

// test/unit/Inputs/bound_tiny.ds: one chip (DRAM peak 1000 channels x 1 B x
// 1 GT/s = 1 TB/s, vertical 1 TB/s; L2 2 TB/s; BF16 1 PFLOP/s, FP32
// 10 TFLOP/s; utilization 1; mma.m 1; launch 1 us), one device, a
// one-layer model (hidden 1024, 8 heads of 128, 8 KV heads, ffn 4096), decode
// at batch 1, prompt 1000, generate 2, tp = pp = dp = 1, one microbatch.
// The model's operators (report --print-after=model-to-ops), without the
// embedding and the head class (lm_head, final.norm):
//   kernels K = attn.norm, qkv, rope, kv.write, attention, o_proj,
//               residual x2, mlp.norm, mlp.up, mlp.act, mlp.down = 12
//   weights W = qkv 6 MiB + o_proj 2 MiB + up 16 MiB + down 8 MiB
//             = 33554432 B (16777216 BF16 parameters)
//   elementwise FLOPs V = 4096 + 12288 + 2*1024 + 4096 + 16384 = 38912
//   attention A = 4 * 8 * 128 = 4096 FLOP per context token,
//   KV = 2 * 8 * 128 * 2 B = 4096 B per context token.
// Mean context = max(1000, 1000 + 2/2 - 2) = 1000, s = 1 request.
//   GEMMs  max(2 * 16777216 * 1 / 1e15, 33554432 / 1e12,
//              (33554432 + 16777216 * 2 / 256) / 2e12) = 3.3554432e-5 s
//   fixed  K * launch = 12e-6 s (tp = 1: no collective)
//   per token max(4096 * 1000 / 1e15, 4096 * 1000 / 1e12) + 38912 / 1e13
//          = 4.0998912e-6 s
//   TPOT/B >= 3.3554432e-5 + 12e-6 + 4.0998912e-6 = 4.96543232e-5 s
//   STPS  <= 1 / 4.96543232e-5 = 20139.2333 tokens/s.
TEST(SweepBound, RooflineOfATinyDesignByHand) {
  SweepSearch search(FrontendOptions(), input(), "tiny_sweep");
  std::string error;
  ASSERT_TRUE(search.prepare(error)) << error;
  auto worker = search.makeWorker(error);
  ASSERT_TRUE(worker) << error;
  double bound = worker->rootBound({0});
  EXPECT_NEAR(bound, 20139.2333, 1e-6 * 20139.2333);
}

// The bound holds at the evaluated point (the model charges more: every
// small kernel costs more than its launch).
TEST(SweepBound, TinyDesignEvaluatesBelowItsBound) {
  SweepSearch search(FrontendOptions(), input(), "tiny_sweep");
  std::string error;
  ASSERT_TRUE(search.prepare(error)) << error;
  ASSERT_TRUE(search.planTasks(1, error)) << error;
  auto worker = search.makeWorker(error);
  ASSERT_TRUE(worker) << error;
  search::ResultSet results = search.emptyResults();
  SweepStats stats;
  SharedIncumbent shared;
  for (size_t t = 0; t < search.tasks().size(); ++t)
    search.runTask(*worker, t, results, stats, shared, /*exhaustive=*/true);
  ASSERT_EQ(results.top().size(), 1u);
  EXPECT_EQ(stats.boundViolations, 0u);
  int stps = metricIndex("stps");
  EXPECT_GT(results.top()[0].metrics[stps], 0);
  EXPECT_LT(results.top()[0].metrics[stps], 20139.2333);
}
