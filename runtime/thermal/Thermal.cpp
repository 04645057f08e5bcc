//===- Thermal.cpp - Stack temperatures and clock throttling --------------===//
#include "runtime/thermal/Thermal.h"

#include <algorithm>
#include <cmath>

using namespace ds;
using namespace ds::thermal;

ThermalResult thermal::temperaturesAt(const ChipIR &chip, const PowerInput &p,
                                      double s) {
  const MemoryIR &m = *chip.memory;
  ThermalResult r;
  r.clockScale = s;
  double logic = p.logicStatic + p.logicDynamic * std::pow(s, chip.dvfsAlpha);
  double stacks = double(m.stacks);
  double dramTotal = p.dramPerStack * stacks;
  r.power = logic + dramTotal;
  double ambient = chip.ambient;
  int64_t L = m.layers;

  if (m.onLogic == Bool::True) {
    // All heat leaves upward through the stacks. Spreading makes the chip
    // one column: r_base from the top die to ambient, r_layer per die.
    r.resistance = chip.rBase + chip.rLayer * double(L);
    double perDie = dramTotal / double(L);
    double t = ambient + r.power * chip.rBase; // top of the stack
    r.layers.assign(size_t(L), 0.0);
    // Walk down: the interface under die i carries everything generated
    // below it (the logic and dies 0..i-1), i.e. all heat not made at or
    // above die i.
    double above = 0;
    for (int64_t i = L - 1; i >= 0; --i) {
      r.layers[size_t(i)] = t;
      above += perDie;
      t += (r.power - above) * chip.rLayer;
    }
    r.logicTemperature = t;
  } else {
    // 2.5D: the logic has the cold plate to itself; a stack beside it sees
    // part of the logic's rise plus its own heat through its dies.
    r.resistance = chip.rBase;
    r.logicTemperature = ambient + logic * chip.rBase;
    double base = ambient + chip.lateral * (r.logicTemperature - ambient);
    double perDie = stacks > 0 ? p.dramPerStack / double(L) : 0;
    r.layers.assign(size_t(L), 0.0);
    // Each stack's heat leaves through its top; the bottom die is hottest.
    double t = base + p.dramPerStack * chip.rBase;
    double above = 0;
    for (int64_t i = L - 1; i >= 0; --i) {
      r.layers[size_t(i)] = t;
      above += perDie;
      t += (p.dramPerStack - above) * chip.rLayer;
    }
  }
  r.maxTemperature = r.logicTemperature;
  for (double t : r.layers)
    r.maxTemperature = std::max(r.maxTemperature, t);
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
  ThermalResult idle = temperaturesAt(chip, {p.logicStatic, 0, p.dramPerStack},
                                      1.0);
  double dram = full.power - (p.logicStatic + p.logicDynamic);
  double slope = (full.maxTemperature - idle.maxTemperature) /
                 std::max(p.logicDynamic, 1e-12);
  double dynByTemp = slope > 0 ? (chip.tempLimit - idle.maxTemperature) / slope
                               : p.logicDynamic;
  double dynByPower = chip.tdp - p.logicStatic - dram;
  double dyn = std::min({dynByTemp, dynByPower, p.logicDynamic});
  if (dyn <= 0) {
    // Even an idle clock breaks a limit: report it, do not pretend.
    ThermalResult r = temperaturesAt(chip, p, 0.0);
    r.feasible = false;
    r.throttled = true;
    r.limitedBy = dynByTemp <= 0 ? "temperature" : "tdp";
    return r;
  }
  double s = std::pow(dyn / std::max(p.logicDynamic, 1e-12),
                      1.0 / chip.dvfsAlpha);
  ThermalResult r = temperaturesAt(chip, p, std::min(1.0, s));
  r.throttled = true;
  r.limitedBy = dynByTemp < dynByPower ? "temperature" : "tdp";
  return r;
}
