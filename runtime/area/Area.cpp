//===- Area.cpp - Logic die area, yield and cost --------------------------===//
#include "runtime/area/Area.h"

#include <algorithm>
#include <cmath>

using namespace ds;
using namespace ds::area;

double area::diesPerWafer(double d, double a) {
  if (a <= 0)
    return 0;
  double n = M_PI * (d / 2) * (d / 2) / a - M_PI * d / std::sqrt(2 * a);
  return std::max(0.0, std::floor(n));
}

double area::negativeBinomialYield(double a, double d0, double alpha) {
  double cm2 = a / 1e-4;
  return std::pow(1.0 + cm2 * d0 / alpha, -alpha);
}

AreaResult area::evaluate(const ChipIR &chip) {
  const MemoryIR &m = *chip.memory;
  AreaResult r;
  double cores = double(chip.cores);
  double sramPerCore = chip.sramPerCore * chip.sramDensity;
  r.cores = cores * chip.coreArea;
  r.sram = cores * sramPerCore;
  r.l2 = chip.l2 * chip.sramDensity;
  // A 2.5D stack needs a wide PHY at the die edge; a 3D stack lands its
  // connected layers' vertical ports on the die itself.
  r.memoryIO = m.onLogic == Bool::True
                   ? double(m.stacks * m.connectedLayers) * chip.portArea
                   : double(m.stacks) * chip.phyArea;
  r.scaleUp = chip.scaleUpArea;
  r.other = chip.otherArea;
  r.total = r.cores + r.sram + r.l2 + r.memoryIO + r.scaleUp + r.other;
  double dies = double(chip.dies);
  r.perDie = r.total / dies;
  r.fits = r.perDie <= chip.areaBudget * (1 + 1e-12);

  double fixed = r.total - r.cores - r.sram;
  double perCore = chip.coreArea + sramPerCore;
  r.maxCores = int64_t(std::max(
      0.0, std::floor((chip.areaBudget * dies - fixed) / perCore)));

  r.diesPerWafer = diesPerWafer(chip.waferDiameter, r.perDie);
  r.yield = negativeBinomialYield(r.perDie, chip.defectDensity,
                                  chip.defectCluster);
  double good = r.diesPerWafer * r.yield;
  r.logicCost = good > 0 ? dies * chip.waferCost / good : 0;
  double capacity = double(m.stacks * m.layers) * m.layerCapacity;
  r.dramCost = capacity * chip.dramCost;
  r.packageCost = chip.packageCost;
  r.totalCost = r.logicCost + r.dramCost + r.packageCost;
  return r;
}
