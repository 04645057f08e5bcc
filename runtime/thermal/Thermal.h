//===- Thermal.h - Stack temperatures and clock throttling ------*- C++ -*-===//
//
// DESIGN.md 6.3: heat leaves the package through a thermal resistance
// R(L) = r_base + r_layer * L, where L counts DRAM dies stacked on the logic
// die. A 1-D chain from the sink down: the top die is coolest, each die
// below it carries the heat of everything beneath it through one more
// r_layer, and the logic die is hottest. When the hottest point exceeds the
// limit, or power exceeds TDP, the clock scales by s with
// P(s) = P_static + P_dyn * s^alpha until both hold.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_THERMAL_THERMAL_H
#define DEEPSTACK_RUNTIME_THERMAL_THERMAL_H

#include "ir/IR.h"
#include "llvm/ADT/SmallVector.h"

namespace ds {
namespace thermal {

/// What the chip dissipates at full clock.
struct PowerInput {
  double logicStatic = 0;  ///< W, does not scale with clock
  double logicDynamic = 0; ///< W at clock scale 1
  double dramPerStack = 0; ///< W in one stack's dies (background + access)
};

struct ThermalResult {
  double power = 0;              ///< W after throttling (logic + DRAM)
  double logicTemperature = 0;   ///< K
  /// K, DRAM dies from the bottom up (inline up to 16 dies: evaluating a
  /// chip allocates nothing).
  llvm::SmallVector<double, 16> layers;
  double maxTemperature = 0;     ///< K, hottest point
  double resistance = 0;         ///< C/W of the chain, R(L)
  double clockScale = 1;         ///< 1 = no throttling
  bool throttled = false;
  bool feasible = true;          ///< false: the limit holds at no clock
  const char *limitedBy = "";    ///< "temperature", "tdp" or ""
};

/// Temperatures of the chip (its memory's stacks included) dissipating
/// \p p, after throttling to the thermal limit and TDP.
ThermalResult evaluate(const ChipIR &chip, const PowerInput &p);

/// The temperatures at a given clock scale, without throttling.
ThermalResult temperaturesAt(const ChipIR &chip, const PowerInput &p,
                             double clockScale);

} // namespace thermal
} // namespace ds

#endif
