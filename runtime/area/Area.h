//===- Area.h - Logic die area, yield and cost ------------------*- C++ -*-===//
//
// Area from cores, SRAM, L2, memory interfaces (2.5D PHYs or the pads of 3D
// vertical ports) and scale-up I/O; the most cores an area budget allows (so
// a sweep can trade cores for SRAM and ports); die cost from dies per wafer
// and a negative-binomial yield, plus DRAM and package.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_AREA_AREA_H
#define DEEPSTACK_RUNTIME_AREA_AREA_H

#include "ir/IR.h"

namespace ds {
namespace area {

struct AreaResult {
  // mm2-free SI: every area in m2, every cost in USD.
  double cores = 0, sram = 0, l2 = 0, memoryIO = 0, scaleUp = 0, other = 0;
  double total = 0;        ///< all logic dies together
  double perDie = 0;       ///< total / area.dies
  bool fits = true;        ///< perDie <= area.budget
  int64_t maxCores = 0;    ///< cores that fit the budget, the rest fixed
  double diesPerWafer = 0;
  double yield = 0;        ///< fraction of good dies
  double logicCost = 0;    ///< all logic dies
  double dramCost = 0;
  double packageCost = 0;
  double totalCost = 0;
};

AreaResult evaluate(const ChipIR &chip);

/// Gross dies per wafer: pi r^2 / A - pi d / sqrt(2 A) (edge loss).
double diesPerWafer(double waferDiameter, double dieArea);

/// Negative-binomial yield (1 + A D0 / alpha)^-alpha, A in cm2.
double negativeBinomialYield(double dieArea, double defectsPerCm2,
                             double cluster);

} // namespace area
} // namespace ds

#endif
