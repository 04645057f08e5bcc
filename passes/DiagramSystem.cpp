//===- DiagramSystem.cpp - The network hierarchy as nested clusters -------===//
//
// Each instance of a level is a cluster ("rack #0: switch(16)"); devices
// are nodes labelled with their rank coordinates (tp, dp, pp ...); a switch
// is a node its children connect to, a ring/torus/mesh connects its
// children directly. Edges carry the link bandwidth. A level with many
// identical children draws the first one in full and one "x N more" node
// for the rest, so 1,024 devices stay a readable page. With --traffic the
// links of each level take the colour of the busiest collective's
// utilisation there, and the hottest link of the step is named.
//
//===----------------------------------------------------------------------===//
#include "passes/Diagram.h"

#include "frontend/Units.h"
#include <algorithm>
#include <fmt/format.h>

using namespace ds;

namespace {
/// Children drawn in full per instance before the rest are collapsed.
constexpr int64_t kShownChildren = 8;
/// Devices drawn at most; deeper levels collapse to one instance.
constexpr int64_t kShownDevices = 64;

struct Builder {
  const DiagramInput &in;
  Diagram &d;
  const NetworkIR &net;
  ParallelLayout layout;
  std::vector<int64_t> unitDevices; ///< devices under one instance of level l
  std::vector<double> heat;         ///< per level: busiest utilisation
  int64_t drawn = 0;

  std::string bandwidth(unsigned level) const {
    const LevelIR &l = net.levels[level];
    double bw = l.link * (level > 0 ? double(net.levels[level - 1].ports) : 1);
    std::string s = formatQuantity(bw, Dim::bandwidth(), 3);
    if (level > 0 && net.levels[level - 1].ports > 1)
      s = fmt::format("{} x {}", net.levels[level - 1].ports,
                      formatQuantity(l.link, Dim::bandwidth(), 3));
    return s;
  }

  std::string rankLabel(int64_t device) const {
    std::string s = fmt::format("device {}", device);
    for (unsigned i = 0; i < kParallelDims; ++i) {
      if (layout.degree[i] < 2)
        continue;
      int64_t coord = (device / layout.stride[i]) % layout.degree[i];
      s += fmt::format("\\n{} {}", parallelDimName(ParallelDim(i)), coord);
    }
    return s;
  }

  void styleEdge(void *e, unsigned level) {
    d.setEdge(e, "label", bandwidth(level));
    d.setEdge(e, "dir", "both");
    if (in.traffic && level < heat.size()) {
      d.setEdge(e, "color", heatColor(heat[level]));
      d.setEdge(e, "penwidth",
                fmt::format("{:.1f}", 1.0 + 4.0 * std::min(1.0, heat[level])));
    }
  }

  /// Draws instance `index` of `level` inside `parent`; returns the node
  /// the level above connects to (its switch or a port node).
  void *unit(Agraph_s *parent, int level, int64_t index) {
    if (level < 0) { // a device
      ++drawn;
      void *n = d.node(parent, fmt::format("dev{}", index));
      d.setNode(n, "label", rankLabel(index));
      d.setNode(n, "shape", "box");
      d.setNode(n, "style", "rounded,filled");
      d.setNode(n, "fillcolor", "#dde8f5");
      return n;
    }
    const LevelIR &l = net.levels[level];
    Agraph_s *c =
        d.subgraph(parent, fmt::format("cluster_{}_{}", l.name, index));
    d.set(c, "label", fmt::format("{} #{}: {}", l.name, index, l.topology.str()));
    d.set(c, "style", "rounded");
    int64_t n = l.topology.size();
    int64_t shown = n;
    // Collapse when the children are many or the page is already full.
    if (n > kShownChildren || drawn + unitDevices[level] > kShownDevices)
      shown = std::min<int64_t>(n, level == 0 && n <= kShownChildren ? n : 1);
    if (level == 0 && n <= kShownChildren)
      shown = n;
    std::vector<void *> anchors;
    for (int64_t i = 0; i < shown; ++i)
      anchors.push_back(unit(c, level - 1, index * n + i));
    void *more = nullptr;
    if (shown < n) {
      more = d.node(c, fmt::format("more_{}_{}", l.name, index));
      std::string first = level == 0 ? fmt::format("device {}", index * n)
                                     : fmt::format("{} #{}",
                                                   net.levels[level - 1].name,
                                                   index * n);
      d.setNode(more, "label",
                fmt::format("x {} more\\nlike {}", n - shown, first));
      d.setNode(more, "shape", "note");
      d.setNode(more, "style", "dashed");
      anchors.push_back(more);
    }
    if (l.topology.kind == TopologyKind::Switch) {
      void *sw = d.node(c, fmt::format("sw_{}_{}", l.name, index));
      d.setNode(sw, "label", fmt::format("{} switch", l.name));
      d.setNode(sw, "shape", "hexagon");
      for (void *a : anchors) // switch first: children keep their order
        styleEdge(d.edge(sw, a), unsigned(level));
      return sw;
    }
    // Direct topologies: neighbours along the first dimension in a chain or
    // ring of the drawn children (a torus's other rings look the same).
    bool wrap = l.topology.kind == TopologyKind::Ring ||
                l.topology.kind == TopologyKind::Torus;
    for (size_t i = 0; i + 1 < anchors.size(); ++i)
      styleEdge(d.edge(anchors[i], anchors[i + 1]), unsigned(level));
    if (wrap && anchors.size() > 2)
      styleEdge(d.edge(anchors.back(), anchors.front()), unsigned(level));
    if (l.topology.kind == TopologyKind::FullMesh)
      for (size_t i = 0; i < anchors.size(); ++i)
        for (size_t j = i + 2; j < anchors.size(); ++j)
          styleEdge(d.edge(anchors[i], anchors[j]), unsigned(level));
    // The level above reaches this unit through its ports.
    if (size_t(level) + 1 == net.levels.size())
      return anchors.front();
    void *port = d.node(c, fmt::format("port_{}_{}", l.name, index));
    d.setNode(port, "label", fmt::format("{} ports", l.ports));
    d.setNode(port, "shape", "point");
    d.edge(anchors.front(), port);
    return port;
  }
};
} // namespace

bool ds::buildSystemView(const DiagramInput &in, Diagram &d,
                         std::string &error) {
  if (!in.design) {
    error = "the system view needs a design";
    return false;
  }
  const NetworkIR &net = *in.design->system->network;
  Builder b{in, d, net, ParallelLayout::of(*in.design->schedule), {}, {}, 0};
  int64_t under = 1;
  for (const LevelIR &l : net.levels) {
    under *= l.topology.size();
    b.unitDevices.push_back(under);
  }
  d.set(d.graph(), "label",
        fmt::format("system {}: {} x {} on network {} ({} devices); "
                    "schedule {}",
                    in.design->system->name, net.devices(),
                    in.design->system->chip->name, net.name, net.devices(),
                    b.layout.describe()));
  d.set(d.graph(), "labelloc", "t");
  d.set(d.graph(), "fontsize", "16");
  d.set(d.graph(), "rankdir", "TB");
  if (in.traffic) {
    if (!in.metrics || !in.metrics->feasible) {
      error = in.metrics ? "--traffic needs a feasible design: " +
                               in.metrics->infeasible
                         : "--traffic needs an evaluated design";
      return false;
    }
    b.heat.assign(net.levels.size(), 0.0);
    const PhaseResult &p = in.metrics->decode;
    double hottest = -1;
    std::string hottestName;
    for (size_t i = 0; i < p.graph.ops.size(); ++i) {
      if (p.graph.ops[i].kind != OpKind::Collective)
        continue;
      const net::CollectiveCost &k = p.comm[i];
      unsigned level = in.network->fabric().link(k.hottestLink).level;
      b.heat[level] = std::max(b.heat[level], k.hottestUtilisation);
      if (k.hottestUtilisation > hottest) {
        hottest = k.hottestUtilisation;
        hottestName = fmt::format(
            "{} ({} {}, {:.0f}% busy)",
            in.network->fabric().linkName(k.hottestLink),
            parallelDimName(p.graph.ops[i].comm.dim).str(),
            net::collectiveName(p.graph.ops[i].comm.collective).str(),
            100 * k.hottestUtilisation);
      }
    }
    if (hottest >= 0)
      d.set(d.graph(), "label",
            fmt::format("system {} on {} ({} devices); hottest link of a "
                        "decode step: {}\nlink colour and width: utilisation "
                        "of the busiest collective on that level",
                        in.design->system->name, net.name, net.devices(),
                        hottestName));
  }
  int top = int(net.levels.size()) - 1;
  b.unit(d.graph(), top, 0);
  return true;
}
