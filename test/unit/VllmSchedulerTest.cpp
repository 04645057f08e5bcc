//===- VllmSchedulerTest.cpp - vLLM's limit on running requests -----------===//
#include "passes/ServingReference.h"

#include <gtest/gtest.h>

using namespace ds;

TEST(VllmScheduler, MaxNumSeqsFollowsDeviceMemory) {
  // 70 GiB = 70 * 2^30 = 75161927680 B is vLLM's threshold.
  // B200: 180 GB = 180e9 B = 167.6 GiB >= 70 GiB -> 1024.
  EXPECT_EQ(vllmMaxNumSeqs("b200", 180e9), 1024);
  // H100: 80 GB = 80e9 B = 74.5 GiB >= 70 GiB -> 1024.
  EXPECT_EQ(vllmMaxNumSeqs("h100", 80e9), 1024);
  // Exactly at the threshold counts as large; one byte under does not.
  EXPECT_EQ(vllmMaxNumSeqs("x", 75161927680.0), 1024);
  EXPECT_EQ(vllmMaxNumSeqs("x", 75161927679.0), 256);
  // A 48 GB part: 44.7 GiB < 70 GiB -> 256.
  EXPECT_EQ(vllmMaxNumSeqs("l40s", 48e9), 256);
}

TEST(VllmScheduler, TheA100KeepsTheSmallDefault) {
  // vLLM excludes the A100 by name even at 80 GB (74.5 GiB).
  EXPECT_EQ(vllmMaxNumSeqs("a100", 80e9), 256);
  EXPECT_EQ(vllmMaxNumSeqs("A100_80gb", 80e9), 256);
}
