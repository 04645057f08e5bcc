//===- MetricsCheckTest.cpp - The first bad number of a report, named -----===//
#include "passes/Evaluate.h"
#include "passes/MetricsCheck.h"

#include <cmath>
#include <limits>
#include <gtest/gtest.h>

using namespace ds;

namespace {
/// All zeros (allowed) and a logic die at 300 K: nothing to report.
DesignMetrics sane() {
  DesignMetrics m;
  m.feasible = true;
  m.thermal.logicTemperature = 300;
  return m;
}
} // namespace

TEST(MetricsCheck, SaneMetricsPass) { EXPECT_EQ(firstInsaneMetric(sane()), ""); }

TEST(MetricsCheck, PhaseNumbersAreNamedWithTheirPhase) {
  DesignMetrics m = sane();
  m.decode.present = true;
  m.decode.step.byClass[2].memory = -1; // a negative time
  EXPECT_EQ(firstInsaneMetric(m), "decode.memory = -1");
  m.decode.step.byClass[2].memory = 0;
  m.prefill.present = true;
  m.prefill.step.time = std::nan("");
  EXPECT_EQ(firstInsaneMetric(m), "prefill.stage_step = NaN");
}

TEST(MetricsCheck, TemperaturesAreFiniteKelvins) {
  DesignMetrics m = sane();
  m.decode.present = true; // checked after the temperatures, and fine
  m.thermal.layers = {std::numeric_limits<double>::infinity()};
  EXPECT_EQ(firstInsaneMetric(m), "DRAM temperature = inf K");
}
