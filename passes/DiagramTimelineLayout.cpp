//===- DiagramTimelineLayout.cpp - One decode step placed on lanes --------===//
//
// Places one decode step of one microbatch through the pipeline stage that
// paces TPOT on three lanes: compute (ops bound by compute, SRAM, L2 or
// launch), memory (DRAM-bound) and network. One layer stands for the
// stage's identical layers; embedding or final norm and head run once.
// Times are the ScheduledStep's (averaged over KV lengths at the sustained
// clock), so the critical path adds up to the stage step behind TPOT.
//
//===----------------------------------------------------------------------===//
#include "passes/DiagramTimeline.h"

#include <fmt/format.h>

using namespace ds;
using namespace ds::timeline;

Timeline::Timeline(const DiagramInput &in)
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

double Timeline::place(const Run &r, double t, double f, int layer,
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

std::vector<Event> Timeline::events(bool all) {
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

std::string Timeline::stageName() const {
  return pp == 1 ? "its only pipeline stage"
                 : fmt::format("pipeline stage {} of {}", stage + 1, pp);
}

bool timeline::usable(const DiagramInput &in, std::string &error) {
  error = !in.design || !in.metrics ? "the timeline needs an evaluated design"
          : in.metrics->feasible    ? ""
                                    : "the timeline needs a feasible design: " +
                                       in.metrics->infeasible;
  return error.empty();
}
