//===- DiagramOps.cpp - One layer's decode operators after partitioning ---===//
//
// The decode graph of one device (passes 1-5): the operators of one
// transformer layer in execution order, each a node with its shape, FLOPs,
// DRAM bytes, time and bound (the fill says the bound); collectives are
// green nodes of another shape, placed where they run in the data flow
// (gathers and the expert dispatch before their operator, reductions
// after). Under `overlap = tile` an operator and the collective riding on
// its tiles share a cluster. Operators that run once per step (embedding,
// final norm, head, the pipeline send) form their own cluster around the
// layer.
//
//===----------------------------------------------------------------------===//
#include "passes/Diagram.h"

#include "frontend/Units.h"
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <graphviz/cgraph.h>
#include <map>

using namespace ds;

namespace {
std::string q(double v, Dim d) { return formatQuantity(v, d, 3); }

/// FLOPs with k/M prefixes too: decode operators are mostly MFLOP-sized,
/// which the language's units (FLOP, GFLOP ...) would print as 8.39e+07.
std::string flopsText(double f) {
  static const std::pair<double, const char *> prefixes[] = {
      {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (auto [scale, p] : prefixes)
    if (f >= scale * 0.9999999)
      return fmt::format("{:.3g} {}FLOP", f / scale, p);
  return fmt::format("{:.3g} FLOP", f);
}

const char *boundColor(compute::Bound b) {
  switch (b) {
  case compute::Bound::Compute:
    return "#9ecae1";
  case compute::Bound::Dram:
    return "#fdae6b";
  case compute::Bound::L2:
  case compute::Bound::Sram:
    return "#fdd0a2";
  case compute::Bound::Launch:
    return "#d9d9d9";
  }
  return "white";
}
constexpr const char *kCommColor = "#a1d99b";

/// Runs once per step, not per layer: the embedding, the final norm and
/// head, and a collective tied to no operator (the pipeline send).
bool oncePerStep(const Op &op) {
  return op.role == OpRole::Embedding || op.role == OpRole::Head ||
         op.name == "final.norm" ||
         (op.kind == OpKind::Collective && op.overlapsWith < 0);
}
} // namespace

bool ds::buildOpsView(const DiagramInput &in, Diagram &d, std::string &error) {
  if (!in.design || !in.metrics) {
    error = "the ops view needs an evaluated design";
    return false;
  }
  const DesignMetrics &mx = *in.metrics;
  if (!mx.feasible) {
    error = "the ops view needs a feasible design; '" + in.design->name +
            "' is not: " + mx.infeasible;
    return false;
  }
  const PhaseResult &p = mx.decode;
  const std::vector<Op> &ops = p.graph.ops;
  if (ops.empty() || p.tiles.size() != ops.size() ||
      p.comm.size() != ops.size()) {
    error = "the design has no decode step to draw";
    return false;
  }
  bool tile = in.design->schedule->overlap == Overlap::Tile;
  // What the scheduler splits into waves with its partner's tiles (a
  // pipeline send hides behind the next microbatch instead).
  auto tiled = [&](const Op &op) {
    return tile && op.kind == OpKind::Collective && op.overlapsWith >= 0 &&
           op.comm.collective != net::Collective::SendRecv;
  };

  // Layers on this stage: the attention operator runs once per layer.
  double layers = 0;
  for (const Op &op : ops)
    if (op.role == OpRole::Attention)
      layers = std::max(layers, op.count);
  if (layers <= 0)
    for (const Op &op : ops)
      if (!oncePerStep(op))
        layers = std::max(layers, op.count);

  Agraph_s *g = d.graph();
  d.set(
      g, "label",
      fmt::format("design {}: decode operators of one device after "
                  "partitioning ({}; overlap {})\\n{} tokens per "
                  "microbatch, context {}; one stage's step {}",
                  in.design->name, mx.layout.describe(),
                  spelling(EnumId::Overlap, in.design->schedule->overlap).str(),
                  formatNumber(p.graph.tokens), p.graph.context,
                  q(p.step.time, Dim::time())));
  for (auto [attr, value] : {std::pair{"labelloc", "t"},
                             {"fontsize", "16"},
                             {"rankdir", "TB"},
                             {"ranksep", "0.3"}})
    d.set(g, attr, value);
  Agraph_s *layer = d.subgraph(g, "cluster_layer");
  d.set(layer, "label",
        fmt::format("one layer (x {} layers on this stage)",
                    formatNumber(layers)));
  d.set(layer, "style", "rounded");
  d.set(layer, "labeljust", "l");
  // Once-per-step operators listed before the first per-layer one (the
  // embedding) go in a cluster above the layer, the rest below: one box
  // around both would drag the embedding under the layer. Made on first
  // use, so a stage without them draws no empty box.
  size_t firstLayerOp = ops.size();
  for (size_t i = ops.size(); i-- > 0;)
    if (!oncePerStep(ops[i]))
      firstLayerOp = i;
  Agraph_s *once[2] = {nullptr, nullptr};
  auto onceOf = [&](size_t i) {
    Agraph_s *&c = once[i < firstLayerOp ? 0 : 1];
    if (!c) {
      c = d.subgraph(g, &c == once ? "cluster_once_in" : "cluster_once_out");
      d.set(c, "label",
            &c == once ? "once per step, before the layers"
                       : "once per step, after the layers");
      d.set(c, "style", "rounded,dashed");
      d.set(c, "labeljust", "l");
    }
    return c;
  };

  auto share = [&](size_t i) {
    return p.step.time > 0 ? 100 * p.step.opTime[i] / p.step.time : 0.0;
  };
  auto perLayer = [&](const Op &op) -> std::string {
    if (oncePerStep(op) || layers <= 0 || op.count == layers)
      return "";
    double r = op.count / layers;
    if (r > 1 && std::fabs(r - std::round(r)) < 1e-9)
      return fmt::format(" (x{} per layer)", formatNumber(r));
    return fmt::format(" (in {} of {} layers)", formatNumber(op.count),
                       formatNumber(layers));
  };

  // Overlap clusters, one per compute operator carrying collectives.
  std::map<int, Agraph_s *> overlapOf;
  auto parentOf = [&](const Op &op, size_t self) -> Agraph_s * {
    bool comm = op.kind == OpKind::Collective;
    int partner = comm ? op.overlapsWith : int(self);
    auto it = overlapOf.find(partner);
    if (it != overlapOf.end() && (!comm || tiled(op)))
      return it->second;
    size_t at = partner >= 0 ? size_t(partner) : self;
    return oncePerStep(ops[at]) ? onceOf(at) : layer;
  };
  for (const Op &op : ops)
    if (tiled(op) && !overlapOf.count(op.overlapsWith)) {
      size_t a = size_t(op.overlapsWith);
      Agraph_s *c =
          d.subgraph(oncePerStep(ops[a]) ? onceOf(a) : layer,
                     fmt::format("cluster_overlap{}", op.overlapsWith));
      d.set(c, "label", "overlapped (tile)");
      d.set(c, "style", "dashed,filled");
      d.set(c, "fillcolor", "#f4f4f4");
      d.set(c, "labeljust", "r");
      overlapOf[op.overlapsWith] = c;
    }

  std::vector<void *> node(ops.size(), nullptr);
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op &op = ops[i];
    if (op.count <= 0)
      continue;
    // The operator's name is the node's (readable DOT); a repeated name
    // gets its index.
    std::string id = op.name;
    if (agnode(g, const_cast<char *>(id.c_str()), 0))
      id += fmt::format("#{}", i);
    void *n = d.node(parentOf(op, i), id);
    node[i] = n;
    std::string label;
    if (op.kind == OpKind::Collective) {
      const net::CollectiveCost &k = p.comm[i];
      // The schedule charges every collective a kernel launch too.
      double each = k.time + in.design->system->chip->launch;
      double exposed = p.step.opTime[i] / op.count;
      label = fmt::format(
          "{} {}{}\\n{}\\n{}, {} over {} devices\\n{} each{}",
          parallelDimName(op.comm.dim).str(),
          net::collectiveName(op.comm.collective).str(), perLayer(op),
          op.comm.what, spelling(EnumId::Algorithm, k.algorithm).str(),
          q(op.comm.bytes, Dim::bytes()), k.groupSize, q(each, Dim::time()),
          exposed < each * 0.999
              ? fmt::format(", {} exposed", q(exposed, Dim::time()))
          : tiled(op) ? ", all exposed"
                      : "");
      d.setNode(n, "shape", "hexagon");
      d.setNode(n, "margin", "0,0"); // the hexagon is roomy enough
      d.setNode(n, "fillcolor", kCommColor);
    } else {
      const compute::OpCost &c = p.tiles[i].cost;
      std::string shape;
      if (op.kind == OpKind::Gemm)
        shape = fmt::format(
            "GEMM {} x {} x {} (m x n x k){}", op.gemm.m, op.gemm.n, op.gemm.k,
            op.gemm.batch <= 1 ? std::string()
            : op.role == OpRole::ExpertsUp || op.role == OpRole::ExpertsDown
                ? fmt::format(", {} experts", op.gemm.batch)
                : fmt::format(", batch {}", op.gemm.batch));
      else if (op.kind == OpKind::Attention)
        shape = fmt::format(
            "attention: {} seq x {} q / {} kv heads x {}, context {}{}",
            op.attn.batch, op.attn.headsQ, op.attn.headsKV, op.attn.headDim,
            op.attn.context,
            op.attn.queries > 1 ? fmt::format(", {} queries", op.attn.queries)
                                : "");
      else
        shape = "vector (elementwise)";
      label = fmt::format("{}{}\\n{}\\n{}, {} DRAM\\n{}, {}-bound, {:.1f}% "
                          "of step",
                          op.name, perLayer(op), shape, flopsText(c.flops),
                          q(c.dramBytes, Dim::bytes()), q(c.time, Dim::time()),
                          compute::boundName(c.bound).str(), share(i));
      d.setNode(n, "shape", "box");
      d.setNode(n, "fillcolor", boundColor(c.bound));
    }
    d.setNode(n, "style",
              op.kind == OpKind::Collective ? "filled" : "rounded,filled");
    d.setNode(n, "label", label);
    d.setNode(n, "fontsize", "12");
  }

  // Execution order: compute operators as listed; each collective before
  // (gathers, expert dispatch) or after (reductions, combine) its partner.
  auto before = [&](const Op &op) {
    return op.comm.collective == net::Collective::AllGather ||
           op.comm.what == "expert dispatch";
  };
  std::vector<size_t> seqLayer, seqHead, seqTail, loose;
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op &op = ops[i];
    if (node[i] && op.kind == OpKind::Collective && op.overlapsWith < 0)
      loose.push_back(i); // e.g. the pipeline send after the last layer
    if (!node[i] || op.kind == OpKind::Collective)
      continue;
    std::vector<size_t> pre, post;
    for (size_t j = 0; j < ops.size(); ++j)
      if (node[j] && ops[j].kind == OpKind::Collective &&
          ops[j].overlapsWith == int(i))
        (before(ops[j]) ? pre : post).push_back(j);
    std::vector<size_t> &seq = !oncePerStep(op)   ? seqLayer
                               : i < firstLayerOp ? seqHead
                                                  : seqTail;
    seq.insert(seq.end(), pre.begin(), pre.end());
    seq.push_back(i);
    seq.insert(seq.end(), post.begin(), post.end());
  }
  auto chain = [&](const std::vector<size_t> &seq) {
    for (size_t k = 0; k + 1 < seq.size(); ++k)
      d.edge(node[seq[k]], node[seq[k + 1]]);
  };
  chain(seqHead);
  chain(seqLayer);
  chain(seqTail);
  if (!seqLayer.empty()) {
    if (!seqHead.empty())
      d.edge(node[seqHead.back()], node[seqLayer.front()]);
    if (!seqTail.empty())
      d.edge(node[seqLayer.back()], node[seqTail.front()]);
    for (size_t i : loose)
      d.edge(node[seqLayer.back()], node[i]);
    if (layers > 1) {
      void *e = d.edge(node[seqLayer.back()], node[seqLayer.front()], "next");
      d.setEdge(e, "style", "dashed");
      d.setEdge(e, "constraint", "false");
      d.setEdge(e, "xlabel", "next layer");
      d.setEdge(e, "fontsize", "11");
      d.setEdge(e, "color", "#777777");
    }
  }

  // Legend: what the fills, the shape and the clusters mean.
  void *legend = d.node(g, "legend");
  d.setNode(legend, "shape", "plaintext");
  d.setNode(legend, "fontsize", "12");
  std::string html =
      "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
      "CELLPADDING=\"3\"><TR><TD COLSPAN=\"2\"><B>legend</B></TD></TR>";
  auto row = [&](const char *color, const std::string &text) {
    html += fmt::format("<TR><TD BGCOLOR=\"{}\" BORDER=\"1\">   </TD><TD "
                        "ALIGN=\"LEFT\">{}</TD></TR>",
                        color, text);
  };
  row(boundColor(compute::Bound::Compute), "compute-bound operator");
  row(boundColor(compute::Bound::Dram), "DRAM-bound operator");
  row(boundColor(compute::Bound::L2), "L2- or SRAM-bound operator");
  row(boundColor(compute::Bound::Launch), "launch-bound (kernel fixed cost)");
  row(kCommColor, "collective: group, algorithm, size, time");
  html += "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">times are one execution; "
          "% of step counts every execution</TD></TR>";
  if (tile)
    html += "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">shaded box: a collective "
            "overlapped with its operator's tiles</TD></TR>";
  html += "</TABLE>";
  d.setHtml(legend, "label", html);
  return true;
}
