//===- SweepCompareTest.cpp - `compare AXIS on METRIC` tables ---------------===//
#include "ir/Schema.h"
#include "passes/SweepCompare.h"
#include "passes/SweepExpr.h"
#include "passes/SweepWorker.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace ds;

namespace {
SweepIR twoAxes() {
  SweepIR s;
  SweepAxis mem, batch;
  mem.decl = "node", mem.field = "system";
  batch.decl = "chat", batch.field = "batch";
  s.axes = {mem, batch};
  s.compareAxis = 0;
  return s;
}

ComparePoint point(const char *sys, unsigned si, const char *b, unsigned bi,
                   int metric, double v) {
  ComparePoint p;
  p.axes = {sys, b};
  p.index = {si, bi};
  p.metrics.assign(allMetrics().size(), 0);
  p.metrics[size_t(metric)] = v;
  return p;
}
} // namespace

TEST(SweepCompare, GroupsRatiosAndSummary) {
  SweepIR s = twoAxes();
  int stps = metricIndex("stps");
  // Reported out of order, and batch 4 has no 3D point.
  std::vector<ComparePoint> pts = {
      point("stack", 1, "2", 1, stps, 300), point("hbm", 0, "1", 0, stps, 100),
      point("hbm", 0, "2", 1, stps, 200),   point("stack", 1, "1", 0, stps, 250),
      point("hbm", 0, "4", 2, stps, 400)};
  CompareTable t = compareTable(s, stps, pts);
  EXPECT_EQ(t.metric, "stps");
  EXPECT_FALSE(t.lowerIsBetter);
  ASSERT_EQ(t.columns, (std::vector<std::string>{"hbm", "stack"}));
  ASSERT_EQ(t.keyAxes, (std::vector<std::string>{"chat.batch"}));
  ASSERT_EQ(t.groups.size(), 3u); // batch 1, 2, 4 in index order
  EXPECT_EQ(t.groups[0].key[0], "1");
  EXPECT_EQ(t.groups[2].key[0], "4");
  // 250 / 100 = 2.5 at batch 1; 300 / 200 = 1.5 at batch 2; none at 4.
  EXPECT_DOUBLE_EQ(t.ratio(0, 1), 2.5);
  EXPECT_DOUBLE_EQ(t.ratio(1, 1), 1.5);
  EXPECT_TRUE(std::isnan(t.ratio(2, 1)));
  ASSERT_EQ(t.summary.size(), 1u);
  EXPECT_EQ(t.summary[0].compared, 2u);
  EXPECT_EQ(t.summary[0].better, 2u);
  EXPECT_DOUBLE_EQ(t.summary[0].minRatio, 1.5);
  EXPECT_EQ(t.summary[0].minGroup, 1u);
  EXPECT_DOUBLE_EQ(t.summary[0].maxRatio, 2.5);
  EXPECT_EQ(t.summary[0].maxGroup, 0u);
}

TEST(SweepCompare, LowerIsBetterCountsSmallerRatios) {
  SweepIR s = twoAxes();
  int tpot = metricIndex("tpot");
  // TPOT 8 ms -> 6 ms (0.75x, better) at batch 1; 10 ms -> 12 ms (1.2x,
  // worse) at batch 2: better in 1 of 2.
  std::vector<ComparePoint> pts = {
      point("hbm", 0, "1", 0, tpot, 8e-3), point("stack", 1, "1", 0, tpot, 6e-3),
      point("hbm", 0, "2", 1, tpot, 10e-3), point("stack", 1, "2", 1, tpot, 12e-3)};
  CompareTable t = compareTable(s, tpot, pts);
  EXPECT_TRUE(t.lowerIsBetter);
  EXPECT_EQ(t.summary[0].better, 1u);
  EXPECT_DOUBLE_EQ(t.summary[0].minRatio, 0.75);
  EXPECT_DOUBLE_EQ(t.summary[0].maxRatio, 1.2);
}

TEST(SweepCompare, RatiosWithinATenthOfAPercentTie) {
  SweepIR s = twoAxes();
  int stps = metricIndex("stps");
  // 100.05 / 100 = 1.0005: within 0.1%, a tie; 120 / 100 = 1.2 wins.
  std::vector<ComparePoint> pts = {
      point("hbm", 0, "1", 0, stps, 100), point("stack", 1, "1", 0, stps, 100.05),
      point("hbm", 0, "2", 1, stps, 100), point("stack", 1, "2", 1, stps, 120)};
  CompareTable t = compareTable(s, stps, pts);
  EXPECT_EQ(t.summary[0].compared, 2u);
  EXPECT_EQ(t.summary[0].tied, 1u);
  EXPECT_EQ(t.summary[0].better, 1u);
}

TEST(SweepCompare, TemperaturesCompareByDifference) {
  SweepIR s = twoAxes();
  int temp = metricIndex("thermal.max_temperature");
  // 350 K -> 355 K: +5 K, hotter (worse); 360 K -> 360.03 K: within the
  // 0.05 K tie; 0 K never makes a ratio's division by zero here.
  std::vector<ComparePoint> pts = {
      point("hbm", 0, "1", 0, temp, 350), point("stack", 1, "1", 0, temp, 355),
      point("hbm", 0, "2", 1, temp, 360), point("stack", 1, "2", 1, temp, 360.03)};
  CompareTable t = compareTable(s, temp, pts);
  EXPECT_TRUE(t.difference);
  EXPECT_TRUE(t.lowerIsBetter);
  EXPECT_DOUBLE_EQ(t.ratio(0, 1), 5);
  EXPECT_NEAR(t.ratio(1, 1), 0.03, 1e-9);
  EXPECT_EQ(t.summary[0].better, 0u);
  EXPECT_EQ(t.summary[0].tied, 1u);
  EXPECT_DOUBLE_EQ(t.summary[0].maxRatio, 5);
}

TEST(SweepCompare, ZeroBaselineHasNoRatio) {
  SweepIR s = twoAxes();
  int stps = metricIndex("stps");
  std::vector<ComparePoint> pts = {point("hbm", 0, "1", 0, stps, 0),
                                   point("stack", 1, "1", 0, stps, 5)};
  CompareTable t = compareTable(s, stps, pts);
  EXPECT_TRUE(std::isnan(t.ratio(0, 1)));
  EXPECT_EQ(t.summary[0].compared, 0u);
}

TEST(SweepMetrics, MemoryShareIsTheDramBoundShareOfAStep) {
  // Decode: attention 1 ms compute + 3 ms memory, MoE 2 ms memory + 2 ms
  // network: memory 5 of 8 ms = 0.625. Prefill all compute: 0. A pipeline
  // bubble is not an operator and stays out of both sums.
  DesignMetrics m;
  m.decode.step.byClass[0] = {1e-3, 3e-3, 0, 5e-3};
  m.decode.step.byClass[1] = {0, 2e-3, 2e-3, 0};
  m.prefill.step.byClass[0] = {4e-3, 0, 0, 0};
  DesignIR d;
  std::vector<double> out;
  metricValues(m, d, 0, 0, out);
  EXPECT_DOUBLE_EQ(out[size_t(metricIndex("decode.memory_share"))], 0.625);
  EXPECT_DOUBLE_EQ(out[size_t(metricIndex("prefill.memory_share"))], 0);
}
