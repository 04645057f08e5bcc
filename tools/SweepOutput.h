//===- SweepOutput.h - A search's results as text, CSV and JSON -*- C++ -*-===//
#ifndef DEEPSTACK_TOOLS_SWEEPOUTPUT_H
#define DEEPSTACK_TOOLS_SWEEPOUTPUT_H

#include "passes/SweepDriver.h"
#include <string>

namespace ds {
namespace tool {

struct SweepReport {
  SweepSearch &search;
  const SweepOutcome &out;
  const SpaceSize &size;
  bool exhaustive;
  /// False when the search stopped early (time limit, Ctrl-C): the points
  /// are the best found so far.
  bool certified = true;
};

/// The top-N table, the Pareto set and the statistics, for a terminal.
std::string sweepText(const SweepReport &r);
/// One row per reported point: rank, sets, every axis, every metric (SI).
std::string sweepCsv(const SweepReport &r);
/// The same with the statistics (docs/sweep-schema.md).
std::string sweepJson(const SweepReport &r);

} // namespace tool
} // namespace ds

#endif
