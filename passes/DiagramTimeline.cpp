//===- DiagramTimeline.cpp - One decode step on the clock -----------------===//
//
// A Gantt chart of one decode step of one microbatch through the pipeline
// stage that paces TPOT (laid out in DiagramTimelineLayout.cpp). It is one
// HTML-like table, a column per interval between box edges with widths
// proportional to time, because rank=same rows cannot keep three lanes
// aligned in time. The trace (DiagramTimelineTrace.cpp) repeats every layer
// as Chrome trace-event JSON.
//
//===----------------------------------------------------------------------===//
#include "passes/DiagramTimeline.h"

#include <fmt/format.h>
#include <graphviz/cgraph.h>

using namespace ds;
using namespace ds::timeline;

namespace {
const char *const kLaneColor[kLanes] = {"#cfe0f5", "#fbd5a5", "#c4e6b8"};
/// Points the step spans before labels widen it; a longer column (the
/// bubble) is shortened so it does not squeeze the step.
constexpr double kTargetWidth = 1500, kMaxColumn = 600;
const char *const kSmall = "<BR/><FONT POINT-SIZE=\"8\">";
} // namespace

std::string Timeline::tpotWhy() const { // Evaluate's token period
  return microbatches >= pp
             ? fmt::format("TPOT {} = microbatches {} x step", human(m.tpot),
                           microbatches)
             : fmt::format("TPOT {}: the {} stages in turn (microbatches "
                           "{} < pp)",
                           human(m.tpot), pp, microbatches);
}

// Op names are the passes' identifiers: nothing to escape in HTML labels.
/// The cell text: name, time and why it costs what it does.
std::string Timeline::label(const Event &e) const {
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

namespace {
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
