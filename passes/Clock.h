//===- Clock.h - The clock a chip sustains under its load -------*- C++ -*-===//
//
// How hot feeds how fast: a chip whose logic would draw more than its TDP
// (or heat past its limit) at full clock runs slower. Dynamic power scales
// as clock^alpha (voltage follows frequency), so with the activity of a
// workload known at full clock, runtime/thermal gives the sustained clock
// scale s <= 1; clock-bound work (math, SRAM, L2, launch) then takes 1/s as
// long and its energy per operation falls by s^(alpha-1). DRAM-bound work
// keeps its time.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_CLOCK_H
#define DEEPSTACK_PASSES_CLOCK_H

#include "ir/IR.h"
#include "runtime/compute/ComputeModel.h"

namespace ds {

/// The sustained clock scale when the logic's dynamic power at full clock
/// is \p logicDynamic W and the DRAM stacks draw \p dramPower W in total.
double sustainedClock(const ChipIR &chip, double logicDynamic,
                      double dramPower);

/// \p c's time at clock scale \p s (clock-bound work stretches; DRAM-bound
/// keeps its time, never below the stretched compute).
double timeAtClock(const compute::OpCost &c, double s);

} // namespace ds

#endif
