//===- Diagram.h - Graphviz views of a design -------------------*- C++ -*-===//
//
// `deepstack dot FILE --view=system|chip|ops|timeline` (issue: Graphviz
// diagrams): each view builds a Graphviz graph through cgraph and renders
// it with gvc in-process (DOT, SVG or PNG; no `dot` process). The timeline
// also exports Chrome trace-event JSON for Perfetto / chrome://tracing.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_DIAGRAM_H
#define DEEPSTACK_PASSES_DIAGRAM_H

#include "passes/Evaluate.h"
#include <string>

struct Agraph_s;

namespace ds {

enum class DiagramView { System, Chip, Ops, Timeline };
enum class DiagramFormat { Dot, Svg, Png, Trace };

/// What the views draw from; metrics is null when the design was not
/// evaluated (the system and chip views do not need it).
struct DiagramInput {
  const DesignIR *design = nullptr; ///< null for a bare chip
  const ChipIR *chip = nullptr;
  const DesignMetrics *metrics = nullptr;
  const net::NetworkModel *network = nullptr;
  bool traffic = false; ///< colour links by utilisation (system view)
};

/// A cgraph graph with the attribute helpers the views share. Attributes
/// are declared on first use, so a view just sets what it needs.
class Diagram {
public:
  Diagram(const std::string &name, bool directed);
  ~Diagram();
  Diagram(const Diagram &) = delete;
  Diagram &operator=(const Diagram &) = delete;

  struct Agraph_s *graph() const { return g_; }
  /// A subgraph; names starting with "cluster" are drawn as boxes.
  struct Agraph_s *subgraph(struct Agraph_s *parent, const std::string &name);
  void *node(struct Agraph_s *in, const std::string &name);
  void *edge(void *from, void *to, const std::string &key = "");
  void set(struct Agraph_s *g, const char *attr, const std::string &value);
  void setNode(void *n, const char *attr, const std::string &value);
  void setEdge(void *e, const char *attr, const std::string &value);
  /// An HTML-like attribute of a graph, node or edge (e.g. a table label):
  /// cgraph treats a string as HTML only when it was interned with
  /// agstrdup_html, which agsafeset then finds.
  void setHtml(void *obj, const char *attr, const std::string &html);

private:
  struct Agraph_s *g_;
};

/// Renders \p d as \p format into \p out; false with \p error set.
bool renderDiagram(Diagram &d, DiagramFormat format, std::string &out,
                   std::string &error);

/// The views. Each returns false with \p error set when it cannot be drawn
/// (e.g. a view that needs an evaluated, feasible design).
bool buildSystemView(const DiagramInput &in, Diagram &d, std::string &error);
bool buildChipView(const DiagramInput &in, Diagram &d, std::string &error);
bool buildOpsView(const DiagramInput &in, Diagram &d, std::string &error);
bool buildTimelineView(const DiagramInput &in, Diagram &d, std::string &error);

/// Chrome trace-event JSON of one decode step (the timeline view's data).
bool timelineTrace(const DiagramInput &in, std::string &out,
                   std::string &error);

/// Rectangle fill for a utilisation in [0, 1]: light grey to red.
std::string heatColor(double utilisation);

} // namespace ds

#endif
