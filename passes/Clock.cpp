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
  // time = the slowest resource + the launch; everything on chip runs on
  // the core clock, the DRAM does not.
  double onChip = std::max({c.computeTime, c.l2Time, c.sramTime});
  double launch = std::max(0.0, c.time - std::max(onChip, c.dramTime));
  return std::max(c.dramTime, onChip / s) + launch / s;
}
