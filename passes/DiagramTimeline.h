//===- DiagramTimeline.h - A decode step laid out on lanes ------*- C++ -*-===//
//
// Internal to passes/DiagramTimeline*.cpp. The layout
// (DiagramTimelineLayout.cpp) places the ops of the stage that paces TPOT
// on three lanes as scheduleStep times them; the timeline view
// (DiagramTimeline.cpp) draws one layer of it as a Graphviz table and the
// trace (DiagramTimelineTrace.cpp) writes every layer as Chrome trace-event
// JSON.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_DIAGRAMTIMELINE_H
#define DEEPSTACK_PASSES_DIAGRAMTIMELINE_H

#include "passes/Diagram.h"

#include "frontend/Units.h"
#include "passes/NetworkAbstraction.h"
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace ds {
namespace timeline {
enum Lane { Compute, Memory, Network, kLanes };
const char *const kLaneName[kLanes] = {"compute", "memory", "network"};

inline std::string human(double s) {
  return formatQuantity(s, Dim::time(), 3);
}

struct Event {
  int op = -1; ///< graph index; -1: the pipeline bubble
  Lane lane = Compute;
  double start = 0, dur = 0, exposed = 0; ///< s
  int layer = -1; ///< which layer; -1 outside the layers
};

/// Consecutive compute ops that are either one layer or once per step.
struct Run {
  bool perLayer = false;
  std::vector<int> ops;   ///< compute ops, graph order
  std::vector<int> loose; ///< partner-less collectives, after the run
  double start = 0, end = 0;
};

/// The decode step of the stage drawn, as runs of ops on three lanes.
struct Timeline {
  const DesignMetrics &m;
  const PhaseResult &p;
  const std::vector<Op> &ops;
  Overlap mode;
  int64_t microbatches, pp;
  double layers = 1; ///< on the stage
  double launch;     ///< s, every collective's kernel at the sustained clock
  int64_t stage = 0; ///< the stage drawn
  double step;       ///< its step, s
  std::vector<Run> runs;
  std::vector<std::vector<int>> partnered; ///< collectives by partner op

  explicit Timeline(const DiagramInput &in);

  Lane lane(int i) const {
    return ops[i].kind == OpKind::Collective               ? Network
           : p.tiles[i].cost.bound == compute::Bound::Dram ? Memory
                                                           : Compute;
  }
  /// A collective's whole time (with its launch) and its exposed time.
  double full(int i, double f) const {
    return (p.comm[i].time + launch) * ops[i].count * f;
  }
  double exposed(int i, double f) const { return p.step.opTime[i] * f; }
  double waves(int i) const {
    return std::max(1.0, std::round(p.tiles[i].cost.waves));
  }
  bool tiled(int c) const { // as scheduleStep decides
    return mode == Overlap::Tile && ops[c].overlapsWith >= 0 &&
           ops[c].comm.collective != net::Collective::SendRecv;
  }
  /// Gathers and dispatch feed their partner, so they go before it.
  bool before(int c) const {
    return ops[c].comm.collective == net::Collective::AllGather ||
           ops[c].comm.what == "expert dispatch";
  }

  /// Lays out \p r from \p t with every time scaled by \p f (1 / layers
  /// for one layer); returns the cursor after it. As in scheduleStep, only
  /// exposed time advances the cursor.
  double place(const Run &r, double t, double f, int layer,
               std::vector<Event> &out) const;

  /// The step with one layer (\p all false) or every layer, then the
  /// pipeline bubble; records each run's span.
  std::vector<Event> events(bool all);

  std::string stageName() const;
  std::string tpotWhy() const; // Evaluate's token period

  /// The cell text: name, time and why it costs what it does.
  std::string label(const Event &e) const;
};

/// False with \p error set unless the design is evaluated and feasible.
bool usable(const DiagramInput &in, std::string &error);

} // namespace timeline
} // namespace ds

#endif
