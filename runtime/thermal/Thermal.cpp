//===- Thermal.cpp - Stack temperatures and clock throttling --------------===//
#include "runtime/thermal/Thermal.h"

#include <algorithm>
#include <cmath>

using namespace ds;
using namespace ds::thermal;

namespace {
/// The temperatures of temperaturesAt(); the die temperatures go to
/// r.layers only when \p withLayers (throttling needs just the hottest
/// point of its probes). The hottest point is kept in a register while the
/// chain is walked, not re-read from the result.
void chainAt(const ChipIR &chip, const PowerInput &p, double s,
             ThermalResult &r, bool withLayers) {
  const MemoryIR &m = *chip.memory;
  r.clockScale = s;
  // pow(1, alpha) is 1 for every alpha: skip the call at full clock.
  double logic =
      p.logicStatic +
      p.logicDynamic * (s == 1.0 ? 1.0 : std::pow(s, chip.dvfsAlpha));
  double stacks = double(m.stacks);
  double dramTotal = p.dramPerStack * stacks;
  r.power = logic + dramTotal;
  double ambient = chip.ambient;
  int64_t L = m.layers;
  double *layers = nullptr;
  if (withLayers) {
    r.layers.resize_for_overwrite(size_t(std::max<int64_t>(0, L)));
    layers = r.layers.data();
  }

  double hottest;
  if (m.onLogic == Bool::True) {
    // All heat leaves upward through the stacks. Spreading makes the chip
    // one column: r_base from the top die to ambient, r_layer per die.
    r.resistance = chip.rBase + chip.rLayer * double(L);
    double perDie = dramTotal / double(L);
    double t = ambient + r.power * chip.rBase; // top of the stack
    // Walk down: the interface under die i carries everything generated
    // below it (the logic and dies 0..i-1), i.e. all heat not made at or
    // above die i.
    double above = 0, maxLayer = -HUGE_VAL;
    for (int64_t i = L - 1; i >= 0; --i) {
      if (layers)
        layers[i] = t;
      maxLayer = std::max(maxLayer, t);
      above += perDie;
      t += (r.power - above) * chip.rLayer;
    }
    r.logicTemperature = t;
    hottest = std::max(t, maxLayer);
  } else {
    // 2.5D: the logic has the cold plate to itself; a stack beside it sees
    // part of the logic's rise plus its own heat through its dies.
    r.resistance = chip.rBase;
    r.logicTemperature = ambient + logic * chip.rBase;
    double base = ambient + chip.lateral * (r.logicTemperature - ambient);
    double perDie = stacks > 0 ? p.dramPerStack / double(L) : 0;
    // Each stack's heat leaves through its top; the bottom die is hottest.
    double t = base + p.dramPerStack * chip.rBase;
    double above = 0;
    hottest = r.logicTemperature;
    for (int64_t i = L - 1; i >= 0; --i) {
      if (layers)
        layers[i] = t;
      hottest = std::max(hottest, t);
      above += perDie;
      t += (p.dramPerStack - above) * chip.rLayer;
    }
  }
  r.maxTemperature = hottest;
}
} // namespace

ThermalResult thermal::temperaturesAt(const ChipIR &chip, const PowerInput &p,
                                      double s) {
  ThermalResult r;
  chainAt(chip, p, s, r, /*withLayers=*/true);
  return r;
}

ThermalResult thermal::evaluate(const ChipIR &chip, const PowerInput &p) {
  ThermalResult full = temperaturesAt(chip, p, 1.0);
  bool hot = full.maxTemperature > chip.tempLimit;
  bool overPower = full.power > chip.tdp;
  if (!hot && !overPower)
    return full;
  // Temperature rises are linear in the logic power at a fixed DRAM power,
  // so the largest allowed logic power follows from the rise at two points.
  ThermalResult idle;
  chainAt(chip, {p.logicStatic, 0, p.dramPerStack}, 1.0, idle,
          /*withLayers=*/false);
  double dram = full.power - (p.logicStatic + p.logicDynamic);
  double slope = (full.maxTemperature - idle.maxTemperature) /
                 std::max(p.logicDynamic, 1e-12);
  double dynByTemp = slope > 0 ? (chip.tempLimit - idle.maxTemperature) / slope
                               : p.logicDynamic;
  double dynByPower = chip.tdp - p.logicStatic - dram;
  double dyn = std::min({dynByTemp, dynByPower, p.logicDynamic});
  if (dyn <= 0) {
    // Even an idle clock breaks a limit: report it, do not pretend.
    chainAt(chip, p, 0.0, full, /*withLayers=*/true);
    full.feasible = false;
    full.throttled = true;
    full.limitedBy = dynByTemp <= 0 ? "temperature" : "tdp";
    return full;
  }
  double s = std::pow(dyn / std::max(p.logicDynamic, 1e-12),
                      1.0 / chip.dvfsAlpha);
  // Every field of `full` but the flags below is rewritten at the new clock.
  chainAt(chip, p, std::min(1.0, s), full, /*withLayers=*/true);
  full.throttled = true;
  full.limitedBy = dynByTemp < dynByPower ? "temperature" : "tdp";
  return full;
}
