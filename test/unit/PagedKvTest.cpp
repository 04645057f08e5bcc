//===- PagedKvTest.cpp - Mean running requests with a paged KV cache ------===//
#include "passes/ServingReference.h"

#include <gtest/gtest.h>

using namespace ds;

TEST(PagedKv, RequestsRunWhileTheirTokensFit) {
  // 3 requests fit at full length 4 + 3 = 7: the cache holds 21 tokens.
  // 4 requests start with 4 tokens; step i runs min(4, floor(21 / (4 + i))):
  // i = 1: 21/5 -> 4; i = 2: 21/6 -> 3; i = 3: 21/7 -> 3. Mean 10/3 -> 3.
  EXPECT_EQ(pagedConcurrency(3, 4, 4, 3), 3);
  // 20 requests fit at full length 1024 + 1024: the cache holds 40960
  // tokens. 24 requests run in full while 24 (1024 + i) <= 40960, i.e.
  // i <= 682 (682 steps); then floor(40960 / (1024 + i)) is 23 up to
  // i = 756 (74 steps), 22 up to 837 (81), 21 up to 926 (89), 20 up to
  // 1024 (98). Sum 682*24 + 74*23 + 81*22 + 89*21 + 98*20 = 23681; mean
  // 23681 / 1024 = 23.13 -> 23.
  EXPECT_EQ(pagedConcurrency(20, 24, 1024, 1024), 23);
}

TEST(PagedKv, NeverBelowTheFullLengthBatchNorAboveTheBatch) {
  // A batch that fits at full length runs whole at every step.
  EXPECT_EQ(pagedConcurrency(8, 8, 100, 50), 8);
  // Far too many requests: at least the full-length batch (the cache holds
  // 2 * 2 = 4 tokens; with prompt 1 step 1 runs 2 of 1000).
  EXPECT_EQ(pagedConcurrency(2, 1000, 1, 1), 2);
}
