//===- SweepCorner.cpp - Bounding hardware subtrees by their best corner --===//
//
// The roofline of a hardware subtree (passes/SweepBound.cpp) sits 10-20%
// above what the model reaches, so near the optimum of a large space it
// cannot separate millions of configurations. But the model is monotone in
// some hardware axes: more cores (with peak rates that grow with them), a
// faster clock, more SRAM per core, wider links and shorter hops never slow
// a step, provided tile overlap is charged its floor over every chunking
// wherever the tiling may change (passes/OverlapScheduling.h; the real
// chunking follows the waves, which more cores or SRAM can make coarser).
// Links change no tiling, so below a node where only links are open the
// real model itself is monotone. Throttling keeps its place: under a power
// or temperature cap a step takes its energy over the power the chip can
// sustain, and the relaxed step has the same energy
// (test/unit/SweepMonotoneTest.cpp checks all this on library designs).
//
// So the best any point of a subtree can do, with the requires dropped, is
// at most the best its corner does - every open monotone axis at its best
// value - over the schedule and workload axes below. That best is found by
// a search of its own (corner mode: leaves relaxed, never reported, pruned
// by the roofline and the batch probes, stopped at the first leaf that
// reaches the incumbent); when no leaf reaches it, the subtree is cut.
//
// A corner below the incumbent also bounds every hardware point it
// dominates (each monotone coordinate no better; for a links-only corner,
// the other coordinates equal), so records of such corners, shared by the
// workers, cut later subtrees without a search: scanning a monotone axis
// from its best value, the first corner below the incumbent ends the scan.
//
// Conditions, checked here (the fields over the whole region a corner
// dominates, since its record stands for all of it): the objective is
// stps, tps_per_device or tpot
// alone, without a Pareto front; the monotone levels come after every other
// hardware level (whatever is not monotone - memory layers, the network's
// shape - is assigned first); every field that follows an open monotone axis
// is a peak rate, a bandwidth, a clock, an SRAM size, a latency or an
// energy per operation and sits at its best end at the corner, or only
// prices area or cost; a cores axis needs every peak rate of its chip to
// follow it, with a peak per core no higher at fewer cores; no
// schedule-side axis takes its
// values from a monotone one. A corner whose point is invalid (a die over
// its area budget) bounds nothing.
//
// Not proven, only tested: under a power or temperature cap a step takes
// its energy over the power the chip sustains, and that energy depends on
// the tiling (padding, SRAM/L2/DRAM traffic), which more cores or SRAM can
// change. The bound assumes the tiler's choice at the corner spends no
// more energy, in the logic and in the DRAM each (the temperature limit
// weighs them differently), than elsewhere below it; SweepMonotoneTest checks this on
// throttled library designs (a bound on the energy any tiling spends would
// remove the assumption, but charged only its useful FLOPs the 2.5e14
// example no longer certified in minutes).
//
//===----------------------------------------------------------------------===//
#include "passes/OverlapScheduling.h"
#include "passes/SweepWorker.h"

#include <cmath>

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

double CornerRecords::dominating(const std::vector<double> &prefix,
                                 const std::vector<double> &corner) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = byPrefix.find(prefix);
  double best = std::numeric_limits<double>::infinity();
  if (it == byPrefix.end())
    return best;
  for (const Record &r : it->second) {
    bool dominates = r.below < best;
    for (size_t i = 0; dominates && i < corner.size(); ++i)
      dominates = r.corner[i] >= corner[i];
    if (dominates)
      best = r.below;
  }
  return best;
}

void CornerRecords::add(const std::vector<double> &prefix,
                        std::vector<double> corner, double below) {
  std::lock_guard<std::mutex> lock(mu);
  std::vector<Record> &list = byPrefix[prefix];
  if (list.size() < 100000) // a bounded memo: dropping one only costs time
    list.push_back({std::move(corner), below});
}

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

void SweepSearch::Worker::cornerBound(unsigned k, Judgement &j, Context &c,
                                      const std::vector<Value> *range,
                                      uint32_t lo, uint32_t hi) {
  unsigned hw = space.hardwareLevels();
  if (cornerFrom == ~0u || k < cornerFrom || k >= hw || c.exhaustive ||
      c.corner || j.cut != Judgement::Keep || boundCuts(j, c))
    return;
  double threshold = cutThreshold(c);
  if (!std::isfinite(threshold))
    return; // nothing to beat yet
  // The corner: every open level at its best value.
  std::string error;
  for (unsigned l = k; l < hw; ++l) {
    const std::vector<Value> *vals = nullptr;
    uint32_t from = 0, to = 0;
    if (l == k && range) {
      vals = range;
      from = lo;
      to = hi;
    } else {
      if (!env.values(l, vals, error) || vals->empty())
        return;
      to = uint32_t(vals->size());
    }
    uint32_t best = from;
    for (uint32_t i = from; i < to; ++i) {
      if ((*vals)[i].kind != Value::Number)
        return;
      if (cornerDir[l] * (*vals)[i].num > cornerDir[l] * (*vals)[best].num)
        best = i;
    }
    env.assign(l, (*vals)[best]);
  }
  // Links leave every tiling as it is, so below a node where only links
  // are open the real model is monotone and the corner runs it; elsewhere
  // with the overlap floor. A record of the first kind stands only for
  // points that share its other values.
  bool floor = false;
  for (unsigned l = k; l < hw; ++l)
    floor |= !cornerLink[l];
  // A record's key: its kind, then the values it must share (the levels
  // above the monotone ones; for a links-only record, every non-link
  // level too), then the oriented coordinates it dominates along.
  auto keyOf = [&](bool floorKind, std::vector<double> &prefix,
                   std::vector<double> &corner) {
    prefix.assign(1, floorKind ? 2.0 : 1.0);
    corner.clear();
    for (unsigned l = 0; l < hw; ++l) {
      double v = env.numericAxes()[space.order()[l]];
      if (l < cornerFrom || (!floorKind && !cornerLink[l]))
        prefix.push_back(v);
      else
        corner.push_back(cornerDir[l] * v);
    }
  };
  std::vector<double> prefix, corner;
  keyOf(floor, prefix, corner);
  double below = c.shared->corners.dominating(prefix, corner);
  if (!floor) {
    // A floor record dominating this corner bounds it too.
    std::vector<double> floorPrefix, floorCorner;
    keyOf(true, floorPrefix, floorCorner);
    below =
        std::min(below, c.shared->corners.dominating(floorPrefix, floorCorner));
  }
  if (below <= threshold) {
    j.best = std::min(j.best, std::nextafter(below, -HUGE_VAL));
    return;
  }
  std::vector<double> key = prefix;
  key.insert(key.end(), corner.begin(), corner.end());
  auto reached = cornerReached.find(key);
  if (reached != cornerReached.end() && reached->second >= threshold)
    return;
  auto checked = dependentsChecked.find(key);
  if (checked == dependentsChecked.end()) {
    if (dependentsChecked.size() > 100000)
      dependentsChecked.clear();
    checked = dependentsChecked.emplace(key, dependentsAtBest()).first;
  }
  if (!checked->second)
    return;
  // The relaxed search of the corner's schedules.
  SweepStats scratch;
  std::atomic<uint64_t> leaves{0}, covered{0};
  std::atomic<double> best{0};
  Context cc{nullptr, &scratch, c.shared, false, &leaves, &covered, &best};
  cc.corner = true;
  cc.cornerThreshold = threshold;
  cc.cornerFloor = floor;
  bool hit = cornerDescend(hw, cc);
  c.stats->probes += scratch.probes;
  c.stats->corners += 1;
  if (cc.cornerUnusable || c.shared->stop.load(std::memory_order_relaxed))
    return;
  if (hit) {
    if (cornerReached.size() > 100000)
      cornerReached.clear();
    cornerReached[key] = cc.cornerBest;
    return;
  }
  // Every leaf below the corner stays under the threshold.
  c.shared->corners.add(prefix, std::move(corner), threshold);
  j.best = std::min(j.best, std::nextafter(threshold, -HUGE_VAL));
}

bool SweepSearch::Worker::cornerDescend(unsigned k, Context &c) {
  if (c.cornerUnusable || c.shared->stop.load(std::memory_order_relaxed))
    return false;
  if (k == space.depth()) {
    c.stats->probes += 1;
    std::string why;
    if (!env.commit(why)) {
      // An invalid point: if the corner's hardware is what fails, the
      // corner stands for nothing.
      c.cornerUnusable = true;
      return false;
    }
    DesignMetrics m;
    if (!evaluateRelaxed(m, c.cornerFloor)) {
      // Out of memory is the same below every corner point (capacity
      // follows no monotone axis); any other failure bounds nothing.
      if (m.feasible)
        c.cornerUnusable = true;
      return false;
    }
    double v = probeValue(m, double(inst->design().workload->batch));
    c.cornerBest = std::max(c.cornerBest, v);
    return widened(v, m.decode.clockScale) >= c.cornerThreshold;
  }
  const std::vector<Value> *vals = nullptr;
  std::string error;
  if (!env.values(k, vals, error)) {
    c.cornerUnusable = true;
    return false;
  }
  std::vector<Value> values = *vals;
  return cornerVisit(k, values, 0, uint32_t(values.size()), c);
}

bool SweepSearch::Worker::cornerVisit(unsigned k,
                                      const std::vector<Value> &values,
                                      uint32_t lo, uint32_t hi, Context &c) {
  if (hi - lo > kRangeLeaf && numeric(values)) {
    for (const Half &h : judgeHalves(k, values, lo, hi, c))
      if (h.judgement.cut == Judgement::Keep && !boundCuts(h.judgement, c) &&
          cornerVisit(k, values, h.lo, h.hi, c))
        return true;
    return false;
  }
  const FieldSchema *field = fieldOf(k);
  std::vector<Judgement> children;
  for (uint32_t i = lo; i < hi; ++i) {
    env.assign(k, values[i]);
    if (field && !acceptable(*field, values[i]))
      continue;
    Judgement j = judge(k + 1, c);
    j.index = i;
    if (j.cut == Judgement::Keep && !boundCuts(j, c))
      children.push_back(std::move(j));
  }
  std::stable_sort(
      children.begin(), children.end(),
      [](const Judgement &a, const Judgement &b) { return a.best > b.best; });
  for (const Judgement &j : children) {
    env.assign(k, values[j.index]);
    if (cornerDescend(k + 1, c))
      return true;
  }
  return false;
}
