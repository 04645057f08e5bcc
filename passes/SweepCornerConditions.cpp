//===- SweepCornerConditions.cpp - When a corner bounds its subtree -------===//
//
// Which hardware levels a corner may open (findCornerLevels, once per
// search) and whether the fields that follow them are at their best at a
// given corner (dependentsAtBest, once per corner record); the corner
// search that relies on them is in SweepCorner.cpp.
//
// Conditions, checked here (the fields over the whole region a corner
// dominates, since its record stands for all of it): the objective is stps,
// tps_per_device or tpot alone, without a Pareto front; the monotone levels
// come after every other hardware level (whatever is not monotone - memory
// layers, the network's shape - is assigned first); every field that follows an
// open monotone axis is a peak rate, a bandwidth, a clock, an SRAM size, a
// latency or an energy per operation and sits at its best end at the corner, or
// only prices area or cost; a cores axis needs every peak rate of its chip to
// follow it, with a peak per core no higher at fewer cores; no schedule-side
// axis takes its values from a monotone one. A corner whose point is invalid (a
// die over its area budget) bounds nothing.
//
// Not proven, only tested: under a power or temperature cap a step takes its
// energy over the power the chip sustains, and that energy depends on the
// tiling (padding, SRAM/L2/DRAM traffic), which more cores or SRAM can change.
// The bound assumes the tiler's choice at the corner spends no more energy, in
// the logic and in the DRAM each (the temperature limit weighs them
// differently), than elsewhere below it; SweepMonotoneTest checks this on
// throttled library designs (a bound on the energy any tiling spends would
// remove the assumption, but charged only its useful FLOPs the 2.5e14 example
// no longer certified in minutes).
//
//===----------------------------------------------------------------------===//
#include "passes/SweepWorker.h"

using namespace ds;

namespace {
/// +1: the model is never slower when the field grows; -1: when it falls;
/// 0: neither is known.
int timeDirection(DeclKind kind, llvm::StringRef field) {
  if (kind == DeclKind::Chip)
    return field == "cores" || field == "clock" || field == "sram_per_core" ||
                   field == "sram_bandwidth" || field == "l2_bandwidth" ||
                   field.startswith("peak.")
               ? 1
           // Less energy per operation throttles the clock no more.
           : field == "launch" || field.startswith("energy.") ? -1
                                                              : 0;
  if (kind == DeclKind::Level || kind == DeclKind::Network) {
    llvm::StringRef last = field.rsplit('.').second;
    if (last.empty())
      last = field;
    return last == "link" ? 1 : last == "latency" ? -1 : 0;
  }
  return 0;
}

/// Fields that price area or cost: a step's time never reads them (the
/// thermal model does not read the die's area).
bool timeNeutral(DeclKind kind, llvm::StringRef field) {
  return kind == DeclKind::Chip &&
         (field.startswith("area.") || field.startswith("cost."));
}
} // namespace

void SweepSearch::Worker::findCornerLevels() {
  cornerFrom = ~0u;
  const SweepIR &sw = space.sweep();
  unsigned hw = space.hardwareLevels();
  // (findBatchLevel decides the objective.)
  if (probeObjective == ProbeObjective::None || !sw.pareto.empty() || hw == 0)
    return;
  cornerDir.assign(hw, 0);
  cornerLink.assign(hw, false);
  for (unsigned l = 0; l < hw; ++l) {
    unsigned a = space.order()[l];
    const SweepAxis &axis = sw.axes[a];
    int dir = timeDirection(axis.declKind, axis.field);
    bool link =
        axis.declKind == DeclKind::Level || axis.declKind == DeclKind::Network;
    if (axis.derived || !space.constantValues(l))
      dir = 0;
    bool peaksFollow = true;
    for (const Instantiator::Dependent &d : inst->dependentsOf(a)) {
      if (timeNeutral(d.kind, d.field))
        continue;
      if (timeDirection(d.kind, d.field) == 0)
        dir = 0;
      link &= d.kind == DeclKind::Level || d.kind == DeclKind::Network;
    }
    cornerLink[l] = link;
    if (axis.declKind == DeclKind::Chip && axis.field == "cores") {
      // Every peak rate must follow the cores (checked per corner too).
      // (Its own chip's peaks: another chip's may follow them too.)
      for (const FieldSchema &f : kindSchema(DeclKind::Chip).fields) {
        if (!f.path.startswith("peak."))
          continue;
        std::string own = axis.decl + "." + f.path.str();
        bool follows = false;
        for (const Instantiator::Dependent &d : inst->dependentsOf(a))
          follows |= d.qualified == own;
        peaksFollow &= follows;
      }
    }
    cornerDir[l] = peaksFollow ? dir : 0;
  }
  unsigned from = hw;
  while (from > 0 && cornerDir[from - 1] != 0)
    --from;
  // The corner searches the schedules of its own point: the values of a
  // schedule-side axis must not follow a monotone hardware axis.
  std::vector<int> levelOf(sw.axes.size(), 0);
  for (unsigned l = 0; l < space.depth(); ++l)
    levelOf[space.order()[l]] = int(l);
  auto monotone = [&](unsigned a) {
    return levelOf[a] >= int(from) && levelOf[a] < int(hw);
  };
  for (unsigned l = hw; l < space.depth(); ++l) {
    const Expr &values = *sw.axes[space.order()[l]].values;
    forEachAxis(values, [&](int a) {
      if (monotone(unsigned(a)))
        from = hw;
    });
    forEachField(values, [&](llvm::StringRef f) {
      for (size_t dot = f.rfind('.'); dot != llvm::StringRef::npos;
           dot = f.substr(0, dot).rfind('.'))
        for (unsigned a : inst->axesReaching(f.substr(0, dot)))
          if (monotone(a))
            from = hw;
    });
  }
  if (from < hw)
    cornerFrom = from;
}

bool SweepSearch::Worker::dependentsAtBest() {
  // A corner stands for every hardware point it dominates (a record is
  // reused for any of them), so the fields that follow the monotone axes
  // must be at their best at the corner over that whole region: each
  // monotone axis from its worst value to the corner's.
  const SweepIR &sw = space.sweep();
  unsigned hw = space.hardwareLevels();
  std::string why;
  if (!env.commit(hw, why))
    return false;
  std::vector<Interval> region(sw.axes.size());
  for (unsigned a = 0; a < sw.axes.size(); ++a)
    region[a] = Interval::point(env.numericAxes()[a]);
  std::vector<std::vector<Value>> lists(hw);
  for (unsigned l = cornerFrom; l < hw; ++l) {
    const std::vector<Value> *vals = nullptr;
    if (!env.values(l, vals, why))
      return false;
    lists[l] = *vals;
    unsigned a = space.order()[l];
    for (const Value &v : *vals)
      if (cornerDir[l] * v.num < cornerDir[l] * env.numericAxes()[a])
        region[a] = region[a].hull(Interval::point(v.num));
  }
  auto axisIv = [&](unsigned a) { return region[a]; };
  for (unsigned l = cornerFrom; l < hw; ++l) {
    unsigned a = space.order()[l];
    for (const Instantiator::Dependent &d : inst->dependentsOf(a)) {
      if (timeNeutral(d.kind, d.field))
        continue;
      int dir = timeDirection(d.kind, d.field);
      auto v = inst->field(d.qualified);
      Interval iv = inst->fieldInterval(d.qualified, axisIv);
      if (!v || v->kind != Value::Number || dir == 0 ||
          !(dir > 0 ? v->num >= iv.hi * (1 - 1e-12)
                    : v->num <= iv.lo * (1 + 1e-12)))
        return false;
      // A peak rate per core no higher at any core count of the region
      // than at the corner (a fixed peak spread over more cores would make
      // each slower).
      if (sw.axes[a].field == "cores" && d.field.startswith("peak.")) {
        double perCore = v->num / env.numericAxes()[a];
        for (const Value &c : lists[l]) {
          if (c.num < region[a].lo || c.num > region[a].hi)
            continue;
          auto at = [&](unsigned b) {
            return b == a ? Interval::point(c.num) : region[b];
          };
          Interval peak = inst->fieldInterval(d.qualified, at);
          if (!(peak.hi / c.num <= perCore * (1 + 1e-12)))
            return false;
        }
      }
    }
  }
  return true;
}
