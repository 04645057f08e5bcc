//===- DiagramTimeline.cpp - One decode step on the clock -----------------===//
//
// A Gantt chart of one decode step of one microbatch through the pipeline
// stage that paces TPOT. It is one HTML-like table, a column per interval
// between box edges with widths proportional to time, because rank=same
// rows cannot keep three lanes aligned in time. Lanes: compute (ops bound
// by compute, SRAM, L2 or launch), memory (DRAM-bound) and network. One
// layer stands for the stage's identical layers; embedding or final norm
// and head run once. Times are the ScheduledStep's (averaged over KV
// lengths at the sustained clock), so the critical path adds up to the
// stage step behind TPOT. The trace repeats every layer as Chrome
// trace-event JSON.
//
//===----------------------------------------------------------------------===//
#include "passes/Diagram.h"

#include "frontend/Units.h"
#include "passes/NetworkAbstraction.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <graphviz/cgraph.h>

using namespace ds;
namespace json = llvm::json;

namespace {
enum Lane { Compute, Memory, Network, kLanes };
const char *const kLaneName[kLanes] = {"compute", "memory", "network"};
const char *const kLaneColor[kLanes] = {"#cfe0f5", "#fbd5a5", "#c4e6b8"};
/// Points the step spans before labels widen it; a longer column (the
/// bubble) is shortened so it does not squeeze the step.
constexpr double kTargetWidth = 1500, kMaxColumn = 600;
const char *const kSmall = "<BR/><FONT POINT-SIZE=\"8\">";

std::string human(double s) { return formatQuantity(s, Dim::time(), 3); }
// Op names are the passes' identifiers: nothing to escape in HTML labels.

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

  explicit Timeline(const DiagramInput &in)
      : m(*in.metrics), p(m.decode), ops(p.graph.ops),
        mode(in.design->schedule->overlap),
        microbatches(effectiveMicrobatches(*in.design)),
        pp(in.design->schedule->pp),
        launch(in.design->system->chip->launch / p.clockScale),
        partnered(ops.size()) {
    // With pp > 1 the first stage embeds and the last runs the final norm
    // and head (as Evaluate prices them): draw the slower, which paces the
    // pipeline. The attention runs once per layer.
    double first = 0, last = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
      first += ops[i].cls == OpClass::Embedding ? p.step.opTime[i] : 0;
      last += ops[i].cls == OpClass::Head ? p.step.opTime[i] : 0;
      if (ops[i].kind == OpKind::Attention)
        layers = std::max(1.0, ops[i].count);
    }
    stage = pp > 1 && last >= first ? pp - 1 : 0;
    step = p.step.time - (pp > 1 ? std::min(first, last) : 0);
    OpClass other = stage ? OpClass::Embedding : OpClass::Head;
    // Partition appends the collectives after the compute ops.
    for (int i = 0; i < int(ops.size()); ++i) {
      bool perLayer =
          ops[i].cls != OpClass::Embedding && ops[i].cls != OpClass::Head;
      if (pp > 1 && ops[i].cls == other)
        continue; // on the other end stage
      if (ops[i].kind == OpKind::Collective)
        (ops[i].overlapsWith >= 0 ? partnered[ops[i].overlapsWith]
                                  : runs.back().loose) // the p2p: step's end
            .push_back(i);
      else if (runs.empty() || runs.back().perLayer != perLayer)
        runs.push_back(Run{perLayer, {i}, {}});
      else
        runs.back().ops.push_back(i);
    }
  }

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
               std::vector<Event> &out) const {
    auto push = [&](int i, double start, double dur, double exp) {
      out.push_back(Event{i, lane(i), start, dur, exp, layer});
    };
    auto serial = [&](int c) {
      push(c, t, full(c, f), exposed(c, f));
      t += exposed(c, f);
    };
    for (int i : r.ops) {
      for (int c : partnered[i])
        if (!tiled(c) && before(c))
          serial(c);
      // Tile overlap runs a collective beside its partner's W waves: a
      // gather leads by its exposed part and feeds up to the last wave, a
      // reduction starts after the first wave and trails by its exposed
      // part (W = 1: plainly before or after). Several take turns, as
      // scheduleStep adds up their exposed parts.
      double d = p.step.opTime[i] * f, w = waves(i), lead = 0, tail = 0;
      for (int c : partnered[i])
        if (tiled(c) && before(c)) {
          push(c, t + lead, exposed(c, f) + d - d / w, exposed(c, f));
          lead += exposed(c, f);
        }
      push(i, t + lead, d, d);
      for (int c : partnered[i])
        if (tiled(c) && !before(c)) {
          push(c, t + lead + d / w + tail, d - d / w + exposed(c, f),
               exposed(c, f));
          tail += exposed(c, f);
        }
      t += lead + d + tail;
      for (int c : partnered[i])
        if (!tiled(c) && !before(c))
          serial(c);
    }
    for (int c : r.loose)
      serial(c);
    return t;
  }

  /// The step with one layer (\p all false) or every layer, then the
  /// pipeline bubble; records each run's span.
  std::vector<Event> events(bool all) {
    std::vector<Event> out;
    double t = 0;
    for (Run &r : runs) {
      r.start = t;
      if (!r.perLayer || !all)
        t = place(r, t, r.perLayer ? 1 / layers : 1, r.perLayer ? 0 : -1, out);
      else // a fractional last layer carries its share of the time
        for (int l = 0; l < int(std::ceil(layers)); ++l)
          t = place(r, t, std::min(1.0, layers - l) / layers, l, out);
      r.end = t;
    }
    out.push_back(Event{-1, Compute, t, m.decode.bubble, m.decode.bubble, -1});
    return out;
  }

  std::string stageName() const {
    return pp == 1 ? "its only pipeline stage"
                   : fmt::format("pipeline stage {} of {}", stage + 1, pp);
  }
  std::string tpotWhy() const { // Evaluate's token period
    return microbatches >= pp
               ? fmt::format("TPOT {} = microbatches {} x step", human(m.tpot),
                             microbatches)
               : fmt::format("TPOT {}: the {} stages in turn (microbatches "
                             "{} < pp)",
                             human(m.tpot), pp, microbatches);
  }

  /// The cell text: name, time and why it costs what it does.
  std::string label(const Event &e) const {
    if (e.op < 0)
      return fmt::format("<B>pipeline bubble</B><BR/>TPOT - {} x step<BR/>{}",
                         microbatches, human(e.dur));
    const Op &op = ops[e.op];
    double k = e.layer >= 0 ? op.count / layers : op.count; // runs per box
    if (op.kind != OpKind::Collective)
      return fmt::format(
          "<B>{}</B>{}<BR/>{}{}{}{}-bound</FONT>", op.name,
          k > 1.001 ? " x" + formatNumber(k, 3) : "", human(e.dur),
          k < 0.999
              ? fmt::format("<BR/>average: in {} of {} layers",
                            formatNumber(op.count, 3), formatNumber(layers, 3))
              : "",
          kSmall, compute::boundName(p.tiles[e.op].cost.bound).str());
    double all = full(e.op, e.layer >= 0 ? 1 / layers : 1);
    bool hidden = e.exposed < all * 0.999;
    int w = int(tiled(e.op) ? waves(op.overlapsWith) : 0);
    std::string why =
        tiled(e.op)
            ? fmt::format("{}tiled with {} in {} wave{}</FONT>", kSmall,
                          ops[op.overlapsWith].name, w, w > 1 ? "s" : "")
        : hidden
            ? std::string(kSmall) + "rest behind the next microbatch</FONT>"
            : "";
    return fmt::format("<B>{} {}</B><BR/>{}<BR/>{}{} exposed{}",
                       parallelDimName(op.comm.dim).str(),
                       net::collectiveName(op.comm.collective).str(),
                       op.comm.what, human(all),
                       hidden ? ", " + human(e.exposed) : "", why);
  }
};

bool usable(const DiagramInput &in, std::string &error) {
  error = !in.design || !in.metrics ? "the timeline needs an evaluated design"
          : in.metrics->feasible    ? ""
                                    : "the timeline needs a feasible design: " +
                                       in.metrics->infeasible;
  return error.empty();
}

/// The HTML-like table: a ruler row pinning each column's width, the step's
/// sections, then each lane in as many rows as its overlapping events need.
std::string table(Timeline &tl, std::vector<Event> ev, bool &capped) {
  std::vector<double> edges;
  for (const Event &e : ev)
    edges.insert(edges.end(), {e.start, e.start + e.dur});
  for (const Run &r : tl.runs)
    edges.insert(edges.end(), {r.start, r.end});
  std::sort(edges.begin(), edges.end());
  double stepEnd = tl.runs.back().end, eps = 1e-9 * stepEnd;
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [&](double a, double b) { return b - a <= eps; }),
              edges.end());
  size_t cols = edges.size() - 1;
  auto col = [&](double x) {
    return size_t(std::lower_bound(edges.begin(), edges.end(), x - eps) -
                  edges.begin());
  };
  using Item = std::tuple<double, double, std::string>; // start, end, cell
  auto row = [&](std::vector<Item> items) {
    std::sort(items.begin(), items.end());
    std::string s;
    size_t at = 0;
    for (auto &[a0, b0, cell] : items) {
      size_t a = col(a0), b = col(b0);
      if (b <= a)
        continue; // too short to draw; the trace has it
      if (a > at)
        s += fmt::format("<TD COLSPAN=\"{}\"></TD>", a - at);
      s += fmt::format("<TD COLSPAN=\"{}\" {}</TD>\n", b - a, cell);
      at = b;
    }
    return at < cols ? s + fmt::format("<TD COLSPAN=\"{}\"></TD>", cols - at)
                     : s;
  };
  auto box = [](const char *color, const std::string &text) {
    return fmt::format("BORDER=\"1\" BGCOLOR=\"{}\">{}", color, text);
  };
  std::string t = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                  "CELLPADDING=\"3\">\n<TR><TD></TD>";
  for (size_t c = 0; c < cols; ++c) {
    double w = kTargetWidth / stepEnd * (edges[c + 1] - edges[c]);
    capped |= w > kMaxColumn;
    t += fmt::format("<TD WIDTH=\"{}\" HEIGHT=\"1\" CELLPADDING=\"0\"></TD>",
                     std::max(1L, std::lround(std::min(w, kMaxColumn))));
  }
  std::vector<Item> sections;
  for (const Run &r : tl.runs) {
    double span = r.end - r.start;
    std::string layers = formatNumber(tl.layers, 3);
    sections.emplace_back(
        r.start, r.end,
        box("#f2f2f2",
            r.perLayer
                ? fmt::format("<B>one layer</B> of {}: {} (x {} = {})", layers,
                              human(span), layers, human(span * tl.layers))
                : "<B>once per step</B><BR/>" + human(span)));
  }
  if (ev.back().op < 0)
    sections.emplace_back(ev.back().start, ev.back().start + ev.back().dur,
                          box("#f2f2f2", "<B>pipeline</B>"));
  t += "</TR>\n<TR><TD ALIGN=\"RIGHT\"><I>step</I></TD>" + row(sections) +
       "</TR>\n";
  for (int lane = 0; lane < kLanes; ++lane) {
    std::vector<std::pair<double, std::vector<Item>>> rows(1); // end, cells
    for (const Event &e : ev) {
      if (e.lane != lane)
        continue;
      auto r = std::find_if(rows.begin(), rows.end(), [&](const auto &x) {
        return x.first <= e.start + eps;
      });
      if (r == rows.end())
        r = rows.emplace(rows.end());
      r->first = e.start + e.dur;
      r->second.emplace_back(
          e.start, r->first,
          box(e.op < 0 ? "#dddddd" : kLaneColor[lane], tl.label(e)));
    }
    for (size_t r = 0; r < rows.size(); ++r)
      t += (r ? "<TR>"
              : fmt::format("<TR><TD ROWSPAN=\"{}\" ALIGN=\"RIGHT\"><B>{}</B>"
                            "</TD>",
                            rows.size(), kLaneName[lane])) +
           row(rows[r].second) + "</TR>\n";
  }
  return t + "</TABLE>";
}
} // namespace

bool ds::buildTimelineView(const DiagramInput &in, Diagram &d,
                           std::string &error) {
  if (!usable(in, error))
    return false;
  Timeline tl(in);
  std::vector<Event> ev = tl.events(false);
  if (ev.back().dur <= 0)
    ev.pop_back(); // no bubble: the microbatches fill the pipeline
  bool capped = false;
  std::string html = table(tl, ev, capped);
  double layer = 0;
  for (const Run &r : tl.runs)
    layer += r.perLayer ? r.end - r.start : 0;
  d.set(d.graph(), "label",
        fmt::format("design {}: one decode step of one microbatch through {} "
                    "(overlap {})\\n{}step {} = {} layers x {} + once per "
                    "step; {}\\nbox widths proportional to time, widened to "
                    "fit their labels{}",
                    in.design->name, tl.stageName(),
                    spelling(EnumId::Overlap, tl.mode).str(),
                    tl.pp == 1 ? ""
                    : tl.stage ? "the last stage, which also runs the final "
                                 "norm and LM head, is the slowest\\n"
                               : "the first stage, which also embeds the "
                                 "tokens, is the slowest\\n",
                    human(tl.step), formatNumber(tl.layers, 3), human(layer),
                    tl.tpotWhy(), capped ? "; long boxes shortened" : ""));
  d.set(d.graph(), "labelloc", "t");
  d.set(d.graph(), "fontname", "Helvetica");
  void *n = d.node(d.graph(), "timeline");
  d.setNode(n, "shape", "plaintext");
  d.setNode(n, "fontname", "Helvetica");
  d.setNode(n, "fontsize", "10");
  d.setHtml(n, "label", html);
  return true;
}

bool ds::timelineTrace(const DiagramInput &in, std::string &out,
                       std::string &error) {
  if (!usable(in, error))
    return false;
  Timeline tl(in);
  auto us = [](double s) { return s * 1e6; }; // trace times are in µs
  json::Array events;
  for (int tid = -1; tid < kLanes; ++tid) { // process, then lane names
    json::Object o{{"name", tid < 0 ? "process_name" : "thread_name"},
                   {"ph", "M"}, {"pid", tl.stage}};
    if (tid >= 0)
      o["tid"] = tid;
    o["args"] = json::Object{
        {"name", tid >= 0 ? std::string(kLaneName[tid])
                          : in.design->name + ": " + tl.stageName()}};
    events.push_back(std::move(o));
  }
  for (const Event &e : tl.events(true)) {
    const Op *op = e.op >= 0 ? &tl.ops[e.op] : nullptr;
    json::Object args;
    if (e.layer >= 0)
      args["layer"] = e.layer;
    if (!op) {
      args["why"] = fmt::format("TPOT - {} x step", tl.microbatches);
    } else if (op->kind != OpKind::Collective) {
      args["bound"] = compute::boundName(tl.p.tiles[e.op].cost.bound);
      args["count_per_step"] = op->count;
      args["us_per_execution"] = us(tl.p.step.opTime[e.op] / op->count);
    } else {
      args["what"] = op->comm.what;
      args["group"] = parallelDimName(op->comm.dim);
      args["algorithm"] =
          spelling(EnumId::Algorithm, tl.p.comm[e.op].algorithm);
      args["bytes"] = op->comm.bytes;
      args["count_per_step"] = op->count;
      args["exposed_us"] = us(e.exposed);
      if (tl.tiled(e.op))
        args["tiled_with"] = tl.ops[op->overlapsWith].name;
    }
    events.push_back(json::Object{
        {"name", op ? op->name : "pipeline bubble"},
        {"cat", op ? kLaneName[e.lane] : "bubble"}, {"ph", "X"},
        {"ts", us(e.start)}, {"dur", us(e.dur)}, {"pid", tl.stage},
        {"tid", int(e.lane)}, {"args", std::move(args)}});
  }
  json::Object root{
      {"traceEvents", std::move(events)},
      {"displayTimeUnit", "ns"},
      {"otherData",
       json::Object{{"design", in.design->name}, {"stage", tl.stage},
                    {"pp", tl.pp}, {"microbatches", tl.microbatches},
                    {"step_us", us(tl.step)}, {"tpot_us", us(tl.m.tpot)},
                    {"bubble_us", us(tl.m.decode.bubble)}}}};
  out = llvm::formatv("{0:1}", json::Value(std::move(root))).str() + "\n";
  return true;
}
