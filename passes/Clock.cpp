//===- Clock.cpp - The clock a chip sustains under its load ---------------===//
#include "passes/Clock.h"

#include "runtime/thermal/Thermal.h"
#include <algorithm>

using namespace ds;

double ds::sustainedClock(const ChipIR &chip, double logicDynamic,
                          double dramPower) {
  thermal::PowerInput p;
  p.logicStatic = chip.staticPower;
  p.logicDynamic = std::max(0.0, logicDynamic);
  p.dramPerStack = dramPower / double(chip.memory->stacks);
  thermal::ThermalResult r = thermal::evaluate(chip, p);
  return r.clockScale > 0 ? std::min(1.0, r.clockScale) : 1.0;
}

double ds::timeAtClock(const compute::OpCost &c, double s) {
  if (s >= 1)
    return c.time;
  if (clockBound(c.bound))
    return c.time / s;
  // DRAM-bound: the stretched math may overtake the memory time.
  return std::max(c.time, c.computeTime / s);
}
