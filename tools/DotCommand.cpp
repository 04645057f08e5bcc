//===- DotCommand.cpp - deepstack dot -------------------------------------===//
//
// Graphviz views of a design (system, chip, ops, timeline) as DOT, SVG or
// PNG, or the timeline as a Chrome trace; the format comes from --format
// or the output's extension.
//
//===----------------------------------------------------------------------===//
#include "tools/Commands.h"
#include "tools/ReportMemory.h"

#include "frontend/Units.h"
#include "passes/DesignReport.h"
#include "passes/Diagram.h"
#include "passes/NetworkAbstractionEmit.h"
#include "runtime/report/ChipReport.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <fmt/format.h>
#include <optional>

using namespace ds;
using namespace ds::tool;
namespace cl = llvm::cl;

cl::SubCommand ds::tool::dotCmd("dot",
                      "Draw a design as Graphviz DOT, SVG or PNG (or a "
                      "Chrome trace of its timeline)");

namespace {
cl::opt<std::string> dotInput(cl::Positional, cl::desc("<file.ds>"),
                              cl::Required, cl::sub(dotCmd));
cl::opt<DiagramView> dotView(
    "view", cl::desc("What to draw"), cl::init(DiagramView::System),
    cl::values(clEnumValN(DiagramView::System, "system",
                          "the network hierarchy and the devices"),
               clEnumValN(DiagramView::Chip, "chip",
                          "the logic die and its DRAM stack"),
               clEnumValN(DiagramView::Ops, "ops",
                          "one layer's operators after partitioning"),
               clEnumValN(DiagramView::Timeline, "timeline",
                          "one decode step on compute, memory and network "
                          "lanes")),
    cl::sub(dotCmd), cl::cat(category()));
cl::opt<std::string> dotFormat(
    "format", cl::desc("dot, svg, png or trace (default: from -o's extension, "
                       "else dot)"),
    cl::value_desc("fmt"), cl::sub(dotCmd), cl::cat(category()));
cl::opt<bool> dotTraffic("traffic",
                         cl::desc("Colour links by utilisation (system view)"),
                         cl::sub(dotCmd), cl::cat(category()));
cl::opt<std::string> dotOutput("o", cl::desc("Write the output to a file"),
                               cl::value_desc("file"), cl::sub(dotCmd),
                               cl::cat(category()));
cl::opt<std::string> dotDesign("design",
                               cl::desc("The design (or chip) to draw"),
                               cl::value_desc("name"), cl::sub(dotCmd),
                               cl::cat(category()));

} // namespace

namespace {
/// What to draw; without a view, a design's system or a bare chip's stack.
struct DrawRequest {
  llvm::StringRef input, name;
  std::optional<DiagramView> view;
  std::string format; ///< "" = from the output's extension, else DOT
  bool traffic = false;
  std::string output;
};

int drawOn(Compilation &c, const DrawRequest &r) {
  auto bad = [&](std::string msg) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption, msg);
    return 1;
  };
  bool failed = false;
  if (const MemoryIR *m = pickBareMemory(c, r.name, failed))
    return bad(fmt::format("'{}' is a memory: dot draws a design or a chip "
                           "(a memory alone: deepstack report "
                           "--component=memory)",
                           m->name));
  const ChipIR *chip = nullptr;
  const DesignIR *design = nullptr;
  if (failed || !pickChip(c, r.name, r.input, chip, design))
    return 1;
  DiagramView view =
      r.view ? *r.view : design ? DiagramView::System : DiagramView::Chip;
  // The format: --format, else the output's extension, else DOT.
  std::string f = r.format;
  if (f.empty()) {
    llvm::StringRef ext = llvm::sys::path::extension(r.output);
    f = ext.empty() ? "dot" : ext.drop_front().lower();
    if (f == "json")
      f = "trace";
  }
  DiagramFormat format;
  if (f == "dot" || f == "gv")
    format = DiagramFormat::Dot;
  else if (f == "svg")
    format = DiagramFormat::Svg;
  else if (f == "png")
    format = DiagramFormat::Png;
  else if (f == "trace")
    format = DiagramFormat::Trace;
  else
    return bad(fmt::format("unknown output format '{}'; expected dot, svg, "
                           "png or trace",
                           f));
  if (format == DiagramFormat::Trace && view != DiagramView::Timeline)
    return bad("--format=trace is for --view=timeline");
  if (view != DiagramView::Chip && !design)
    return bad(fmt::format("the {} view needs a design; '{}' is a chip",
                           view == DiagramView::System ? "system"
                           : view == DiagramView::Ops  ? "ops"
                                                          : "timeline",
                           chip->name));
  DiagramInput in;
  in.design = design;
  in.chip = chip;
  in.traffic = r.traffic;
  std::optional<net::NetworkModel> network;
  DesignMetrics metrics;
  bool evaluate = design && (view == DiagramView::Ops ||
                             view == DiagramView::Timeline || r.traffic ||
                             view == DiagramView::Chip);
  if (design) {
    network.emplace(net::FabricSpec::fromIR(*design->system->network));
    in.network = &*network;
  }
  if (evaluate) {
    if (!evaluateDesign(*design, *network, c.diags(), metrics))
      return 1;
    in.metrics = &metrics;
  }
  std::string out, error;
  bool ok;
  if (format == DiagramFormat::Trace) {
    ok = timelineTrace(in, out, error);
  } else {
    Diagram d(design ? design->name : chip->name, true);
    switch (view) {
    case DiagramView::System:
      ok = buildSystemView(in, d, error);
      break;
    case DiagramView::Chip:
      ok = buildChipView(in, d, error);
      break;
    case DiagramView::Ops:
      ok = buildOpsView(in, d, error);
      break;
    case DiagramView::Timeline:
      ok = buildTimelineView(in, d, error);
      break;
    }
    ok = ok && renderDiagram(d, format, out, error);
  }
  if (!ok)
    return bad(error);
  return writeOutput(c.diags(), out, r.output) ? 0 : 1;
}
} // namespace

int ds::tool::runDot() {
  Compilation c(frontendOptions());
  if (!c.run(dotInput) || !verifyDesigns(c))
    return 1;
  DrawRequest r;
  r.input = dotInput;
  r.name = dotDesign;
  r.view = dotView.getValue();
  r.format = dotFormat;
  r.traffic = dotTraffic;
  r.output = dotOutput;
  return drawOn(c, r);
}

int ds::tool::drawDefault(Compilation &c, llvm::StringRef input,
                          llvm::StringRef name, bool svg) {
  DrawRequest r;
  r.input = input;
  r.name = name;
  r.format = svg ? "svg" : "dot";
  return drawOn(c, r);
}
