//===- SweepBound.cpp - Enclosures of a subtree's metrics -----------------===//
#include "passes/SweepBound.h"

#include "ir/Schema.h"

#include "passes/ModelToOps.h"
#include "passes/NetworkAbstraction.h"
#include "passes/Tiling.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"
#include <algorithm>

using namespace ds;

SweepBound::SweepBound(Instantiator &inst, const SweepSpace &space,
                       PathEnv &env, NetworkOf networkOf)
    : inst(inst), space(space), env(env), networkOf(std::move(networkOf)) {
  levelOf.assign(space.sweep().axes.size(), 0);
  for (unsigned k = 0; k < space.depth(); ++k)
    levelOf[space.order()[k]] = int(k);
  metricIv.assign(metricCount(), Interval::all());
  hulls.assign(space.depth(), Interval::all());
  hullKnown.assign(space.depth(), false);
  // The model may change until every axis reaching it is assigned.
  const DesignIR &d = inst.design();
  for (unsigned a : inst.axesReaching(d.workload->model->name))
    modelLevel = std::max(modelLevel, unsigned(levelOf[a]) + 1);
  for (unsigned a : inst.axesReaching(d.schedule->name))
    scheduleLevel = std::max(scheduleLevel, unsigned(levelOf[a]) + 1);
  // A reference axis choosing the workload, schedule or model swaps what
  // the bound reads: no bound above it.
  const std::vector<SweepAxis> &all = space.sweep().axes;
  for (unsigned a = 0; a < all.size(); ++a) {
    const FieldSchema *f = kindSchema(all[a].declKind).findField(all[a].field);
    if (f && f->type == FieldType::Ref &&
        (all[a].declKind == DeclKind::Design ||
         all[a].declKind == DeclKind::Workload))
      modelLevel = std::max(modelLevel, unsigned(levelOf[a]) + 1);
    if (f && f->type == FieldType::Ref && all[a].declKind == DeclKind::Design)
      designRefLevel = std::max(designRefLevel, unsigned(levelOf[a]) + 1);
  }
  supplyLevel = std::max({space.hardwareLevels(), modelLevel, designRefLevel});
  for (unsigned a : inst.axesReaching(d.system->name))
    supplyLevel = std::max(supplyLevel, unsigned(levelOf[a]) + 1);
}

Interval SweepBound::axisInterval(unsigned a, unsigned k) {
  unsigned level = unsigned(levelOf[a]);
  if (level < k)
    return Interval::point(env.numericAxes()[a]);
  if (int(level) == rangeLevel)
    return rangeIv;
  if (!space.constantValues(level)) {
    // Values that depend on earlier axes: their expression over the
    // earlier axes' intervals.
    IntervalEnv ie;
    std::vector<Interval> earlier(space.sweep().axes.size(), Interval::all());
    forEachAxis(*space.sweep().axes[a].values, [&](int b) {
      earlier[b] = axisInterval(unsigned(b), k);
    });
    ie.axes = earlier.data();
    ie.field = [&](llvm::StringRef f) { return field(f, k); };
    return valuesHull(*space.sweep().axes[a].values, ie);
  }
  if (!hullKnown[level]) {
    hullKnown[level] = true;
    const std::vector<Value> *vals = nullptr;
    std::string error;
    if (env.values(level, vals, error) && !vals->empty() &&
        (*vals)[0].kind == Value::Number) {
      Interval iv = Interval::point((*vals)[0].num);
      for (const Value &v : *vals)
        iv = iv.hull(Interval::point(v.num));
      hulls[level] = iv;
    }
  }
  return hulls[level];
}

const std::vector<Interval> &SweepBound::axes(unsigned k) {
  size_t n = space.sweep().axes.size();
  axisIv.resize(n);
  for (unsigned a = 0; a < n; ++a)
    axisIv[a] = axisInterval(a, k);
  return axisIv;
}

SweepBound::FieldInfo &SweepBound::info(llvm::StringRef qualified) {
  auto it = fields.find(qualified);
  if (it != fields.end())
    return it->second;
  FieldInfo fi;
  const std::vector<SweepAxis> &all = space.sweep().axes;
  for (unsigned a = 0; a < all.size(); ++a)
    if (qualified == all[a].decl + "." + all[a].field)
      fi.axis = int(a);
  // Axes reaching the field's declaration (or a declaration on its path).
  for (size_t dot = qualified.rfind('.'); dot != llvm::StringRef::npos;
       dot = qualified.substr(0, dot).rfind('.'))
    for (unsigned a : inst.axesReaching(qualified.substr(0, dot)))
      fi.openLevel = std::max(fi.openLevel, unsigned(levelOf[a]) + 1);
  return fields[qualified] = fi;
}

Interval SweepBound::field(llvm::StringRef qualified, unsigned k) {
  FieldInfo &fi = info(qualified);
  if (fi.axis >= 0)
    return axisInterval(unsigned(fi.axis), k);
  // While an axis reaching its declaration is open, the field's own
  // expression says how far it can move; after that it keeps its value.
  if (k < fi.openLevel)
    return inst.fieldInterval(qualified,
                              [&](unsigned a) { return axisInterval(a, k); });
  if (fi.valueAt == ~0ull || env.changedSince(fi.openLevel, fi.valueAt)) {
    auto v = env.fieldValue(qualified);
    fi.value = v && v->kind == Value::Number ? Interval::point(v->num)
                                             : Interval::all();
    fi.valueAt = env.now();
  }
  return fi.value;
}

const std::vector<Interval> &SweepBound::metrics(unsigned k) {
  // A leaf is judged, then evaluated and checked against the same bound:
  // nothing assigned above k changed in between, so reuse it.
  if (rangeLevel < 0 && cachedLevel == int(k) &&
      !env.changedSince(k, cachedAt))
    return metricIv;
  metricIv.assign(metricCount(), Interval::all());
  roofline(k);
  cachedLevel = rangeLevel < 0 ? int(k) : -1;
  cachedAt = env.now();
  return metricIv;
}


bool ds::canBoundObjective(const SweepIR &sweep, std::string &why) {
  if (!sweep.objective) {
    why = "it has no objective";
    return false;
  }
  bool ok = true;
  forEachMetric(*sweep.objective, [&](llvm::StringRef m) {
    if (ok && !SweepBound::bounded(m)) {
      ok = false;
      why = "metric '" + m.str() + "' has no bound";
    }
  });
  if (ok)
    why.clear();
  return ok;
}

bool SweepBound::bounded(llvm::StringRef metric) {
  return metric == "stps" || metric == "tps_per_device" || metric == "tpot" ||
         metric == "devices" || metric == "memory.capacity";
}

bool SweepBound::demandAt(unsigned k, Demand &out) {
  if (k < modelLevel)
    return false;
  // The model (a reference axis may have picked another) as assigned.
  std::string why;
  if (modelLevel > 0 && !env.commit(k, why))
    return false;
  const ModelIR &m = *inst.design().workload->model;
  if (demandModel == &m && demandKey == m.generation) {
    out = demand;
    return true;
  }
  demandModel = &m;
  demandKey = m.generation;
  demand = Demand();
  StepShape one; // one decode token of one request, context 1
  OpGraph g = modelToOps(m, one);
  for (const Op &op : g.ops) {
    if (op.kind == OpKind::Collective || op.cls == OpClass::Embedding ||
        op.cls == OpClass::Head)
      continue;
    demand.kernels += op.count;
    if (op.kind == OpKind::Vector)
      demand.vectorFlops += op.vectorFlops * op.count;
    if (op.kind != OpKind::Gemm)
      continue;
    bool expert = op.role == OpRole::ExpertsUp || op.role == OpRole::ExpertsDown;
    (expert ? demand.expertWeights : demand.weights) += op.weightBytes * op.count;
  }
  demand.experts = double(m.experts);
  demand.topK = double(m.topK);
  demand.kvPerToken =
      kvValuesPerTokenLayer(m, 1) * dtypeBytes(m.kvCache) * double(m.layers);
  demand.attnFlopsPerCtx =
      4.0 * double(m.heads) * double(m.headDim) * double(m.layers);
  demand.weightBytes = dtypeBytes(m.weights);
  demand.layers = double(m.layers);
  demand.moeLayers = m.experts > 0 ? double(m.layers - m.denseLayers) : 0;
  demand.activationBytes = dtypeBytes(m.activations);
  out = demand;
  return true;
}

// Decode (passes/Evaluate.cpp): with M microbatches through pp stages,
// TPOT = M * slowest stage (M >= pp) or the sum of the stages, so
// TPOT >= max(1, M/pp) * T, T = one microbatch through every layer on the
// devices of one replica's path. Each kernel takes at least max(FLOPs over
// the peak rate, DRAM bytes over the peak bandwidth, L2 bytes over the L2
// bandwidth) plus its launch (runtime/compute), a GEMM executes at least
// max(rows, mma.m) rows, and its weights cross DRAM and L2 once. With s
// requests per microbatch and device, per device:
//   T = W/tp * max(2 max(s, mmaM)/(b F), 1/Bw, (1 + s a/(256 b))/L2)
//                                                          weight GEMMs
//     + Wx hit(s)/max(ep, tp) * max(2 mmaM/(b F), 1/Bw, 1/L2) experts
//     + s/tp * (max(A ctx/F_att, kv ctx/(cp Bw), kv ctx/(cp L2))
//               + V/(sp F32))                              attention,
//                                                          elementwise
//     + K * launch
// (hit = 1 - (1 - k/E)^s: the busiest device reads at least the mean of
// its experts; passes/Partition.cpp). STPS = B/TPOT, and the layout fills
// the system: tp sp cp dp pp = devices, so s = B tp pp cp/(devices M):
//   TPOT/B >= max(1, M/pp) (W g(s)/tp + Wx h(s) + K launch) / B
//           + max(1, pp/M) / devices * (max(cp A ctx/F_att, kv ctx/Bw)
//                                       + cp V/(sp F32)).
// Every term divided by B falls as B grows (each is constant, linear or
// concave in B), so the largest batch whose weights and KV cache fit is
// the optimistic end; every other open quantity takes its optimistic end
// too, which relaxes the bound and keeps it sound.
void SweepBound::roofline(unsigned k) {
  Supply hw;
  Demand dm;
  if (!supplyAt(k, hw) || !demandAt(k, dm))
    return;
  const DesignIR &d = inst.design();
  std::string sched = d.schedule->name, work = d.workload->name;
  auto iv = [&](const std::string &decl, const char *f) {
    Interval v = field(decl + "." + f, k);
    if (!(v.lo >= 1)) // whole-number fields are at least 1
      v.lo = 1;
    return v;
  };
  Interval tp = iv(sched, "tp"), pp = iv(sched, "pp"), dp = iv(sched, "dp"),
           ep = iv(sched, "ep"), sp = iv(sched, "sp"), cp = iv(sched, "cp"),
           mb = iv(sched, "microbatches"), B = iv(work, "batch"),
           prompt = iv(work, "prompt"), gen = iv(work, "generate");
  Interval devices = hw.devices;
  auto set = [&](const char *name, Interval v) {
    int i = metricIndex(name);
    if (i >= 0)
      metricIv[i] = v;
  };
  set("devices", devices);
  if (k >= supplyLevel)
    set("memory.capacity", Interval::point(hw.capacity));
  else
    set("memory.capacity", {0, hw.capacity});
  // Memory per device: its weights (experts: E/ep of them, each split over
  // tp/ep when tp exceeds ep) and the whole context's KV cache, which the
  // layout spreads over every device.
  double expertShare = dm.expertWeights / std::max(ep.hi, tp.hi);
  double weightsLo = (dm.weights / tp.hi + expertShare) / pp.hi;
  double perRequest = dm.kvPerToken * (prompt.lo + gen.lo) / devices.hi;
  set("memory.used", {weightsLo + perRequest * B.lo, Interval::all().hi});
  double bMax = B.hi;
  if (perRequest > 0)
    bMax = std::min(bMax, std::floor((hw.capacity - weightsLo) / perRequest));
  if (bMax < B.lo) {
    for (const char *m : {"stps", "tps_per_device", "tokens_per_joule"})
      set(m, {0, 0}); // nothing below fits: every point is infeasible
    return;
  }
  // The decode step is averaged over KV lengths prompt + (i + 1/2) G/4
  // (passes/RunPhase.cpp): their mean is prompt + G/2, rounded per sample.
  double ctx = std::max(prompt.lo, prompt.lo + gen.lo / 2 - 2);
  auto ceilDiv = [](double a, double b) { return std::ceil(a / b); };
  double dpLo = std::max(dp.lo, devices.lo / (tp.hi * pp.hi * sp.hi * cp.hi));
  double mLo = std::max(1.0, std::min(mb.lo, ceilDiv(B.lo, dp.hi)));
  double mHi = std::max(1.0, std::min(mb.hi, ceilDiv(bMax, dpLo)));
  double stage = std::max(1.0, mLo / pp.hi);   // max(1, M/pp)
  double spread = std::max(1.0, pp.lo / mHi);  // max(1, pp/M)
  double Bw = hw.bandwidth, F = hw.gemmFlops;
  double perWeightByte = std::max(1 / Bw, 1 / hw.l2);
  // Weight GEMMs at the largest batch: s/tp = B pp cp/(devices M).
  double sPerTp = bMax * pp.lo * cp.lo / (devices.hi * mHi);
  // L2 also carries the activations, re-read for every column of tiles
  // (tiles are at most 256 wide; runtime/compute/Gemm.cpp).
  double params = dm.weights / dm.weightBytes;
  double gemm = std::max(
      {2 * params * std::max(sPerTp, hw.mmaM / tp.hi) / F,
       dm.weights / (tp.hi * Bw),
       (dm.weights / tp.hi + sPerTp * params * dm.activationBytes / 256) /
           hw.l2});
  double experts = 0;
  if (dm.experts > 0 && dm.expertWeights > 0) {
    double s = std::max(1.0, sPerTp * tp.lo * std::max(1.0, ep.lo / tp.hi));
    double hit = 1 - std::pow(1 - dm.topK / dm.experts, s);
    experts = expertShare * hit *
              std::max(2 * hw.mmaM / (dm.weightBytes * F), perWeightByte);
  }
  double perToken =
      std::max(cp.lo * dm.attnFlopsPerCtx * ctx / hw.attnFlops,
               dm.kvPerToken * ctx * perWeightByte) + // KV via DRAM and L2
      cp.lo * dm.vectorFlops / (sp.hi * hw.vectorFlops);
  // Every collective leaves at least its launch and one hop's latency on
  // the critical path, whatever the overlap (passes/OverlapScheduling.cpp:
  // a tiled collective exposes its latency): tp > 1 reduces after the
  // attention and the MLP of every layer, ep > tp dispatches and combines
  // around every MoE layer (EP inside a TP group moves no tokens).
  double collectives = (tp.lo > 1 ? 2 * dm.layers : 0) +
                       (ep.lo > tp.hi && dm.experts > 0 ? 2 * dm.moeLayers : 0);
  double fixed = dm.kernels * hw.launch + collectives * (hw.launch + hw.hop);
  // With the layout fixed, the collectives priced on the network itself.
  double tokensLo =
      std::max(1.0, std::ceil(std::ceil(B.lo / dp.hi) / mHi));
  fixed = std::max(fixed, dm.kernels * hw.launch +
                              networkFloor(k, tokensLo, mHi));
  double r = stage * (gemm + experts + fixed) / bMax +
             spread * perToken / devices.hi;
  if (!(r > 0) || !std::isfinite(r))
    return;
  double stps = 1 / r;
  set("stps", {0, stps});
  set("tps_per_device", {0, stps / devices.lo});
  set("tpot", {stage * (dm.weights / tp.hi * perWeightByte + fixed),
               Interval::all().hi});
  set("power", {hw.staticPower, Interval::all().hi});
  if (hw.staticPower > 0)
    set("tokens_per_joule", {0, stps / (hw.staticPower * devices.lo)});
}
