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
// The conditions under which this holds, and their check, are in
// SweepCornerConditions.cpp.
//
//===----------------------------------------------------------------------===//
#include "passes/OverlapScheduling.h"
#include "passes/SweepWorker.h"

#include <cmath>

using namespace ds;

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
