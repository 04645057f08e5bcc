//===- DiagramChip.cpp - The logic die and one DRAM stack -----------------===//
//
// The logic die is one node (cores, clock, SRAM, L2, peak BF16); one stack
// of its memory is a cluster of DRAM dies drawn top die first, so the
// picture reads like a cross-section: on_logic stacks sit above the die,
// 2.5D stacks beside it (same rank). Dies with their own vertical port
// (connected_layers) are filled; the others are dashed and say which port
// they share. Each port is an edge to the logic die labelled with its
// bandwidth. With an evaluated design the dies and the logic take the
// colour of their temperature on a fixed ambient-to-limit scale, so two
// designs' pictures compare; the legend shows that scale.
//
//===----------------------------------------------------------------------===//
#include "passes/Diagram.h"

#include "frontend/Units.h"
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <graphviz/cgraph.h>

using namespace ds;

namespace {
/// Light blue (ambient) -> pale yellow -> light red (at the limit): light
/// enough that black label text stays readable on every shade.
std::string tempColor(double u) {
  u = std::clamp(std::isfinite(u) ? u : 0.0, 0.0, 1.0);
  static const double stops[3][3] = {
      {0x9e, 0xc5, 0xff}, {0xff, 0xf1, 0xa8}, {0xff, 0x8a, 0x80}};
  int i = u < 0.5 ? 0 : 1;
  double t = (u - 0.5 * i) * 2;
  int rgb[3];
  for (int c = 0; c < 3; ++c)
    rgb[c] =
        int(std::lround(stops[i][c] + t * (stops[i + 1][c] - stops[i][c])));
  return fmt::format("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
}

std::string q(double v, Dim d) { return formatQuantity(v, d, 3); }

/// Celsius with one decimal: the dies of a stack differ by a few tenths.
std::string celsius(double kelvin) {
  return fmt::format("{:.1f} C", kelvin - 273.15);
}
} // namespace

bool ds::buildChipView(const DiagramInput &in, Diagram &d, std::string &error) {
  const ChipIR *chip = in.chip;
  if (!chip && in.design)
    chip = in.design->system->chip;
  if (!chip || !chip->memory) {
    error = "the chip view needs a chip with a memory";
    return false;
  }
  const MemoryIR &m = *chip->memory;
  // Temperatures exist only for a feasible, evaluated design (an over-full
  // design is not timed, so it has no power and no heat).
  const thermal::ThermalResult *heat =
      in.metrics && in.metrics->feasible &&
              in.metrics->thermal.layers.size() == size_t(m.layers)
          ? &in.metrics->thermal
          : nullptr;
  double span = std::max(1.0, chip->tempLimit - chip->ambient);
  auto shade = [&](double k) { return tempColor((k - chip->ambient) / span); };
  bool onLogic = m.onLogic == Bool::True;
  std::string link =
      m.vertical == VerticalLink::HybridBond ? "hybrid bond" : "TSV";

  Agraph_s *g = d.graph();
  d.set(g, "label",
        fmt::format("chip {}{}: logic die and its memory {} ({}, {} x {} "
                    "= {})",
                    chip->name,
                    in.design ? " of design " + in.design->name : "", m.name,
                    onLogic ? "3D, DRAM on the logic die"
                            : "2.5D, stacks beside the die",
                    m.stacks, q(m.layers * m.layerCapacity, Dim::bytes()),
                    q(m.stacks * m.layers * m.layerCapacity, Dim::bytes())));
  d.set(g, "labelloc", "t");
  d.set(g, "fontsize", "16");
  d.set(g, "rankdir", "TB");
  d.set(g, "nodesep", "0.5");
  d.set(g, "ranksep", "0.35");

  // The logic die.
  void *logic = d.node(g, "logic");
  std::string lines = fmt::format(
      "logic die{}\\n{} cores @ {}\\nSRAM {} per core, L2 {}\\npeak bf16 {}",
      chip->dies > 1 ? fmt::format(" (x{} dies)", chip->dies) : "", chip->cores,
      q(chip->clock, Dim::frequency()), q(chip->sramPerCore, Dim::bytes()),
      q(chip->l2, Dim::bytes()), q(chip->peakBF16, Dim::flopRate()));
  d.setNode(logic, "shape", "box");
  d.setNode(logic, "style", "filled,bold");
  d.setNode(logic, "fillcolor", "#d9d9d9");
  if (heat) {
    lines += "\\n" + celsius(heat->logicTemperature);
    if (heat->throttled)
      lines += fmt::format(" (clock throttled to {:.0f}% by {})",
                           100 * heat->clockScale, heat->limitedBy);
    d.setNode(logic, "fillcolor", shade(heat->logicTemperature));
  }
  d.setNode(logic, "label", lines);
  d.setNode(logic, "width", "3.2");

  // One stack, top die first. Ports serve contiguous groups of dies, the
  // lowest die of each group holding the port (the DRAM model only counts
  // dies per port; this is the simplest layout with that count).
  Agraph_s *stack = d.subgraph(g, "cluster_stack");
  d.set(stack, "label",
        fmt::format("stack 1 of {}{}\\n{} dies, {} with their own {} port",
                    m.stacks, m.stacks > 1 ? " (all identical)" : "", m.layers,
                    m.connectedLayers, link));
  d.set(stack, "style", "rounded");
  d.set(stack, "labeljust", "l");
  int64_t L = m.layers, Lc = std::min(m.connectedLayers, m.layers);
  auto portOf = [&](int64_t i) { return i * Lc / L; };
  auto firstOf = [&](int64_t p) { return (p * L + Lc - 1) / Lc; };
  std::string bw = q(m.verticalBandwidth, Dim::bandwidth());
  std::vector<void *> dies(size_t(L), nullptr);
  for (int64_t i = L - 1; i >= 0; --i) {
    void *n = d.node(stack, fmt::format("layer{}", i));
    dies[size_t(i)] = n;
    bool own = firstOf(portOf(i)) == i;
    std::string label =
        fmt::format("layer {}: {}", i, q(m.layerCapacity, Dim::bytes()));
    label += own ? fmt::format("\\nport {}: {}", portOf(i), bw)
                 : fmt::format("\\nshares port {} (layer {})", portOf(i),
                               firstOf(portOf(i)));
    d.setNode(n, "shape", "box");
    d.setNode(n, "width", "2.6");
    d.setNode(n, "style", own ? "filled" : "dashed,filled");
    d.setNode(n, "fillcolor", own ? "#c6dbef" : "white");
    if (heat) {
      label += "\\n" + celsius(heat->layers[size_t(i)]);
      d.setNode(n, "fillcolor", shade(heat->layers[size_t(i)]));
    }
    d.setNode(n, "label", label);
  }
  // The vertical chain holds the dies in stacking order; a die sharing a
  // port is tied to the die below it by a dashed edge (the shared bus).
  for (int64_t i = L - 1; i > 0; --i) {
    void *e = d.edge(dies[size_t(i)], dies[size_t(i - 1)]);
    bool shared = portOf(i) == portOf(i - 1);
    d.setEdge(e, "style", shared ? "dashed" : "invis");
    d.setEdge(e, "arrowhead", "none");
  }
  // On the logic die the bottom die sits right above it; a 2.5D stack
  // stands beside it on the interposer (minlen 0: the same rank as the
  // bottom die; rank=same cannot hold a node of a cluster).
  void *e = d.edge(dies[0], logic, "stacking");
  d.setEdge(e, "style", "invis");
  if (!onLogic)
    d.setEdge(e, "minlen", "0");
  for (int64_t p = 0; p < Lc; ++p) {
    void *e = d.edge(dies[size_t(firstOf(p))], logic, fmt::format("port{}", p));
    // The bandwidth is in the die's label and the edge's tooltip: edge
    // labels (mid or end) overlap where the ports fan into the logic die.
    d.setEdge(e, "tooltip", fmt::format("port {}: {} {}", p, bw, link));
    d.setEdge(e, "dir", "both");
    d.setEdge(e, "penwidth", "2");
    d.setEdge(e, "color",
              m.vertical == VerticalLink::HybridBond ? "#2b8c3e" : "#555555");
    // Only the stacking order places the dies; port edges just connect.
    d.setEdge(e, "constraint", "false");
  }

  // Legend: what the styles mean, the stack's totals and, with
  // temperatures, the colour scale from ambient to the thermal limit.
  void *legend = d.node(g, "legend");
  d.setNode(legend, "shape", "plaintext");
  // With temperatures the fill is the heat, so the swatch shows the border.
  std::string html = fmt::format(
      "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
      "CELLPADDING=\"3\">"
      "<TR><TD COLSPAN=\"2\"><B>legend</B></TD></TR>"
      "<TR><TD BGCOLOR=\"{}\" BORDER=\"1\">  </TD><TD ALIGN=\"LEFT\">die "
      "with its own vertical port</TD></TR>"
      "<TR><TD BORDER=\"1\" STYLE=\"dashed\">  </TD><TD ALIGN=\"LEFT\">die "
      "sharing the port below it (dashed edge)</TD></TR>",
      heat ? "white" : "#c6dbef");
  html += fmt::format(
      "<TR><TD>&#8597;</TD><TD ALIGN=\"LEFT\">{} port: {} each, {} per "
      "stack, {} per chip</TD></TR>",
      link, bw, q(double(Lc) * m.verticalBandwidth, Dim::bandwidth()),
      q(double(m.stacks * Lc) * m.verticalBandwidth, Dim::bandwidth()));
  html += fmt::format("<TR><TD></TD><TD ALIGN=\"LEFT\">{} channels per "
                      "port, {}-bit at {:.4g} GT/s</TD></TR>",
                      m.channelsPerLayer, int64_t(m.busWidth * 8),
                      m.dataRate / 1e9);
  if (heat) {
    html += "<TR><TD COLSPAN=\"2\">temperature at the average decode "
            "power</TD></TR><TR><TD COLSPAN=\"2\"><TABLE BORDER=\"0\" "
            "CELLSPACING=\"0\"><TR>";
    for (int s = 0; s <= 4; ++s) {
      double k = chip->ambient + span * s / 4;
      html += fmt::format("<TD BGCOLOR=\"{}\">{}{}</TD>", shade(k),
                          s == 0   ? "ambient "
                          : s == 4 ? "limit "
                                   : "",
                          celsius(k));
    }
    html += "</TR></TABLE></TD></TR>";
  } else {
    html += fmt::format("<TR><TD COLSPAN=\"2\">no temperatures: {}</TD></TR>",
                        !in.metrics ? "a bare chip has no workload"
                                    : "the design is infeasible (not timed)");
  }
  html += "</TABLE>";
  d.setHtml(legend, "label", html);
  // Below the die: beside the top die its height would stretch that rank.
  void *under = d.edge(logic, legend, "legend");
  d.setEdge(under, "style", "invis");
  return true;
}
