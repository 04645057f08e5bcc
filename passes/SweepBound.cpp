//===- SweepBound.cpp - Enclosures of a subtree's metrics -----------------===//
#include "passes/SweepBound.h"

#include "passes/ModelToOps.h"
#include "passes/Tiling.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"
#include <algorithm>

using namespace ds;

SweepBound::SweepBound(Instantiator &inst, const SweepSpace &space,
                       PathEnv &env)
    : inst(inst), space(space), env(env) {
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
}

Interval SweepBound::axisInterval(unsigned a, unsigned k) {
  unsigned level = unsigned(levelOf[a]);
  if (level < k)
    return Interval::point(env.numericAxes()[a]);
  if (!space.constantValues(level))
    return Interval::all();
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
  // A field no open axis reaches keeps its current value.
  if (k < fi.openLevel)
    return Interval::all();
  if (fi.valueAt == ~0ull || env.changedSince(fi.openLevel, fi.valueAt)) {
    auto v = env.fieldValue(qualified);
    fi.value = v && v->kind == Value::Number ? Interval::point(v->num)
                                             : Interval::all();
    fi.valueAt = env.now();
  }
  return fi.value;
}

const std::vector<Interval> &SweepBound::metrics(unsigned k) {
  metricIv.assign(metricCount(), Interval::all());
  roofline(k);
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

bool SweepBound::supplyAt(unsigned k, Supply &s) {
  if (k < space.hardwareLevels())
    return false;
  std::string why;
  if (!env.commit(space.hardwareLevels(), why))
    return false;
  const DesignIR &d = inst.design();
  const ChipIR &chip = *d.system->chip;
  const NetworkIR &net = *d.system->network;
  if (supplyChip == &chip && supplyKey[0] == chip.generation &&
      supplyKey[1] == net.generation && supplyKey[2] == d.system->generation) {
    s = supply;
    return s.valid;
  }
  supplyChip = &chip;
  supplyKey[0] = chip.generation;
  supplyKey[1] = net.generation;
  supplyKey[2] = d.system->generation;
  supply = Supply();
  if (!chip.memory)
    return false;
  double u = chip.utilization > 0 && chip.utilization <= 1 ? chip.utilization : 1;
  ChipContext ctx = chipContext(chip, loadedDramTemperature(chip));
  dram::StackResult stack =
      dram::evaluateStack(*chip.memory, dram::Pattern(), ctx.dramTemperature);
  const ModelIR &m = *d.workload->model;
  double peak = 0;
  for (DType a : {m.activations, m.weights, m.kvCache})
    for (DType b : {m.activations, m.weights, m.kvCache})
      peak = std::max(peak, compute::peakFlops(chip, a, b));
  supply.bandwidth = stack.peak * u;
  supply.flops = peak * u;
  supply.launch = std::max(0.0, chip.launch);
  supply.capacity = ctx.dramCapacity;
  supply.staticPower = chip.staticPower;
  supply.devices = double(net.devices());
  supply.valid = supply.bandwidth > 0 && supply.flops > 0 && supply.devices > 0;
  s = supply;
  return s.valid;
}

bool SweepBound::demandAt(unsigned k, Demand &out) {
  if (k < modelLevel)
    return false;
  const ModelIR &m = *inst.design().workload->model;
  if (demandModel == &m && demandKey == m.generation) {
    out = demand;
    return true;
  }
  demandModel = &m;
  demandKey = m.generation;
  demand = Demand();
  StepShape one; // one decode token of one request
  OpGraph g = modelToOps(m, one);
  for (const Op &op : g.ops) {
    if (op.kind == OpKind::Collective || op.cls == OpClass::Embedding ||
        op.cls == OpClass::Head)
      continue;
    demand.kernels += op.count;
    if (op.kind != OpKind::Gemm)
      continue;
    demand.flopsPerToken += op.flops() * op.count;
    bool expert = op.role == OpRole::ExpertsUp || op.role == OpRole::ExpertsDown;
    if (!expert)
      demand.weights += op.weightBytes * op.count;
  }
  demand.kvPerToken =
      kvValuesPerTokenLayer(m, 1) * dtypeBytes(m.kvCache) * double(m.layers);
  out = demand;
  return true;
}

// Decode, per device (DESIGN.md 6.6 and passes/Evaluate.cpp): with M
// microbatches through pp stages, TPOT = M * slowest stage (M >= pp) or the
// sum of the stages, so TPOT >= max(1, M/pp) * T, T = one microbatch
// through every layer. Every compute kernel costs at least its DRAM bytes
// (weights once, the KV cache of its requests) over the peak bandwidth, or
// its FLOPs over the peak rate, plus the launch; so, with s requests per
// microbatch and device,
//   T >= max(W/tp + s*kv*ctx/(tp*cp), s*F/tp) / rates + kernels * launch.
// Requests per microbatch and device: s = B / (dp * M * sp) at least, and
// STPS = B / TPOT. Each open quantity is taken at its optimistic end, which
// relaxes the bound but keeps it sound; the KV cache must fit, which caps B.
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
           sp = iv(sched, "sp"), cp = iv(sched, "cp"),
           mb = iv(sched, "microbatches"), B = iv(work, "batch"),
           prompt = iv(work, "prompt"), gen = iv(work, "generate");
  auto set = [&](const char *name, Interval v) {
    int i = metricIndex(name);
    if (i >= 0)
      metricIv[i] = v;
  };
  set("devices", Interval::point(hw.devices));
  set("memory.capacity", Interval::point(hw.capacity));
  double L = hw.launch * dm.kernels;
  // Memory per device: weights and the whole context's KV cache.
  double memLo = dm.weights / (tp.hi * pp.hi) +
                 dm.kvPerToken * (prompt.lo + gen.lo) * B.lo /
                     (tp.hi * pp.hi * cp.hi * dp.hi * sp.hi);
  set("memory.used", {memLo, Interval::all().hi});
  // The largest batch whose KV cache can fit.
  double perRequest = dm.kvPerToken * (prompt.lo + gen.lo) /
                      (tp.hi * pp.hi * cp.hi * dp.hi * sp.hi);
  double room = hw.capacity - dm.weights / (tp.hi * pp.hi);
  double bMax = B.hi;
  if (perRequest > 0)
    bMax = std::min(bMax, std::floor(room / perRequest));
  if (bMax < B.lo) {
    set("stps", {0, 0}); // nothing below fits: every point is infeasible
    return;
  }
  auto ceilDiv = [](double a, double b) { return std::ceil(a / b); };
  double mLo = std::max(1.0, std::min(mb.lo, ceilDiv(B.lo, dp.hi)));
  double mHi = std::max(1.0, std::min(mb.hi, ceilDiv(bMax, dp.lo)));
  double stageFactor = std::max(1.0, mLo / pp.hi);        // max(1, M/pp)
  double perRequestFactor = std::max(1 / mHi, 1 / pp.hi) / (dp.hi * sp.hi);
  double memoryPerReq = dm.kvPerToken * prompt.lo / (tp.hi * cp.hi) / hw.bandwidth;
  double computePerReq = dm.flopsPerToken / tp.hi / hw.flops;
  double fixed = dm.weights / tp.hi / hw.bandwidth;
  // TPOT / B >= stageFactor * (fixed + L) / B + perRequestFactor * per-request
  double r = std::max(stageFactor * (fixed + L) / bMax +
                          perRequestFactor * memoryPerReq,
                      stageFactor * L / bMax + perRequestFactor * computePerReq);
  if (!(r > 0))
    return;
  double stps = 1 / r;
  set("stps", {0, stps});
  set("tps_per_device", {0, stps / hw.devices});
  double sLo = B.lo / (dp.hi * mHi * sp.hi);
  double tpot = stageFactor *
                (std::max(fixed + sLo * memoryPerReq, sLo * computePerReq) + L);
  set("tpot", {tpot, Interval::all().hi});
  set("power", {hw.staticPower, Interval::all().hi});
  if (hw.staticPower > 0)
    set("tokens_per_joule", {0, stps / (hw.staticPower * hw.devices)});
}
